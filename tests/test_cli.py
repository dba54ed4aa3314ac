"""The ``khabar`` command end to end, in process: run, show, export, stats, and bad input."""
from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from khabar.cli import main

URDU = (
    "لاہور (نمائندہ خصوصی) — صوبائی حکومت نے منگل کو شہر کے تین بڑے ہسپتالوں کے لیے نئی ایمبولینسیں "
    "خریدنے کا اعلان کیا ہے۔ محکمہ صحت کے ترجمان نے بتایا کہ پہلے مرحلے میں پچاس گاڑیاں فراہم کی جائیں گی "
    "اور ان کی تقسیم اگلے ماہ مکمل ہو گی۔ شہریوں نے اس فیصلے کا خیر مقدم کیا ہے۔\n"
)
ENGLISH = (
    "Harbour town opens new ferry terminal\n\n"
    "PORTSMOUTH (Coastal Post) - The town council opened a new ferry terminal on Tuesday after two years "
    "of building work, the council's leader said. The terminal can handle four ships at once and is "
    "expected to serve more than 2,000 passengers a day during the summer season.\n"
)


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``khabar ARGS`` in process; return (exit status, stdout, stderr)."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def store_digest(db: Path) -> str:
    import sqlite3

    rows = sqlite3.connect(db).execute("SELECT id, fingerprint, doc FROM articles ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def docs_by_id(db: Path) -> dict[str, tuple[str, str]]:
    import sqlite3

    rows = sqlite3.connect(db).execute("SELECT id, fingerprint, doc, updated_at FROM articles").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


@pytest.fixture()
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ur.txt").write_text(URDU, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    return folder


def test_run_stores_and_second_run_changes_nothing(capsys, tmp_path: Path, articles: Path) -> None:
    db = tmp_path / "k.db"
    code, out, err = run_cli(capsys, "run", str(articles), "--db", str(db))
    assert code == 0, err
    assert "2 articles" in out and "2 added" in out
    digest = store_digest(db)
    code, out, _ = run_cli(capsys, "run", str(articles), "--db", str(db))
    assert code == 0
    assert "0 added" in out and "2 skipped" in out  # already stored: not processed again
    assert store_digest(db) == digest
    code, out, _ = run_cli(capsys, "run", str(articles), "--db", str(db), "--reprocess")
    assert code == 0
    assert "0 added" in out and "2 unchanged" in out and "0 skipped" in out
    assert store_digest(db) == digest


def test_json_output_one_object_per_article(capsys, tmp_path: Path, articles: Path) -> None:
    code, out, _ = run_cli(capsys, "run", str(articles), "--db", str(tmp_path / "k.db"), "--json")
    assert code == 0
    docs = [json.loads(line) for line in out.splitlines()]
    assert {d["language"] for d in docs} == {"ur", "en"}
    for d in docs:
        for key in ("id", "url", "outlet", "title", "body", "published", "published_source", "language",
                    "original_language", "credits", "comment_count", "errors"):
            assert key in d


def test_show_export_stats(capsys, tmp_path: Path, articles: Path) -> None:
    db = str(tmp_path / "k.db")
    run_cli(capsys, "run", str(articles), "--db", db)
    code, out, _ = run_cli(capsys, "export", "--db", db)
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(docs) == 2
    ur = next(d for d in docs if d["language"] == "ur")
    code, out, _ = run_cli(capsys, "show", ur["id"][:8], "--db", db)
    assert code == 0
    assert "\u2067" in out  # Urdu values are isolated right-to-left
    assert ur["id"] in out
    code, out, _ = run_cli(capsys, "stats", "--db", db, "--json")
    assert json.loads(out)["articles"] == 2
    code, _, err = run_cli(capsys, "show", "0000000000000000", "--db", db)
    assert code == 2 and err.count("\n") == 1 and "no article" in err


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
        elif self.path == "/missing":
            self.send_response(404)
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(2.0)
            self._send(b"<html><body><p>late</p></body></html>", "text/html")
        elif self.path == "/image":
            self._send(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        else:
            self.send_response(500)
            self.end_headers()

    def _send(self, body: bytes, ctype: str) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_bad_inputs_one_line_each_batch_goes_on_store_unchanged(
    capsys, tmp_path: Path, articles: Path, server: str, monkeypatch
) -> None:
    db = tmp_path / "k.db"
    assert run_cli(capsys, "run", str(articles), "--db", str(db))[0] == 0
    before = docs_by_id(db)

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "broken.txt").write_bytes(b"\xff\xfe\xfa" + bytes(range(128, 256)) * 20 + b"\x00\x01\x02" * 50)
    huge = bad / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50_000_000)
    (bad / "nav.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<footer>© 2025 Coastal Post</footer></body></html>",
        encoding="utf-8",
    )
    (bad / "broken.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ngarbage")
    (bad / "good.txt").write_text(ENGLISH.replace("ferry terminal", "cycle bridge"), encoding="utf-8")
    monkeypatch.setenv("KHABAR_FETCH_TIMEOUT", "0.5")

    inputs = [str(p) for p in sorted(bad.iterdir())] + [
        str(tmp_path / "does-not-exist.txt"),
        f"{server}/missing",
        f"{server}/slow",
        f"{server}/image",
    ]
    code, out, err = run_cli(capsys, "run", *inputs, "--db", str(db), "--allow-private")
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert "Traceback" not in err
    named = {name: [ln for ln in lines if name in ln] for name in (
        "photo.txt", "empty.txt", "huge.txt", "nav.html", "broken.warc", "does-not-exist.txt",
        "/missing", "/slow", "/image")}
    for name, hits in named.items():
        assert hits, f"no error line names {name}: {err}"
    assert "1 added" in out  # good.txt still went in
    after = docs_by_id(db)
    assert len(after) == len(before) + 1
    assert {k: after[k] for k in before} == before  # nothing already stored changed
