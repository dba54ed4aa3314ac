"""``khabar eval reuse``: text-reuse labels against the COUNTER Urdu pairs (development half).

Each pair is an APP agency story ``NNNN.xml`` and a newspaper's version ``NNNNp.xml`` whose
``classification`` is WD (wholly derived), PD (partly derived) or ND (non-derived). We compare the
headline and body of the newspaper text against the agency text with ``khabar.stories.reuse.compare``
and report derived-vs-not accuracy and the three-way macro-F1 (with per-class F1 and a confusion
table).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import click

from ..errors import InputError, KhabarError
from ..shared import shared_dir

DEFAULT_SUBDIR = Path("data") / "reuse" / "ur" / "counter-dev"
LABELS = {"WD": "wholly", "PD": "partly", "ND": "none"}
ORDER = ("wholly", "partly", "none")


@dataclass(frozen=True)
class Pair:
    """One COUNTER pair: the agency text, the newspaper text and the gold label."""

    name: str
    source: str
    derived: str
    gold: str


def _read(path: Path) -> tuple[dict[str, str], str]:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as err:
        raise InputError(f"cannot read COUNTER file: {err}", source=str(path)) from err
    text = (root.findtext("headline") or "").strip() + "\n" + (root.findtext("body") or "").strip()
    return dict(root.attrib), text


def load_pairs(folder: Path) -> list[Pair]:
    """The pairs in ``folder`` (``NNNN.xml`` with ``NNNNp.xml``), in name order."""
    if not folder.is_dir():
        raise InputError(f"no COUNTER folder at {folder}", source=str(folder))
    pairs = []
    for derived_path in sorted(folder.glob("*p.xml")):
        source_path = derived_path.with_name(derived_path.name[:-5] + ".xml")
        if not source_path.exists():
            continue
        attrs, derived = _read(derived_path)
        _, source = _read(source_path)
        gold = LABELS.get(attrs.get("classification", ""))
        if gold is not None:
            pairs.append(Pair(derived_path.stem[:-1], source, derived, gold))
    if not pairs:
        raise InputError(f"no labelled pairs in {folder}", source=str(folder))
    return pairs


def score(golds: list[str], preds: list[str]) -> dict[str, Any]:
    """Binary accuracy (derived = wholly or partly), macro-F1 over the three labels, per-class F1
    and the confusion counts (gold -> predicted -> n)."""
    n = len(golds)
    binary = sum((g != "none") == (p != "none") for g, p in zip(golds, preds)) / n if n else 0.0
    per_class = {}
    for c in ORDER:
        tp = sum(g == p == c for g, p in zip(golds, preds))
        denom = golds.count(c) + preds.count(c)
        per_class[c] = round(2 * tp / denom, 4) if denom else 0.0
    confusion = {g: {p: sum(1 for a, b in zip(golds, preds) if a == g and b == p) for p in ORDER} for g in ORDER}
    return {"pairs": n, "derived_accuracy": round(binary, 4),
            "three_way_accuracy": round(sum(g == p for g, p in zip(golds, preds)) / n, 4) if n else 0.0,
            "macro_f1": round(sum(per_class.values()) / len(ORDER), 4), "f1": per_class, "confusion": confusion}


def evaluate(folder: Path) -> dict[str, Any]:
    """Compare every pair and score the labels."""
    from ..stories.reuse import compare

    pairs = load_pairs(folder)
    preds: list[str] = [compare(p.source, p.derived).label for p in pairs]
    return score([p.gold for p in pairs], preds)


@click.command()
@click.option("--path", "path", type=click.Path(path_type=Path), default=None,
              help="COUNTER folder (default: <shared>/data/reuse/ur/counter-dev).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def command(path: Path | None, as_json: bool) -> None:
    """Score text-reuse labels on COUNTER pairs: derived-vs-not accuracy and three-way macro-F1.

    Example: khabar eval reuse
    """
    try:
        folder = path or (shared_dir() or Path(".")) / DEFAULT_SUBDIR
        data = evaluate(folder)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    click.echo(f"pairs: {data['pairs']}")
    click.echo(f"derived vs not-derived accuracy: {data['derived_accuracy']:.4f}")
    click.echo(f"three-way (wholly/partly/none) macro-F1: {data['macro_f1']:.4f}  "
               f"accuracy: {data['three_way_accuracy']:.4f}")
    click.echo("F1 " + "  ".join(f"{c}={v:.3f}" for c, v in data["f1"].items()))
    click.echo("gold \\ predicted   " + "  ".join(f"{c:>7}" for c in ORDER))
    for g in ORDER:
        click.echo(f"{g:18} " + "  ".join(f"{data['confusion'][g][p]:7}" for p in ORDER))
