"""The dates stage: Urdu and English forms (own sentences), the seed article, TimeML floor."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from khabar.langs import build_calendar
from khabar.model import Article, NormText
from khabar.pipeline import Context
from khabar.settings import Settings
from khabar.stages.dates import DATES, find_dates, parse_anchor

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = datetime.fromisoformat("2024-11-29T15:42:26+07:00")  # a Friday


def _one(text: str, lang: str, anchor: datetime | date | None = ANCHOR) -> tuple[str, str, str]:
    found = find_dates(text, lang, anchor)
    assert len(found) == 1, found
    d = found[0]
    return text[d.start : d.end], d.value, d.granularity


UR_CASES = [
    ("وہ 29 نومبر کو پہنچے", "29 نومبر", "2024-11-29", "day"),
    ("معاہدہ 3 مارچ 2021ء کو ہوا", "3 مارچ 2021ء", "2021-03-03", "day"),
    ("یکم دسمبر سے اجلاس", "یکم دسمبر", "2024-12-01", "day"),
    ("۱۵ اگست تک", "۱۵ اگست", "2024-08-15", "day"),
    ("وہ 20 اگسٹ کو آئے", "20 اگسٹ", "2024-08-20", "day"),
    ("گزشتہ جون میں دورہ ہوا", "گزشتہ جون", "2024-06", "month"),
    ("گذشتہ جنوری میں", "گذشتہ جنوری", "2024-01", "month"),
    ("پچھلے دسمبر میں", "پچھلے دسمبر", "2023-12", "month"),
    ("گزشتہ ہفتے ملاقات ہوئی", "گزشتہ ہفتے", "2024-W47", "week"),
    ("گزشتہ ماہ", "گزشتہ ماہ", "2024-10", "month"),
    ("پچھلے سال", "پچھلے سال", "2023", "year"),
    ("اگلے ہفتے", "اگلے ہفتے", "2024-W49", "week"),
    ("اگلے ماہ انتخابات ہوں گے", "اگلے ماہ", "2024-12", "month"),
    ("آئندہ سال", "آئندہ سال", "2025", "year"),
    ("رواں ماہ", "رواں ماہ", "2024-11", "month"),
    ("رواں سال", "رواں سال", "2024", "year"),
    ("جمعرات کو اجلاس ہوا", "جمعرات", "2024-11-28", "day"),
    ("جمعہ کو نماز کے بعد", "جمعہ", "2024-11-29", "day"),
    ("ہفتے کو جلسہ ہوا تھا", "ہفتے", "2024-11-23", "day"),
    ("بروز پیر", "پیر", "2024-11-25", "day"),
    ("اگلے منگل کو", "اگلے منگل", "2024-12-03", "day"),
    ("کل وزیر نے خطاب کیا تھا", "کل", "2024-11-28", "day"),
    ("کل وزیر خطاب کریں گے", "کل", "2024-11-30", "day"),
    ("آج اجلاس ہوا", "آج", "2024-11-29", "day"),
    ("پرسوں واقعہ پیش آیا", "پرسوں", "2024-11-27", "day"),
    ("دو دن پہلے", "دو دن پہلے", "2024-11-27", "day"),
    ("تین روز قبل", "تین روز قبل", "2024-11-26", "day"),
    ("5 دن پہلے", "5 دن پہلے", "2024-11-24", "day"),
    ("دو ہفتے بعد", "دو ہفتے بعد", "2024-W50", "week"),
    ("گزشتہ روز", "گزشتہ روز", "2024-11-28", "day"),
    ("یہ 2017ء میں ہوا", "2017ء", "2017", "year"),
    ("سن 2017 میں", "سن 2017", "2017", "year"),
    ("یہ 1999 میں ہوا", "1999", "1999", "year"),
    ("اس موسم گرما میں بارشیں کم ہوئیں", "اس موسم گرما", "2024-SU", "season"),
    ("گزشتہ موسم سرما میں گیس کم تھی", "گزشتہ موسم سرما", "2023-WI", "season"),
    ("اجلاس شام 5 بجے شروع ہوا", "شام 5 بجے", "2024-11-29T17:00", "time"),
    ("دھماکہ رات 2 بجے ہوا", "رات 2 بجے", "2024-11-29T02:00", "time"),
    ("کل صبح 10 بجے اجلاس ہوگا", "کل صبح 10 بجے", "2024-11-30T10:00", "time"),
    ("جمعرات کو دوپہر 2 بجے ملاقات ہوئی", "جمعرات کو دوپہر 2 بجے", "2024-11-28T14:00", "time"),
    ("یوم آزادی پر تقریب ہوئی", "یوم آزادی", "2024-08-14", "day"),
    ("گزشتہ سال جون میں سیلاب آیا", "گزشتہ سال جون", "2023-06", "month"),
]


@pytest.mark.parametrize("text,span,value,gran", UR_CASES)
def test_urdu_forms(text: str, span: str, value: str, gran: str) -> None:
    assert _one(text, "ur") == (span, value, gran)


EN_CASES = [
    ("They met on November 29.", "November 29", "2024-11-29", "day"),
    ("Signed on 29 November 2024 in Moscow", "29 November 2024", "2024-11-29", "day"),
    ("Since Nov. 29, 2023 nothing", "Nov. 29, 2023", "2023-11-29", "day"),
    ("on the 3rd of March 2020", "3rd of March 2020", "2020-03-03", "day"),
    ("They met on Friday", "Friday", "2024-11-29", "day"),
    ("They met on Tuesday", "Tuesday", "2024-11-26", "day"),
    ("They will meet on Tuesday", "Tuesday", "2024-12-03", "day"),
    ("The visit last June ended", "last June", "2024-06", "month"),
    ("talks last week", "last week", "2024-W47", "week"),
    ("talks next month", "next month", "2024-12", "month"),
    ("sales rose last year", "last year", "2023", "year"),
    ("two days ago", "two days ago", "2024-11-27", "day"),
    ("a week ago", "a week ago", "2024-W47", "week"),
    ("He spoke yesterday", "yesterday", "2024-11-28", "day"),
    ("He speaks today", "today", "2024-11-29", "day"),
    ("He speaks tomorrow", "tomorrow", "2024-11-30", "day"),
    ("built in 2017", "2017", "2017", "year"),
    ("released 2024-11-29 at noon", "2024-11-29 at noon", "2024-11-29T12:00", "time"),
    ("earlier this month", "earlier this month", "2024-11", "month"),
    ("this year", "this year", "2024", "year"),
    ("In March, prices fell", "March", "2024-03", "month"),
    ("in June 2019", "June 2019", "2019-06", "month"),
    ("profit in the third quarter", "third quarter", "2024-Q3", "quarter"),
    ("last night", "last night", "2024-11-28TNI", "time"),
    ("the shop closed at 10 p.m. Wednesday", "10 p.m. Wednesday", "2024-11-27T22:00", "time"),
    ("talks broke off at noon Thursday", "noon Thursday", "2024-11-28T12:00", "time"),
    ("the offer expires at 5 p.m. EST, Dec. 6", "5 p.m. EST, Dec. 6", "2024-12-06T17:00", "time"),
    ("it happened yesterday at 6:45 a.m.", "yesterday at 6:45 a.m.", "2024-11-28T06:45", "time"),
    ("they left at 4 in the morning", "4 in the morning", "2024-11-29T04:00", "time"),
    ("the vitriol of the late 1980s", "1980s", "198", "decade"),
    ("prices through the nineties", "nineties", "199", "decade"),
    ("a 20th century democrat", "20th century", "19", "century"),
    ("he was found on Thanksgiving Day", "Thanksgiving Day", "2024-11-28", "day"),
    ("since last Christmas", "last Christmas", "2023-12-25", "day"),
    ("officials said over the weekend", "the weekend", "2024-W47-WE", "week"),
    ("its current share of the market", "current", "PRESENT_REF", "ref"),
    ("the trend of recent years", "recent years", "PAST_REF", "ref"),
    ("sales in the current fiscal year", "current fiscal year", "2024", "year"),
    ("its 1990 invasion of Kuwait", "1990", "1990", "year"),
    ("in nineteen ninety-one he was convicted", "nineteen ninety-one", "1991", "year"),
    ("by the year two thousand", "the year two thousand", "2000", "year"),
    ("January nineteen ninety-seven", "January nineteen ninety-seven", "1997-01", "month"),
    ("it began in February this year", "February this year", "2024-02", "month"),
    ("he was shot last Oct. 23", "Oct. 23", "2024-10-23", "day"),
    ("the company's 1989 results", "1989", "1989", "year"),
]


@pytest.mark.parametrize("text,span,value,gran", EN_CASES)
def test_english_forms(text: str, span: str, value: str, gran: str) -> None:
    assert _one(text, "en") == (span, value, gran)


def test_year_inference_prefers_the_past_but_not_far_future() -> None:
    assert _one("on 5 December", "en")[1] == "2024-12-05"  # six days ahead: this year
    assert _one("on 20 October", "en", date(2024, 1, 3))[1] == "2023-10-20"
    assert _one("on 3 January", "en", date(2024, 12, 28))[1] == "2025-01-03"


def test_no_anchor_keeps_absolute_dates_only() -> None:
    found = find_dates("On 29 November 2024 and 5 June, last week, in 2019.", "en", None)
    assert [(d.value, d.granularity) for d in found] == [("2024-11-29", "day"), ("XXXX-06-05", "day"), ("2019", "year")]


@pytest.mark.parametrize("text,lang", [
    ("he may come back", "en"), ("march forward", "en"), ("آج کل مہنگائی ہے", "ur"),
    ("کل تعداد 50 ہے", "ur"), ("10 محرم کو جلوس نکلا", "ur"), ("پیر صاحب آئے", "ur"),
    ("10,000 troops", "en"), ("2500 سے زیادہ", "ur"),
])
def test_not_dates(text: str, lang: str) -> None:
    assert find_dates(text, lang, ANCHOR) == []


def test_year_ago_is_a_quarter_in_quarterly_results() -> None:
    quarterly = "Profit in the third quarter rose to $5 million from $4 million a year ago."
    assert [d.value for d in find_dates(quarterly, "en", ANCHOR)] == ["2024-Q3", "2023-Q3"]
    plain = "Wages were 3.8 percent higher than a year earlier."
    assert [d.value for d in find_dates(plain, "en", ANCHOR)] == ["2023"]
    assert _one("net fell from the year-ago quarter", "en")[1:] == ("2023-Q3", "quarter")


@pytest.mark.parametrize("text,lang", [
    ("he is in his nineties", "en"), ("over the past year", "en"), ("Room 1990 is closed", "en"),
    ("2,000 troops at 10", "en"), ("they march this march", "en"), ("two thousand troops", "en"),
    ("twenty five people", "en"), ("nineteen people died", "en"),
])
def test_more_not_dates(text: str, lang: str) -> None:
    assert find_dates(text, lang, ANCHOR) == []


def test_clock_without_anchor_keeps_an_unknown_day() -> None:
    assert [d.value for d in find_dates("at 3 p.m.", "en", None)] == ["XXXX-XX-XXT15:00"]
    assert [d.value for d in find_dates("at 3 p.m. on 5 June 2020", "en", None)] == ["2020-06-05T15:00"]


def test_rule_and_relative_flags() -> None:
    d = find_dates("گزشتہ جون میں", "ur", ANCHOR)[0]
    assert d.rule == "dates.relative-month@2" and d.relative
    d = find_dates("29 نومبر 2024", "ur", ANCHOR)[0]
    assert d.rule == "dates.day-month@2" and not d.relative


def test_clock_time_in_iso_gets_the_anchor_offset() -> None:
    d = find_dates("at 2024-11-29 15:42 local", "en", ANCHOR)[0]
    assert (d.value, d.granularity) == ("2024-11-29T15:42+07:00", "time")


def test_unknown_language_gives_nothing() -> None:
    assert find_dates("29 November 2024", "xx", ANCHOR) == []


def test_parse_anchor() -> None:
    assert parse_anchor("2024-11-29") == datetime(2024, 11, 29)
    assert parse_anchor("2024-11-29T08:00:00Z").utcoffset() is not None  # type: ignore[union-attr]
    assert parse_anchor("not a date") is None and parse_anchor(None) is None


def test_stage_maps_offsets_back_through_norm() -> None:
    original = "اجلاس  ۲۹ نومبر کو ہوا"
    norm_text = "اجلاس ۲۹ نومبر کو ہوا"  # a doubled space folded
    to_orig = list(range(6)) + [i + 1 for i in range(6, len(norm_text) + 1)]
    art = Article(text=original, language="ur", published="2024-11-29T10:00:00+05:00")
    art.norm = NormText(norm_text, to_orig)
    DATES.func(art, Context(Settings()))
    assert [(original[d.start : d.end], d.value) for d in art.dates] == [("۲۹ نومبر", "2024-11-29")]


def test_stage_falls_back_to_fetched_at_and_text() -> None:
    art = Article(text="گزشتہ ماہ", language="ur", fetched_at="2024-03-10T00:00:00+00:00")
    DATES.func(art, Context(Settings()))
    assert [d.value for d in art.dates] == ["2024-02"]


@pytest.mark.parametrize("code", ["ur", "en"])
def test_calendar_json_is_what_the_generator_writes(code: str) -> None:
    path = ROOT / "khabar" / "langs" / code / "calendar.json"
    assert path.read_text(encoding="utf-8") == build_calendar.render(code)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789۰۱۲۹ ,.-/:نومبرجگزشتہکلآNovemberlastago\n")), max_size=60),
       st.sampled_from(["ur", "en"]))
def test_never_raises_and_spans_inside(text: str, lang: str) -> None:
    for anchor in (ANCHOR, None):
        for d in find_dates(text, lang, anchor):
            assert 0 <= d.start < d.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text(text: str) -> None:
    for d in find_dates(text, "ur", ANCHOR) + find_dates(text, "en", ANCHOR):
        assert 0 <= d.start < d.end <= len(text)


@pytest.mark.shared
def test_seed_article(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    found = find_dates(text, "ur", ANCHOR)
    values = {(d.value, d.granularity) for d in found}
    assert ("2024-11-29", "day") in values
    assert ("2024-06", "month") in values
    for d in found:  # postpositions stay outside the spans
        assert not text[d.start : d.end].endswith(("کو", "میں", "سے", "تک"))


@pytest.mark.slow
@pytest.mark.shared
def test_timeml_value_f1_floor(shared: Path) -> None:
    from khabar.evaluate.dates import DEFAULT_SUBDIR, evaluate

    floors = json.loads((ROOT / "tests" / "floors.json").read_text(encoding="utf-8"))
    report = evaluate(shared / DEFAULT_SUBDIR, limit=40)
    assert report.files == 40
    assert report.overall.figures()["value_f1"] >= floors["dates_value_f1"]
