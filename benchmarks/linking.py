"""Benchmark: what the LINK stage adds to pipeline time.

The texts are khabar's own: the sample articles (samples/{ur,en}/*.txt) and the linking fixtures
(tests/fixtures/linking/*.txt), processed ``--rounds`` times through the default pipeline with
LINK appended. The one-time loading of the actors knowledge base and the name gazetteer is
reported apart (it happens once per process). Run (one core):

    python benchmarks/linking.py --rounds 5

It prints the pipeline time without LINK, LINK's time, and LINK's share of the whole
(target <= 15%).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from khabar.jobs import process_document
from khabar.model import RawDocument
from khabar.pipeline import Pipeline
from khabar.stages import DEFAULT_STAGES
from khabar.stages.link import LINK

ROOT = Path(__file__).resolve().parents[1]


def inputs() -> list[Path]:
    """The article files timed."""
    files = sorted((ROOT / "samples").glob("*/*.txt")) + sorted((ROOT / "tests" / "fixtures" / "linking").glob("*.txt"))
    return [f for f in files if f.stat().st_size > 0]


def main() -> None:
    """Time the pipeline with LINK and report LINK's share."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    stages = [s for s in DEFAULT_STAGES if s.name != "link"] + [LINK]
    pipe = Pipeline(stages)
    t0 = time.perf_counter()
    pipe.ctx.cached("kb.actors", __import__("khabar.kb.actors", fromlist=["load_actors"]).load_actors)
    from khabar.stages.link import build_gazetteer

    pipe.ctx.cached("link.gazetteer", lambda: build_gazetteer(pipe.ctx.cache["kb.actors"]))
    load = time.perf_counter() - t0
    files = inputs()
    raws = [RawDocument(source=str(f), data=f.read_bytes(), content_type="text/plain") for f in files]
    for raw in raws:  # warm up every stage's caches
        process_document(raw, pipe)
    pipe.ctx.timings.clear()
    for _ in range(args.rounds):
        for raw in raws:
            process_document(raw, pipe)
    link = pipe.ctx.timings.get("link", 0.0)
    total = sum(pipe.ctx.timings.values())
    n = len(raws) * args.rounds
    print(f"articles {n}; stages before link {1000 * (total - link) / n:.1f} ms/article; "
          f"link {1000 * link / n:.1f} ms/article; link share {100 * link / total:.1f}% of stage time "
          f"(+{100 * link / max(total - link, 1e-9):.1f}% over the pipeline without it); "
          f"one-time KB + gazetteer load {load:.2f} s")


if __name__ == "__main__":
    main()
