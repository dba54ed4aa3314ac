"""The linking evaluation's identity split, the learned transliteration table and the confidence model."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from khabar.kb import build_translit
from khabar.kb.name_pairs import Pair, all_pairs, split_of
from khabar.kb.names import KeyMatcher, confidence
from khabar.langs import pack
from khabar.text.translit import learned_align, learned_score, learned_units, query_variant


def test_the_split_is_of_identities_and_stable() -> None:
    pairs, _ = all_pairs()
    splits: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p in pairs:
        splits[(p.category, p.gold)].add(p.split)
    assert all(len(s) == 1 for s in splits.values())  # every spelling of an identity: one split
    share = sum(1 for s in splits.values() if s == {"test"}) / len(splits)
    assert 0.18 < share < 0.32
    assert split_of("state", "RU") == split_of("state", "RU")
    assert Pair("state", "RU", "ur", "روس").split == Pair("state", "RU", "ru", "Россия").split


def test_learned_table_names_its_source_and_stores_letters_not_names() -> None:
    data = pack("_common").json("translit_learned")
    assert "CLDR" in data["_source"] and data["_split"]["used"] == "train"
    assert data["_build"] == "python -m khabar.kb.build_translit"
    for table in data["scripts"].values():
        for unit, row in table.items():
            assert len(unit.strip("^$")) == 1
            assert all(len(t) <= 4 for t in row if t != "_n")
    assert set(data["calibration"]) == {"learned", "keys"}


def test_units_are_tagged_by_position() -> None:
    assert learned_units("Белоусов") == ["^б", "е", "л", "о", "у", "с", "о", "в$"]
    assert learned_units("و") == ["^و"]


def test_alignment_gives_every_letter_its_latin() -> None:
    table = {"^м": {"m": -0.1, "_n": 10}, "о": {"o": -0.1, "_n": 10}, "с$": {"s": -0.1, "_n": 10}}
    assert learned_align(learned_units("мос"), "mos", table) == [("^м", "m"), ("о", "o"), ("с$", "s")]
    # a letter may write several Latin letters (here the unknown с writes "sc")
    assert "".join(t for _, t in learned_align(learned_units("мос"), "mosc", table)) == "mosc"


@pytest.mark.parametrize(("name", "right", "wrong"), [
    ("Гамбург", "Hamburg", "Hamilton"),  # Russian г for h
    ("Белоусов", "Belousov", "Bellows"),
    ("بیلوسوف", "Belousov", "Bilbao"),
    ("पुतिन", "Putin", "Patna"),
])
def test_learned_score_prefers_the_transliteration(name: str, right: str, wrong: str) -> None:
    assert learned_score(name, right) > 0.4 > learned_score(name, wrong)  # type: ignore[operator]


def test_latin_queries_have_no_learned_score() -> None:
    assert learned_score("Hà Nội", "Hanoi") is None


def test_arabic_article_variant() -> None:
    assert query_variant("الرياض") == "رياض"
    assert query_variant("جبل طارق") == "جبل طارق"


def test_matcher_ranks_with_the_learned_table_and_gives_a_confidence() -> None:
    m = KeyMatcher({"hamburg": ["Hamburg"], "hamilton": ["Hamilton"], "gambia": ["Gambia"]})
    ranked = m.rank("Гамбург", limit=2)
    assert ranked[0][0] == "hamburg"
    assert confidence("Гамбург", ranked) > 0.9
    nothing = m.rank("Ыыыщщщ", limit=2)
    assert confidence("Ыыыщщщ", nothing) < 0.5
    assert confidence("x", []) == 0.0


def test_honest_kb_index_leaves_out_held_out_identities() -> None:
    from khabar.evaluate.linking import kb_indexes

    pairs, _ = all_pairs()
    held = next(p for p in pairs if p.category == "state" and p.split == "test" and p.lang == "ru")
    honest = kb_indexes(lambda cat, ident: split_of(cat, ident) == "train")
    full = kb_indexes(lambda cat, ident: True)
    assert held.gold in full["state"].lookup(held.query)
    assert held.gold not in honest["state"].lookup(held.query)


@pytest.mark.slow
def test_learned_table_is_what_the_build_produces() -> None:
    import babel

    shipped = json.loads(build_translit.OUT.read_text(encoding="utf-8"))
    if shipped["_babel"] != babel.__version__:
        pytest.skip(f"built with Babel {shipped['_babel']} (its CLDR names), Babel {babel.__version__} installed")
    assert build_translit.build() == shipped
