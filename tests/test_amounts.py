"""The amounts stage: numbers, scales, currencies, units, qualifiers and counted objects."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from khabar.model import Article, DateRef
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages.amounts import AMOUNTS, find_amounts
from khabar.text.numbers import find_numbers, parse_number


@pytest.mark.parametrize("text,lang,value", [
    ("10,000", "en", 10000), ("1.2", "en", 1.2), ("۱۰٬۰۰۰", "ur", 10000), ("۱۲٫۵", "ur", 12.5),
    ("twenty-five", "en", 25), ("two hundred and fifty", "en", 250), ("a dozen", "en", 12),
    ("three million", "en", 3e6), ("1.2 billion", "en", 1.2e9), ("پانچ", "ur", 5), ("دس", "ur", 10),
    ("ایک سو", "ur", 100), ("ایک سو بیس", "ur", 120), ("دس ہزار", "ur", 1e4), ("5 لاکھ", "ur", 5e5),
    ("2 کروڑ", "ur", 2e7), ("3 ارب", "ur", 3e9), ("ایک کھرب", "ur", 1e11), ("ڈیڑھ لاکھ", "ur", 1.5e5),
    ("3 کروڑ 50 لاکھ", "ur", 3.5e7), ("1,00,000", "ur", 1e5),
])
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == pytest.approx(value)


def test_separate_numbers_stay_separate() -> None:
    assert [m.value for m in find_numbers("2024 10 and 5", "en")] == [2024, 10, 5]


def _amounts(text: str, lang: str) -> list[tuple[str, float, str | None, str | None, str | None]]:
    return [(text[a.start : a.end], a.value, a.qualifier, a.unit, a.object) for a in find_amounts(text, lang)]


EN = [
    ("more than 10,000 troops arrived", ("more than 10,000", 10000, "more_than", None, "troops")),
    ("over 300 people", ("over 300", 300, "more_than", None, "people")),
    ("at least 12 soldiers", ("at least 12", 12, "at_least", None, "soldiers")),
    ("nearly 40% of voters", ("nearly 40%", 40, "about", "percent", None)),
    ("almost 90 percent", ("almost 90 percent", 90, "about", "percent", None)),
    ("about 2,000 homes", ("about 2,000", 2000, "about", None, "homes")),
    ("around five villages", ("around five", 5, "about", None, "villages")),
    ("approximately 3 million refugees", ("approximately 3 million", 3e6, "about", None, "refugees")),
    ("up to 200 megawatts", ("up to 200 megawatts", 200, "up_to", "MW", None)),
    ("less than 50 km away", ("less than 50 km", 50, "less_than", "km", None)),
    ("fewer than twenty-five students", ("fewer than twenty-five", 25, "less_than", None, "students")),
    ("some 400 tonnes of wheat", ("some 400 tonnes", 400, "about", "tonne", None)),
    ("$5bn in aid", ("$5bn", 5e9, None, "USD", None)),
    ("Rs.500 fine", ("Rs.500", 500, None, "rupee", "fine")),
    ("€3 million loan", ("€3 million", 3e6, None, "EUR", "loan")),
    ("£20 tickets", ("£20", 20, None, "GBP", "tickets")),
    ("PKR 1,000 fee", ("PKR 1,000", 1000, None, "PKR", "fee")),
    ("a dozen eggs", ("a dozen", 12, None, None, "eggs")),
    ("three ships", ("three", 3, None, None, "ships")),
    ("2.5 bn dollars", ("2.5 bn dollars", 2.5e9, None, "USD", None)),
]


@pytest.mark.parametrize("text,expected", EN)
def test_english_amounts(text: str, expected: tuple) -> None:
    assert _amounts(text, "en") == [expected]


UR = [
    ("10,000 سے زیادہ فوجی بھیجے", ("10,000 سے زیادہ", 10000, "more_than", None, "فوجی")),
    ("500 سے زائد مکانات", ("500 سے زائد", 500, "more_than", None, "مکانات")),
    ("تقریباً 300 افراد", ("تقریباً 300", 300, "about", None, "افراد")),
    ("لگ بھگ دو ہزار مظاہرین", ("لگ بھگ دو ہزار", 2000, "about", None, "مظاہرین")),
    ("کم از کم دس ہلاکتیں", ("کم از کم دس", 10, "at_least", None, "ہلاکتیں")),
    ("100 سے کم طلبہ", ("100 سے کم", 100, "less_than", None, "طلبہ")),
    ("50 ارب روپے تک", ("50 ارب روپے تک", 5e10, "up_to", "rupee", None)),
    ("۱۲ فیصد اضافہ", ("۱۲ فیصد", 12, None, "percent", "اضافہ")),
    ("200 میگاواٹ بجلی", ("200 میگاواٹ", 200, None, "MW", "بجلی")),
    ("پانچ کلومیٹر دور", ("پانچ کلومیٹر", 5, None, "km", "دور")),
    ("3 لاکھ ڈالر امداد", ("3 لاکھ ڈالر", 3e5, None, "USD", "امداد")),
    ("پانچ افراد ہلاک", ("پانچ", 5, None, None, "افراد")),
]


@pytest.mark.parametrize("text,expected", UR)
def test_urdu_amounts(text: str, expected: tuple) -> None:
    assert _amounts(text, "ur") == [expected]


@pytest.mark.parametrize("text,lang", [
    ("On 29 November 2024 they met", "en"), ("call +92 300 1234567 now", "en"),
    ("see https://example.com/2024/11/29/100 now", "en"), ("F-16 jets and COVID-19", "en"),
    ("1. first point", "en"), ("at 15:42 local time", "en"), ("one of them said", "en"),
    ("29 نومبر کو", "ur"), ("سن 2017 میں", "ur"), ("نو کوانگ چول", "ur"), ("ایک بیان میں", "ur"),
    ("تبصرہ (0)", "ur"), ("دو دن پہلے", "ur"),
])
def test_not_amounts(text: str, lang: str) -> None:
    assert find_amounts(text, lang) == []


def test_rule_names_and_object_offsets() -> None:
    text = "more than 10,000 troops"
    a = find_amounts(text, "en")[0]
    assert a.rule == "amounts.digits@1"
    assert text[a.object_start : a.object_end] == "troops"  # type: ignore[misc]
    assert find_amounts("three ships", "en")[0].rule == "amounts.words@1"


def test_stage_skips_date_spans_and_maps_through_norm() -> None:
    art = Article(text="2024  میں 500 سے زیادہ فوجی", language="ur")
    norm_text = "2024 میں 500 سے زیادہ فوجی"
    art.norm = _norm(art.text, norm_text)
    art.dates = [DateRef(0, 4, "dates.year@1", "2024", "year")]
    AMOUNTS.func(art, Context(Settings()))
    got = [(art.text[a.start : a.end], a.value, art.text[a.object_start : a.object_end]) for a in art.amounts]  # type: ignore[misc]
    assert got == [("500 سے زیادہ", 500, "فوجی")]


def _norm(orig: str, norm: str):  # a doubled space after position 4 folded into one
    from khabar.model import NormText

    to_orig = list(range(5)) + [i + 1 for i in range(5, len(norm) + 1)]
    assert orig[to_orig[6]] == norm[6]
    return NormText(norm, to_orig)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789۱۲,. $%-()سےزیادہتقریباًہزارmorethanbillion\n")), max_size=60),
       st.sampled_from(["ur", "en"]))
def test_never_raises_and_spans_inside(text: str, lang: str) -> None:
    for a in find_amounts(text, lang):
        assert 0 <= a.start < a.end <= len(text)
        if a.object_start is not None:
            assert a.end <= a.object_start < a.object_end <= len(text)  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text(text: str) -> None:
    for a in find_amounts(text, "ur") + find_amounts(text, "en"):
        assert 0 <= a.start < a.end <= len(text)


@pytest.mark.shared
def test_seed_article(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    hits = [a for a in find_amounts(text, "ur") if a.value == 10000]
    assert len(hits) == 1
    a = hits[0]
    assert a.qualifier == "more_than"
    assert a.object and a.object_start is not None and a.object_start >= a.end
    assert text[a.object_start : a.object_end] == a.object
