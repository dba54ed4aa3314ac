"""Spark job speed-up and per-core rate against the single process doing the same job.

    nice -n 10 python benchmarks/spark_speedup.py [--copies 20] [--per-slice 16] [--rounds 1]

Over one WARC of ``--copies`` x the 26 articles of samples/ it measures, each in a fresh Python
process (so nothing is warm that the others build on the clock):

* ``bare``: the pipeline alone, built and warmed before the clock, the documents read from the
  WARC before it, nothing written (the pipeline's ceiling);
* ``single``: the same job without Spark (``khabar.scale.job.run_in_process``): reading the WARC,
  building the pipeline, article JSON, table rows, Parquet tables partitioned by publication
  date: the whole job, the honest baseline;
* ``local1``, ``local2``: the Spark job (``run_job``) on ``local[1]`` and ``local[2]``, the
  SparkSession started and the Python daemon up before the clock (``session_s`` apart); the WARC
  index pass, the workers' imports and pipeline builds and the Parquet writes on the clock.
  Stage 2 (stories) is left out everywhere: it runs on the driver either way.

For each it reports wall seconds and CPU seconds of the whole process tree (the JVM and the
Python workers included, from /proc), then articles/s per core (wall), the speed-up
local[2]/local[1] and the per-core ratios against ``single`` and ``bare``. Wall-clock ratios need
a quiet machine (with ``local[2]`` both cores); on a shared one compare CPU seconds per article
(``*_cpu_ms_per_article``), which load disturbs far less. ``--rounds N`` repeats the four runs
(interleaved) and keeps each one's fastest.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MODES = ("bare", "single", "local1", "local2")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system, reaped children included) of ``pid`` and all its live
    descendants, from /proc; 0.0 where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        cpu = sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
        stats[int(entry)] = (ppid, cpu)
    total, todo = 0.0, [pid]
    while todo:
        cur = todo.pop()
        total += stats.get(cur, (0, 0.0))[1]
        todo.extend(p for p, (pp, _) in stats.items() if pp == cur)
    return total


def run_bare(warc: str) -> dict[str, Any]:
    """The pipeline alone over the WARC's documents (built, warmed and read before the clock)."""
    from khabar.ingest import iter_documents
    from khabar.jobs import process_document
    from khabar.model import RawDocument
    from khabar.pipeline import default_pipeline
    from khabar.settings import Settings

    settings = Settings()
    t0 = time.perf_counter()
    docs = [d for d in iter_documents([warc], settings) if isinstance(d, RawDocument)]
    pipe = default_pipeline(settings)
    process_document(docs[0], pipe)
    build = time.perf_counter() - t0
    c0, t0 = time.process_time(), time.perf_counter()
    for doc in docs:
        process_document(doc, pipe)
    return {"articles": len(docs), "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
            "build_and_read_s": round(build, 2), "stages": pipe.names}


def run_single(warc: str, out: str, per_slice: int) -> dict[str, Any]:
    """The whole job in this one process, without Spark (``run_in_process``)."""
    from khabar.scale.job import JobOptions, run_in_process

    opts = JobOptions(out=out, records_per_slice=per_slice, stories=False)
    c0, t0 = time.process_time(), time.perf_counter()
    result = run_in_process([warc], opts)
    cpu = time.process_time() - c0
    return {"articles": result.counts["articles"], "wall_s": time.perf_counter() - t0,
            "cpu_s": cpu, "task_s": {**result.task_seconds, "task_cpu": round(cpu, 2)}}


def run_spark(warc: str, out: str, per_slice: int, cores: int) -> dict[str, Any]:
    """The Spark job on ``local[cores]``; the session is started before the clock."""
    from khabar.scale.job import JobOptions, run_job, spark_session

    opts = JobOptions(out=out, master=f"local[{cores}]", records_per_slice=per_slice, stories=False)
    t0 = time.perf_counter()
    spark = spark_session(opts)
    spark.sparkContext.parallelize(range(4), cores).count()  # JVM and Python daemon up
    session = time.perf_counter() - t0
    c0, t0 = tree_cpu(os.getpid()), time.perf_counter()
    result = run_job([warc], opts, spark)
    wall, cpu = time.perf_counter() - t0, tree_cpu(os.getpid()) - c0
    spark.stop()
    return {"articles": result.counts["articles"], "wall_s": wall, "cpu_s": cpu, "session_s": round(session, 1),
            "slices": result.slices, "tasks": result.tasks, "pipelines_built": result.pipelines_built,
            "phases": result.phases, "task_s": result.task_seconds}


def one(mode: str, warc: str, out: str, per_slice: int) -> dict[str, Any]:
    """Run one measurement in this process."""
    if mode == "bare":
        return run_bare(warc)
    if mode == "single":
        return run_single(warc, out, per_slice)
    return run_spark(warc, out, per_slice, int(mode[-1]))


def measure(mode: str, warc: str, out: str, per_slice: int) -> dict[str, Any]:
    """One measurement in a fresh Python process (its JSON line)."""
    cmd = [sys.executable, __file__, "--one", mode, "--warc", warc, "--out", out, "--per-slice", str(per_slice)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def figures(best: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Rates and ratios from the fastest run of each mode."""
    out: dict[str, Any] = {"articles": best["single"]["articles"]}
    cores = {"bare": 1, "single": 1, "local1": 1, "local2": 2}
    for mode, got in best.items():
        n = got["articles"]
        out[f"{mode}_s"] = round(got["wall_s"], 2)
        out[f"{mode}_articles_per_s_per_core"] = round(n / got["wall_s"] / cores[mode], 2)
        out[f"{mode}_cpu_ms_per_article"] = round(1000 * got["cpu_s"] / n, 1)
    rate = {m: out[f"{m}_articles_per_s_per_core"] for m in best}
    cpu = {m: out[f"{m}_cpu_ms_per_article"] for m in best}
    out["speedup_local2_vs_local1"] = round(best["local1"]["wall_s"] / best["local2"]["wall_s"], 2)
    for spark in ("local1", "local2"):
        for base in ("single", "bare"):
            out[f"per_core_{spark}_vs_{base}"] = round(rate[spark] / rate[base], 2)
            out[f"cpu_{base}_vs_{spark}"] = round(cpu[base] / cpu[spark], 2)
    return out


def main() -> None:
    """Run every measurement (``--rounds`` times, interleaved) and print the figures as JSON."""
    p = argparse.ArgumentParser()
    p.add_argument("--copies", type=int, default=20, help="copies of the 26 samples in the WARC")
    p.add_argument("--per-slice", type=int, default=16, help="WARC records per slice (the job groups slices into tasks)")
    p.add_argument("--rounds", type=int, default=1, help="repeat the runs, keep each one's fastest")
    p.add_argument("--modes", default=",".join(MODES), help="which runs, comma-separated")
    p.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    p.add_argument("--warc", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.warc, args.out, args.per_slice)))
        return
    from khabar.scale.samplewarc import write_sample_warc

    modes = [m for m in args.modes.split(",") if m]
    with tempfile.TemporaryDirectory() as tmp:
        warc = os.path.join(tmp, "bench.warc.gz")
        write_sample_warc(ROOT / "samples", warc, args.copies)
        runs: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
        load = [os.getloadavg()[0]]
        for _ in range(args.rounds):
            for mode in modes:
                runs[mode].append(measure(mode, warc, os.path.join(tmp, mode), args.per_slice))
                load.append(os.getloadavg()[0])
        best = {m: min(r, key=lambda x: x["wall_s"]) for m, r in runs.items()}
        report: dict[str, Any] = figures(best) if set(modes) == set(MODES) else {}
        report["runs"] = {m: [{k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()}
                              for r in rs] for m, rs in runs.items()}
        report["load_avg"] = [round(x, 1) for x in load]
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
