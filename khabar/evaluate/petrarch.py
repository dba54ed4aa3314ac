"""``khabar eval petrarch``: the PETRARCH validation suite run end to end through our reader and coder.

Reads ``PETR.UnitTest.records.xml`` (petrarch2, MIT) with the suite's own dictionaries named in
its ``<Environment>`` (PETR.Validate.verbs/actors/agents/discards), codes every sentence's Penn
parse with ``khabar.events.coder`` and counts expected codings reproduced:

* an expected ``(source, target, code)`` is reproduced when the coder emits exactly that triple;
* a ``noevents`` expectation is reproduced when the coder emits nothing;
* ``error`` expectations (parse errors the original program must report) count as reproduced when
  the coder emits nothing or the parse cannot be read.

Failures are listed by the record's category and by kind (missing, wrong code, wrong actor,
spurious events).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from ..errors import KhabarError
from ..events.coder import CodedEvent, CoderOptions, Dictionaries, code_tree
from ..events.petrarch import Record, read_actors, read_agents, read_discards, read_records, read_verbs

SUITE = "data/events/petrarch2"
UD_RECORDS = "data/events/UniversalPetrarch/text/PETR.UnitTest.records.parsing_parsed_udpipe_2.0.xml"


def load_suite_dictionaries(base: Path) -> Dictionaries:
    """The validation suite's own dictionaries, read through our reader."""
    d = base / "dictionaries"
    return Dictionaries(verbs=read_verbs(d / "PETR.Validate.verbs.txt"),
                        actors=read_actors([d / "PETR.Validate.actors.txt"]),
                        agents=read_agents(d / "PETR.Validate.agents.txt"),
                        discards=read_discards(d / "PETR.Validate.discards.txt"))


@dataclass
class Tally:
    """Reproduced and failed expectations, per category."""

    total: int = 0
    ok: int = 0
    by_category: dict[str, list[int]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, category: str, good: bool) -> None:
        """Count one expected coding."""
        self.total += 1
        self.ok += int(good)
        slot = self.by_category.setdefault(category, [0, 0])
        slot[0] += int(good)
        slot[1] += 1


def _kind(exp: Any, got: list[CodedEvent]) -> str:
    """Why an expected coding was not reproduced."""
    if exp.noevents:
        return "spurious"
    if not got:
        return "missing"
    if any(g.source == exp.source and g.target == exp.target for g in got):
        return "wrong code"
    if any(g.code == exp.code for g in got):
        return "wrong actor"
    return "other"


def score_record(rec: Record, got: list[CodedEvent], tally: Tally) -> None:
    """Compare one record's coded events with its expectations."""
    triples = {(g.source, g.target, g.code) for g in got}
    for exp in rec.expected:
        if exp.noevents or exp.error:
            good = not got
        else:
            good = (exp.source, exp.target, exp.code) in triples
        tally.add(rec.category, good)
        if not good:
            tally.failures.append({"id": rec.id, "category": rec.category, "kind": _kind(exp, got),
                                   "expected": "noevents" if exp.noevents else "error" if exp.error
                                   else f"{exp.source} {exp.target} {exp.code}",
                                   "got": sorted(f"{s} {t} {c}" for s, t, c in triples)})


def run(base: Path, ud: Path | None = None) -> dict[str, Any]:
    """Code every record and return the summary.

    With ``ud`` (UniversalPetrarch's UDPipe-parsed copy of the suite) the CoNLL-U parses go
    through ``khabar.events.ud`` into the same coder, with the same dictionaries.
    """
    from ..events.ud import conllu_tree

    dicts = load_suite_dictionaries(base)
    penn = read_records(base / "text" / "PETR.UnitTest.records.xml")
    records = [r for r in penn if not r.is_conllu]
    own = Tally()
    if ud is not None:
        by_id = {r.id.replace("_", "-"): r for r in records}
        ud_records = [r for r in read_records(ud) if r.is_conllu]
        records = [replace(r, expected=by_id[r.id.replace("_", "-")].expected,
                           config=by_id[r.id.replace("_", "-")].config, id=r.id.replace("_", "-"))
                   for r in ud_records if r.id.replace("_", "-") in by_id]
        own_expected = {r.id.replace("_", "-"): r for r in ud_records}
    tally = Tally()
    t0 = time.perf_counter()
    for rec in records:
        try:
            tree = conllu_tree(rec.parse) if rec.is_conllu else rec.parse
            got = code_tree(tree, rec.date, dicts, CoderOptions.from_config(rec.config))
        except ValueError:
            got = []
        score_record(rec, got, tally)
        if ud is not None:
            score_record(own_expected[rec.id], got, own)
    secs = time.perf_counter() - t0
    kinds: dict[str, int] = {}
    for f in tally.failures:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    return {"records": len(records), "expected": tally.total, "reproduced": tally.ok,
            "rate": round(tally.ok / tally.total, 4) if tally.total else 0.0,
            "sentences_per_second": round(len(records) / secs, 1) if secs else 0.0,
            "by_category": {k: f"{v[0]}/{v[1]}" for k, v in sorted(tally.by_category.items())},
            "failure_kinds": kinds, "failures": tally.failures,
            "ud_own_expectations": f"{own.ok}/{own.total}" if ud is not None else None}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--failures", "show_failures", is_flag=True, help="List every failed expectation.")
@click.option("--ud", "use_ud", is_flag=True,
              help="Code UniversalPetrarch's UDPipe-parsed (CoNLL-U) copy of the records instead.")
def command(as_json: bool, show_failures: bool, use_ud: bool) -> None:
    """Run the PETRARCH2 unit-test records through our dictionary reader and coder.

    Example: khabar eval petrarch --failures
    """
    from ..shared import shared_dir

    try:
        base = shared_dir() / SUITE  # type: ignore[operator]
        result = run(base, shared_dir() / UD_RECORDS if use_ud else None)  # type: ignore[operator]
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    click.echo(f"reproduced {result['reproduced']}/{result['expected']} expected codings "
               f"({result['rate']:.1%}) over {result['records']} records, {result['sentences_per_second']} sent/s")
    click.echo("by category: " + ", ".join(f"{k} {v}" for k, v in result["by_category"].items()))
    if result.get("ud_own_expectations"):
        click.echo(f"UD copy's own expectations (UniversalPetrarch's dictionaries, not in ../shared): "
                   f"{result['ud_own_expectations']}")
    click.echo("failures by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(result["failure_kinds"].items())))
    if show_failures:
        for f in result["failures"]:
            click.echo(f"  {f['id']:<14} {f['kind']:<12} expected {f['expected']:<22} got {'; '.join(f['got'])}")
