"""The bounded load run of issue 10: ``--clients`` concurrent clients for ``--minutes`` against
``khabar serve`` on loopback with ``--articles`` stored articles.

    nice -n 10 python benchmarks/load.py --clients 20 --minutes 10 --articles 10000
    python benchmarks/load.py --clients 4 --minutes 0.5 --articles 500 --json   # a quick check

Builds (or reuses, ``--db``) a SQLite store: the bundled samples run once through the default
pipeline, then stored under new ids, titles and publication dates until N articles are stored
(benchmarks/api_latency.py's ``fill_store``), and the first ``--stories`` of them placed in stories
by khabar's own story clustering. Starts the server as a separate process (``python -m
khabar.api.cli``, the code of ``khabar serve``), then each client repeats a request drawn from a
fixed mix of reads (API and web pages: article list, article page, entity page, search, events by
actor, quotes, stories list and story page) and, one request in ``--write-every`` (100), an authorised
``POST /api/v1/articles`` with a new article. A client waits for each answer before the next
request (closed loop, no think time).

Prints, per kind and overall: requests, errors (any status >= 400 or transport error), p50, p99 and
max latency; and the server's resident memory (VmRSS) at the start, every minute and at the end.
The machine is shared: figures vary with what else runs.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from api_latency import TOKEN, free_port, rss_mb, sample_docs, start_server  # noqa: E402

from khabar.model import stable_fingerprint  # noqa: E402
from khabar.store import open_store  # noqa: E402

MIX: list[tuple[str, int]] = [  # kind, weight
    ("api_articles", 10), ("web_articles", 5), ("api_article", 10), ("web_article", 10),
    ("web_entity", 10), ("api_entity", 5), ("api_search", 10), ("web_search", 5),
    ("api_events_actor", 10), ("web_events_actor", 5), ("api_quotes", 5), ("api_stories", 5),
    ("web_story", 5), ("api_stats", 5),
]


def fill_store(db: Path, n: int, docs: list[dict[str, Any]], stories: int) -> None:
    """Store ``n`` copies of ``docs`` under new ids, titles and dates (spread over two years);
    place the first ``stories`` in stories with khabar's story clustering."""
    import hashlib

    from khabar.stories.cluster import assign_story

    store = open_store(str(db))
    rng = random.Random(10)
    for i in range(n):
        base = docs[i % len(docs)]
        ident = hashlib.sha256(f"load-{i}".encode()).hexdigest()[:16]
        day = f"{2024 + rng.randint(0, 1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        d = {**base, "id": ident, "title": f"{base.get('title') or ''} #{i}", "url": None,
             "source": f"load:{i}", "published": f"{day}T{rng.randint(0, 23):02d}:00:00+05:00"}
        store.put_doc(d, stable_fingerprint(d))
        if i < stories:
            assign_story(store, d)
    store.close()


def targets(db: Path) -> dict[str, list[str]]:
    """What the clients ask for: article ids, entity ids, event actors, words, story ids."""
    con = sqlite3.connect(db)
    one = lambda sql: [str(r[0]) for r in con.execute(sql).fetchall() if r[0]]  # noqa: E731
    out = {
        "articles": one("SELECT id FROM articles ORDER BY random() LIMIT 2000"),
        "entities": one("SELECT entity_id FROM mentions GROUP BY entity_id ORDER BY count(*) DESC LIMIT 60"),
        "actors": one("SELECT source_id FROM events WHERE source_id IS NOT NULL GROUP BY source_id "
                      "ORDER BY count(*) DESC LIMIT 30"),
        "speakers": one("SELECT speaker_id FROM quotes WHERE speaker_id IS NOT NULL GROUP BY speaker_id LIMIT 30"),
        "stories": one("SELECT id FROM stories LIMIT 200"),
    }
    words: set[str] = set()
    for (title,) in con.execute("SELECT title FROM articles LIMIT 500"):
        words |= {w for w in (title or "").split() if len(w) > 3 and w.isalpha()}
    out["words"] = sorted(words)
    con.close()
    return out


def request(kind: str, c: httpx.Client, rng: random.Random, t: dict[str, list[str]]) -> httpx.Response:
    """One request of ``kind`` with a random target."""
    pick = lambda key, default="x": rng.choice(t[key]) if t[key] else default  # noqa: E731
    off = rng.choice([0, 0, 0, 50, 200, 1000, 5000])
    paths: dict[str, Callable[[], str]] = {
        "api_articles": lambda: f"/api/v1/articles?offset={off}&limit=50",
        "web_articles": lambda: f"/articles?offset={off}",
        "api_article": lambda: f"/api/v1/articles/{pick('articles')}",
        "web_article": lambda: f"/articles/{pick('articles')}",
        "web_entity": lambda: f"/entities/{pick('entities')}",
        "api_entity": lambda: f"/api/v1/entities/{pick('entities')}",
        "api_search": lambda: f"/api/v1/search?q={pick('words')}+{pick('words')}" if rng.random() < 0.3
        else f"/api/v1/search?q={pick('words')}",
        "web_search": lambda: f"/search?q={pick('words')}",
        "api_events_actor": lambda: f"/api/v1/events?actor={pick('actors')}&offset={off % 1000}",
        "web_events_actor": lambda: f"/events?actor={pick('actors')}",
        "api_quotes": lambda: f"/api/v1/quotes?speaker={pick('speakers')}",
        "api_stories": lambda: f"/api/v1/stories?offset={rng.choice([0, 0, 50])}",
        "web_story": lambda: f"/stories/{pick('stories')}",
        "api_stats": lambda: "/api/v1/stats",
    }
    return c.get(paths[kind]())


class Recorder:
    """Latencies and errors per kind, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def add(self, kind: str, ms: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.lat.setdefault(kind, []).append(ms)
            if error is not None:
                self.errors.setdefault(kind, []).append(error)

    def summary(self, seconds: float) -> dict[str, Any]:
        """Per kind and overall: requests, errors, p50/p99/max in ms."""
        def stats(lat: list[float], errs: list[str]) -> dict[str, Any]:
            s = sorted(lat)
            q = lambda p: round(s[min(len(s) - 1, int(p * len(s)))], 1) if s else None  # noqa: E731
            return {"requests": len(s), "errors": len(errs), "first_errors": errs[:3], "p50_ms": q(0.5),
                    "p99_ms": q(0.99), "max_ms": round(s[-1], 1) if s else None}

        every = [x for v in self.lat.values() for x in v]
        errs = [e for v in self.errors.values() for e in v]
        out = {k: stats(v, self.errors.get(k, [])) for k, v in sorted(self.lat.items())}
        reads = [x for k, v in self.lat.items() if k != "write" for x in v]
        out["reads"] = stats(reads, [e for k, v in self.errors.items() if k != "write" for e in v])
        out["all"] = {**stats(every, errs), "per_s": round(len(every) / seconds, 1)}
        return out


def client(base: str, stop: float, seed: int, t: dict[str, list[str]], texts: list[str], write_every: int,
           rec: Recorder) -> None:
    """One closed-loop client until ``stop`` (monotonic time)."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=base, timeout=300) as c:
        k = 0
        while time.monotonic() < stop:
            k += 1
            kind = "write" if write_every and k % write_every == seed % write_every else rng.choices(kinds, weights)[0]
            t0 = time.perf_counter()
            try:
                if kind == "write":
                    text = f"{rng.choice(texts)}\nload {seed} {k} {time.time_ns()}"
                    r = c.post("/api/v1/articles", json={"text": text}, headers=auth)
                else:
                    r = request(kind, c, rng, t)
                err = None if r.status_code < 400 else f"{kind} {r.status_code} {r.text[:120]}"
            except httpx.HTTPError as exc:
                err = f"{kind} {type(exc).__name__}: {exc}"
            rec.add(kind, (time.perf_counter() - t0) * 1000, err)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the store, start the server, drive the clients; the figures."""
    work = Path(tempfile.mkdtemp(prefix="khabar-load-"))
    db = Path(args.db) if args.db else work / "load.db"
    t0 = time.monotonic()
    docs = sample_docs()
    if not db.exists() or open_store(str(db)).count() < args.articles:
        fill_store(db, args.articles, docs, args.stories)
    out: dict[str, Any] = {"articles": open_store(str(db)).count(), "clients": args.clients,
                           "minutes": args.minutes, "store_build_s": round(time.monotonic() - t0, 1)}
    if args.minutes <= 0:  # --minutes 0: only build the store
        return out
    t = targets(db)
    port = int(args.port or free_port())
    proc = start_server(db, port, work / "serve.log")
    base = f"http://127.0.0.1:{port}"
    texts = [d["text"] for d in docs if d.get("text")]
    try:
        for path in ("/", f"/entities/{t['entities'][0]}", "/api/v1/stories"):  # warm caches once
            httpx.get(base + path, timeout=300)
        first_of_lang = {d.get("language"): d["text"] for d in docs if d.get("text")}
        for text in first_of_lang.values():  # one write per language loads every model the writes use
            httpx.post(f"{base}/api/v1/articles", json={"text": text + "\nwarm-up"},
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600)
        rss = [round(rss_mb(proc.pid), 1)]
        rec = Recorder()
        seconds = args.minutes * 60
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=client, args=(base, stop, i, t, texts, args.write_every, rec))
                   for i in range(args.clients)]
        for th in threads:
            th.start()
        while time.monotonic() < stop:
            time.sleep(min(60.0, max(0.1, stop - time.monotonic())))
            rss.append(round(rss_mb(proc.pid), 1))
        for th in threads:
            th.join()
        rss.append(round(rss_mb(proc.pid), 1))
        out.update(rec.summary(seconds))
        out["rss_mb"] = rss
        out["server_alive"] = proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except Exception:  # requests still running: the figures are taken
            proc.kill()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--stories", type=int, default=300, help="articles placed in stories while building")
    ap.add_argument("--write-every", type=int, default=100, help="one POST in this many requests (0: none)")
    ap.add_argument("--db", help="reuse (or keep) this store file")
    ap.add_argument("--port", type=int)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = run(args)
    if args.json or args.minutes <= 0:
        print(json.dumps(out, indent=2))
        return
    print(f"{out['articles']} articles stored ({out['store_build_s']} s to build or open), {args.clients} clients "
          f"for {args.minutes:g} min, one write in {args.write_every}")
    for name, r in out.items():
        if isinstance(r, dict) and "p99_ms" in r:
            print(f"{name:18} {r['requests']:6} requests {r['errors']:4} errors  p50 {r['p50_ms']} ms  "
                  f"p99 {r['p99_ms']} ms  max {r['max_ms']} ms {r['first_errors'] or ''}")
    print(f"throughput {out['all']['per_s']} requests/s; server RSS (MB) start..end: {out['rss_mb']}; "
          f"server alive: {out['server_alive']}")


if __name__ == "__main__":
    main()
