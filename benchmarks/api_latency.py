"""Latency of ``khabar serve`` under 20 concurrent clients on loopback, with N articles stored.

    python benchmarks/api_latency.py                       # 10,000 articles, 20 clients, 30 s a phase
    python benchmarks/api_latency.py --articles 1000 --seconds 10 --json

Builds a SQLite store: the bundled samples run once through the default pipeline, then copied
under new ids (new titles, same text and facts) until N articles are stored. Starts the server as
a separate process (``python -m khabar.api.cli``), then runs two phases, each with ``--clients``
threads for ``--seconds``:

- submit: ``POST /api/v1/articles`` with a sample's text made unique (a new article each time);
- entity: ``GET /entities/{id}`` (the web page) for the identity mentioned most.

Prints p50/p99/max latency, requests, errors and the server's resident memory (VmRSS) at the start
and after each phase. The machine is shared: figures vary with what else runs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.jobs import process_html, process_text  # noqa: E402
from khabar.model import stable_fingerprint  # noqa: E402
from khabar.pipeline import default_pipeline  # noqa: E402
from khabar.store import open_store  # noqa: E402

TOKEN = "bench-token"


def sample_docs() -> list[dict[str, Any]]:
    """The bundled samples through the default pipeline, as stored JSON."""
    pipe = default_pipeline()
    docs = []
    for path in sorted((ROOT / "samples").rglob("*")):
        if path.suffix == ".txt":
            docs.append(process_text(path.read_text(encoding="utf-8"), pipeline=pipe).to_dict())
        elif path.suffix == ".html":
            docs.append(process_html(path.read_bytes(), pipeline=pipe).to_dict())
    return docs


def fill_store(db: Path, n: int, docs: list[dict[str, Any]]) -> None:
    """Store ``n`` articles: copies of ``docs`` under new ids and titles."""
    store = open_store(str(db))
    for i in range(n):
        base = docs[i % len(docs)]
        ident = hashlib.sha256(f"bench-{i}".encode()).hexdigest()[:16]
        d = {**base, "id": ident, "title": f"{base.get('title') or ''} #{i}", "url": None,
             "source": f"bench:{i}"}
        store.put_doc(d, stable_fingerprint(d))
    store.close()


def top_entity(db: Path) -> str:
    """The identity with most mentions in the first stored articles."""
    store = open_store(str(db))
    counts: dict[str, int] = {}
    for d in store.list_articles(limit=50):
        full = store.get(d["id"]) or {}
        for e in full.get("entities") or []:
            if e.get("entity_id") and e.get("type") in ("PERSON", "PER"):
                counts[e["entity_id"]] = counts.get(e["entity_id"], 0) + 1
    store.close()
    return max(counts, key=lambda k: counts[k]) if counts else "state:PK"


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KHABAR_API_TOKEN": TOKEN, "KHABAR_API_RATE_PER_MINUTE": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "khabar.api.cli", "--host", "127.0.0.1", "--port", str(port),
                             "--db", str(db)], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/stats", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
    raise SystemExit("server did not start")


def phase(clients: int, seconds: float, call: Callable[[httpx.Client, int], httpx.Response]) -> dict[str, Any]:
    """Run ``call`` from ``clients`` threads for ``seconds``; latencies in ms."""
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = [0]

    def worker() -> None:
        with httpx.Client(timeout=300) as c:
            while time.monotonic() < stop:
                with lock:
                    counter[0] += 1
                    k = counter[0]
                t0 = time.perf_counter()
                try:
                    r = call(c, k)
                    ok = r.status_code < 400
                    err = "" if ok else f"{r.status_code} {r.text[:100]}"
                except httpx.HTTPError as exc:
                    ok, err = False, f"{type(exc).__name__}: {exc}"
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    (lat.append(dt) if ok else errors.append(err))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    pct = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan"))
    return {"requests": len(lat), "errors": len(errors), "first_errors": errors[:3],
            "p50_ms": round(statistics.median(lat), 1) if lat else None, "p99_ms": round(pct(0.99), 1),
            "max_ms": round(lat[-1], 1) if lat else None, "per_s": round(len(lat) / seconds, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--db", help="reuse (or keep) this store file")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="khabar-bench-"))
    db = Path(args.db) if args.db else work / "bench.db"
    t0 = time.monotonic()
    docs = sample_docs()
    if not db.exists() or open_store(str(db)).count() < args.articles:
        fill_store(db, args.articles, docs)
    build_s = time.monotonic() - t0
    entity = top_entity(db)
    port = free_port()
    proc = start_server(db, port, work / "serve.log")
    base = f"http://127.0.0.1:{port}"
    texts = [d["text"] for d in docs if d.get("text")]
    try:
        httpx.get(f"{base}/entities/{entity}", timeout=120)
        httpx.post(f"{base}/api/v1/articles", json={"text": texts[0] + "\nwarm-up"},
                   headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)
        out: dict[str, Any] = {"articles": args.articles, "clients": args.clients, "seconds": args.seconds,
                               "entity": entity, "store_build_s": round(build_s, 1),
                               "rss_start_mb": round(rss_mb(proc.pid), 1)}
        auth = {"Authorization": f"Bearer {TOKEN}"}
        out["submit"] = phase(args.clients, args.seconds, lambda c, k: c.post(
            f"{base}/api/v1/articles", json={"text": f"{texts[k % len(texts)]}\nbench {k} {time.time_ns()}"},
            headers=auth))
        out["rss_after_submit_mb"] = round(rss_mb(proc.pid), 1)
        out["entity_page"] = phase(args.clients, args.seconds, lambda c, k: c.get(f"{base}/entities/{entity}"))
        out["rss_end_mb"] = round(rss_mb(proc.pid), 1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # requests still running: figures are already taken
            proc.kill()
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{args.articles} articles stored ({out['store_build_s']} s to build), {args.clients} clients, "
          f"{args.seconds:.0f} s a phase; entity page: {entity}")
    for name in ("submit", "entity_page"):
        r = out[name]
        print(f"{name:12} p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  max {r['max_ms']} ms  "
              f"{r['requests']} ok ({r['per_s']}/s), {r['errors']} errors {r['first_errors'] or ''}")
    print(f"server RSS: start {out['rss_start_mb']} MB, after submit {out['rss_after_submit_mb']} MB, "
          f"end {out['rss_end_mb']} MB")


if __name__ == "__main__":
    main()
