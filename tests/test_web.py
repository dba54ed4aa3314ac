"""The web UI in process: every page, facts marked from offsets, right-to-left layout, and
script payloads in every field shown as text."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from khabar.api.app import create_app
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.store import open_store
from khabar.web import charts, geo
from khabar.web.markup import article_html, make_span, nest
from tests.serving import IMG, PAYLOADS, SCRIPT, TOKEN, doc, hostile_doc, put

URDU_BODY = "وزیر دفاع احمد خان نے کہا کہ «ہم تعاون بڑھائیں گے» اور کراچی میں 2024 کے منصوبے پر بات ہوئی۔"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def assert_inert(html: str) -> None:
    """No script but our own file, no event-handler attribute, no javascript: URL, no payload tag."""
    tags = parse(html)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert scripts == [{"src": "/static/khabar.js", "defer": None}], scripts
    assert not "".join(tags.script_text).strip()
    for tag, attrs in tags.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert not any(str(v or "").strip().lower().startswith("javascript:") for v in attrs.values())
        assert tag not in ("img", "iframe", "object", "embed"), tag
    assert "window.__pwned=1</script>" not in html
    assert 'onerror="window' not in html


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = open_store(str(tmp_path / "web.db"))
    put(store, doc("aaaaaaaaaaaaaaaa", "Ministers meet in Karachi",
                   'Speaker One said "trade will grow" in Karachi in 2024 as 5 million tonnes moved.',
                   quote="trade will grow"))
    put(store, doc("bbbbbbbbbbbbbbbb", "وزرائے دفاع کی ملاقات", URDU_BODY, language="ur", speaker="احمد خان",
                   speaker_id="local:person:ahmad-khan", quote="ہم تعاون بڑھائیں گے", place="کراچی"))
    hostile = hostile_doc()
    put(store, hostile)
    store.put_story({"id": "5107e5107e000001", "title": f"Story {SCRIPT}",
                     "members": [{"article_id": "deadbeefdeadbeef", "language": "en", "title": hostile["title"],
                                  "outlet": f"Outlet {IMG}"},
                                 {"article_id": "bbbbbbbbbbbbbbbb", "language": "ur", "title": "وزرائے دفاع"}],
                     "languages": {"en": 1, "ur": 1}, "independent_sources": 2, "events": [],
                     "lineage": {"nodes": ["article:deadbeefdeadbeef", f"outlet:{SCRIPT}", "article:bbbbbbbbbbbbbbbb"],
                                 "edges": [{"from": f"outlet:{SCRIPT}", "to": "article:deadbeefdeadbeef",
                                            "kind": "copy", "evidence": {"signal": IMG, "text": SCRIPT}},
                                           {"from": "article:deadbeefdeadbeef", "to": "article:bbbbbbbbbbbbbbbb",
                                            "kind": "translation", "evidence": {"signal": "source-credit"}}],
                                 "contributing": [f"{IMG}"]}}, ["k"])
    app = create_app(Settings(api_token=TOKEN, api_rate_per_minute=0), store=store, pipeline=Pipeline([]))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


PAGES = ["/", "/articles", "/articles/aaaaaaaaaaaaaaaa", "/articles/bbbbbbbbbbbbbbbb", "/articles/deadbeefdeadbeef",
         "/entities/local:person:ahmad-khan", "/entities/state:PK", "/events", "/events?root=04&since=2024",
         "/map", "/stories", "/stories/5107e5107e000001", "/search?q=Karachi", "/search?q=تعاون"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_inert_html(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert_inert(r.text)


def test_payloads_in_every_field_are_shown_as_text(client: TestClient) -> None:
    html = client.get("/articles/deadbeefdeadbeef").text
    assert_inert(html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # title, body, quote, place
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html  # speaker name, body
    assert "&lt;svg onload=window.__pwned=1&gt;" in html  # inside the quote
    assert html.count('class="fact quote') >= 1 and 'data-speaker="Mr &lt;img' in html


def test_payloads_on_entity_story_events_and_search_pages(client: TestClient) -> None:
    from khabar.web.markup import entity_href

    for path in (entity_href(f"local:person:{IMG}"), "/stories/5107e5107e000001", "/events",
                 "/search?q=" + SCRIPT, "/articles?outlet=" + SCRIPT, "/map", "/entities/" + SCRIPT):
        r = client.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert_inert(r.text)
    assert "&lt;script&gt;" in client.get("/search?q=" + SCRIPT).text


def test_only_web_urls_become_links(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "u.db"))
    bad = {**doc("abababababababab", "Link", "Speaker One spoke in Karachi."), "url": "javascript:window.__pwned=1"}
    good = {**doc("cdcdcdcdcdcdcdcd", "Link", "Speaker One spoke in Karachi."), "url": "https://example.com/a?b=1&c=2"}
    put(store, bad)
    put(store, good)
    with TestClient(create_app(Settings(api_rate_per_minute=0), store=store)) as c:
        assert "javascript:" not in c.get("/articles/abababababababab").text
        assert 'href="https://example.com/a?b=1&amp;c=2"' in c.get("/articles/cdcdcdcdcdcdcdcd").text


def test_error_pages_escape_the_path(client: TestClient) -> None:
    r = client.get("/articles/" + SCRIPT)
    assert r.status_code == 404 and "&lt;script&gt;" in r.text
    assert_inert(r.text)


def test_urdu_article_is_right_to_left_with_quotes_attributed(client: TestClient) -> None:
    html = client.get("/articles/bbbbbbbbbbbbbbbb").text
    tags = parse(html)
    text_div = next(a for t, a in tags.tags if a.get("id") == "article-text")
    assert text_div["dir"] == "rtl" and text_div["lang"] == "ur"
    quote = next(a for t, a in tags.tags if "quote" in (a.get("class") or "").split())
    assert quote["data-speaker"] == "احمد خان" and quote["data-speaker-id"] == "local:person:ahmad-khan"
    links = [a["href"] for t, a in tags.tags if t == "a" and a.get("href", "").startswith("/entities/")]
    assert "/entities/local:person:ahmad-khan" in links
    assert any(t == "bdi" for t, _ in tags.tags)  # mixed-direction names isolated
    assert '<span class="fact quote" id="q0"' in html


def test_english_article_marks_dates_amounts_events(client: TestClient) -> None:
    html = client.get("/articles/aaaaaaaaaaaaaaaa").text
    classes = [(a.get("class") or "") for _, a in parse(html).tags]
    for kind in ("entity", "quote", "date", "amount", "event", "speaker"):
        assert any(kind in c.split() for c in classes), kind
    text_div = next(a for _, a in parse(html).tags if a.get("id") == "article-text")
    assert text_div["dir"] == "ltr"


def test_entity_page_lists_names_roles_quotes_and_timeline(client: TestClient) -> None:
    html = client.get("/entities/local:person:ahmad-khan").text
    assert "احمد خان" in html and "ہم تعاون بڑھائیں گے" in html and 'class="timeline"' in html
    kb = client.get("/entities/state:PK").text
    assert "پاکستان" in kb and "Pakistan" in kb


def test_story_page_has_members_per_language_and_graph(client: TestClient) -> None:
    html = client.get("/stories/5107e5107e000001").text
    assert 'lang="ur"' in html and 'lang="en"' in html and 'class="provenance"' in html
    assert "/articles/bbbbbbbbbbbbbbbb" in html


def test_events_explorer_filters_and_bad_filters(client: TestClient) -> None:
    html = client.get("/events?actor=ahmad-khan").text
    assert html.count("<tr>") == 2  # header row and one event
    r = client.get("/events?since=yesterday")
    assert r.status_code == 400 and "since" in r.text and r.headers["content-type"].startswith("text/html")


def test_unknown_pages_are_html_404(client: TestClient) -> None:
    for path in ("/articles/ffffffffffffffff", "/stories/ffffffffffffffff", "/entities/local:x:none", "/nothing"):
        r = client.get(path)
        assert r.status_code == 404 and "<h1>Error 404</h1>" in r.text


def test_static_files_are_ours(client: TestClient) -> None:
    js = client.get("/static/khabar.js")
    assert js.status_code == 200 and "innerHTML" not in js.text and "http" not in js.text
    css = client.get("/static/khabar.css").text
    assert "@import" not in css and "url(" not in css


# ----- building blocks -------------------------------------------------------------------------
def test_crossing_spans_are_cut_and_nesting_kept() -> None:
    text = "abcdefghij"
    spans = [make_span("quote", 0, 6, 10), make_span("entity", 4, 9, 10), make_span("date", 1, 3, 10)]
    root = nest([s for s in spans if s is not None], len(text))
    quote = root.children[0]
    assert (quote.start, quote.end) == (0, 6)
    assert [(c.start, c.end) for c in quote.children] == [(1, 3), (4, 6)]
    assert [(c.start, c.end) for c in root.children[1:]] == [(6, 9)]


def test_bad_offsets_are_skipped() -> None:
    assert make_span("date", 5, 5, 10) is None and make_span("date", "1", 3, 10) is None
    assert make_span("date", True, 3, 10) is None and make_span("date", 8, 50, 10).end == 10  # type: ignore[union-attr]
    d: dict[str, Any] = {"text": "abc <b>", "entities": [{"start": -5, "end": 99, "type": "X"}],
                         "quotes": [{"start": 2, "end": 1}], "dates": [{"start": None, "end": 2}]}
    out = str(article_html(d))
    assert "&lt;b&gt;" in out and "<b>" not in out


def test_marked_text_keeps_every_character() -> None:
    d = doc("cccccccccccccccc", "T <i>", 'Speaker One said "a < b & c" in Karachi in 2024.', quote="a < b & c")
    import html as htmllib
    import re

    out = str(article_html(d))
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", out)) == d["text"]


def test_charts_escape_labels() -> None:
    svg = str(charts.provenance_svg({"nodes": [f"outlet:{SCRIPT}", "article:x"],
                                     "edges": [{"from": f"outlet:{SCRIPT}", "to": "article:x", "kind": IMG}]},
                                    {"x": SCRIPT}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    line = str(charts.timeline_svg([{"date": {"value": "2024-06-01"}, "quad_class": 4},
                                    {"date": {"value": "2024-07-02"}, "quad_class": 1}, {"date": None}]))
    assert line.count("<rect") == 2
    assert "No dated events" in str(charts.timeline_svg([]))


def test_map_projects_and_draws_shipped_outlines() -> None:
    assert geo.project(-180, 90) == (0.0, 0.0) and geo.project(180, -90) == (geo.WIDTH, geo.HEIGHT)
    points = geo.place_points([{"place": {"entity_id": "city:1174872", "name": "Karachi"}},
                               {"place": {"entity_id": "city:1174872"}}, {"place": {"entity_id": "nowhere"}}])
    assert len(points) == 1 and points[0]["count"] == 2
    svg = str(geo.map_svg(points))
    assert svg.count("<circle") == 1
    if geo.outline_file() is not None:
        assert len(geo.countries()) > 150 and 'class="land lit"' in svg
