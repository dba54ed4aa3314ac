"""Text reuse (khabar.stories.reuse) and the COUNTER quality gate (issue 7)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.evaluate.reuse import evaluate, score
from khabar.stories.reuse import ReuseIndex, band_keys, compare, tile
from khabar.kb.places import tokens

FLOORS = json.loads((Path(__file__).resolve().parent / "floors.json").read_text(encoding="utf-8"))

AGENCY = ("The finance minister said on Monday that the budget deficit would fall to four per cent "
          "of output next year as tax receipts rose faster than expected. He told parliament that "
          "spending on roads and schools would be protected and that fuel subsidies would end in June.")
REWRITE = ("Opposition leaders walked out of the chamber in protest. The finance minister said on Monday "
           "that the budget deficit would fall to four per cent of output next year, "
           "a claim critics called optimistic because exports have slowed for three quarters in a row.")
OTHER = ("Heavy rain flooded low-lying streets in the port city overnight, and rescue teams used boats "
         "to move families from their homes while schools stayed closed for a second day.")


def test_identical_text_is_wholly_derived_with_one_long_passage() -> None:
    found = compare(AGENCY, AGENCY)
    assert found.label == "wholly" and found.score == pytest.approx(1.0)
    longest = max(found.passages, key=lambda p: p.words)
    assert AGENCY[longest.derived_start:longest.derived_end] == AGENCY[longest.source_start:longest.source_end]
    assert longest.words == len(tokens(AGENCY))


def test_partial_rewrite_is_partly_derived_and_passages_point_at_the_shared_words() -> None:
    found = compare(AGENCY, REWRITE)
    assert found.label == "partly"
    shared = [REWRITE[p.derived_start:p.derived_end] for p in found.passages]
    assert any("budget deficit would fall to four per cent" in s for s in shared)
    for p in found.passages:
        assert REWRITE[p.derived_start:p.derived_end].casefold() == AGENCY[p.source_start:p.source_end].casefold()


def test_unrelated_text_is_not_derived_and_has_no_passages() -> None:
    found = compare(AGENCY, OTHER)
    assert found.label == "none" and not found.derived and found.passages == ()


def test_urdu_spacing_slips_still_count_as_reuse() -> None:
    source = "وزیر خزانہ نے کہا کہ آئندہ سال بجٹ خسارہ کم ہو کر چار فیصد رہ جائے گا اور ٹیکس وصولیاں بڑھیں گی۔"
    joined = "وزیر خزانہ نےکہا کہ آئندہ سال بجٹ خسارہ کم ہوکر چار فیصد رہ جائےگا اور ٹیکس وصولیاں بڑھیں گی۔"
    assert compare(source, joined).label == "wholly"


def test_tiles_take_each_token_once() -> None:
    a = tokens("one two three four five six seven")
    b = tokens("five six seven one two three four one two three four")
    tiles = tile(a, b, min_len=3)
    assert sorted(t.words for t in tiles) == [3, 4]


def test_lsh_finds_the_near_duplicate_only() -> None:
    index = ReuseIndex(threshold=0.3)
    index.add("agency", AGENCY)
    index.add("other", OTHER)
    copy = AGENCY.replace("Monday", "Tuesday")
    assert index.candidates(copy) == ["agency"]
    assert [k for k, _ in index.sources_of(copy)] == ["agency"]
    assert set(band_keys(copy)) & set(band_keys(AGENCY))
    assert not set(band_keys(OTHER)) & set(band_keys(AGENCY))


def test_score_counts_derived_accuracy_and_macro_f1() -> None:
    data = score(["wholly", "partly", "none", "none"], ["partly", "partly", "none", "wholly"])
    assert data["derived_accuracy"] == 0.75
    assert data["f1"] == {"wholly": 0.0, "partly": pytest.approx(0.6667, abs=1e-4), "none": pytest.approx(0.6667, abs=1e-4)}
    assert data["confusion"]["none"]["wholly"] == 1


def test_counter_dev_meets_the_floors(shared: Path) -> None:
    data = evaluate(shared / "data" / "reuse" / "ur" / "counter-dev")
    assert data["pairs"] == 300
    assert data["derived_accuracy"] >= FLOORS["reuse_counter_derived_accuracy"]
    assert data["macro_f1"] >= FLOORS["reuse_counter_macro_f1"]
