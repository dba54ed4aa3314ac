"""The normalise stage and the text utilities under it: forms, offsets, folding, speed."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.model import Article, NormText
from khabar.pipeline import Pipeline
from khabar.stages.normalise import NORMALISE
from khabar.text.fold import fold_for_matching, fold_norm, fold_with_map
from khabar.langs import LANGS_DIR as LANGS
from khabar.text.normalise import code_point, compose, norm_table, normalise
from khabar.text.script import char_script

RLO, PDF, RLM, LRM, ZWNJ, ZWJ, TATWEEL, NBSP = "\u202e", "\u202c", "\u200f", "\u200e", "\u200c", "\u200d", "\u0640", "\u00a0"


def norm(text: str, lang: str | None = None) -> NormText:
    return normalise(text, norm_table(lang))


def back(nt: NormText, original: str, start: int, end: int) -> str:
    s, e = nt.orig_span(start, end)
    return original[s:e]


# ----- specific forms ------------------------------------------------------------------------

def test_urdu_with_arabic_yeh_kaf_heh_becomes_urdu_letters() -> None:
    text = "يہ كتاب اس نے ديكهی"  # Arabic-keyboard yeh, kaf, heh in an Urdu sentence
    out = norm(text, "ur").text
    assert out == "یہ کتاب اس نے دیکہی"
    assert not set("يكه") & set(out)


def test_arabic_text_keeps_arabic_letters() -> None:
    text = "قال المتحدث إن الكتاب في المكتبة"
    assert norm(text, "ar").text == text
    assert norm("كتاب یک", "ar").text == "كتاب يك"  # a Persian yeh and keheh become Arabic


def test_persian_keeps_zwnj_urdu_drops_it() -> None:
    word = "می" + ZWNJ + "روم"
    assert norm(word, "fa").text == word
    assert norm(word, "ur").text == "میروم"
    assert norm("ها" + ZWNJ + "ي", "fa").text == "ها" + ZWNJ + "ی"


def test_digits_of_every_script_become_ascii() -> None:
    assert norm("۲۰۲۴ میں").text == "2024 میں"
    assert norm("٢٠٢٤ و ١٠").text == "2024 و 10"
    assert norm("वर्ष २०२४").text == "वर्ष 2024"
    assert norm("۱۰٬۰۰۰ اور ۱۲٫۵٪، ٹھیک").text == "10,000 اور 12.5%، ٹھیک"
    nt = norm("سال ۱۴۰۳")
    assert back(nt, "سال ۱۴۰۳", 4, 8) == "۱۴۰۳"


def test_tatweel_removed_and_offsets_skip_it() -> None:
    text = "پاکـــستان"
    nt = norm(text, "ur")
    assert nt.text == "پاکستان"
    assert back(nt, text, 0, len(nt.text)) == text
    assert nt.to_orig == [0, 1, 2, 6, 7, 8, 9, 10]


def test_rlo_in_a_name_is_removed_and_span_maps_to_the_name() -> None:
    text = "صدر " + RLO + "Putin" + PDF + " نے کہا"
    nt = norm(text, "ur")
    assert nt.text == "صدر Putin نے کہا"
    start = nt.text.index("Putin")
    s, e = nt.orig_span(start, start + 5)
    assert text[s:e] == "Putin"  # the override mark before the name is not part of it


def test_invisible_marks_around_names_stay_outside_their_spans() -> None:
    text = "صدر Putin" + RLM + LRM + "، " + RLM + "Putin" + RLM + " نے"
    nt = norm(text, "ur")
    assert nt.text == "صدر Putin، Putin نے"
    first = nt.text.index("Putin")
    second = nt.text.index("Putin", first + 1)
    assert back(nt, text, first, first + 5) == "Putin"
    assert back(nt, text, second, second + 5) == "Putin"


def test_bidi_marks_and_spaces() -> None:
    text = LRM + "Dawn" + RLM + NBSP + "اخبار" + "\u2009" + "\u2066x\u2069"
    assert norm(text, "ur").text == "Dawn اخبار x"


def test_punctuation_of_arabic_script_is_kept() -> None:
    text = "کیا؟ ہاں، ٹھیک؛ ختم۔"
    assert norm(text, "ur").text == text


def test_nfc_composes_decomposed_vietnamese_and_maps_to_the_cluster() -> None:
    text = unicodedata.normalize("NFD", "Dân Trí")
    nt = norm(text, "vi")
    assert nt.text == "Dân Trí"
    assert back(nt, text, 1, 2) == "a\u0302"
    assert back(nt, text, 4, 7) == unicodedata.normalize("NFD", "Trí")


def test_presentation_forms_expand_and_keep_group() -> None:
    text = "\ufefb"  # LAM WITH ALEF ligature, isolated form
    nt = norm(text, "ur")
    assert nt.text == "لا"
    assert nt.to_orig == [0, 0, 1]
    assert nt.orig_span(0, 2) == (0, 1)


def test_hamza_composition_then_urdu_letter() -> None:
    # HEH + HAMZA ABOVE composes (NFC) to HEH WITH YEH ABOVE, which Urdu spells with HEH GOAL
    nt = norm("ه\u0654", "ur")
    assert nt.text == "ۂ"
    assert nt.to_orig == [0, 2]


def test_unknown_language_gets_common_rules_only() -> None:
    assert norm("يك ۲", None).text == "يك 2"
    assert norm_table(None).version == "norm1/und"
    assert norm_table("en").name == "und"  # no letter table for English


def test_leading_removed_characters_belong_to_nothing() -> None:
    text = RLM + RLM + "abc" + ZWJ
    nt = norm(text)
    assert nt.text == "abc"
    assert nt.to_orig == [2, 3, 4, 6]


def test_empty_and_all_invisible() -> None:
    assert norm("").to_orig == [0]
    nt = norm(ZWJ + RLM)
    assert nt.text == "" and nt.to_orig == [2]


# ----- the stage ---------------------------------------------------------------------------------

def test_stage_uses_the_article_language() -> None:
    pipe = Pipeline([NORMALISE])
    art = Article(text="يہ ٢٠٢٤")
    art.language = "ur"
    pipe.process(art)
    assert art.norm is not None and art.norm.text == "یہ 2024"
    assert art.norm.version == "norm1/ur"
    assert art.stages["normalise"] == NORMALISE.version
    other = Article(text="يہ ٢٠٢٤")
    pipe.process(other)
    assert other.norm is not None and other.norm.text == "يہ 2024" and other.norm.version == "norm1/und"


def test_stage_contract() -> None:
    assert NORMALISE.name == "normalise"
    assert NORMALISE.requires == frozenset({"text"})
    assert NORMALISE.assigns == frozenset({"norm"})


# ----- folding -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        ("Dân Trí", "dan tri"),
        ("ĐÀ NẴNG", "da nang"),
        ("مُحَمَّد", "محمد"),
        ("أحمد", "احمد"),
        ("إيران", "ایران"),
        ("كراچي", "کراچی"),
        ("مكة", "مکہ"),
        ("Straße", "strasse"),
        ("Ёлка", "елка"),
        ("ZÜRICH", "zurich"),
        ("می" + ZWNJ + "روم", "میروم"),
        ("۲۰۲۴", "2024"),
    ],
)
def test_fold_for_matching_meets_spellings(a: str, b: str) -> None:
    assert fold_for_matching(a) == fold_for_matching(b)


def test_fold_keeps_short_i_of_russian() -> None:
    assert fold_for_matching("Йошкар") == "йошкар"
    assert fold_for_matching("й") != fold_for_matching("и")


def test_fold_with_map_points_into_the_input() -> None:
    text = "Thủ tướng Phạm Minh Chính nói"
    ft = fold_with_map(text)
    at = ft.text.index("pham minh chinh")
    s, e = ft.orig_span(at, at + len("pham minh chinh"))
    assert text[s:e] == "Phạm Minh Chính"


def test_fold_with_map_expansion_and_removal() -> None:
    text = "Straße مُحَمَّد"
    ft = fold_with_map(text)
    assert ft.text == "strasse محمد"
    at = ft.text.index("محمد")
    assert text[slice(*ft.orig_span(at, at + 4))] == "مُحَمَّد"
    assert text[slice(*ft.orig_span(0, 7))] == "Straße"


def test_compose_maps_fold_of_norm_to_original() -> None:
    original = "صدر " + RLO + "Pútin" + PDF + " نے"
    nt = norm(original, "ur")
    both = compose(nt, fold_with_map(nt.text))
    at = both.text.index("putin")
    assert original[slice(*both.orig_span(at, at + 5))] == "Pútin"
    assert fold_norm(nt).to_orig == both.to_orig


def test_hindi_digits_and_nukta() -> None:
    text = "क़ानून २०२४ में"  # QA may come precomposed or as KA + NUKTA
    nt = norm(text, "hi")
    assert nt.text.endswith("2024 में") and unicodedata.is_normalized("NFC", nt.text)
    assert fold_for_matching("\u0958ानून") == fold_for_matching("कानून")


# ----- the data ----------------------------------------------------------------------------------

def _data_files(name: str) -> list[Path]:
    return sorted(LANGS.glob(f"*/{name}"))


@pytest.mark.parametrize("path", _data_files("normalise.json") + _data_files("fold.json"), ids=str)
def test_tables_name_their_source_and_hold_single_characters(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data.get("_source"), f"{path} must name its source and licence"
    for key in list(data.get("letters", {})) + list(data.get("delete", {})) + list(data.get("replace", {})):
        assert len(code_point(key)) == 1
    for key in data.get("keep", []):
        assert len(code_point(key)) == 1


def test_letter_tables_stay_in_their_script() -> None:
    for path in _data_files("normalise.json"):
        for src, dst in json.loads(path.read_text(encoding="utf-8")).get("letters", {}).items():
            assert char_script(src) == char_script(dst[0]), (path, src, dst)


# ----- properties --------------------------------------------------------------------------------

ALPHABET = (
    "يیىكکهہھۃةۀۂئاآأ"  # Arabic-script letters and variants
    "\u064b\u064e\u0650\u0651\u0654\u0670"  # harakat, hamza above, superscript alef
    "abcéeE\u0301\u0302\u0323ßİ"  # Latin with combining accents
    "कक़\u093c\u0958"  # Devanagari with nukta
    "٠١۲۳०५09٫٬٪"  # digits and Arabic separators
    "\u0640\u200b\u200c\u200d\u2060\ufeff\u00ad"  # tatweel and invisible characters
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi controls
    " \u00a0\u2009\n،؟۔.\ufefb\ufef5\uff21"  # spaces, punctuation, presentation and full-width forms
)
texts = st.text(alphabet=ALPHABET, max_size=40)
languages = st.sampled_from([None, "ur", "fa", "ar", "en"])


def groups(nt: NormText) -> list[tuple[int, int]]:
    """Runs of normalised characters that share an original start (expansions, NFC clusters)."""
    bounds = [i for i in range(len(nt.text)) if i == 0 or nt.to_orig[i] != nt.to_orig[i - 1]]
    return list(zip(bounds, bounds[1:] + [len(nt.text)]))


def check_map(original: str, nt: NormText, again: object) -> None:
    m = nt.to_orig
    assert len(m) == len(nt.text) + 1
    assert m[-1] == len(original)
    assert all(a <= b for a, b in zip(m, m[1:]))
    assert all(0 <= x <= len(original) for x in m)
    for s, e in groups(nt):
        piece = original[m[s] : m[e]]
        assert again(piece) == nt.text[s:e], (piece, nt.text[s:e])


@settings(max_examples=300, deadline=None)
@given(texts, languages)
def test_normalise_map_is_monotonic_and_round_trips(text: str, lang: str | None) -> None:
    table = norm_table(lang)
    nt = normalise(text, table)
    check_map(text, nt, lambda piece: normalise(piece, table).text)
    assert unicodedata.is_normalized("NFC", nt.text)
    assert normalise(nt.text, table).text == nt.text  # idempotent


@settings(max_examples=300, deadline=None)
@given(texts)
def test_fold_map_is_monotonic_and_round_trips(text: str) -> None:
    ft = fold_with_map(text)
    check_map(text, ft, fold_for_matching)
    assert fold_for_matching(ft.text) == ft.text  # idempotent
