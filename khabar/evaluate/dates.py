"""``khabar eval dates``: the English date rules scored on TimeML (TempEval-3 TBAQ-cleaned).

Each ``.tml`` file's ``<TEXT>`` is flattened to plain text; its TIMEX3 elements of type DATE and
TIME are the gold, with offsets into that text; the document creation time (the TIMEX3 with
``functionInDocument="CREATION_TIME"``) is the anchor. ``find_dates(text, "en", anchor)`` runs
on the plain text. A prediction counts as a span match when it overlaps a gold timex; predictions
overlapping only DURATION or SET timexes are left out of the counts (we do not look for those).
Value F1 counts a gold timex as correct when an overlapping prediction has exactly its value.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..errors import InputError, KhabarError, NotFound
from ..shared import shared_dir
from ..stages.dates import find_dates

SCORED_TYPES = ("DATE", "TIME")
DEFAULT_SUBDIR = Path("data/eval/time/TBAQ-cleaned")


@dataclass
class Gold:
    """One gold timex: offsets in the flattened text, TimeML type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass
class Doc:
    """A TimeML document: plain text, anchor and gold timexes."""

    name: str
    text: str
    anchor: date | None
    gold: list[Gold]


def granularity(value: str) -> str:
    """The granularity of a TimeML value: day, month, year, week, quarter, time or other."""
    patterns = [
        ("time", r"\d{4}-\d{2}-\d{2}T.*"), ("day", r"\d{4}-\d{2}-\d{2}"), ("month", r"\d{4}-\d{2}"),
        ("week", r"\d{4}-W\d{2}(-WE)?"), ("quarter", r"\d{4}-Q\d"), ("year", r"\d{4}"),
    ]
    for name, pat in patterns:
        if re.fullmatch(pat, value):
            return name
    return "other"


def _flatten(el: ET.Element, parts: list[str], gold: list[Gold], pos: int) -> int:
    """Append ``el``'s text to ``parts`` depth-first, recording TIMEX3 offsets; returns the offset."""
    start = pos
    if el.text:
        parts.append(el.text)
        pos += len(el.text)
    for child in el:
        pos = _flatten(child, parts, gold, pos)
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    if el.tag == "TIMEX3":
        gold.append(Gold(start, pos, el.get("type", ""), el.get("value", "")))
    return pos


def read_tml(path: Path) -> Doc:
    """Parse one TimeML file into plain text, anchor and gold timexes."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        raise InputError(f"cannot read TimeML: {err}", source=str(path)) from err
    anchor = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            try:
                anchor = date.fromisoformat(tx.get("value", "")[:10])
            except ValueError:
                anchor = None
            break
    body = root.find("TEXT")
    parts: list[str] = []
    gold: list[Gold] = []
    if body is not None:
        _flatten(body, parts, gold, 0)
    return Doc(path.stem, "".join(parts), anchor, gold)


@dataclass
class Score:
    """Counts behind the figures, overall or for one granularity."""

    gold: int = 0
    pred: int = 0
    span_tp_pred: int = 0
    span_tp_gold: int = 0
    value_ok: int = 0

    def figures(self) -> dict[str, float | int]:
        """Precision, recall, F1 for spans and values, and value accuracy on matched spans."""
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        sp = self.span_tp_pred / self.pred if self.pred else 0.0
        sr = self.span_tp_gold / self.gold if self.gold else 0.0
        vp = self.value_ok / self.pred if self.pred else 0.0
        vr = self.value_ok / self.gold if self.gold else 0.0
        return {
            "gold": self.gold, "pred": self.pred,
            "span_p": round(sp, 4), "span_r": round(sr, 4), "span_f1": round(f1(sp, sr), 4),
            "value_acc": round(self.value_ok / self.span_tp_gold, 4) if self.span_tp_gold else 0.0,
            "value_p": round(vp, 4), "value_r": round(vr, 4), "value_f1": round(f1(vp, vr), 4),
        }


@dataclass
class Report:
    """The evaluation result: overall score, per gold granularity, and the errors seen."""

    files: int = 0
    overall: Score = field(default_factory=Score)
    by_granularity: dict[str, Score] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_doc(doc: Doc, report: Report) -> None:
    """Run find_dates on one document and add its counts to ``report``."""
    preds = find_dates(doc.text, "en", doc.anchor)
    scored = [g for g in doc.gold if g.type in SCORED_TYPES]
    other = [g for g in doc.gold if g.type not in SCORED_TYPES]
    for p in preds:
        hit = any(_overlaps(p.start, p.end, g.start, g.end) for g in scored)
        if not hit and any(_overlaps(p.start, p.end, g.start, g.end) for g in other):
            continue
        report.overall.pred += 1
        report.overall.span_tp_pred += int(hit)
        if not hit:
            report.errors[f"spurious {doc.text[p.start:p.end]!r}"] += 1
    for g in scored:
        gran = granularity(g.value)
        sc = report.by_granularity.setdefault(gran, Score())
        matches = [p for p in preds if _overlaps(p.start, p.end, g.start, g.end)]
        ok = any(p.value == g.value for p in matches)
        for s in (report.overall, sc):
            s.gold += 1
            s.span_tp_gold += int(bool(matches))
            s.value_ok += int(ok)
        if not matches:
            report.errors[f"missed {doc.text[g.start:g.end]!r}"] += 1
        elif not ok:
            report.errors[f"value {doc.text[g.start:g.end]!r} {matches[0].value}!={g.value}"] += 1
    report.files += 1


def evaluate(folder: Path, limit: int | None = None) -> Report:
    """Score find_dates on every ``.tml`` under ``folder`` (sorted; the first ``limit`` if given)."""
    if not folder.is_dir():
        raise NotFound("no such folder", source=str(folder))
    paths = sorted(folder.rglob("*.tml"))
    if limit is not None:
        paths = paths[:: max(1, len(paths) // limit)][:limit]
    report = Report()
    for path in paths:
        score_doc(read_tml(path), report)
    return report


def report_dict(report: Report, errors: int = 0) -> dict[str, Any]:
    """The report as JSON-ready data (``errors``: how many of the commonest errors to include)."""
    out: dict[str, Any] = {
        "files": report.files,
        "overall": report.overall.figures(),
        "by_granularity": {k: v.figures() for k, v in sorted(report.by_granularity.items())},
    }
    if errors:
        out["errors"] = report.errors.most_common(errors)
    return out


def _table(data: dict[str, Any]) -> str:
    o = data["overall"]
    cols = ["gold", "pred", "span_p", "span_r", "span_f1", "value_acc", "value_p", "value_r", "value_f1"]
    lines = [f"{'':10}" + "".join(f"{c:>10}" for c in cols), f"{'overall':10}" + "".join(f"{o[c]:>10}" for c in cols)]
    lines.append("by gold granularity (recall side only):")
    for name, fig in data["by_granularity"].items():
        cells = "".join(f"{fig[c]:>10}" if c in ("gold", "span_r", "value_acc", "value_r") else f"{'':>10}" for c in cols)
        lines.append(f"{name:10}{cells}")
    return "\n".join(lines)


@click.command()
@click.option("--path", "path", type=click.Path(path_type=Path), default=None,
              help="Folder of .tml files (default: <shared>/data/eval/time/TBAQ-cleaned).")
@click.option("--limit", type=int, default=None, help="Score an evenly spread sample of N files.")
@click.option("--errors", "n_errors", type=int, default=0, help="Also list the N commonest errors.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(path: Path | None, limit: int | None, n_errors: int, as_json: bool) -> None:
    """Score the date rules on TimeML (DATE and TIME timexes): span P/R/F1, value accuracy and F1.

    Example: khabar eval dates --limit 40 --errors 20
    """
    try:
        folder = path or (shared_dir() or Path(".")) / DEFAULT_SUBDIR
        data = report_dict(evaluate(folder, limit), n_errors)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(data, indent=1, ensure_ascii=False))
        return
    click.echo(f"files: {data['files']}  (span match: overlap; predictions on DURATION/SET ignored)")
    click.echo(_table(data))
    for err, n in data.get("errors", []):
        click.echo(f"{n:5}  {err}")
