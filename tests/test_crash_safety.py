"""Crash safety (issue 10): ``khabar run`` killed with SIGKILL at random points, then run again to
completion, stores exactly N articles, no duplicates, no half-written article, and SQLite's
integrity check passes.

N is 200 small generated articles by default (~60-120 s on a busy 2-core machine: every rerun
processes the inputs again before the store finds them unchanged); ``KHABAR_CRASH_N=10000`` runs the full
version (``KHABAR_CRASH_N=10000 pytest tests/test_crash_safety.py -s``).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from khabar.model import Article, _digest

N = int(os.environ.get("KHABAR_CRASH_N", "200"))
KILLS = 3
PLACES = ["Harbourtown", "Millbridge", "Eastmoor", "Kestrel Bay", "Northfold", "Redwater"]
THINGS = ["ferry terminal", "cycle bridge", "water plant", "public library", "bus depot", "clinic"]


def write_articles(folder: Path, n: int) -> None:
    """``n`` distinct small English articles of our own, one per file."""
    rng = random.Random(10)
    for i in range(n):
        place, thing = rng.choice(PLACES), rng.choice(THINGS)
        text = (f"{place} opens new {thing} number {i}\n\n"
                f"The council of {place} opened a new {thing} on Tuesday after {rng.randint(2, 9)} years of "
                f"work, its leader said. About {rng.randint(100, 9000)} people are expected to use it "
                f"every day, and the project cost {rng.randint(2, 90)} million rupees (item {i}).\n")
        (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")


def count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


def khabar_run(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KHABAR_DEBUG": ""}
    return subprocess.Popen([sys.executable, "-m", "khabar.cli", "run", str(folder), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def kill_at(proc: subprocess.Popen[bytes], db: Path, target: int, limit: float) -> int:
    """SIGKILL ``proc`` once at least ``target`` articles are stored (or when it ends); return the
    count seen at the kill."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        seen = count(db)
        if seen >= target:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return seen
        time.sleep(0.02)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    return count(db)


def check_store(db: Path, folder: Path, n: int) -> None:
    """Exactly n articles, one per input file, each whole and consistent with its content."""
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = con.execute("SELECT id, source, fingerprint, doc FROM articles").fetchall()
    assert len(rows) == n
    assert len({r[0] for r in rows}) == n and len({r[1] for r in rows}) == n  # no duplicates
    for art_id, source, _, blob in rows:
        doc = json.loads(blob)  # whole JSON: a half-written row would not parse
        data = Path(source).read_bytes()
        assert doc["id"] == art_id == _digest("bytes", hashlib.sha256(data).hexdigest())
        assert doc["input_digest"] == hashlib.sha256(data).hexdigest()
        assert doc["text"] == data.decode("utf-8") and doc["body"]
        assert Article.from_dict(doc).to_dict()["text"] == doc["text"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_sigkill_during_run_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_articles(folder, N)
    db = tmp_path / "crash.db"
    rng = random.Random(int(os.environ.get("KHABAR_CRASH_SEED", "3")))
    points = sorted(rng.sample(range(N // 10, N - N // 10), KILLS))
    t0 = time.monotonic()
    killed_at = []
    for point in points:
        killed_at.append(kill_at(khabar_run(folder, db), db, point, limit=300))
    final = khabar_run(folder, db)
    _, err = final.communicate(timeout=900)
    took = time.monotonic() - t0
    assert final.returncode == 0, err.decode()[-2000:]
    check_store(db, folder, N)
    print(f"\ncrash safety: N={N}, killed at {killed_at} stored, {took:.1f} s in all")
    assert killed_at == sorted(killed_at) and killed_at[-1] < N  # every kill really interrupted a run
