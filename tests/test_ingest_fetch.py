"""Ingest over HTTP: a real server on 127.0.0.1 (pages, errors, redirects, robots.txt, feeds,
sitemaps), httpx.MockTransport for what must never reach a socket, and a fake clock."""
from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

from khabar.errors import (BadContentType, FetchError, FetchTimeout, HTTPStatusError,
                           MalformedInput, RobotsDisallowed, TooLarge, UnsafeURL)
from khabar.ingest import iter_documents
from khabar.ingest.fetch import Fetcher, RateLimiter
from khabar.ingest.safety import address_problem, check_url
from khabar.model import Failure, RawDocument
from khabar.settings import Settings

pytestmark = pytest.mark.network

LOCAL = Settings(fetch_timeout=0.5, allow_private_addresses=True, rate_limit_per_host=1000.0)
PUBLIC = LOCAL.replace(allow_private_addresses=False)
PAGE = "<html><head><title>{t}</title></head><body><p>Our own page {t}.</p></body></html>"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local News</title><link>{b}/</link>
<item><title>First story</title><link>{b}/a1.html</link><author>desk@news.test (Desk)</author>
<pubDate>Fri, 29 Nov 2024 08:30:00 +0500</pubDate></item>
<item><title>Second story</title><link>/a2.html</link></item>
<item><title>Vanished</title><link>{b}/missing</link></item>
<item><title>No link at all</title></item>
<item><title>Repeat</title><link>{b}/a1.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id>
<updated>2024-11-29T10:00:00Z</updated>
<entry><title>Atom story</title><id>urn:1</id><link href="{b}/a3.html"/>
<updated>2024-11-29T10:00:00Z</updated><author><name>A. Writer</name></author></entry>
</feed>"""

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{b}/a1.html</loc><lastmod>2024-11-28</lastmod></url>
<url><loc>{b}/a2.html</loc><news:news><news:title>Two</news:title>
<news:publication_date>2024-11-29T09:00:00+05:00</news:publication_date></news:news></url>
</urlset>"""

GZ_URLSET = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{b}/a3.html</loc></url></urlset>"""

INDEX = """<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{b}/sitemap.xml</loc></sitemap><sitemap><loc>{b}/sitemap.xml.gz</loc></sitemap>
</sitemapindex>"""

SELF_INDEX = """<sitemapindex><sitemap><loc>{b}/loop-index.xml</loc></sitemap></sitemapindex>"""


class Handler(BaseHTTPRequestHandler):
    """Routes of the test site; every request path is recorded in ``server.hits``."""

    protocol_version = "HTTP/1.0"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        base = "http://%s:%d" % self.server.server_address[:2]
        route = ROUTES.get(self.path)
        if route is None:
            self.send(404, "<p>not here</p>")
        else:
            route(self, base)


def _drip(h: Handler, base: str) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        for _ in range(12):
            h.wfile.write(b"<p>drip</p>")
            h.wfile.flush()
            time.sleep(0.15)
    except OSError:
        pass


ROUTES: dict[str, Callable[[Handler, str], None]] = {
    "/robots.txt": lambda h, b: h.send(200, "User-agent: *\nDisallow: /private/\n", "text/plain"),
    "/page.html": lambda h, b: h.send(200, PAGE.format(t="page"), headers={
        "Last-Modified": "Fri, 29 Nov 2024 10:00:00 GMT", "Content-Language": "ur",
        "X-Secret": "not kept"}),
    "/a1.html": lambda h, b: h.send(200, PAGE.format(t="a1")),
    "/a2.html": lambda h, b: h.send(200, PAGE.format(t="a2")),
    "/a3.html": lambda h, b: h.send(200, PAGE.format(t="a3"), "application/xhtml+xml"),
    "/private/secret.html": lambda h, b: h.send(200, PAGE.format(t="secret")),
    "/plain.txt": lambda h, b: h.send(200, "plain words", "text/plain; charset=utf-16"),
    "/slow": lambda h, b: (time.sleep(1.2), h.send(200, "late")),
    "/drip": _drip,
    "/image.png": lambda h, b: h.send(200, b"\x89PNG\r\n\x1a\n", "image/png"),
    "/doc.pdf": lambda h, b: h.send(200, b"%PDF-1.4", "application/pdf"),
    "/r1": lambda h, b: h.send(302, "", headers={"Location": "/r2"}),
    "/r2": lambda h, b: h.send(301, "", headers={"Location": f"{b}/page.html"}),
    "/loop": lambda h, b: h.send(302, "", headers={"Location": "/loop"}),
    "/to-ftp": lambda h, b: h.send(302, "", headers={"Location": "ftp://files.test/a.html"}),
    "/to-secret": lambda h, b: h.send(302, "", headers={"Location": "/private/secret.html"}),
    "/feed.rss": lambda h, b: h.send(200, RSS.format(b=b), "application/rss+xml"),
    "/feed-as-html": lambda h, b: h.send(200, ATOM.format(b=b), "text/html"),
    "/feed.atom": lambda h, b: h.send(200, ATOM.format(b=b), "application/atom+xml"),
    "/broken.rss": lambda h, b: h.send(200, b"\x00\x01 not xml at all", "application/rss+xml"),
    "/sitemap.xml": lambda h, b: h.send(200, URLSET.format(b=b), "application/xml"),
    "/sitemap.xml.gz": lambda h, b: h.send(200, gzip.compress(GZ_URLSET.format(b=b).encode()),
                                           "application/x-gzip"),
    "/sitemap_index.xml": lambda h, b: h.send(200, INDEX.format(b=b), "text/xml"),
    "/loop-index.xml": lambda h, b: h.send(200, SELF_INDEX.format(b=b), "application/xml"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.block_on_close = False
    srv.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def base(server: ThreadingHTTPServer) -> str:
    server.hits.clear()  # type: ignore[attr-defined]
    return "http://127.0.0.1:%d" % server.server_address[1]


def run(inputs: list[str], settings: Settings = LOCAL,
        fetcher: Fetcher | None = None) -> list[RawDocument | Failure]:
    return list(iter_documents(inputs, settings, fetcher))


def one_failure(items: list[RawDocument | Failure], kind: type, names: str) -> str:
    [fail] = [i for i in items if isinstance(i, Failure)]
    assert isinstance(fail.error, kind), fail.error
    line = str(fail.error)
    assert "\n" not in line and names in line, line
    return line


# ----- pages --------------------------------------------------------------------------------
def test_page_fetched_with_metadata(base: str, server: Any) -> None:
    [doc] = run([f"{base}/page.html"])
    assert isinstance(doc, RawDocument)
    assert doc.source == doc.url == f"{base}/page.html"
    assert doc.data == PAGE.format(t="page").encode()
    assert (doc.content_type, doc.charset) == ("text/html", "utf-8")
    assert doc.headers["last-modified"] == "Fri, 29 Nov 2024 10:00:00 GMT"
    assert doc.headers["content-language"] == "ur"
    assert "x-secret" not in doc.headers
    assert doc.fetched_at and doc.fetched_at.endswith("+00:00")
    assert server.hits == ["/robots.txt", "/page.html"]


def test_plain_text_charset_from_header(base: str) -> None:
    [doc] = run([f"{base}/plain.txt"])
    assert isinstance(doc, RawDocument)
    assert (doc.content_type, doc.charset) == ("text/plain", "utf-16")


def test_user_agent_sent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, html="<p>x</p>")

    settings = LOCAL.replace(user_agent="khabar-test/9", respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        fetcher.fetch("http://news.test/a")
    assert seen == ["khabar-test/9"]


@pytest.mark.parametrize("path, kind, words", [
    ("/missing", HTTPStatusError, "404"),
    ("/image.png", BadContentType, "image/png"),
    ("/doc.pdf", BadContentType, "application/pdf"),
    ("/private/secret.html", RobotsDisallowed, "robots.txt"),
    ("/to-secret", RobotsDisallowed, "redirect to"),
    ("/to-ftp", UnsafeURL, "ftp"),
])
def test_fetch_failures_are_typed_and_one_line(base: str, path: str, kind: type,
                                               words: str) -> None:
    items = run([f"{base}{path}", f"{base}/a1.html"])
    line = one_failure(items, kind, f"{base}{path}")
    assert words in line
    assert isinstance(items[1], RawDocument)  # the next input still runs


def test_robots_fetched_once_and_disallowed_path_never_hit(base: str, server: Any) -> None:
    run([f"{base}/a1.html", f"{base}/private/secret.html", f"{base}/a2.html"])
    assert server.hits.count("/robots.txt") == 1
    assert "/private/secret.html" not in server.hits


def test_robots_can_be_ignored(base: str) -> None:
    [doc] = run([f"{base}/private/secret.html"], LOCAL.replace(respect_robots=False))
    assert isinstance(doc, RawDocument)


def test_slow_server_times_out(base: str) -> None:
    t0 = time.monotonic()
    items = run([f"{base}/slow"])
    assert time.monotonic() - t0 < 1.1
    line = one_failure(items, FetchTimeout, f"{base}/slow")
    assert "0.5" in line


def test_dripping_body_hits_the_whole_response_deadline(base: str) -> None:
    t0 = time.monotonic()
    items = run([f"{base}/drip"])
    assert time.monotonic() - t0 < 1.5
    one_failure(items, FetchTimeout, f"{base}/drip")


def test_redirect_chain_followed(base: str, server: Any) -> None:
    [doc] = run([f"{base}/r1"])
    assert isinstance(doc, RawDocument)
    assert doc.source == f"{base}/r1" and doc.url == f"{base}/page.html"
    assert doc.hints["redirects"] == [f"{base}/r2", f"{base}/page.html"]
    assert server.hits == ["/robots.txt", "/r1", "/r2", "/page.html"]


def test_too_many_redirects(base: str) -> None:
    items = run([f"{base}/loop"], LOCAL.replace(max_redirects=2))
    assert "too many redirects" in one_failure(items, HTTPStatusError, f"{base}/loop")


def test_body_size_cap_declared_and_streamed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/declared":
            return httpx.Response(200, html="<p>" + "x" * 500 + "</p>")
        return httpx.Response(200, headers={"content-type": "text/html"},
                              content=iter([b"<p>", b"y" * 300, b"y" * 300]))

    settings = LOCAL.replace(max_bytes=400, respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        items = run(["http://news.test/declared", "http://news.test/streamed"], settings, fetcher)
    assert all(isinstance(i, Failure) and isinstance(i.error, TooLarge) for i in items)
    assert "400" in str(items[0].error) and "http://news.test/streamed" in str(items[1].error)


def test_missing_robots_allows_and_5xx_robots_refuses() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404 if request.url.host == "open.test" else 503)
        return httpx.Response(200, html="<p>ok</p>")

    with Fetcher(LOCAL, transport=httpx.MockTransport(handler)) as fetcher:
        items = run(["http://open.test/a", "http://down.test/a", "http://down.test/b"], LOCAL,
                    fetcher)
    assert isinstance(items[0], RawDocument)
    assert all(isinstance(i, Failure) and isinstance(i.error, RobotsDisallowed) for i in items[1:])
    assert "503" in str(items[1].error)


# ----- safety: nothing leaves before the checks ---------------------------------------------
class Recorder:
    """A transport that records every request it is asked to send."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        if request.url.path == "/redirect-inside":
            return httpx.Response(302, headers={"location": "http://10.0.0.1/admin"})
        return httpx.Response(200, html="<p>ok</p>")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
    "http://192.168.1.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://localhost/", "http://2130706433/", "http://100.100.100.200/", "http://224.0.0.1/",
    "http://user:secret@93.184.216.34/", "https://[fd00:ec2::254]/",
])
def test_private_addresses_refused_before_any_request(url: str) -> None:
    recorder = Recorder()
    with Fetcher(PUBLIC, transport=httpx.MockTransport(recorder)) as fetcher:
        items = run([url], PUBLIC, fetcher)
    assert recorder.urls == []
    one_failure(items, UnsafeURL, url)


def test_redirect_to_private_address_refused() -> None:
    recorder = Recorder()
    settings = PUBLIC.replace(respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(recorder)) as fetcher:
        items = run(["http://93.184.216.34/redirect-inside"], settings, fetcher)
    assert recorder.urls == ["http://93.184.216.34/redirect-inside"]
    assert "10.0.0.1" in one_failure(items, UnsafeURL, "redirect to http://10.0.0.1/admin")


def fake_resolver(answers: dict[str, list[str]]) -> Callable[..., list[tuple[Any, ...]]]:
    def resolve(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        if host not in answers:
            raise socket.gaierror(f"unknown host {host}")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]
    return resolve


def test_hostnames_checked_on_every_answer() -> None:
    resolver = fake_resolver({"mixed.test": ["93.184.216.34", "10.1.2.3"],
                              "public.test": ["93.184.216.34"]})
    recorder = Recorder()
    settings = PUBLIC.replace(respect_robots=False)
    with Fetcher(settings, transport=httpx.MockTransport(recorder), resolver=resolver) as fetcher:
        items = run(["http://mixed.test/a", "http://public.test/a", "http://nowhere.test/"],
                    settings, fetcher)
    assert recorder.urls == ["http://public.test/a"]
    assert isinstance(items[0], Failure) and "10.1.2.3" in str(items[0].error)
    assert isinstance(items[1], RawDocument)
    assert isinstance(items[2], Failure) and isinstance(items[2].error, FetchError)
    assert "cannot resolve" in str(items[2].error)


def test_dns_rebinding_refused_at_connect_time(base: str, server: Any) -> None:
    """The host looks public when checked, then resolves to loopback for the connection."""
    calls: list[str] = []

    def rebinding(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        calls.append(host)
        ip = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    port = server.server_address[1]
    settings = PUBLIC.replace(respect_robots=False)
    with Fetcher(settings, resolver=rebinding) as fetcher:
        items = run([f"http://rebind.test:{port}/page.html"], settings, fetcher)
    assert server.hits == [] and len(calls) == 2
    assert "127.0.0.1" in one_failure(items, UnsafeURL, "rebind.test")


def test_address_problem_names_the_kind() -> None:
    import ipaddress

    assert address_problem(ipaddress.ip_address("8.8.8.8")) is None
    assert address_problem(ipaddress.ip_address("169.254.169.254")).startswith("link-local")
    assert address_problem(ipaddress.ip_address("64:ff9b::a00:1")) == "private"  # NAT64 of 10/8
    assert check_url("https://example.test/x", allow_private=True).hostname == "example.test"


# ----- rate limit ---------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_rate_limit_per_host_with_fake_clock() -> None:
    clock = FakeClock()
    settings = LOCAL.replace(rate_limit_per_host=2.0, respect_robots=False)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, html="<p>x</p>"))
    with Fetcher(settings, transport=transport, clock=clock) as fetcher:
        urls = ["http://a.test/1", "http://a.test/2", "http://b.test/1", "http://a.test/3"]
        items = run(urls, settings, fetcher)
    assert all(isinstance(i, RawDocument) for i in items)
    assert clock.sleeps == [0.5, 0.5]  # a.test spaced by 0.5 s; b.test not delayed


def test_rate_limiter_does_not_sleep_when_time_has_passed() -> None:
    clock = FakeClock()
    limiter = RateLimiter(4.0, clock)
    assert limiter.wait("h") == 0.0
    clock.now += 0.1
    assert limiter.wait("h") == pytest.approx(0.15)
    clock.now += 10
    assert limiter.wait("h") == 0.0


# ----- feeds --------------------------------------------------------------------------------
def test_rss_feed_url_fetches_entries_with_hints(base: str) -> None:
    items = run([f"{base}/feed.rss"])
    pages = [i for i in items if isinstance(i, RawDocument)]
    assert [p.url for p in pages] == [f"{base}/a1.html", f"{base}/a2.html"]  # repeat skipped
    first = pages[0]
    assert first.hints["feed_title"] == "Local News" and first.hints["title"] == "First story"
    assert first.hints["published"] == "2024-11-29T03:30:00+00:00"
    assert "Desk" in first.hints["author"] and first.hints["feed"] == f"{base}/feed.rss"
    fails = [i for i in items if isinstance(i, Failure)]
    assert [type(f.error) for f in fails] == [HTTPStatusError, MalformedInput]
    assert f"{base}/missing" in str(fails[0].error) and "feed.rss" in str(fails[0].error)
    assert "entry 3" in str(fails[1].error) and "feed.rss" in str(fails[1].error)


def test_atom_feed_sniffed_even_when_served_as_html(base: str) -> None:
    for path in ("/feed.atom", "/feed-as-html"):
        [doc] = run([f"{base}{path}"])
        assert isinstance(doc, RawDocument) and doc.url == f"{base}/a3.html"
        assert doc.content_type == "application/xhtml+xml"
        assert doc.hints["author"] == "A. Writer"
        assert doc.hints["updated"] == "2024-11-29T10:00:00+00:00"


def test_feed_file_entries_fetched(base: str, tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS.format(b=base), encoding="utf-8")
    items = run([str(path)], LOCAL.replace(max_feed_items=2))
    assert [i.url for i in items if isinstance(i, RawDocument)] == [f"{base}/a1.html"]
    # the relative link of entry 2 has no base in a local file: refused, never guessed
    one_failure(items, UnsafeURL, "/a2.html")


def test_broken_feed_is_malformed(base: str) -> None:
    items = run([f"{base}/broken.rss"])
    one_failure(items, MalformedInput, f"{base}/broken.rss")


# ----- sitemaps -----------------------------------------------------------------------------
def test_sitemap_pages_with_lastmod_and_news_hints(base: str) -> None:
    items = run([f"{base}/sitemap.xml"])
    assert [i.url for i in items if isinstance(i, RawDocument)] == [f"{base}/a1.html",
                                                                    f"{base}/a2.html"]
    assert items[0].hints["lastmod"] == "2024-11-28"  # type: ignore[union-attr]
    assert items[1].hints["title"] == "Two"  # type: ignore[union-attr]
    assert items[1].hints["published"] == "2024-11-29T09:00:00+05:00"  # type: ignore[union-attr]


def test_sitemap_index_with_gzip_child(base: str, server: Any) -> None:
    items = run([f"{base}/sitemap_index.xml"])
    assert [i.url for i in items] == [f"{base}/a1.html", f"{base}/a2.html",  # type: ignore
                                      f"{base}/a3.html"]
    assert "/sitemap.xml.gz" in server.hits


def test_sitemap_url_budget(base: str) -> None:
    items = run([f"{base}/sitemap_index.xml"], LOCAL.replace(max_sitemap_urls=1))
    assert [i.url for i in items] == [f"{base}/a1.html"]  # type: ignore[union-attr]


def test_gzip_sitemap_url(base: str) -> None:
    [doc] = run([f"{base}/sitemap.xml.gz"])
    assert isinstance(doc, RawDocument) and doc.url == f"{base}/a3.html"


def test_sitemap_index_depth_bounded(base: str) -> None:
    items = run([f"{base}/loop-index.xml"])
    line = one_failure(items, MalformedInput, "loop-index.xml")
    assert "deeper than 3" in line


def test_sitemap_file_entities_not_expanded(base: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "evil.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<urlset><url><loc>{base}/a1.html?&x;&b;</loc></url></urlset>', encoding="utf-8")
    items = run([str(path)])
    for item in items:
        text = item.url if isinstance(item, RawDocument) else str(item.error)
        assert "TOP-SECRET" not in (text or "") and "aaaaaaaaaa" not in (text or "")


# ----- content encodings: inflated here in bounded pieces (issue 10) --------------------------------
def _encoded(body: bytes, encoding: str) -> bytes:
    import zlib

    if encoding in ("gzip", "x-gzip"):
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "raw-deflate":
        c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return c.compress(body) + c.flush()
    return body


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "raw-deflate", "identity", ""])
def test_content_encodings_are_inflated(encoding: str) -> None:
    body = ("<html><body><p>" + "The ferry terminal opened on Tuesday. " * 3000 + "</p></body></html>").encode()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("accept-encoding", ""))
        header = "deflate" if encoding == "raw-deflate" else encoding
        headers = {"Content-Type": "text/html", **({"Content-Encoding": header} if header else {})}
        data = _encoded(body, encoding)  # streamed in pieces, as from a socket
        return httpx.Response(200, content=iter([data[i : i + 5000] for i in range(0, len(data), 5000)]),
                              headers=headers)

    with Fetcher(LOCAL.replace(respect_robots=False), transport=httpx.MockTransport(handler)) as fetcher:
        doc = fetcher.fetch("http://news.test/a")
    assert doc.data == body
    assert seen == ["gzip, deflate"]


def test_corrupt_gzip_body_is_a_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"\x1f\x8b\x08\x00garbage" * 10]),
                              headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    with Fetcher(LOCAL.replace(respect_robots=False), transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.fetch("http://news.test/a")
    assert "\n" not in str(info.value)


def test_gzip_bomb_body_stops_at_the_cap_in_bounded_memory() -> None:
    import tracemalloc
    import zlib

    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = c.compress(b"\0" * (256 << 20)) + c.flush()  # 256 MiB of zeros in ~250 KB

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([bomb[i : i + 65536] for i in range(0, len(bomb), 65536)]),
                              headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    with Fetcher(LOCAL.replace(respect_robots=False, max_bytes=3_000_000),
                 transport=httpx.MockTransport(handler)) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(TooLarge):
                fetcher.fetch("http://news.test/bomb")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 20e6, peak  # httpx's own decoder peaked at ~250 MB here
