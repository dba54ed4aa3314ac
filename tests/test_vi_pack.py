"""The Vietnamese language pack (issue 11): data only, the same stages as Urdu and English.

The Vietnamese articles under tests/fixtures/vi/ are our own, written for these tests in the shape of
Dan Tri pages. The Urdu seed is read in place (``seed_path``); none of its text is written here.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from khabar.jobs import process_document, process_text
from khabar.langs import pack
from khabar.model import Article, RawDocument
from tests.test_events import troop_claim
from khabar.pipeline import default_pipeline
from khabar.stages.amounts import find_amounts
from khabar.stages.dates import find_dates

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "vi"
URL = "https://dantri.com.vn/the-gioi/bo-truong-quoc-phong-nga-tham-trieu-tien-20241129154226900.htm"
ANCHOR = date(2024, 11, 29)


def _run(name: str, url: str | None = None) -> Article:
    return process_text((FIX / name).read_text(encoding="utf-8"), url=url)


@pytest.fixture(scope="module")
def visit() -> Article:
    return _run("dantri_belousov.txt", URL)


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Article:
    raw = RawDocument(source=str(seed_path), data=seed_path.read_bytes(), content_type="text/plain")
    return process_document(raw, default_pipeline())


def _ids(a: Article, *types: str) -> set[str]:
    return {e.entity_id for e in a.entities if e.type in types and e.entity_id and not e.entity_id.startswith("local:")}


def _events(a: Article) -> set[tuple[str | None, str, str | None]]:
    return {(e.source.cameo if e.source else None, e.cameo, e.target.cameo if e.target else None) for e in a.events}


# ----- the pack is data ----------------------------------------------------------------------------
def test_every_pack_file_names_its_source() -> None:
    for path in sorted(pack("vi").dir.glob("*.*")):
        if path.suffix == ".json":
            assert "_source" in json.loads(path.read_text(encoding="utf-8")), path.name
        elif path.suffix == ".tsv":
            assert path.read_text(encoding="utf-8").startswith("# source:"), path.name


STAGE_SOURCES = sorted((ROOT / "khabar" / "stages").glob("*.py")) + sorted((ROOT / "khabar" / "extract").glob("*.py")) \
    + [ROOT / "khabar" / "text" / "calendar.py", ROOT / "khabar" / "text" / "numbers.py"]


@pytest.mark.parametrize("path", STAGE_SOURCES, ids=lambda p: p.name)
def test_stages_take_vietnamese_from_the_pack(path: Path) -> None:
    """No stage module holds a Vietnamese letter or branches on the code: the pack is the only source."""
    src = path.read_text(encoding="utf-8")
    letters = pack("vi").json("langid")["marker_letters"]
    assert not [ch for ch in set(src) if ch in letters], "Vietnamese text in a stage module"
    assert not re.search(r"""["']vi["']""", src), "a stage names the Vietnamese language code"
    words = {w for w in pack("vi").json("quotes")["verbs"] if any(ch in letters for ch in w)}
    assert not [w for w in words if w in src]


# ----- stages on Vietnamese ------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("Ông ấy ngày 29/11 đã tới Bình Nhưỡng.", ("2024-11-29", "day")),
    ("Hai bên ký hiệp ước hồi tháng 6 vừa qua.", ("2024-06", "month")),
    ("Sự việc xảy ra vào tháng Sáu năm ngoái.", ("2023-06", "month")),
    ("Sự việc xảy ra vào tháng 6 năm ngoái.", ("2023-06", "month")),
    ("Ông nói hôm qua rằng ...", ("2024-11-28", "day")),
    ("Cuộc họp diễn ra hôm nay.", ("2024-11-29", "day")),
    ("Cuộc họp diễn ra tuần trước.", ("2024-W47", "week")),
    ("Ông tới nơi hôm thứ Sáu.", ("2024-11-29", "day")),
    ("Ngày 29/11/2024 ông tới nơi.", ("2024-11-29", "day")),
])
def test_dates(text: str, want: tuple[str, str]) -> None:
    assert want in {(d.value, d.granularity) for d in find_dates(text, "vi", ANCHOR)}


@pytest.mark.parametrize("text", ["Đây là lần thứ hai ông tới.", "Đội nhà thắng với tỷ số 2/1."])
def test_not_dates(text: str) -> None:
    assert find_dates(text, "vi", ANCHOR) == []


@pytest.mark.parametrize("text, value, qualifier, unit, obj", [
    ("Triều Tiên đã điều hơn 10.000 binh sĩ tới Nga.", 10000, "more_than", None, "binh sĩ"),
    ("Khoản viện trợ khoảng 2,5 triệu USD.", 2_500_000, "about", "USD", None),
    ("Ít nhất 35 người thiệt mạng.", 35, "at_least", None, "người"),
    ("Dự án trị giá gần 1.200 tỷ đồng.", 1_200_000_000_000, "about", "VND", None),
])
def test_amounts(text: str, value: float, qualifier: str, unit: str | None, obj: str | None) -> None:
    got = [(a.value, a.qualifier, a.unit, a.object) for a in find_amounts(text, "vi")]
    assert (value, qualifier, unit, obj) in got


def test_word_segmentation_is_offline() -> None:
    pytest.importorskip("pyvi")
    import spacy

    words = [t.text for t in spacy.blank("vi")("Bộ trưởng Quốc phòng Nga đã tới Bình Nhưỡng.")]
    assert {"Bộ trưởng", "Quốc phòng", "Bình Nhưỡng"} <= set(words)


# ----- a Dan Tri page ------------------------------------------------------------------------------
def test_page_furniture(visit: Article) -> None:
    assert visit.language == "vi" and visit.outlet == "Dan Tri"
    assert ("photo", "Reuters") in {(c.role, c.name) for c in visit.credits}
    assert visit.comment_count == 0
    assert {z.kind for z in visit.zones} >= {"dateline", "caption", "comments"}
    assert "Bình luận" not in visit.body and "(Ảnh:" not in visit.body


@pytest.mark.parametrize("name, comments, credit", [
    ("dantri_flood_aid.txt", 12, "Ngọc Tân"), ("dantri_football.txt", 47, "Mạnh Quân")])
def test_other_pages(name: str, comments: int, credit: str) -> None:
    art = _run(name)
    assert art.language == "vi" and art.comment_count == comments
    assert ("photo", credit) in {(c.role, c.name) for c in art.credits}
    assert [e for e in art.errors if e.get("stage") != "analyse"] == []
    for rec in [*art.quotes, *art.dates, *art.amounts, *art.entities, *art.events]:
        assert 0 <= rec.start <= rec.end <= len(art.text) and "@" in rec.rule


def test_quotes_by_the_minister(visit: Article) -> None:
    direct = [q for q in visit.quotes if q.direct]
    assert len(direct) >= 3
    assert {q.speaker.entity_id for q in direct if q.speaker} == {"person:andrei-belousov"}


def test_roles_and_places(visit: Article) -> None:
    roles = [e for e in visit.entities if e.type == "PERSON" and isinstance(e.role, dict)
             and e.role.get("title") == "defence minister" and e.role.get("country") == "RU"]
    assert roles
    found = {(e.name, e.codes.get("iso3166")) for e in visit.entities if e.type in ("GPE", "LOC")}
    for name, code in [("Russia", "RU"), ("North Korea", "KP"), ("South Korea", "KR"), ("United States", "US"),
                       ("Ukraine", "UA"), ("Moscow", "RU"), ("Pyongyang", "KP")]:
        assert (name, code) in found


# ----- the same story as the Urdu seed -------------------------------------------------------------
def test_same_identities_as_the_seed(visit: Article, seed: Article) -> None:
    want = {"person:andrei-belousov", "person:no-kwang-chol", "state:RU", "state:KP", "state:KR", "state:US",
            "city:1871859"}
    assert want <= _ids(visit, "PERSON", "GPE", "LOC")
    assert want <= _ids(seed, "PERSON", "GPE", "LOC")


def test_same_events_as_the_seed(visit: Article, seed: Article) -> None:
    for art in (visit, seed):
        evs = _events(art)
        assert ("RUSMIL", "042", "PRK") in evs and ("PRKMIL", "043", "RUSMIL") in evs
        assert {("RUS", "057", "PRK"), ("PRK", "057", "RUS")} <= evs
        assert {s for s, c, t in evs if c == "112" and t == "PRK"} == {"USA", "KOR"}
        assert {s for s, c, t in evs if c == "016"} == {"RUS", "PRK"}
    v = [e for e in visit.events if e.cameo == "042" and e.source and e.source.cameo == "RUSMIL"]
    assert any(e.place and e.place.name == "Pyongyang" and e.date and e.date["value"] == "2024-11-29" for e in v)
    signed = [e for e in visit.events if e.cameo == "057"]
    assert signed and all(e.date and e.date["value"] == "2024-06" for e in signed)


def test_same_troop_claim_as_the_seed(visit: Article, seed: Article) -> None:
    for art in (visit, seed):
        troop_claim(art)
