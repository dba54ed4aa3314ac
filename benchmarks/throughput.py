"""Throughput of khabar's whole spine against trafilatura alone, on the same inputs, in one run.

    python benchmarks/throughput.py                 # bundled samples + the 181 benchmark pages
    python benchmarks/throughput.py --repeat 3 --json
    python benchmarks/throughput.py --without analyse   # the spine less a stage: what that stage costs

Reports articles per second for (a) ``trafilatura.bare_extraction`` alone and (b) khabar's
extraction plus every default stage, the ratio b/a, and each stage's share of khabar's time.
For plain-text samples trafilatura has nothing to do, so only khabar's rate means anything there. The
machines are shared and noisy: only the ratio, measured in the same run, means anything.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.errors import KhabarError  # noqa: E402
from khabar.extract import extract  # noqa: E402
from khabar.model import RawDocument  # noqa: E402
from khabar.pipeline import Pipeline, default_pipeline  # noqa: E402
from khabar.shared import shared_dir  # noqa: E402


def load_inputs(include_benchmark: bool) -> dict[str, list[RawDocument]]:
    """The bundled samples, and the extraction benchmark's pages when ../shared is present."""
    sets: dict[str, list[RawDocument]] = {"samples-html": [], "samples-text": []}
    for path in sorted((ROOT / "samples").rglob("*")):
        if path.suffix == ".html":
            sets["samples-html"].append(RawDocument(str(path), path.read_bytes(), content_type="text/html"))
        elif path.suffix == ".txt":
            sets["samples-text"].append(RawDocument(str(path), path.read_bytes(), content_type="text/plain"))
    shared = shared_dir(required=False) if include_benchmark else None
    if shared is not None:
        pages = sorted((shared / "data/eval/extraction/article-extraction-benchmark/html").glob("*.html.gz"))
        sets["benchmark"] = [
            RawDocument(str(p), gzip.decompress(p.read_bytes()), content_type="text/html") for p in pages
        ]
    return sets


def time_trafilatura(docs: list[RawDocument]) -> float:
    """Seconds for trafilatura.bare_extraction (with metadata) over every document."""
    import trafilatura

    t0 = time.perf_counter()
    for d in docs:
        if d.content_type == "text/html":
            trafilatura.bare_extraction(d.data, with_metadata=True)
        else:  # plain text: trafilatura has nothing to extract; decoding is the baseline's cost
            d.data.decode("utf-8", "replace")
    return time.perf_counter() - t0


def time_khabar(docs: list[RawDocument], pipe: Pipeline) -> tuple[float, dict[str, float], int]:
    """Seconds for khabar's extraction + default stages, per-stage seconds, and failures."""
    pipe.ctx.timings.clear()
    failed = 0
    extract_s = 0.0
    t0 = time.perf_counter()
    for d in docs:
        t1 = time.perf_counter()
        try:
            art = extract(d, pipe.ctx.settings)
        except KhabarError:
            failed += 1
            continue
        finally:
            extract_s += time.perf_counter() - t1
        pipe.process(art)
    total = time.perf_counter() - t0
    stages = {"extract": extract_s, **pipe.ctx.timings}
    return total, stages, failed


def bench(repeat: int, include_benchmark: bool, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Measure every input set; the best of ``repeat`` runs each; stages named in ``without`` left out."""
    pipe = default_pipeline()  # built and warmed once: models load outside the timed runs
    if without:
        pipe = Pipeline([s for s in pipe.stages if s.name not in without], pipe.ctx.settings)
    pipe.process(extract(RawDocument("warm-up", b"A short text to warm up the stages. " * 10), pipe.ctx.settings))
    report: dict[str, Any] = {}
    for name, docs in load_inputs(include_benchmark).items():
        if not docs:
            continue
        base = min(time_trafilatura(docs) for _ in range(repeat))
        runs = [time_khabar(docs, pipe) for _ in range(repeat)]
        ours, stages, failed = min(runs, key=lambda r: r[0])
        report[name] = {
            "articles": len(docs),
            "failed": failed,
            "trafilatura_articles_per_s": round(len(docs) / base, 1),
            "khabar_articles_per_s": round(len(docs) / ours, 1),
            "ratio_khabar_to_trafilatura": round(base / ours, 3),
            "stage_share": {k: round(v / ours, 3) for k, v in stages.items()},
        }
    return report


def main() -> None:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-benchmark", action="store_true", help="only the bundled samples")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--without", action="append", default=[], help="leave this stage out (repeatable)")
    args = ap.parse_args()
    report = bench(args.repeat, not args.no_benchmark, tuple(args.without))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, r in report.items():
        print(f"{name}: {r['articles']} inputs ({r['failed']} not articles)")
        print(f"  trafilatura alone   {r['trafilatura_articles_per_s']:8.1f} articles/s")
        print(f"  khabar whole spine  {r['khabar_articles_per_s']:8.1f} articles/s"
              f"   ratio {r['ratio_khabar_to_trafilatura']:.2f}")
        shares = ", ".join(f"{k} {v:.0%}" for k, v in sorted(r["stage_share"].items(), key=lambda kv: -kv[1]))
        print(f"  share of khabar's time: {shares}")


if __name__ == "__main__":
    main()
