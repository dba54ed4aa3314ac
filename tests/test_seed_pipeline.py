"""The seed article through the whole default pipeline: the acceptance of issues 2 and 3.

The article is read in place from ../shared/seed (KHABAR_SHARED); none of its text is written here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.jobs import process_document
from khabar.model import Article, RawDocument
from khabar.pipeline import default_pipeline


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Article:
    raw = RawDocument(source=str(seed_path), data=seed_path.read_bytes(), content_type="text/plain")
    return process_document(raw, default_pipeline())


def test_article_metadata(seed: Article) -> None:
    assert seed.errors == []
    assert seed.language == "ur"
    assert seed.original_language == "vi" and "dantri.com.vn" in (seed.original_language_reason or "")
    assert seed.outlet == "Dan Tri"
    assert seed.source_url and seed.source_url.startswith("https://dantri.com.vn/")
    assert seed.published == "2024-11-29T15:42:26+07:00"
    assert seed.published_source in ("url", "source-url")
    assert ("photo", "Reuters") in {(c.role, c.name) for c in seed.credits}
    assert seed.comment_count == 0


def test_body_leaves_out_furniture(seed: Article) -> None:
    body = seed.body
    assert seed.source_url not in body
    furniture = [z for z in seed.zones if z.kind in ("caption", "source", "comments")]
    assert {z.kind for z in furniture} >= {"caption", "source", "comments"}
    body_zones = [z for z in seed.zones if z.kind == "body"]
    for f in furniture:
        assert all(f.end <= b.start or f.start >= b.end for b in body_zones), f"{f.kind} overlaps the body"


def test_every_fact_points_into_the_text(seed: Article) -> None:
    for rec in [*seed.quotes, *seed.dates, *seed.amounts, *seed.entities, *seed.zones, *seed.credits]:
        assert 0 <= rec.start <= rec.end <= len(seed.text)
        assert "@" in rec.rule


def test_three_direct_quotes_by_the_defence_minister(seed: Article) -> None:
    direct = [q for q in seed.quotes if q.direct]
    assert len(direct) >= 3
    names = {q.speaker.name for q in direct if q.speaker}
    assert names == {"آندرے بیلوسوف"}  # Andrei Belousov, the fullest form the article uses
    for q in direct:
        sp = q.speaker
        assert sp is not None and sp.start is not None and sp.end is not None
        assert seed.text[sp.start : sp.end] == sp.name


def test_dates(seed: Article) -> None:
    values = {(d.value, d.granularity) for d in seed.dates}
    assert ("2024-11-29", "day") in values
    assert ("2024-06", "month") in values


def test_amount_more_than_ten_thousand_troops(seed: Article) -> None:
    hits = [a for a in seed.amounts if a.value == 10000 and a.qualifier == "more_than"]
    assert hits and hits[0].object


def test_states_and_places_with_codes(seed: Article) -> None:
    found = {(e.name, e.codes.get("iso3166")) for e in seed.entities if e.type in ("GPE", "LOC")}
    for name, code in [("Russia", "RU"), ("North Korea", "KP"), ("South Korea", "KR"),
                       ("United States", "US"), ("Ukraine", "UA"), ("Moscow", "RU"), ("Pyongyang", "KP")]:
        assert (name, code) in found, f"{name} ({code}) not found"


def _role_title(role: object) -> object:
    return role.get("title") if isinstance(role, dict) else role


def test_role_of_the_minister(seed: Article) -> None:
    people = [e for e in seed.entities if e.type == "PERSON" and _role_title(e.role) == "defence minister"]
    assert any(e.codes.get("iso3166") == "RU" for e in people)
