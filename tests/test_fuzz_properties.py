"""Property tests (hypothesis) for the parsers and stages not already covered elsewhere (issue 10).

Already covered and not repeated here: normalise/fold offset maps (test_normalise.py), dates
(test_dates.py), amounts (test_amounts.py), quotes (test_quotes.py), segment (test_segment.py).
Here: decoding, sniffing, extraction of random HTML and bytes, the whole pipeline on random text,
the JSON round trip of Article, feeds, sitemaps, WARC streams, URL checks, canonical URLs,
one-line errors, terminal-safe rendering and transliteration.

Example counts are small by default; ``pytest --hypothesis-profile=long`` runs many more
(profiles are registered in tests/conftest.py).
"""
from __future__ import annotations

import io
import json
import socket
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.errors import FetchError, InputError, KhabarError, MalformedInput, UnsafeURL
from khabar.model import Article, RawDocument, canonical_url
from khabar.settings import Settings

SMALL = Settings(min_body_chars=20)
WORDS = ["The", "council", "said", "on", "Tuesday", "Mr.", "Jane", "Doe", "2,000", "$4.5", "million",
         "29", "November", "2024", '"', "“", "”", "’’", "‘‘", ",", ".", "\n", "\n\n", "لاہور", "حکومت",
         "نے", "کہا", "کہ", "منگل", "کو", "۲۹", "نومبر", "ہزار", "۔", "،", "وزیر", "اعظم", "Pakistan",
         "Prime", "Minister", "(AP)", "—", "\u200b", "\u202e", "\ufeff", "Photo:", "By", "Source:"]
wordy = st.lists(st.sampled_from(WORDS), min_size=0, max_size=80).map(" ".join)
any_text = st.one_of(wordy, st.text(max_size=300))

_PIPE: list[Any] = []


def pipeline() -> Any:
    """One default pipeline for the module (hypothesis does not mix with function fixtures)."""
    if not _PIPE:
        from khabar.pipeline import default_pipeline

        _PIPE.append(default_pipeline(SMALL))
    return _PIPE[0]


def check_article(art: Article) -> None:
    """Facts inside the text, no internal stage error, strict-JSON round trip."""
    n = len(art.text)
    for name in ("zones", "credits", "sentences", "tokens", "quotes", "dates", "amounts", "entities",
                 "events", "claims"):
        for rec in getattr(art, name):
            assert 0 <= rec.start <= rec.end <= n, (name, rec)
    for ev in art.evidence.values():
        if ev.start is not None:
            assert 0 <= ev.start <= (ev.end if ev.end is not None else n) <= n, ev
    assert not [e for e in art.errors if e["code"] == "K999"], art.errors
    doc = art.to_dict()
    again = Article.from_dict(json.loads(json.dumps(doc, ensure_ascii=False, allow_nan=False)))
    assert again.to_dict() == doc


# ----- decoding and sniffing -----------------------------------------------------------------------
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "cp1256", "utf-16", "bogus", "latin-1"]))
def test_decode_gives_clean_text_or_an_input_error(data: bytes, declared: str | None) -> None:
    from khabar.extract.decode import decode

    try:
        got = decode(data, "x", declared)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert got.text.strip() and "\x00" not in got.text and "\r" not in got.text
    assert not got.text.startswith("\ufeff")


@given(st.text(max_size=400), st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"]))
def test_decode_round_trips_text_in_unicode_encodings(text: str, codec: str) -> None:
    from khabar.extract.decode import decode

    clean = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs")).lstrip("\ufeff")
    try:
        got = decode(clean.encode(codec), "x")
    except InputError:
        return  # empty, or a short text whose bytes look like something else
    if got.how == "bom" or got.encoding.replace("_", "-") == codec:  # short inputs are ambiguous
        assert got.text == clean


@given(st.binary(max_size=600), st.sampled_from([None, "application/rss+xml", "text/html", "application/xml"]))
def test_sniffing_never_raises(data: bytes, ctype: str | None) -> None:
    from khabar.ingest.sniff import container_kind, root_tag

    tag = root_tag(data)
    assert tag is None or tag == tag.lower()
    assert container_kind(data, ctype) in (None, "feed", "sitemap")


# ----- extraction and the pipeline ---------------------------------------------------------------
TAGS = ["p", "div", "span", "article", "h1", "figure", "figcaption", "script", "style", "nav", "a",
        "table", "td", "li", "ul", "br", "meta", "title", "time", "footer", "b", "i"]


@st.composite
def html_pages(draw: Any) -> str:
    """Random, often broken, HTML made of news-page pieces."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            attr = draw(st.sampled_from(["", " class='byline'", " property='article:published_time' "
                                             "content='2024-11-29'", " onclick='x()'", " dir='rtl'"]))
            parts.append(f"<{tag}{attr}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(wordy))
    head = draw(st.sampled_from(["", "<!doctype html>", "<html><head><title>T</title></head><body>",
                                 "<?xml version='1.0'?>"]))
    return head + "".join(parts)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(html_pages())
def test_extraction_of_random_html_gives_an_article_or_a_khabar_error(html: str) -> None:
    from khabar.extract import extract

    try:
        art = extract(RawDocument("page.html", html.encode(), content_type="text/html"), SMALL)
    except KhabarError as err:
        assert "\n" not in str(err)
        return
    check_article(art)


@given(st.binary(max_size=1500), st.sampled_from([None, "text/html", "text/plain"]))
def test_extraction_of_random_bytes(data: bytes, ctype: str | None) -> None:
    from khabar.extract import extract

    try:
        art = extract(RawDocument("blob", data, content_type=ctype), SMALL)
    except KhabarError:
        return
    check_article(art)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(any_text, st.sampled_from(["text/plain", "text/html", None]))
def test_whole_pipeline_on_random_text(text: str, ctype: str | None) -> None:
    from khabar.jobs import process_document

    try:
        art = process_document(RawDocument("t", text.encode("utf-8", "surrogatepass"), content_type=ctype),
                               pipeline())
    except KhabarError as err:
        assert "\n" not in str(err)
        return
    check_article(art)
    for q in art.quotes:
        if q.speaker is not None and q.speaker.start is not None:
            assert 0 <= q.speaker.start <= (q.speaker.end or 0) <= len(art.text)


# ----- containers ------------------------------------------------------------------------------------
feedish = st.lists(st.sampled_from(
    ["<rss version='2.0'>", "<channel>", "<item>", "</item>", "<title>", "</title>", "<link>",
     "http://a.test/x", "</link>", "<pubDate>", "Fri, 31 Feb 99999", "</pubDate>", "<feed>",
     "<entry>", "</entry>", "<link href='/y'/>", "&amp;", "&bogus;", "<![CDATA[", "]]>", "x", "ب"]),
    max_size=40).map("".join)


@given(feedish, st.integers(0, 5))
def test_feed_items_or_malformed(data: str, limit: int) -> None:
    from khabar.ingest.feeds import feed_items

    try:
        found = list(feed_items(data.encode(), "f.rss", "http://a.test/feed", limit))
    except MalformedInput:
        return
    assert len(found) <= limit
    assert all(not f.link or f.link.startswith("http") for f in found)  # "" = no link: a failure later


@given(st.lists(st.sampled_from(["<urlset>", "</urlset>", "<sitemapindex>", "<url>", "</url>", "<loc>",
                                 "</loc>", "http://a.test/p", "/rel", "<sitemap>", "</sitemap>", "x",
                                 "<!DOCTYPE x [<!ENTITY e 'v'>]>", "&e;"]), max_size=30).map("".join))
def test_parse_sitemap_or_malformed(data: str) -> None:
    from khabar.ingest.sitemaps import parse_sitemap

    try:
        found = parse_sitemap(data.encode(), "s.xml", "http://a.test/")
    except MalformedInput:
        return
    assert found.kind in ("urlset", "sitemapindex")


@given(st.binary(max_size=800))
def test_warc_stream_yields_documents_or_failures(data: bytes) -> None:
    from khabar.ingest.warc import iter_warc_stream
    from khabar.model import Failure

    for item in iter_warc_stream(io.BytesIO(b"WARC/1.0\r\n" + data), "f.warc", 10_000):
        assert isinstance(item, (RawDocument, Failure))
        if isinstance(item, Failure):
            assert isinstance(item.error, KhabarError) and "\n" not in str(item.error)


# ----- URLs, errors, rendering, transliteration --------------------------------------------------------
def _public(host: str, port: int, *args: Any, **kw: Any) -> list[tuple[Any, ...]]:
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]


url_like = st.one_of(
    st.text(max_size=80),
    st.builds(lambda s, h, p: f"{s}://{h}{p}", st.sampled_from(["http", "https", "HTTP", "file", "ftp", ""]),
              st.text(max_size=30), st.text(max_size=30)),
)


@given(url_like)
def test_check_url_refuses_cleanly(url: str) -> None:
    from khabar.ingest.safety import check_url

    try:
        parts = check_url(url, resolver=_public)
    except (UnsafeURL, FetchError) as err:
        assert "\n" not in str(err) and "\r" not in str(err)
        return
    assert parts.scheme.lower() in ("http", "https") and parts.hostname
    assert parts.username is None and parts.password is None


@given(url_like)
def test_canonical_url_never_raises_and_is_stable(url: str) -> None:
    once = canonical_url(url)
    assert isinstance(once, str)
    assert canonical_url(once) == once  # regression: hostless URLs were not: "HTTP:////" -> "http://" -> "http:///"


@given(st.text(max_size=200), st.text(max_size=200))
def test_one_line_errors_stay_on_one_line(source: str, message: str) -> None:
    line = KhabarError(message, source=source or None).one_line()
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.startswith("[K000]")


@given(st.text(max_size=300))
def test_rendered_values_hold_no_controls(text: str) -> None:
    from khabar.render import LRI, PDI, RLI, safe

    out = safe(text)
    assert out[0] in (LRI, RLI) and out[-1] == PDI
    inner = out[1:-1]
    assert all(c in "\n\t" or unicodedata.category(c)[0] != "C" for c in inner)


@given(st.text(max_size=60))
def test_transliteration_is_ascii_and_never_raises(name: str) -> None:
    translit = pytest.importorskip("khabar.text.translit")
    out = translit.romanise(name)
    assert out.isascii()
    assert translit.match_key(name).isascii()
