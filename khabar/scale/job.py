"""The Spark job: inputs in, Parquet tables out (docs/scale.md).

    python -m khabar.scale.job INPUT... --out DIR [--master local[2]]    (or spark-submit it)

1. The driver lists the input files (``sources.plan``); WARC files are indexed on the executors
   and cut into slices of ``records_per_slice`` records, so one big CC-NEWS file feeds many tasks.
   ``group_slices`` then groups consecutive slices into about ``TASKS_PER_CORE`` tasks per core
   (at most ``MAX_RECORDS_PER_TASK`` records each): every task has a fixed cost (scheduling, one
   Parquet file per table and publication day it saw), so few full tasks beat many small ones.
2. ``mapPartitionsWithIndex`` runs ``run_slice_task`` on each group: the pipeline (language
   packs, models) is built once per Python worker and kept for every later task (Spark reuses
   workers), never per record; after its first task it is frozen out of the garbage collector's
   reach (``_settle``). Each document becomes rows of the tables in ``tables.SCHEMAS``; a
   document that fails becomes an ``errors`` row: a bad input never fails the job.
3. The task writes its rows itself with pyarrow, one file per table and day:
   ``DIR/<table>/pub_date=YYYY-MM-DD/part-<task>.parquet`` (written under a temporary name and
   renamed, so a retried task replaces its file). Rows never cross into the JVM, so the only
   costs beside the pipeline are reading and a Parquet write.
4. Stage 2 (``stage2.run``): story clustering and event deduplication over the whole output, on
   the driver.
"""
from __future__ import annotations

import argparse
import gc
import logging
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..model import Failure
from ..pipeline import Pipeline, default_pipeline
from ..settings import Settings
from . import sources, tables

log = logging.getLogger(__name__)

_PIPELINES: dict[str, Pipeline] = {}  # per Python worker: built on first use, reused by later tasks
TASKS_PER_CORE = 4  # tasks per core the slices are grouped into: enough to even out the cores' ends
MAX_RECORDS_PER_TASK = 512  # a task keeps its rows in memory until it writes them


@dataclass
class JobOptions:
    """How to run the job: where to write, which Spark master, slice size, whether stage 2 runs."""

    out: str
    master: str | None = None  # None: whatever spark-submit or the session configures
    records_per_slice: int = 32
    stories: bool = True
    tasks_per_core: int = TASKS_PER_CORE
    settings: Settings = field(default_factory=Settings)
    app_name: str = "khabar"


@dataclass
class JobResult:
    """Rows written per table, pipelines built (one per Python worker that ran tasks), timings."""

    counts: dict[str, int]
    slices: int
    pipelines_built: int
    seconds: float
    stage2_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: plan, process, write
    tasks: int = 0
    task_seconds: dict[str, float] = field(default_factory=dict)  # summed over tasks, per phase


def worker_pipeline(settings: Settings) -> tuple[Pipeline, bool]:
    """This worker's pipeline for ``settings`` and whether it was built just now."""
    key = repr(settings)
    if key in _PIPELINES:
        return _PIPELINES[key], False
    _PIPELINES[key] = default_pipeline(settings)
    return _PIPELINES[key], True


def _failure_row(item: Failure) -> tuple[str, tuple[Any, ...]]:
    err = item.error
    return tables.failure_row(item.source, getattr(err, "code", "K999"),
                              getattr(err, "message", None) or f"{type(err).__name__}: {err}")


def _tick(timer: dict[str, float], key: str, since: float) -> float:
    """Add the time since ``since`` to ``timer[key]``; returns now."""
    now = time.perf_counter()
    timer[key] = timer.get(key, 0.0) + now - since
    return now


def process_slices(slices: Iterable[sources.Slice], settings: Settings,
                   timer: dict[str, float] | None = None) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every document of ``slices``: the body of each Spark task. ``timer``
    (when given) gathers seconds spent building the pipeline, reading, processing and making rows."""
    from ..jobs import process_document

    clock: dict[str, float] = {} if timer is None else timer
    t = time.perf_counter()
    pipe, _new = worker_pipeline(settings)
    t = _tick(clock, "build", t)
    for sl in slices:
        items = sources.read_slice(sl, settings)
        for item in items:
            t = _tick(clock, "read", t)
            if isinstance(item, Failure):
                yield _failure_row(item)
                t = time.perf_counter()
                continue
            try:
                article = process_document(item, pipe)
                t = _tick(clock, "pipeline", t)
                rows = list(tables.article_rows(article))
                t = _tick(clock, "rows", t)
            except Exception as err:  # each document fails alone, as in `khabar run`
                yield _failure_row(Failure(item.source, err))
                t = time.perf_counter()
                continue
            yield from rows
            t = time.perf_counter()


def spark_session(opts: JobOptions) -> Any:
    """A SparkSession for the job (the active one under spark-submit)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(opts.app_name)
    if opts.master:
        builder = builder.master(opts.master)
        if opts.master.startswith("local"):  # workers must run this interpreter (our venv)
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = builder.config("spark.python.worker.reuse", "true").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _cut_warcs(sc: Any, slices: list[sources.Slice], per_slice: int) -> list[sources.Slice]:
    """WARC files indexed on the executors and cut into record slices; others unchanged."""
    whole = [s for s in slices if s.kind == "warc" and s.end < 0]
    if not whole:
        return slices
    cut = sc.parallelize(whole, len(whole)).flatMap(lambda s: sources.warc_slices(s, per_slice)).collect()
    return [s for s in slices if not (s.kind == "warc" and s.end < 0)] + cut


def _weight(sl: sources.Slice, per_slice: int) -> int:
    """Records a slice is expected to hold: a WARC slice ``per_slice``, a JSONL byte range or a
    Parquet row group a whole task's worth, any other file one."""
    if sl.kind == "warc":
        return per_slice if sl.end >= 0 else MAX_RECORDS_PER_TASK
    return MAX_RECORDS_PER_TASK if sl.kind in ("jsonl", "parquet") else 1


def group_slices(slices: list[sources.Slice], per_slice: int, cores: int,
                 tasks_per_core: int = TASKS_PER_CORE) -> list[list[sources.Slice]]:
    """Consecutive slices grouped into tasks: about ``tasks_per_core`` tasks per core, none
    over ``MAX_RECORDS_PER_TASK`` records unless one slice is. Few, full tasks matter because
    each task pays a fixed cost: Spark's scheduling, PySpark's collection after the task, and
    one Parquet file per table and publication day it saw."""
    weights = [_weight(s, per_slice) for s in slices]
    total = sum(weights)
    target = max(1, min(math.ceil(total / max(1, cores * tasks_per_core)), MAX_RECORDS_PER_TASK))
    count = max(1, min(len(slices), math.ceil(total / target)))
    groups: list[list[sources.Slice]] = [[] for _ in range(count)]
    done = 0
    for sl, w in zip(slices, weights):  # by the records before it: contiguous, about equal
        groups[min(count - 1, done * count // max(1, total))].append(sl)
        done += w
    return [g for g in groups if g]


def _settle() -> None:
    """After a task: collect its garbage, then freeze what survives (the pipeline's packs and
    models, millions of objects) out of the collector's reach. PySpark runs ``gc.collect()``
    after every task of a reused worker; without the freeze each of those walked the whole
    pipeline (about 0.1-0.2 s a task)."""
    gc.collect()
    gc.freeze()


def run_slice_task(index: int, slices: Iterable[sources.Slice], settings: Settings,
                   out: str) -> Iterator[dict[str, Any]]:
    """One Spark task: process its slices and write their rows as Parquet files
    ``out/<table>/pub_date=<day>/part-<index>.parquet``; yields one summary (rows per table,
    whether this worker built its pipeline, seconds per phase)."""
    from ..export.parquet import write_part

    t0, cpu0 = time.perf_counter(), time.process_time()
    new = not _PIPELINES
    timer: dict[str, float] = {}
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables.SCHEMAS}
    for table, row in process_slices(slices, settings, timer):
        rows[table].append(row)
    t = time.perf_counter()
    counts = write_part(out, rows, f"part-{index:05d}")
    t = _tick(timer, "write", t)
    del rows
    _settle()
    t = _tick(timer, "gc", t)
    timer["task"] = t - t0
    timer["task_cpu"] = time.process_time() - cpu0  # this worker's CPU seconds for the task
    yield {"counts": counts, "built": int(new and bool(_PIPELINES)), "times": timer}


def run_job(inputs: list[str], opts: JobOptions, spark: Any = None) -> JobResult:
    """Run the whole job; returns counts per table. Bad inputs become ``errors`` rows."""
    from ..export.parquet import prepare_output, write_part

    t0 = time.perf_counter()
    spark = spark or spark_session(opts)
    sc = spark.sparkContext
    phases: dict[str, float] = {}
    planned, failures = sources.plan(inputs)
    slices = _cut_warcs(sc, planned, opts.records_per_slice)
    prepare_output(opts.out, tables.SCHEMAS)
    phases["plan"] = time.perf_counter() - t0
    settings, out = opts.settings, opts.out
    groups = group_slices(slices, opts.records_per_slice, sc.defaultParallelism, opts.tasks_per_core)
    done = sc.parallelize(groups, max(1, len(groups))).mapPartitionsWithIndex(
        lambda i, part: run_slice_task(i, (s for group in part for s in group), settings, out)).collect()
    driver_rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables.SCHEMAS}
    driver_rows["errors"] = [_failure_row(f)[1] for f in failures]
    counts = write_part(out, driver_rows, "part-driver")
    task_seconds: dict[str, float] = {}
    for task in done:
        for table, n in task["counts"].items():
            counts[table] = counts.get(table, 0) + n
        for key, secs in task["times"].items():
            task_seconds[key] = task_seconds.get(key, 0.0) + secs
    phases["process"] = time.perf_counter() - t0 - phases["plan"]
    result = JobResult(counts, len(slices), sum(t["built"] for t in done), time.perf_counter() - t0,
                       phases={k: round(v, 1) for k, v in phases.items()}, tasks=len(groups),
                       task_seconds={k: round(v, 2) for k, v in task_seconds.items()})
    if opts.stories:
        from . import stage2

        t1 = time.perf_counter()
        result.counts.update(stage2.run(opts.out))
        result.stage2_seconds = time.perf_counter() - t1
    return result


def run_in_process(inputs: list[str], opts: JobOptions, flush_every: int = 5000) -> JobResult:
    """The same job without Spark, in this one Python process: the same inputs read in the same
    order, the same pipeline, the same tables and layout (one part per table and day for every
    ``flush_every`` documents). For small inputs, and the honest single-process baseline of the
    benchmark (benchmarks/spark_speedup.py)."""
    from ..export.parquet import prepare_output, write_part

    t0 = time.perf_counter()
    slices, failures = sources.plan(inputs)
    prepare_output(opts.out, tables.SCHEMAS)
    counts: dict[str, int] = {t: 0 for t in tables.SCHEMAS}
    timer: dict[str, float] = {}
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables.SCHEMAS}
    rows["errors"] = [_failure_row(f)[1] for f in failures]
    parts, docs = 0, 0

    def flush() -> None:
        nonlocal parts
        t = time.perf_counter()
        for table, n in write_part(opts.out, rows, f"part-{parts:05d}").items():
            counts[table] += n
            rows[table] = []
        parts += 1
        _tick(timer, "write", t)

    new = not _PIPELINES
    for table, row in process_slices(slices, opts.settings, timer):
        if table == "articles":  # a document's rows start here: flush between documents
            if docs >= flush_every:
                flush()
                docs = 0
            docs += 1
        rows[table].append(row)
    flush()
    timer["task"] = time.perf_counter() - t0
    result = JobResult(counts, len(slices), int(new and bool(_PIPELINES)), time.perf_counter() - t0,
                       tasks=1, task_seconds={k: round(v, 2) for k, v in timer.items()})
    if opts.stories:
        from . import stage2

        t1 = time.perf_counter()
        result.counts.update(stage2.run(opts.out))
        result.stage2_seconds = time.perf_counter() - t1
    return result


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m khabar.scale.job",
                                description="khabar's Spark job: WARC/JSONL/Parquet/HTML in, Parquet tables out.")
    p.add_argument("inputs", nargs="+", help="WARC files, JSONL, Parquet, HTML/text files or folders")
    p.add_argument("--out", required=True, help="output folder (one sub-folder per table)")
    p.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    p.add_argument("--records-per-slice", type=int, default=32)
    p.add_argument("--no-stories", action="store_true", help="skip stage 2 (stories, event dedup)")
    p.add_argument("--in-process", action="store_true", help="the same job in this one process, without Spark")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``spark-submit`` / ``python -m khabar.scale.job``; prints the counts."""
    from ..settings import load_settings

    args = _parse(argv)
    opts = JobOptions(out=args.out, master=args.master, records_per_slice=args.records_per_slice,
                      stories=not args.no_stories, settings=load_settings(None))
    result = run_in_process(args.inputs, opts) if args.in_process else run_job(args.inputs, opts)
    print(summary_line(result))
    return 0


def summary_line(result: JobResult) -> str:
    """One line: rows per table, slices, seconds."""
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    return (f"{counts}; {result.slices} slices in {result.tasks} tasks, {result.pipelines_built} pipelines built, "
            f"{result.seconds:.1f} s {result.phases} (+ stage 2 {result.stage2_seconds:.1f} s)")


if __name__ == "__main__":
    # Run the importable module's main, not this ``__main__`` copy: Spark pickles functions of
    # ``__main__`` by value, which would give every task a fresh, empty pipeline cache.
    from khabar.scale.job import main as _main

    sys.exit(_main())
