"""HTML extraction on pages written for these tests: nav, figure, byline, dateline, JSON-LD,
comment counter, footer."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import NoArticle
from khabar.extract import extract, is_html
from khabar.model import Article, RawDocument
from khabar.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"


def page(name: str, **kw: object) -> Article:
    data = (FIXTURES / name).read_bytes()
    raw = RawDocument(source=name, data=data, content_type="text/html", **kw)  # type: ignore[arg-type]
    return extract(raw, Settings())


def kinds(art: Article, kind: str) -> list[str]:
    return [art.text[z.start:z.end] for z in art.zones if z.kind == kind]


def test_zones_point_into_the_built_text() -> None:
    art = page("en_article.html")
    assert art.format == "html"
    assert kinds(art, "title") == ["Harbour reopens after storm"]
    for z in art.zones:
        assert 0 <= z.start < z.end <= len(art.text)
    assert art.text.startswith("Harbour reopens after storm\n\n")


def test_english_page() -> None:
    art = page("en_article.html")
    assert art.url == "https://news.example.pk/coast/harbour-reopens"  # the canonical link
    assert kinds(art, "dateline") == ["KARACHI (AP) -"]
    assert art.outlet == "AP"
    assert art.comment_count == 12
    assert any("Photo: Reuters" in c for c in kinds(art, "caption"))
    assert ("photo", "Reuters") in {(c.role, c.name) for c in art.credits}
    assert ("author", "Sam Writer") in {(c.role, c.name) for c in art.credits}
    body = art.body
    assert "harbour reopened on Tuesday" in body and "Fishing boats return" not in body
    assert "Privacy" not in body and "Business" not in body and "comments" not in body
    assert "Harbour reopens after storm" not in body  # the headline is the title, not body


def test_urdu_page() -> None:
    art = page("ur_article.html")
    assert art.title == "لاہور میں نئی میٹرو لائن کا افتتاح"
    assert art.outlet == "Jang" and art.evidence["outlet"].source == "html-meta"
    assert art.published == "2025-03-12T09:30:00+05:00" and art.published_source == "html-meta"
    assert art.comment_count == 3
    assert kinds(art, "dateline") == ["لاہور (نمائندہ خصوصی)"]
    assert [c.name for c in art.credits if c.role == "photo"] == ["APP"]
    assert [c.name for c in art.credits if c.role == "author"] == ["احمد علی"]
    assert "فوٹو" not in art.body and "تبصرے" not in art.body


def test_date_from_url_gets_the_country_zone() -> None:
    html = (FIXTURES / "en_article.html").read_text(encoding="utf-8")
    raw = RawDocument(source="p.html", data=html.encode("utf-8"), content_type="text/html",
                      url="https://news.example.pk/2024/20241129154226/harbour")
    art = extract(raw, Settings())
    assert art.published == "2024-11-29T15:42:26+05:00"  # .pk -> Asia/Karachi
    assert art.published_source in ("url", "htmldate")


def test_http_last_modified_is_the_last_resort() -> None:
    text = "Officials said on Monday that the new bridge across the river would open to traffic next month."
    raw = RawDocument(source="x", data=text.encode(), content_type="text/plain",
                      headers={"Last-Modified": "Tue, 03 Dec 2024 07:00:00 GMT"})
    art = extract(raw, Settings())
    assert art.published == "2024-12-03T07:00:00+00:00" and art.published_source == "http-header"


def test_page_without_article() -> None:
    with pytest.raises(NoArticle) as info:
        page("no_article.html")
    assert str(info.value).startswith("[K301] no_article.html: ")


def test_html_is_sniffed_without_a_content_type() -> None:
    data = (FIXTURES / "en_article.html").read_bytes()
    art = extract(RawDocument(source="noext", data=data), Settings())
    assert art.format == "html"
    assert not is_html(RawDocument(source="t", data=b""), "Just a line of text about <b>bold</b> claims.")
