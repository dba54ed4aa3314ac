"""Benchmark: place one new article in a store of many synthetic articles and stories.

Synthetic articles are JSON documents in the stored shape (``Article.to_dict`` keys that the
clusterer reads): each belongs to a synthetic event with 1-5 reports in en/ur/vi, with entity ids
drawn from a pool, event days over two years, an amount, and a short body of pseudo-words
(shared within an event only for wire copies). Run:

    python benchmarks/stories.py --n 50000 --db /tmp/stories-bench.db

It prints the time to fill the store, then the time to place each of ``--probe`` new articles
(median, 95th percentile, max), the peak resident memory of the process and the store's size.
Stories merged into others while filling (``cluster.merge_stories``) stay as alias records and
are counted apart.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import tempfile
import time
from typing import Any

from khabar.store.sqlite import SQLiteStore
from khabar.stories.cluster import assign_story
from khabar.stories.recluster import recluster

LANGS = ("en", "ur", "vi")
STATES = [f"state:{a}{b}" for a in "ABCDEFGHKLMNPRSTU" for b in "ABEGKLMNRSTZ"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(3, 8))) for _ in range(n))


def event(rng: random.Random, i: int) -> dict[str, Any]:
    """A synthetic event: entity keys, a day and an amount shared by its reports."""
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(730))
    ents = rng.sample(STATES, 2) + [f"city:{rng.randrange(20000)}", f"cameo:{rng.choice(STATES)[6:]}MIL"]
    return {"i": i, "day": day.isoformat(), "ents": ents, "amount": float(rng.randrange(100, 100000)),
            "wire": _words(rng, 60)}


def report(rng: random.Random, ev: dict[str, Any], k: int) -> dict[str, Any]:
    """One synthetic report of ``ev`` as a stored article JSON."""
    ents = [e for e in ev["ents"] if rng.random() < 0.85] or ev["ents"][:1]
    body = ev["wire"] if k == 1 and rng.random() < 0.5 else _words(rng, 60)
    return {"id": f"{ev['i']:07d}{k:02d}{rng.randrange(10**6):06d}", "language": rng.choice(LANGS),
            "title": f"event {ev['i']} report {k}", "body": body, "text": body,
            "published": ev["day"] + "T10:00:00+00:00", "outlet": f"outlet{rng.randrange(300)}",
            "entities": [{"entity_id": e, "codes": {"cameo": e[6:] + "MIL"} if e.startswith("cameo:") else {}}
                         for e in ents if not e.startswith("cameo:")]
                        + [{"entity_id": None, "codes": {"cameo": e[6:]}} for e in ents if e.startswith("cameo:")],
            "dates": [{"value": ev["day"], "granularity": "day"}],
            "amounts": [{"value": ev["amount"]}], "credits": [], "events": [], "sentences": []}


def fill(store: SQLiteStore, n: int, rng: random.Random) -> int:
    """Store and place ``n`` synthetic reports; returns the number of events."""
    done = i = 0
    while done < n:
        ev = event(rng, i)
        for k in range(rng.randint(1, 5)):
            doc = report(rng, ev, k)
            store.put_doc(doc, doc["id"])
            assign_story(store, doc)
            done += 1
        i += 1
    return i


def main() -> None:
    """Fill a store, then time placing new articles."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50000)
    ap.add_argument("--probe", type=int, default=200)
    ap.add_argument("--db", default=None)
    ap.add_argument("--recluster", action="store_true", help="Also time re-running the clustering over the store.")
    args = ap.parse_args()
    path = args.db or os.path.join(tempfile.mkdtemp(), "bench.db")
    rng = random.Random(7)
    store = SQLiteStore(path)
    t0 = time.perf_counter()
    events = fill(store, args.n, rng)
    t1 = time.perf_counter()
    aliases = sum(1 for s in store.iter_stories() if s.get("merged_into"))
    print(f"filled {store.count()} articles, {store.count_stories() - aliases} stories ({events} events; "
          f"{aliases} stories merged into others) in {t1 - t0:.0f} s")
    times = []
    for j in range(args.probe):
        ev = event(rng, 10**6 + j)
        doc = report(rng, ev, 0)
        store.put_doc(doc, doc["id"])
        s = time.perf_counter()
        assign_story(store, doc)
        times.append(time.perf_counter() - s)
    times.sort()
    print(f"place one article: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {times[int(0.95 * len(times))] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms")
    if args.recluster:
        s = time.perf_counter()
        done = recluster(store)
        print(f"recluster: {done.articles} articles, {done.before} -> {done.after} stories, {done.merged} merged, "
              f"{done.aliased} old ids now aliases, in {time.perf_counter() - s:.0f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB; store file {os.path.getsize(path) / 2**20:.0f} MB at {path}")


if __name__ == "__main__":
    main()
