"""Spark job speed-up: the same WARC on local[1] and local[2], and the single-process pipeline.

    python benchmarks/spark_speedup.py [--copies 20] [--per-slice 16]

Prints articles/s for the single-process pipeline (steady state, the pipeline built beforehand;
and "cold", its build time included, as every Spark worker pays it once),
for the Spark job on local[1] and local[2] (SparkSession started before the clock; pipeline builds
in the workers, the WARC index pass and the Parquet writes included; stage 2 left out: it runs on
the driver either way), the speed-up local[2]/local[1] and articles/s per core against the
single process. The machine may be shared: run it on a quiet one, and read figures with care.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def single_process(warc: str) -> tuple[int, float, float]:
    """(articles, seconds, build seconds) of the plain pipeline over the WARC's records; the
    pipeline is built (and warmed on one record) before the clock, and that time reported apart."""
    from khabar.ingest import iter_documents
    from khabar.jobs import process_document
    from khabar.model import RawDocument
    from khabar.pipeline import default_pipeline
    from khabar.settings import Settings

    settings = Settings()
    docs = [d for d in iter_documents([warc], settings) if isinstance(d, RawDocument)]
    t0 = time.perf_counter()
    pipe = default_pipeline(settings)
    process_document(docs[0], pipe)  # load models and packs before the clock
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        process_document(doc, pipe)
    return len(docs), time.perf_counter() - t0, build


def spark_run(warc: str, master: str, per_slice: int, out: str) -> tuple[int, float, int]:
    """(articles, seconds, pipelines built) of the Spark job on ``master``."""
    from khabar.scale.job import JobOptions, run_job, spark_session

    opts = JobOptions(out=out, master=master, records_per_slice=per_slice, stories=False)
    spark = spark_session(opts)
    spark.sparkContext.parallelize(range(4), 2).count()  # JVM and Python daemon up before the clock
    t0 = time.perf_counter()
    result = run_job([warc], opts, spark)
    seconds = time.perf_counter() - t0
    spark.stop()
    return result.counts["articles"], seconds, result.pipelines_built


def main() -> None:
    """Run the three measurements and print the figures as JSON."""
    p = argparse.ArgumentParser()
    p.add_argument("--copies", type=int, default=20, help="copies of the 26 samples in the WARC")
    p.add_argument("--per-slice", type=int, default=16, help="WARC records per Spark task")
    args = p.parse_args()
    from khabar.scale.samplewarc import write_sample_warc

    with tempfile.TemporaryDirectory() as tmp:
        warc = os.path.join(tmp, "bench.warc.gz")
        write_sample_warc(ROOT / "samples", warc, args.copies)
        n, single, build = single_process(warc)
        figures = {"articles": n, "single_process_s": round(single, 1), "pipeline_build_s": round(build, 1),
                   "single_process_articles_per_s": round(n / single, 2),
                   "single_process_cold_articles_per_s": round(n / (single + build), 2),
                   "load_avg_before": os.getloadavg()[0]}
        for cores in (1, 2):
            got, secs, built = spark_run(warc, f"local[{cores}]", args.per_slice, os.path.join(tmp, f"out{cores}"))
            figures[f"local{cores}_s"] = round(secs, 1)
            figures[f"local{cores}_articles_per_s_per_core"] = round(got / secs / cores, 2)
            figures[f"local{cores}_pipelines_built"] = built
        figures["speedup_local2_vs_local1"] = round(figures["local1_s"] / figures["local2_s"], 2)
        figures["per_core_local1_vs_single"] = round(figures["local1_articles_per_s_per_core"]
                                                     / figures["single_process_articles_per_s"], 2)
        figures["per_core_local2_vs_single"] = round(figures["local2_articles_per_s_per_core"]
                                                     / figures["single_process_articles_per_s"], 2)
        figures["per_core_local2_vs_single_cold"] = round(figures["local2_articles_per_s_per_core"]
                                                          / figures["single_process_cold_articles_per_s"], 2)
        figures["load_avg_after"] = os.getloadavg()[0]
        print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
