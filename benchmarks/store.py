"""Benchmark: the Store query methods over N synthetic articles, indexed (SQLite, PostgreSQL) vs scanning.

Synthetic articles are JSON documents in the stored shape: a title and a ~300-word body of
pseudo-words in Latin, Vietnamese and Urdu letters, 12 entity mentions drawn from a pool of 2,000
identities, 2 quotes, 3 events and 1 claim each. Run:

    python benchmarks/store.py --n 10000                       # SQLite, and PostgreSQL when installed
    python benchmarks/store.py --n 10000 --pg postgresql://...  # an existing PostgreSQL database

It prints, per backend, the fill time and the median time of each query over ``--repeat`` runs;
``scan`` is the Store's default implementation (reads and decodes every document) on SQLite;
``no index`` (events by actor) is the same backend without migration 007's actor index (the
substring ``LIKE`` over every event row that it replaced), on the same data.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from khabar.events.listing import EventFilter
from khabar.model import stable_fingerprint
from khabar.store import Store, open_store

SYLLABLES = ["ka", "ri", "mo", "ten", "sa", "lo", "vu", "ngu", "ye", "trư", "ởng", "ba", "qu", "ốc", "کر", "دی",
             "ان", "پا", "ست", "یو", "نگ", "مل", "زا"]
LANGS = ("en", "ur", "vi")
OUTLETS = ("Reuters", "Jang", "Dawn", "Dân trí", "AP", "BBC")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _ref(rng: random.Random, pool: list[str]) -> dict[str, Any]:
    eid = rng.choice(pool)
    return {"name": eid.split(":")[1].replace("-", " ").title(), "start": 0, "end": 5, "entity_id": eid,
            "cameo": rng.choice(["RUS", "USA", "PRK", "PAK", "VNM", "RUSMIL"])}


def make_doc(i: int, rng: random.Random, pool: list[str]) -> dict[str, Any]:
    """One synthetic stored article."""
    title = " ".join(_word(rng) for _ in range(8))
    body = " ".join(_word(rng) for _ in range(300)) + f" marker{i}"
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    ents = [{**_ref(rng, pool), "text": "x", "type": "PERSON", "start": k * 20, "end": k * 20 + 9, "rule": "b@1"}
            for k in range(12)]
    quotes = [{"text": "q", "start": k * 100, "end": k * 100 + 90, "rule": "b@1", "speaker": _ref(rng, pool)}
              for k in range(2)]
    events = [{"id": f"ev-{i}-{k}", "cameo": rng.choice(["042", "043", "190", "0311", "120", "173"]),
               "source": _ref(rng, pool), "target": _ref(rng, pool), "place": _ref(rng, pool),
               "factuality": rng.choice(["asserted", "alleged", "denied"]), "date": {"value": day},
               "start": 0, "end": 9, "rule": "b@1"} for k in range(3)]
    claims = [{"id": f"cl-{i}", "start": 0, "end": 9, "rule": "b@1", "asserted_by": [_ref(rng, pool)],
               "denied_by": [_ref(rng, pool)]}]
    return {"id": hashlib.sha256(f"bench{i}".encode()).hexdigest()[:16], "title": title, "body": body,
            "text": f"{title}\n\n{body}", "language": rng.choice(LANGS), "outlet": rng.choice(OUTLETS),
            "published": f"{day}T10:00:00+00:00", "source": f"bench/{i}.txt", "status": "ok",
            "entities": ents, "quotes": quotes, "events": events, "claims": claims}


def queries(pool: list[str], docs: list[dict[str, Any]]) -> dict[str, Callable[[Store, bool], Any]]:
    """Named queries; the flag asks for the scanning default instead of the backend's own."""
    def call(name: str, *args: Any, **kw: Any) -> Callable[[Store, bool], Any]:
        return lambda s, scan: (getattr(Store, name)(s, *args, **kw) if scan else getattr(s, name)(*args, **kw))

    return {
        "list_articles(language)": call("list_articles", language="ur"),
        "search(one rare word)": call("search", f"marker{len(docs) // 2}"),
        "search(two words)": call("search", "trư kaka"),
        "mentions(entity)": call("mentions", pool[7]),
        "quotes(speaker)": call("quotes", speaker=docs[0]["quotes"][0]["speaker"]["entity_id"]),
        "quotes(about)": call("quotes", about=pool[13]),
        "events(actor, root)": call("events", EventFilter(actor=pool[3], root="04")),
        "events(rare actor)": call("events", EventFilter(actor=pool[11])),
        "events(absent actor)": call("events", EventFilter(actor="person:nobody")),
        "events(actor substring)": call("events", EventFilter(actor="rusmil")),
        "events(since/until)": call("events", EventFilter(since="2024-03-01", until="2024-03-07")),
        "claims(entity)": call("claims", entity=pool[5]),
    }


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


@contextlib.contextmanager
def _pg(url: str | None) -> Iterator[str | None]:
    if url:
        yield url
        return
    from khabar.store.pgtest import find_bin, fresh_database, throwaway_server

    if find_bin() is None:
        yield None
        return
    with throwaway_server() as server:
        yield fresh_database(server, "khabar_bench")


def _without_actor_index(store: Store, fn: Callable[[], Any], repeat: int) -> float:
    """The median time of ``fn`` with the store told it has no event_actors index (migration 007)."""
    setattr(store, "_actors", False)
    try:
        return _median_ms(fn, repeat)
    finally:
        setattr(store, "_actors", True)


def run(n: int, repeat: int, pg_url: str | None, only: str = "") -> None:
    """Fill each backend with the same ``n`` documents and time every query (whose name contains
    ``only``)."""
    rng = random.Random(8)
    pool = [f"person:p{k}-{_word(rng)}" for k in range(2000)]
    docs = [make_doc(i, rng, pool) for i in range(n)]
    qs = {k: v for k, v in queries(pool, docs).items() if only in k}
    with tempfile.TemporaryDirectory() as tmp, _pg(pg_url) as pg:
        backends = [("sqlite", str(Path(tmp) / "bench.db"))] + ([("postgresql", pg)] if pg else [])
        for name, url in backends:
            store = open_store(url)
            t = time.perf_counter()
            for d in docs:
                store.put_doc(d, stable_fingerprint(d))
            print(f"{name}: filled {n} articles in {time.perf_counter() - t:.1f} s")
            for qname, q in qs.items():
                hits = len(q(store, False))
                ms = _median_ms(lambda: q(store, False), repeat)
                line = f"  {qname:<26} {ms:9.2f} ms  ({hits} hits)"
                if name == "sqlite":
                    line += f"   scan {_median_ms(lambda: q(store, True), 1):9.1f} ms"
                if "actor" in qname:
                    line += f"   no index {_without_actor_index(store, lambda: q(store, False), repeat):9.2f} ms"
                print(line, flush=True)
            store.close()


def main() -> None:
    """Command-line entry."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pg", help="a PostgreSQL URL (default: a throwaway server when PostgreSQL is installed)")
    ap.add_argument("--only", default="", help="time only the queries whose name contains this (e.g. events)")
    args = ap.parse_args()
    run(args.n, args.repeat, args.pg, args.only)


if __name__ == "__main__":
    main()
