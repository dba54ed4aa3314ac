"""Acceptance: the seed article, read in place, through the same general rules as any article."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.extract import extract
from khabar.model import Article, RawDocument
from khabar.settings import Settings


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Article:
    raw = RawDocument(source=str(seed_path), data=seed_path.read_bytes(), content_type="text/plain")
    return extract(raw, Settings())


def _zones(art: Article, kind: str) -> list[tuple[int, int]]:
    return [(z.start, z.end) for z in art.zones if z.kind == kind]


def test_text_is_the_file(seed: Article, seed_path: Path) -> None:
    assert seed.text == seed_path.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert seed.format == "text"


def test_outlet_from_dateline(seed: Article) -> None:
    assert seed.outlet == "Dan Tri"
    ev = seed.evidence["outlet"]
    assert ev.source == "dateline"
    (ds, de), = _zones(seed, "dateline")
    assert ev.start is not None and ev.end is not None and ds <= ev.start < ev.end <= de


def test_source_url_from_last_lines(seed: Article) -> None:
    url = seed.source_url
    assert url is not None and url.startswith("https://dantri.com.vn/")
    (ss, se), = _zones(seed, "source")
    assert url in seed.text[ss:se]
    assert ss > len(seed.text) * 0.8  # one of the last lines


def test_published_from_the_source_url(seed: Article) -> None:
    assert seed.published == "2024-11-29T15:42:26+07:00"
    assert seed.published_source == "source-url"


def test_photo_credit_in_the_caption(seed: Article) -> None:
    photo = [c for c in seed.credits if c.role == "photo"]
    assert [c.name for c in photo] == ["Reuters"]
    (cs, ce), = _zones(seed, "caption")
    assert cs <= photo[0].start < photo[0].end <= ce


def test_comment_count(seed: Article) -> None:
    assert seed.comment_count == 0
    assert len(_zones(seed, "comments")) == 1


def test_body_has_no_furniture(seed: Article) -> None:
    body = seed.body
    assert seed.source_url is not None and seed.source_url not in body
    for kind in ("caption", "source", "comments"):
        for s, e in _zones(seed, kind):
            assert seed.text[s:e] not in body
            assert not any(b_s < e and s < b_e for b_s, b_e in _zones(seed, "body"))
    assert len(_zones(seed, "body")) >= 5
