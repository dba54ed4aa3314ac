"""``khabar run``'s job with a lighter pipeline, for the long crash-safety run (issue 10).

    python tests/crash_run.py DB INPUT...

Runs ``khabar.jobs.run_inputs`` (what ``khabar run`` calls: ingest, extract, stages, one
transaction per article, story placement) over INPUTS into the SQLite store DB with the first
stages only (langid, normalise, segment). Crash safety is about storage: the skipped stages
(dates, amounts, tagging, entities, quotes, linking, events, claims) only add fields to the JSON
that is written in the same single transaction, and they cost ~90% of the time.
"""
from __future__ import annotations

import sys

from khabar.jobs import run_inputs
from khabar.pipeline import Pipeline
from khabar.settings import load_settings
from khabar.stages.langid import LANGID
from khabar.stages.normalise import NORMALISE
from khabar.stages.segment import SEGMENT
from khabar.store import open_store

LIGHT = [LANGID, NORMALISE, SEGMENT]


def main(argv: list[str]) -> int:
    """Store every input of ``argv[1:]`` into ``argv[0]``; the exit code is 1 if any failed."""
    settings = load_settings()
    store = open_store(argv[0])
    try:
        summary = run_inputs(argv[1:], store, settings, pipeline=Pipeline(LIGHT, settings))
    finally:
        store.close()
    print(f"{summary.added} added, {summary.unchanged} unchanged, {summary.failed} failed", file=sys.stderr)
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
