"""The actors knowledge base (khabar/kb/actors.py, build_actors.py): issue 5."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.kb.actors import DATA_PATH, load_actors, norm_title
from khabar.kb.build_actors import iso_date, parse_code


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_actors()


def test_file_is_compact_and_names_its_sources() -> None:
    assert DATA_PATH.stat().st_size < 8_000_000
    head = DATA_PATH.read_text(encoding="utf-8").split("\n", 1)[0]
    for word in ("CC BY-SA 3.0", "MIT", "PLOVER"):
        assert word in head


def test_dates_and_codes_of_the_dictionaries() -> None:
    assert iso_date("991231") == "1999-12-31"
    assert iso_date("080507") == "2008-05-07"
    assert iso_date("20060431") == "2006-04-30"
    assert iso_date("junk") == ""
    assert parse_code("RUSGOV 991231-080507") == ("RUSGOV", "1999-12-31", "2008-05-07")
    assert parse_code("RUSGOV >080508") == ("RUSGOV", "2008-05-08", "")
    assert parse_code("---") is None


def test_one_identity_in_many_scripts(kb) -> None:  # type: ignore[no-untyped-def]
    for name in ("Andrei Belousov", "آندرے بیلوسوف", "Андрей Белоусов", "Belousov"):
        best, score = kb.find(name, kinds=("person",))[0]
        assert best.id == "person:andrei-belousov" and score >= 0.95, name


def test_role_on_a_date(kb) -> None:  # type: ignore[no-untyped-def]
    belousov = kb.get("person:andrei-belousov")
    assert kb.role_on(belousov, "2024-11-29")["title"] == "defence minister"
    assert kb.cameo_on(belousov, "2024-11-29") == "RUSMIL"
    assert kb.cameo_on(belousov, "2022-01-01") == "RUSGOV"
    putin = kb.get("person:vladimir-putin")
    assert kb.role_on(putin, "2010-06-01")["title"] == "prime minister"
    assert kb.cameo_on(putin, "2024-11-29") == "RUSGOV"


def test_holders_of_a_title(kb) -> None:  # type: ignore[no-untyped-def]
    assert [a.id for a in kb.holders("defence minister", "RU", "2024-11-29")] == ["person:andrei-belousov"]
    assert [a.id for a in kb.holders("defense minister", "RU", "2020-01-01")] == ["person:sergei-shoigu"]
    assert [a.id for a in kb.holders("president", "RU", "2024-11-29")] == ["person:vladimir-putin"]


def test_dictionary_entries_and_media(kb) -> None:  # type: ignore[no-untyped-def]
    serdyukov = kb.find("Anatoliy Serdyukov", kinds=("person",))[0][0]
    assert serdyukov.country == "RU" and any("defen" in r.get("title", "") for r in serdyukov.roles)
    assert kb.get("media:reuters").kind == "media"
    assert kb.get("org:nato").kind == "organisation"
    assert norm_title("Minister of Defense") == "defence minister"


@pytest.mark.slow
def test_committed_actors_json_is_what_the_build_produces(shared: Path, tmp_path: Path) -> None:
    from khabar.kb.build_actors import build, dump

    fresh = dump(build(shared / "data" / "events"))
    assert fresh == DATA_PATH.read_text(encoding="utf-8"), "run python -m khabar.kb.build_actors"
    json.loads(fresh)


def test_the_kbs_own_spelling_is_found_in_its_script(kb) -> None:  # type: ignore[no-untyped-def]
    # a bare surname the KB holds in Cyrillic and in Urdu: found as spelled, not by keys
    assert [a.id for a in kb.exact("ШОЙГУ")] == ["person:sergei-shoigu"]
    assert kb.find("Shoigu", kinds=("person",))[0][0].id == "person:sergei-shoigu"
    assert kb.find("Shoigu", kinds=("person",))[0][1] >= 0.97


def test_unknown_names_do_not_take_a_kb_identity(kb) -> None:  # type: ignore[no-untyped-def]
    # issue 5: an Urdu Imran Saleem used to link to Amre Salama by the key alone
    best = kb.find("عمران سلیم", kinds=("person",))
    assert not best or best[0][1] < 0.9


def test_actors_are_made_on_demand(kb) -> None:  # type: ignore[no-untyped-def]
    assert len(kb) > 20000
    assert kb.get("person:no-such-person") is None
    assert kb.get("person:vladimir-putin") is kb.get("person:vladimir-putin")


def test_key_matcher_reads_names_by_part_and_keeps_margins() -> None:
    from khabar.kb.names import FoldedIndex, KeyMatcher, short_key

    m = KeyMatcher({"vostok": ["Vostok Station"], "sitka": ["Sitka"], "center": ["Center, North Dakota"]})
    assert m.rank("Восток")[0][0] == "vostok"
    assert m.rank("سنتر")[0][0] == "center"
    assert short_key("فيينا") and not short_key("Belousov")
    index = FoldedIndex()
    index.add("ألمانيا", "DE")
    assert index.lookup("المانيا") == ["DE"]  # alif variants fold
    assert index.lookup("Germany") == []
