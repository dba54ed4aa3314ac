"""``khabar eval plover``: our English event stage against the PLOVER gold-standard records.

Data: ``../shared/data/events/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt`` (openeventdata/
PLOVER, CC BY-SA 4.0; evaluation only): a JSON array whose records carry ``text``, ``event`` (the
PLOVER type), and ``source``/``target`` lists of ``{actorText, code, ...}``. The first record is a
DOCUMENT header and is skipped, leaving 322.

Each record's text runs through the default pipeline (which holds ``khabar.stages.events``); the
predicted event's PLOVER type comes from ``khabar.events.plover.from_cameo``. Scores:

* type accuracy: predicted type == gold ``event`` over all records (no event = wrong). The GSR was
  coded with PLOVER 0.5b1 (2016) names while our CAMEO->PLOVER table is the 2021 one, so the gold
  types DEMAND/FIGHT/INVESTIGATE/DISAPPROVE are read as their 2021 successors REQUEST/ASSAULT/
  ACCUSE/ACCUSE (``RENAMED``; PLOVER manual draft 0.8) for ``type_accuracy``, and the confusions
  are listed in those names; ``type_accuracy_2016_names`` compares the names as written;
* the prediction is the first event (in text order) that has a PLOVER type: CAMEO statements (01)
  and appeals (02) have none in the 2021 table, so PLOVER cannot score them;
* source / target span F1: the spans of the predicted event's actors (every event sharing its verb
  span, so compound actors count) against the gold ``actorText`` strings located in the text; a
  predicted span matches a gold span when they overlap, one to one.
"""
from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..errors import KhabarError

GSR = "data/events/PLOVER/gold_standard_records/PLOVER_GSR_CAMEO.txt"

# The GSR was coded with PLOVER 0.5b1 (2016); the CAMEO2PLOVER-2021 table uses the later type names.
# ``type_accuracy_2021`` reads these old names as their 2021 successors (PLOVER manual draft 0.8).
RENAMED = {"DEMAND": "REQUEST", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE", "DISAPPROVE": "ACCUSE"}


def load_gsr(path: Path) -> list[dict[str, Any]]:
    """The gold records that carry an event (the header record is dropped)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise KhabarError(f"cannot read PLOVER gold records: {err}", source=str(path)) from err
    return [r for r in data if r.get("event") and r.get("text")]


def gold_spans(text: str, actors: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Character spans of the gold ``actorText`` strings (first occurrence, case folded if needed)."""
    out: list[tuple[int, int]] = []
    for a in actors if isinstance(actors, list) else []:
        if not isinstance(a, dict):
            continue
        name = (a.get("actorText") or "").strip()
        if not name:
            continue
        i = text.find(name)
        if i < 0:
            i = text.lower().find(name.lower())
        out.append((i, i + len(name)) if i >= 0 else (-1, -1))
    return out


def overlap_matches(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """One-to-one matches between predicted and gold spans that overlap."""
    used: set[int] = set()
    hits = 0
    for ps, pe in pred:
        for k, (gs, ge) in enumerate(gold):
            if k not in used and gs >= 0 and ps < ge and gs < pe:
                used.add(k)
                hits += 1
                break
    return hits


@dataclasses.dataclass
class SpanCount:
    """Precision/recall counts for one actor role."""

    pred: int = 0
    gold: int = 0
    hit: int = 0

    def f1(self) -> dict[str, float]:
        """Precision, recall and F1."""
        p = self.hit / self.pred if self.pred else 0.0
        r = self.hit / self.gold if self.gold else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _first_event(events: list[Any]) -> list[Any]:
    """The events sharing the verb span and code of the first event (in text order) that has a
    PLOVER type; CAMEO statements (01) and appeals (02) have none, so they are passed over, and
    when no event has a type the first event is taken."""
    if not events:
        return []
    typed = [e for e in events if e.plover] or events
    first = min(typed, key=lambda e: (e.start, e.end))
    return [e for e in events if (e.start, e.end, e.cameo) == (first.start, first.end, first.cameo)]


def _spans(refs: list[Any]) -> list[tuple[int, int]]:
    out = {(r.start, r.end) for r in refs if r is not None and r.start is not None and r.end is not None}
    return sorted(out)


def run(path: Path, limit: int | None = None) -> dict[str, Any]:
    """Run the stage over the gold records and score it."""
    from ..events.plover import from_cameo
    from ..jobs import process_text
    from ..pipeline import Pipeline
    from ..settings import load_settings
    from ..stages import DEFAULT_STAGES

    settings = dataclasses.replace(load_settings(), min_body_chars=1)
    pipe = Pipeline(list(DEFAULT_STAGES), settings=settings)
    records = load_gsr(path)[:limit]
    ok = ok21 = 0
    src, tgt = SpanCount(), SpanCount()
    confusion: Counter[tuple[str, str]] = Counter()
    t0 = time.perf_counter()
    for rec in records:
        text = rec["text"]
        try:
            art = process_text(text, settings=settings, pipeline=pipe)
            events = _first_event(list(art.events))
        except KhabarError:
            events = []
        ptype = from_cameo(events[0].cameo)[0] if events else None
        gold21 = RENAMED.get(rec["event"], rec["event"])
        ok += int(ptype == rec["event"])
        ok21 += int(ptype == gold21)
        confusion[(gold21, ptype or "none")] += 1
        for role, count in (("source", src), ("target", tgt)):
            gold = gold_spans(text, rec.get(role) or [])
            pred = _spans([getattr(e, role) for e in events])
            count.pred += len(pred)
            count.gold += len(gold)
            count.hit += overlap_matches(pred, gold)
    secs = time.perf_counter() - t0
    errors = [f"{g} -> {p}: {n}" for (g, p), n in confusion.most_common() if g != p][:15]
    return {"records": len(records), "type_accuracy": round(ok21 / len(records), 4) if records else 0.0,
            "type_accuracy_2016_names": round(ok / len(records), 4) if records else 0.0,
            "coded": sum(n for (g, p), n in confusion.items() if p != "none"),
            "source": src.f1(), "target": tgt.f1(), "seconds": round(secs, 1), "top_confusions": errors}


@click.command()
@click.option("--limit", type=int, default=None, help="Score only the first N records.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(limit: int | None, as_json: bool) -> None:
    """Score the English events stage on the PLOVER gold-standard records (type accuracy, span F1).

    Example: khabar eval plover --limit 50
    """
    from ..shared import shared_dir

    try:
        import khabar.stages.events  # noqa: F401
    except ModuleNotFoundError as err:
        raise click.ClickException("the English event stage (khabar.stages.events) is missing") from err
    try:
        result = run(shared_dir() / GSR, limit)  # type: ignore[operator]
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    click.echo(f"PLOVER type accuracy {result['type_accuracy']:.3f} (GSR types read as their 2021 names; "
               f"{result['type_accuracy_2016_names']:.3f} with the 2016 names as written) "
               f"over {result['records']} records, {result['coded']} coded ({result['seconds']} s)")
    for role in ("source", "target"):
        r = result[role]
        click.echo(f"{role} span P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    click.echo("top confusions (gold -> predicted): " + "; ".join(result["top_confusions"]))
