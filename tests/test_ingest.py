"""Ingest of local inputs: files, folders, stdin, size caps, sniffing, gzip caps and WARC files."""
from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path
from typing import Iterable

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar.errors import InputError, MalformedInput, NotFound, TooLarge, UnsafeURL
from khabar.ingest import iter_documents
from khabar.ingest.sniff import container_kind, gunzip_capped, root_tag
from khabar.model import Failure, RawDocument
from khabar.settings import Settings

SETTINGS = Settings(fetch_timeout=0.5, rate_limit_per_host=1000.0)
PAGE = b"<html><head><title>T</title></head><body><p>A short page of our own.</p></body></html>"


def run(inputs: Iterable[str], settings: Settings = SETTINGS) -> list[RawDocument | Failure]:
    return list(iter_documents(list(inputs), settings))


def docs(items: list[RawDocument | Failure]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def failures(items: list[RawDocument | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def check_message(fail: Failure, names: str) -> str:
    """A failure's message is one line, has a code and names the input."""
    line = str(fail.error)
    assert "\n" not in line and line.startswith("[K")
    assert names in line, line
    return line


# ----- files -------------------------------------------------------------------------------
@pytest.mark.parametrize("name, ctype", [
    ("a.txt", "text/plain"), ("a.html", "text/html"), ("a.HTM", "text/html"),
    ("a.xhtml", "application/xhtml+xml"), ("a.md", "text/plain"), ("a.page", None),
])
def test_file_content_type_from_extension(tmp_path: Path, name: str, ctype: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(PAGE)
    [doc] = run([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.data, doc.content_type) == (str(path), PAGE, ctype)
    assert doc.url is None and doc.charset is None  # bytes stay undecoded


def test_missing_file_is_not_found_and_run_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"some text")
    missing = str(tmp_path / "nope.txt")
    items = run([missing, str(good)])
    assert isinstance(items[0], Failure) and isinstance(items[0].error, NotFound)
    assert items[0].error.code == "K105"
    check_message(items[0], missing)
    assert isinstance(items[1], RawDocument) and items[1].data == b"some text"


def test_size_cap_checked_before_reading_sparse_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with open(path, "wb") as fh:
        fh.truncate(50_000_000)  # sparse: nothing is written to disk
    [fail] = run([str(path)])
    assert isinstance(fail, Failure) and isinstance(fail.error, TooLarge)
    line = check_message(fail, str(path))
    assert "50000000" in line and "20000000" in line


def test_empty_file_is_passed_on_for_extraction_to_judge(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    [doc] = run([str(path)])
    assert isinstance(doc, RawDocument) and doc.data == b""


# ----- folders -----------------------------------------------------------------------------
def test_folder_sorted_recursive_hidden_and_images_skipped(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.html", "sub/c.txt", "sub/.hidden.txt", ".git/config.txt",
                "logo.png", "bundle.zip", "z/d.md", "sub/e.xml"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<note>x</note>" if rel.endswith(".xml") else PAGE)
    items = run([str(tmp_path)])
    names = [Path(i.source).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a.html", "b.txt", "sub/c.txt", "sub/e.xml", "z/d.md"]
    assert all(isinstance(i, RawDocument) for i in items)


def test_empty_folder_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "pic.jpg").write_bytes(b"\xff\xd8")
    [fail] = run([str(tmp_path)])
    assert isinstance(fail, Failure) and isinstance(fail.error, InputError)
    check_message(fail, str(tmp_path))


def test_folder_file_over_cap_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x" * 200)
    (tmp_path / "b.txt").write_bytes(b"fine")
    items = run([str(tmp_path)], SETTINGS.replace(max_bytes=100))
    assert isinstance(items[0], Failure) and isinstance(items[0].error, TooLarge)
    check_message(items[0], "a.txt")
    assert isinstance(items[1], RawDocument) and items[1].data == b"fine"


# ----- stdin -------------------------------------------------------------------------------
class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("اردو متن".encode("utf-8")))
    [doc] = run(["-"])
    assert isinstance(doc, RawDocument)
    assert doc.source == "-" and doc.data == "اردو متن".encode("utf-8")


def test_stdin_gzip_is_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(gzip.compress(PAGE)))
    [doc] = run(["-"])
    assert isinstance(doc, RawDocument) and doc.data == PAGE


def test_stdin_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"y" * 11))
    [fail] = run(["-"], SETTINGS.replace(max_bytes=10))
    assert isinstance(fail, Failure) and isinstance(fail.error, TooLarge)
    check_message(fail, "-")


# ----- URL-looking inputs that are not http(s) -----------------------------------------------
@pytest.mark.parametrize("url", ["ftp://example.test/a.html", "javascript:alert(1)",
                                 "data:text/html,<p>hi</p>", "file:///etc/passwd",
                                 "gopher://example.test/"])
def test_unsafe_schemes_refused(url: str) -> None:
    [fail] = run([url])
    assert isinstance(fail, Failure) and isinstance(fail.error, UnsafeURL)
    assert fail.error.code == "K205"
    check_message(fail, url)


# ----- sniffing and gzip -------------------------------------------------------------------
@pytest.mark.parametrize("data, tag, kind", [
    (b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0">', "rss", "feed"),
    (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", "feed", "feed"),
    (b'<rdf:RDF xmlns:rdf="x">', "rdf", "feed"),
    (b"<?xml version='1.0'?><urlset xmlns='x'>", "urlset", "sitemap"),
    (b"  <sitemapindex>", "sitemapindex", "sitemap"),
    (b"<!DOCTYPE html><html><body>rss feed</body></html>", "html", None),
    (b"plain text <rss> later", None, None),
])
def test_root_tag_and_kind(data: bytes, tag: str | None, kind: str | None) -> None:
    assert root_tag(data) == tag
    assert container_kind(data, None) == kind


def test_gunzip_cap_stops_a_gzip_bomb() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(TooLarge):
        gunzip_capped(bomb, 100_000)
    assert gunzip_capped(gzip.compress(b"ok"), 100) == b"ok"
    with pytest.raises(MalformedInput):
        gunzip_capped(b"\x1f\x8bnot really gzip", 100)


def test_xml_file_that_is_not_a_feed_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "note.xml"
    path.write_bytes(b"<?xml version='1.0'?><note><p>hello</p></note>")
    [doc] = run([str(path)])
    assert isinstance(doc, RawDocument) and doc.content_type == "application/xml"


def test_gzip_bomb_sitemap_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml.gz"
    path.write_bytes(gzip.compress(b"<urlset>" + b" " * 3_000_000 + b"</urlset>"))
    [fail] = run([str(path)], SETTINGS.replace(max_bytes=1_000_000))
    assert isinstance(fail, Failure) and isinstance(fail.error, TooLarge)
    check_message(fail, str(path))


# ----- WARC --------------------------------------------------------------------------------
def _response(writer: WARCWriter, url: str, status: str, ctype: str, body: bytes,
              extra: list[tuple[str, str]] | None = None) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype), *(extra or [])],
                               protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                       http_headers=headers)
    writer.write_record(record)


def build_warc(gz: bool) -> bytes:
    """A small WARC: warcinfo, a page, a 404, an image, a request, a gzip page, a resource."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "khabar tests"}))
    _response(writer, "http://news.test/one", "200 OK", "text/html; charset=windows-1256", PAGE,
              [("Last-Modified", "Fri, 29 Nov 2024 10:00:00 GMT")])
    _response(writer, "http://news.test/gone", "404 Not Found", "text/html", b"<p>gone</p>")
    _response(writer, "http://news.test/pic.png", "200 OK", "image/png", b"\x89PNG\r\n")
    writer.write_record(writer.create_warc_record(
        "http://news.test/one", "request", payload=io.BytesIO(b"GET /one HTTP/1.1\r\n\r\n"),
        warc_content_type="application/http; msgtype=request"))
    _response(writer, "http://news.test/zipped", "200 OK", "text/html", gzip.compress(PAGE),
              [("Content-Encoding", "gzip")])
    writer.write_record(writer.create_warc_record(
        "http://news.test/saved", "resource", payload=io.BytesIO(b"<p>saved copy</p>"),
        warc_content_type="text/html"))
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_keeps_html_pages_only(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(build_warc(gz))
    items = run([str(path)])
    assert failures(items) == []
    got = docs(items)
    assert [d.source for d in got] == [f"{path}#1", f"{path}#5", f"{path}#6"]
    first, zipped, saved = got
    assert first.url == "http://news.test/one" and first.data == PAGE
    assert (first.content_type, first.charset) == ("text/html", "windows-1256")
    assert first.fetched_at and first.fetched_at.startswith("20")
    assert first.headers["last-modified"] == "Fri, 29 Nov 2024 10:00:00 GMT"
    assert zipped.data == PAGE  # content-encoding undone
    assert (saved.url, saved.data, saved.content_type) == ("http://news.test/saved",
                                                           b"<p>saved copy</p>", "text/html")


def test_warc_record_over_cap_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(build_warc(False))
    items = run([str(path)], SETTINGS.replace(max_bytes=len(PAGE) - 1))
    assert isinstance(items[0], Failure) and isinstance(items[0].error, TooLarge)
    check_message(items[0], f"{path}#1")
    assert [d.source for d in docs(items)] == [f"{path}#6"]


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_what_came_before(tmp_path: Path, gz: bool) -> None:
    data = build_warc(gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: len(data) - 40])  # cut inside the last record
    items = run([str(path)])
    assert [d.source for d in docs(items)] == [f"{path}#1", f"{path}#5"]
    [fail] = failures(items)
    assert isinstance(fail.error, MalformedInput)
    line = check_message(fail, str(path))
    assert "record 6" in line or "record 5" in line


def test_garbage_warc_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not\x00\x01 a WARC file\n" * 20)
    other = tmp_path / "after.txt"
    other.write_bytes(b"next input still read")
    items = run([str(path), str(other)])
    assert isinstance(items[0], Failure) and isinstance(items[0].error, MalformedInput)
    check_message(items[0], str(path))
    assert isinstance(items[1], RawDocument)
    assert len(items) == 2


def test_warc_with_garbage_after_records(tmp_path: Path) -> None:
    path = tmp_path / "tail.warc"
    path.write_bytes(build_warc(False) + b"\r\nGARBAGE GARBAGE\r\n\r\n")
    items = run([str(path)])
    assert len(docs(items)) == 3
    [fail] = failures(items)
    check_message(fail, str(path))


def test_empty_warc(tmp_path: Path) -> None:
    path = tmp_path / "none.warc"
    path.write_bytes(b"")
    [fail] = run([str(path)])
    assert isinstance(fail, Failure) and isinstance(fail.error, MalformedInput)
    check_message(fail, str(path))


def test_missing_warc(tmp_path: Path) -> None:
    [fail] = run([str(tmp_path / "gone.warc.gz")])
    assert isinstance(fail, Failure) and isinstance(fail.error, NotFound)

