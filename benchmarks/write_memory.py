"""Memory of the write path (``POST /api/v1/articles``) in process: does it grow with writes?

Calls ``Service.submit`` (the code behind the endpoint: pipeline, store, story placement) N times
with new articles and prints the process's resident memory every ``--every`` writes, optionally
with a tracemalloc diff of what Python-level memory grew where (slow: 2-3x).

    python benchmarks/write_memory.py -n 200 --mode loadlike --threads 20   # as khabar serve calls it
    python benchmarks/write_memory.py -n 100 --mode distinct --no-store --trace

``--mode distinct``: synthetic English and Urdu articles of made-up words (new strings every time);
``--mode loadlike``: a bundled sample's text with a unique last line (benchmarks/load.py's writes).
``--threads K``: K submissions at a time from K threads, as a server's request threads do.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EN_SYL = ["ka", "ro", "ben", "tal", "mir", "sa", "don", "ve", "lin", "tor", "pa", "gu", "shen", "ra", "mo", "fen"]
UR_SYL = ["کا", "رو", "بن", "تل", "میر", "سا", "دو", "وے", "لن", "تور", "پا", "گو", "شن", "را", "مو", "فن"]
EN_T = ["{A} {B}, the minister of {P}, said on Monday that {n} tonnes of {w} reached {Q}.",
        "Officials in {P} met {A} {B} to discuss a {w} agreement worth ${n} million.",
        "Police in {P} arrested {n} people after protests over {w} prices."]
UR_T = ["{A} {B} نے پیر کو کہا کہ {n} ٹن {w} {P} پہنچ گیا ہے۔",
        "{P} میں حکام نے {A} {B} سے {w} معاہدے پر بات کی۔",
        "{P} میں پولیس نے {w} کی قیمتوں پر احتجاج کے بعد {n} افراد کو گرفتار کر لیا۔"]
EN_P = ["Karachi", "Lahore", "Kabul", "Delhi", "Geneva", "Moscow", "Peshawar"]
UR_P = ["کراچی", "لاہور", "کابل", "دہلی", "جنیوا", "ماسکو", "پشاور"]


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def made_up(i: int, rng: random.Random) -> str:
    """Article ``i``: Urdu when odd, English when even, of words made up from syllables."""
    syl, templates, places = (UR_SYL, UR_T, UR_P) if i % 2 else (EN_SYL, EN_T, EN_P)
    word = lambda: "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))  # noqa: E731
    paras = []
    for _ in range(rng.randint(4, 8)):
        paras.append(" ".join(rng.choice(templates).format(
            A=word().title(), B=word().title(), w=word(), n=rng.randint(2, 9999), P=rng.choice(places),
            Q=rng.choice(places)) for _ in range(rng.randint(2, 4))))
    return " ".join(word().title() for _ in range(5)) + "\n\n" + "\n\n".join(paras)


def texts(mode: str) -> Callable[[int], str]:
    """The i-th article to submit in ``mode``."""
    rng = random.Random(1)
    if mode == "distinct":
        return lambda i: made_up(i, rng)
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").rglob("*.txt"))]
    return lambda i: f"{samples[i % len(samples)]}\nload {i} {time.time_ns()}"


def report_trace(before: Any) -> None:
    """Print the 20 source lines whose traced memory grew most since ``before``."""
    gc.collect()
    after = tracemalloc.take_snapshot()
    keep = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for stat in after.filter_traces(keep).compare_to(before.filter_traces(keep), "lineno")[:20]:
        print(stat)


def main() -> None:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=200, help="writes after a warm-up of 20")
    ap.add_argument("--mode", default="loadlike", choices=["distinct", "loadlike"])
    ap.add_argument("--every", type=int, default=40)
    ap.add_argument("--threads", type=int, default=0, help="submit K at a time from K threads")
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--no-store", action="store_true")
    args = ap.parse_args()
    from khabar.api.service import Service, Submission
    from khabar.settings import Settings
    from khabar.store import open_store

    svc = Service(Settings(), open_store(str(Path(tempfile.mkdtemp(prefix="write-memory-")) / "w.db")))
    nxt = texts(args.mode)
    submit = lambda i: svc.submit(Submission(text=nxt(i), store=not args.no_store))  # noqa: E731
    for i in range(20):
        submit(i)
    gc.collect()
    snap = None
    if args.trace:
        tracemalloc.start(15)
        snap = tracemalloc.take_snapshot()
    start, t0, step = rss_mb(), time.time(), max(1, args.threads)
    print(f"after warm-up: RSS {start:.1f} MB", flush=True)
    pool = cf.ThreadPoolExecutor(args.threads) if args.threads else None
    for i in range(20, 20 + args.n, step):
        if pool is not None:
            for f in [pool.submit(submit, i + k) for k in range(step)]:
                f.result()
        else:
            submit(i)
        done = i - 20 + step
        if done % args.every < step:
            gc.collect()
            print(f"{done} writes: RSS {rss_mb():.1f} MB (+{rss_mb() - start:.1f}) {time.time() - t0:.0f} s", flush=True)
    if snap is not None:
        report_trace(snap)


if __name__ == "__main__":
    main()
