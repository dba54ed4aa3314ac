"""The dates stage: date expressions, normalised against the article's time.

``find_dates(text, lang, anchor)`` is the pure function; the stage runs it on the normalised text
and maps offsets back to ``Article.text``. Every rule is a regular expression built from the
language pack (``calendar.json``: CLDR month and weekday names; ``dates.json``: curated variants
and cue words), so the code never branches on a language. See docs/dates-amounts.md for the
decisions (year inference, ``کل``, what happens without an anchor).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator

from ..langs import pack
from ..model import Article, DateRef
from ..pipeline import Context, stage
from ..text.calendar import (DateData, add_months, clock_hhmm, closest, date_data, day_or_none, holiday_date,
                             infer_day, iso_week, spoken_year)
from ..text.numbers import LEFT, RIGHT, find_numbers, number_spec

VERSION = "2"
_SPACE = r"(?:[ \t\u00a0]+\n?[ \t\u00a0]*|\n[ \t\u00a0]*)"  # white space, at most one line break
_COMMA = r"[ \t\u00a0]*,?[ \t\u00a0]*\n?[ \t\u00a0]*"


# ----- values ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """A resolved date: ISO text, granularity, whether the anchor was needed, clock attached."""

    iso: str
    granularity: str
    relative: bool = False
    clock: bool | None = None


class Resolved:
    """Markers for matches that give no value: SKIP drops the match, BLOCK keeps it as a blocker."""

    SKIP = Value("", "skip")
    BLOCK = Value("", "block")


def _month_of(g: dict[str, Any], d: DateData) -> int | None:
    return d.month_of.get((g.get("mon") or "").lower())


def _v_absolute(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    if rule == "iso":
        y, m, dd = int(g["y"]), int(g["m"]), int(g["d"])
    elif rule == "numeric":
        a, b = int(g["a"]), int(g["b"])
        m, dd = (a, b) if d.numeric_order == "mdy" else (b, a)
        y = int(g["y"])
    else:
        mon = _month_of(g, d)
        if mon is None or mon == 0:
            return Resolved.BLOCK
        m = mon
        dd = int(g["d"]) if g.get("d") else d.day_words.get((g.get("dw") or "").lower(), 0)
        if not g.get("y"):
            if anchor is None:
                # a day some year has (2000 is a leap year: 29 February is kept, 30 February is not)
                return Value(f"XXXX-{m:02d}-{dd:02d}", "day") if day_or_none(2000, m, dd) else Resolved.SKIP
            got = infer_day(m, dd, anchor, future)
            return Value(got.isoformat(), "day", True) if got else Resolved.SKIP
        y = int(g["y"])
    day = day_or_none(y, m, dd)
    if day is None:
        return Resolved.SKIP
    if g.get("hh") is not None and int(g["hh"]) < 24 and int(g["mi"]) < 60:
        return Value(f"{day.isoformat()}T{int(g['hh']):02d}:{int(g['mi']):02d}", "time", False, True)
    return Value(day.isoformat(), "day")


def _v_month(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    mon = _month_of(g, d)
    if mon is None or mon == 0:
        return Resolved.BLOCK
    if rule == "month-year":
        return Value(f"{int(g['y']):04d}-{mon:02d}", "month")
    if anchor is None:
        return Resolved.SKIP
    if rule == "relative-month" and g.get("last"):
        y = anchor.year if mon < anchor.month else anchor.year - 1
    elif rule == "relative-month" and g.get("next"):
        y = anchor.year if mon > anchor.month else anchor.year + 1
    elif rule == "relative-month":
        y = anchor.year
    else:
        cands = [(anchor.year + k, (anchor.year + k) * 12 + mon) for k in (-1, 0, 1)]
        y = cands[closest(cands, anchor.year * 12 + anchor.month, future)][0]
    return Value(f"{y:04d}-{mon:02d}", "month", True)


def _shift(unit: str, n: int, anchor: date) -> Value:
    """The anchor moved by ``n`` units, at that unit's granularity."""
    if unit in ("day", "night"):
        return Value((anchor + timedelta(days=n)).isoformat(), "day", True)
    if unit in ("week", "weekend"):
        return Value(iso_week(anchor + timedelta(weeks=n)) + ("-WE" if unit == "weekend" else ""), "week", True)
    if unit == "month":
        y, m = add_months(anchor.year, anchor.month, n)
        return Value(f"{y:04d}-{m:02d}", "month", True)
    if unit == "quarter":
        q = anchor.year * 4 + (anchor.month - 1) // 3 + n
        return Value(f"{q // 4:04d}-Q{q % 4 + 1}", "quarter", True)
    return Value(f"{anchor.year + n:04d}", "year", True)


def _count(text: str, d: DateData) -> int | None:
    if text.isdigit():
        return int(text)
    found = find_numbers(text, d.lang)
    if len(found) == 1 and found[0].end - found[0].start == len(text):
        return int(found[0].value) if found[0].value == int(found[0].value) else None
    return 1 if text.lower() in number_spec(d.lang).one_before_scale else None


def _v_relative(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    if anchor is None:
        return Resolved.SKIP
    if rule == "relative-unit":
        n = -1 if g.get("last") else 1 if g.get("next") else 0
        return _shift(d.unit_of.get(g["unit"].lower(), "day"), n, anchor)
    if rule == "offset":
        k = _count(g["num"], d)
        if k is None or k > 1000:
            return Resolved.SKIP
        return _shift(d.unit_of.get(g["unit"].lower(), "day"), -k if g.get("ago") else k, anchor)
    word = g["deictic"].lower()
    n = d.deictic.get(word, 0)
    if word in d.deictic_ambiguous:
        n = n if future else -n
    return _shift("day", n, anchor)


def _v_weekday(g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    wd = d.weekday_of.get((g.get("wd") or "").lower())
    if anchor is None or wd is None:
        return Resolved.SKIP
    back = (anchor.weekday() - wd) % 7
    ahead = (wd - anchor.weekday()) % 7
    if g.get("last"):
        day = anchor - timedelta(days=back or 7)
    elif g.get("next"):
        day = anchor + timedelta(days=ahead or 7)
    elif g.get("this"):
        day = anchor + timedelta(days=wd - anchor.weekday())
    else:
        day = anchor + timedelta(days=ahead) if future else anchor - timedelta(days=back)
    return Value(day.isoformat(), "day", True)


def _with_part(v: Value, g: dict[str, Any], d: DateData) -> Value:
    """A day value with a part of the day attached (``yesterday morning`` -> ``...TMO``)."""
    part = d.part_of.get((g.get("part") or "").lower())
    if part is None or v.granularity != "day":
        return v
    return Value(f"{v.iso}T{part}", "time", v.relative)


def _v_period(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    """Parts of a day (this morning), seasons (last fall) and quarters (the third quarter)."""
    if rule == "ref":
        return Value(d.refs.get(g["ref"].lower(), ""), "ref", True) if anchor else Resolved.SKIP
    if g.get("y") is None and anchor is None:
        return Resolved.SKIP
    step = -1 if g.get("last") else 1 if g.get("next") else 0
    if rule == "relative-part":
        day = anchor + timedelta(days=step) if anchor else None
        return Value(f"{day}T{d.part_of.get(g['part'].lower(), '')}", "time", True) if day else Resolved.SKIP
    if rule == "season":
        code = d.season_of.get(g["season"].lower(), "")
        if g.get("y"):
            return Value(f"{int(g['y']):04d}-{code}", "season")
        first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}.get(code, 1)
        y = anchor.year + step if anchor else 0
        if step == -1 and anchor and first + 3 <= anchor.month:
            y = anchor.year
        return Value(f"{y:04d}-{code}", "season", True)
    if rule == "quarter-ref" and anchor is not None:
        q = anchor.year * 4 + (anchor.month - 1) // 3 + d.quarter_refs.get(g["qref"].lower(), 0)
        return Value(f"{q // 4:04d}-Q{q % 4 + 1}", "quarter", True)
    n = d.quarter_of.get(g["q"].lower(), 1)
    if g.get("y"):
        return Value(f"{int(g['y']):04d}-Q{n}", "quarter")
    cands = [(anchor.year + k, (anchor.year + k) * 4 + n) for k in (-1, 0, 1)] if anchor else []
    y = cands[closest(cands, anchor.year * 4 + (anchor.month - 1) // 3 + 1, future)][0] if anchor else 0
    return Value(f"{y:04d}-Q{n}", "quarter", True)


def resolve(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool,
            quarterly: bool = False) -> Value:
    """The value of a match of ``rule`` with groups ``g`` (or Resolved.SKIP / Resolved.BLOCK).

    ``future``: the sentence's nearest tense marker is a future one; ``quarterly``: the text before
    the match speaks of quarters (so ``a year ago`` is a quarter a year back).
    """
    if rule == "day-month-numeric":
        g = {**g, "mon": next((k for k, v in d.month_of.items() if v == int(g["b"])), None)}
    rule = _ALIASES.get(rule, rule)
    if rule in ("iso", "numeric", "day-month", "month-day"):
        return _v_absolute(rule, g, d, anchor, future)
    if rule in ("month-year", "relative-month", "month"):
        return _v_month(rule, g, d, anchor, future)
    if rule == "year":
        return Value(f"{int(g['y']):04d}", "year")
    if rule in ("ref", "relative-part", "season", "quarter", "quarter-ref"):
        return _v_period(rule, g, d, anchor, future)
    if rule == "weekday":
        return _v_weekday(g, d, anchor, future)  # "Friday night": the part stays in the span only
    if rule in _EXTRA_RULES:
        return _v_extra(rule, g, d, anchor, future, quarterly)
    return _with_part(_v_relative(rule, g, d, anchor, future), g, d)


_EXTRA_RULES = ("year-ago", "clock", "clock-named", "decade", "century", "nearest-unit", "holiday", "year-words",
                "month-rel-year", "rel-year-month")


def _v_extra(rule: str, g: dict[str, Any], d: DateData, anchor: date | None, future: bool,
             quarterly: bool) -> Value:
    """Year-ago comparisons, clock times, decades, centuries and ``the weekend``."""
    if rule == "decade":
        if g.get("dec"):
            return Value(g["dec"], "decade")
        return Value(f"19{g['dd']}" if g.get("dd") else f"19{d.decade_words[g['dw'].lower()]}", "decade")
    if rule == "century":
        n = int(g["cn"])
        return Value(f"{n - 1:02d}", "century") if 1 <= n <= 21 else Resolved.SKIP
    if rule in ("clock", "clock-named"):
        hhmm = clock_hhmm(g, d.clock)
        if hhmm is None:
            return Resolved.SKIP
        if g.get("deictic"):  # کل شام 5 بجے: the day word sets the day
            day = _v_relative("deictic", g, d, anchor, future).iso if anchor else ""
            return Value(f"{day}T{hhmm}", "time", True) if day else Resolved.SKIP
        day = anchor.isoformat() if anchor else "XXXX-XX-XX"
        return Value(f"{day}T{hhmm}", "time", anchor is not None)
    if rule == "holiday":
        return _v_holiday(g, d, anchor, future)
    if rule == "year-words":
        year = spoken_year(g["yc"], g.get("yt"), bool(g.get("pre")), d)
        return Value(f"{year:04d}", "year") if year is not None else Resolved.SKIP
    if rule in ("month-rel-year", "rel-year-month"):  # February this year, گزشتہ سال جون
        mon = _month_of(g, d)
        step = -1 if g.get("last") else 1 if g.get("next") else 0
        ok = anchor and mon and d.unit_of.get(g["unit"].lower()) == "year"
        return Value(f"{anchor.year + step:04d}-{mon:02d}", "month", True) if ok and anchor and mon else Resolved.SKIP
    if anchor is None:
        return Resolved.SKIP
    if rule == "nearest-unit":
        return _v_nearest(d.nearest_units[g["near"].lower()], anchor, future)
    kind = d.year_ago_periods.get((g.get("period") or "").lower(), "context")
    if kind == "quarter" or (kind == "context" and quarterly):
        return _shift("quarter", d.reported_quarter - 4, anchor)
    return _shift("year", -1, anchor)


def _v_holiday(g: dict[str, Any], d: DateData, anchor: date | None, future: bool) -> Value:
    """``Thanksgiving Day``, ``last Christmas``, ``Christmas 2019``: the day in the year meant."""
    spec = d.holidays[g["hol"].lower()]
    if g.get("y"):
        got = holiday_date(spec, int(g["y"]))
        return Value(got.isoformat(), "day") if got else Resolved.SKIP
    if anchor is None:
        return Resolved.SKIP
    days = [x for x in (holiday_date(spec, anchor.year + k) for k in (-1, 0, 1)) if x is not None]
    if g.get("last"):
        days = [x for x in days if x < anchor][-1:]
    elif g.get("next"):
        days = [x for x in days if x > anchor][:1]
    if not days:
        return Resolved.SKIP
    best = days[closest([(0, x.toordinal()) for x in days], anchor.toordinal(), future)]
    return Value(best.isoformat(), "day", True)


def _v_nearest(unit: str, anchor: date, future: bool) -> Value:
    """``the weekend``: the latest weekend on or before the anchor, or the coming one."""
    if unit == "weekend":
        back = 0 if future or anchor.weekday() >= 5 else -1
        return _shift("weekend", back, anchor)
    return _shift(unit, 0, anchor)


# ----- rules -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    rule: str
    value: Value | None  # None: recognised but not reported (Hijri dates); still blocks overlaps


@dataclass(frozen=True)
class _Rules:
    data: DateData
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    day_gap: re.Pattern[str]


def _year(d: DateData) -> str:
    return rf"(?P<y>\d{{4}})(?:[ \t]?(?:{d.year_suffix_re}))?(?!\d)(?![.,٫٬]\d)"


def _build_patterns(d: DateData) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One regular expression per rule, built from the language's data."""
    mon, wd, yr = d.month_re, d.weekday_re, _year(d)
    rel = rf"(?:(?P<last>{d.last_re})|(?P<next>{d.next_re})|(?P<this>{d.this_re}))"
    day = rf"(?:(?P<d>\d{{1,2}})(?:{d.day_suffix_re})?(?!\d)|(?P<dw>{d.day_word_re}))"
    join = rf"(?:{_SPACE}(?:{d.joiner_re}))?"
    num = rf"(?P<num>\d{{1,3}}|(?:{d.num_word_re})(?:[ \t-]+(?:{d.num_word_re})){{0,3}})"
    mod = rf"(?:(?P<mod>{d.modifier_re}){_SPACE})?"
    part = rf"(?:{_SPACE}(?P<part>{d.parts_re}){RIGHT})?"
    pats = {
        "iso": r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
        r"(?:[T ](?P<hh>\d{1,2}):(?P<mi>\d{2}))?(?![\d-])",
        "numeric": r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/-])",
        "day-month": rf"{LEFT}{day}{join}{_SPACE}(?P<mon>{mon}){RIGHT}(?:{_COMMA}{yr})?",
        "month-day": rf"{LEFT}(?P<mon>{mon}){RIGHT}{_SPACE}(?P<d>\d{{1,2}})(?:{d.day_suffix_re})?(?!\d)(?![:.,]\d)"
        rf"(?:{_COMMA}{yr})?",
        "month-year": rf"{LEFT}(?P<mon>{mon}){RIGHT}{_COMMA}(?:of{_SPACE})?{yr}",
        "relative-month": rf"{LEFT}{rel}{_SPACE}(?P<mon>{mon}){RIGHT}(?!\.?{_SPACE}\d)",
        "month": rf"{LEFT}(?P<mon>{mon}){RIGHT}",
        "year": rf"(?:{LEFT}(?P<pre>{d.year_prefix_re}){_SPACE})?(?<![\d$£€.,٫٬/])(?<![\d.,]-){yr}",
        "relative-unit": rf"{LEFT}{mod}{rel}{_SPACE}(?:(?:{d.unit_modifier_re}){_SPACE})?(?P<unit>{d.unit_re}){RIGHT}",
        "offset": rf"{LEFT}{num}{_SPACE}(?P<unit>{d.plural_unit_re}){RIGHT}{_SPACE}"
        rf"(?:(?P<ago>{d.ago_re})|(?P<later>{d.later_re})){RIGHT}",
        "deictic": rf"{LEFT}(?P<deictic>{d.deictic_re}){RIGHT}{part}",
        "weekday": rf"(?:{LEFT}(?P<pre>{d.weekday_before_re}){_SPACE})?(?:{LEFT}{rel}{_SPACE})?"
        rf"{LEFT}(?P<wd>{wd}){RIGHT}{part}(?P<post>{_SPACE}(?:{d.weekday_after_re}){RIGHT})?",
        "relative-part": rf"{LEFT}{rel}{_SPACE}(?P<part>{d.parts_re}){RIGHT}",
        "season": rf"{LEFT}(?:{rel}{_SPACE})?(?P<season>{d.seasons_re}){RIGHT}(?:{_COMMA}(?:of{_SPACE})?{yr})?",
        "quarter": rf"{LEFT}(?P<q>{d.quarters_re})[ \t-]+(?:{d.quarter_word_re}){RIGHT}"
        rf"(?:{_SPACE}(?:of|in){_SPACE}(?:fiscal{_SPACE})?{yr})?",
        "ref": rf"{LEFT}(?P<ref>{d.refs_re}){RIGHT}",
        "quarter-ref": rf"{LEFT}(?P<qref>{d.quarter_refs_re}){RIGHT}",
        **_extra_patterns(d),
    }
    return tuple((name, re.compile(p, re.IGNORECASE)) for name, p in pats.items())


def _extra_patterns(d: DateData) -> dict[str, str]:
    """Patterns for year-ago comparisons, clock times, decades, centuries and nearest units."""
    c = d.clock
    rel = rf"(?:(?P<last>{d.last_re})|(?P<next>{d.next_re})|(?P<this>{d.this_re}))"
    hour = r"(?P<hh>\d{1,2})(?:[:.](?P<mi>\d{2}))?(?![\d,])"
    zone = rf"(?:{_COMMA}\(?(?P<tz>{c.zones_re})\)?{RIGHT})?"
    return {
        "year-ago": rf"{LEFT}(?P<ya>{d.year_ago_re})(?:[ \t-]+(?P<period>{d.year_ago_period_re}))?{RIGHT}",
        "clock": rf"(?:{LEFT}(?P<deictic>{d.deictic_re}){_SPACE}(?={c.parts_before_re}))?"
        rf"(?:{LEFT}(?P<cpb>{c.parts_before_re}){_SPACE})?(?<![\d.,:$£€])(?<![\d.,][ \t]){hour}"
        rf"(?:[ \t]?(?P<ampm>{c.ampm_re})(?![a-z])|{_SPACE}(?P<ow>{c.words_re}){RIGHT})?"
        rf"(?:{_SPACE}(?P<cpa>{c.parts_after_re}){RIGHT})?{zone}",
        "clock-named": rf"{LEFT}(?P<named>{c.named_re}){RIGHT}{zone}",
        "decade": rf"(?:(?<![\d$£€.,/-])(?P<dec>\d{{3}})0|{LEFT}['’](?P<dd>\d)0)"
        rf"[ \t]?(?:{d.decade_suffix_re}){RIGHT}|{LEFT}(?<=the )(?P<dw>{d.decade_word_re}){RIGHT}",
        "century": rf"{LEFT}(?P<cn>\d{{1,2}})(?:{d.day_suffix_re})[ \t-]+(?:{d.century_word_re}){RIGHT}",
        "nearest-unit": rf"{LEFT}(?P<near>{d.nearest_units_re}){RIGHT}",
        "year-words": rf"(?:{LEFT}(?P<pre>{d.year_prefix_re}){_SPACE})?{LEFT}(?P<yc>{d.year_word_re})"
        rf"(?:[ \t-]+(?P<yt>(?:{d.num_word_re})(?:[ \t-](?:{d.num_word_re}))?))?{RIGHT}",
        "month-rel-year": rf"{LEFT}(?P<mon>{d.month_re}){RIGHT}{_SPACE}{rel}{_SPACE}(?P<unit>{d.unit_re}){RIGHT}",
        "rel-year-month": rf"{LEFT}{rel}{_SPACE}(?P<unit>{d.unit_re}){_SPACE}(?P<mon>{d.month_re}){RIGHT}(?!\.?{_SPACE}\d)",
        "holiday": rf"{LEFT}(?:{rel}{_SPACE})?(?P<hol>{d.holidays_re}){RIGHT}(?:{_COMMA}{_year(d)})?",
        **_postposed_patterns(d),
    }


def _postposed_patterns(d: DateData) -> dict[str, str]:
    """Relative words written after the noun ("June past", "year last": the pack's ``last_after``,
    ``next_after``, ``this_after``) and a year-less numeric day/month after a cue word ("day 29/11":
    ``numeric_day_month_cues``); all empty unless the pack lists those words."""
    rel = rf"(?:(?P<last>{d.last_after_re})|(?P<next>{d.next_after_re})|(?P<this>{d.this_after_re})){RIGHT}"
    return {
        "month-unit-rel-after": rf"{LEFT}(?P<mon>{d.month_re}){RIGHT}{_SPACE}(?P<unit>{d.unit_re}){_SPACE}{rel}",
        "month-rel-after": rf"{LEFT}(?P<mon>{d.month_re}){RIGHT}{_SPACE}{rel}",
        "unit-rel-after": rf"{LEFT}(?P<unit>{d.unit_re}){_SPACE}{rel}",
        "day-month-numeric": rf"{LEFT}(?P<pre>{d.numeric_dm_cue_re}){_SPACE}(?P<d>\d{{1,2}})(?P<sep>[/.-])"
        rf"(?P<b>\d{{1,2}})(?![\d/]|[.,-]\d)",
    }


# postposed rules resolve like their preposed twins; day-month-numeric like a year-less day-month
_ALIASES = {"month-unit-rel-after": "month-rel-year", "month-rel-after": "relative-month",
            "unit-rel-after": "relative-unit", "day-month-numeric": "day-month"}


@functools.lru_cache(maxsize=None)
def _rules(lang: str | None) -> _Rules | None:
    d = date_data(lang)
    return None if d is None else _Rules(d, _build_patterns(d), _day_gap(d))


# ----- tense -------------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[!?۔؟\n]|(?<![\s.][^\W\d_])\.")  # not the dots of a.m., U.S.


def _future(text: str, start: int, end: int, d: DateData) -> bool:
    """Whether the nearest tense marker in the sentence around [start, end) is a future one."""
    lo = max(0, start - 200)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    lo = ends[-1] if ends else lo
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 200))
    hi = stop.start() if stop else min(len(text), end + 200)
    best: tuple[int, bool] | None = None
    for m in d.tense_re.finditer(text, lo, hi):
        if start <= m.start() < end:
            continue
        dist = start - m.end() if m.end() <= start else m.start() - end
        is_future = m.group(0).lower() in d.future_markers
        if best is None or dist < best[0]:
            best = (dist, is_future)
    return bool(best and best[1])


# ----- one matcher per rule ------------------------------------------------------------------------
def _span(m: re.Match[str], rule: str) -> tuple[int, int]:
    """The reported span: cue words outside the expression (on, کو, in) are left out."""
    start, end = m.start(), m.end()
    groups = m.re.groupindex
    if "pre" in groups and m.group("pre") is not None and rule == "day-month-numeric":
        start = m.start("d")
    if "pre" in groups and m.group("pre") is not None and rule == "weekday":
        nxt = [m.start(g) for g in ("last", "next", "this", "wd") if m.group(g) is not None]
        start = min(nxt)
    if "post" in groups and m.group("post") is not None:
        end = m.start("post")
    return start, end


def _accept(m: re.Match[str], rule: str, text: str, d: DateData) -> bool:
    g = m.groupdict()
    if (g.get("mon") or "").lower() in d.month_ambiguous:
        if rule == "month":
            return False  # "may", "March" alone: too often a verb or a name
        if rule == "month-day" and not g.get("y") and not text[m.start("mon")].isupper():
            return False
    if rule in ("month", "relative-month") and g["mon"].lower() != g["mon"].upper() and not g["mon"][0].isupper():
        return False  # in a cased script a month name alone is capitalised (March, not march)
    if rule == "weekday" and (g["wd"] or "").lower() in d.weekday_ambiguous:
        return bool(g.get("pre") or g.get("post"))
    if rule == "season":
        return bool(g.get("y") or g.get("last") or g.get("next") or g.get("this"))
    if rule == "year":
        return _year_ok(m, text, d)
    if rule == "deictic":
        return _deictic_ok(m, text, d)
    if rule == "ref":
        return not d.refs_blocked_after_re.match(text, m.end())
    if rule == "clock":
        return bool(g.get("ampm") or g.get("ow") or g.get("cpa") or g.get("cpb"))
    return True


def _year_ok(m: re.Match[str], text: str, d: DateData) -> bool:
    y = int(m.group("y"))
    if not 1000 <= y <= 2100 or text[m.start("y") - 1 : m.start("y")] in ("#", "№"):
        return False
    if m.group("pre") or m.group(0).rstrip() != text[m.start("y") : m.start("y") + 4]:
        return True  # a prefix (سن) or a suffix (ء) marks it
    before = text[max(0, m.start() - 30) : m.start()]
    after = text[m.end() : m.end() + 30]
    return bool(d.year_before_re.search(before) or d.year_after_re.match(after))


def _deictic_ok(m: re.Match[str], text: str, d: DateData) -> bool:
    after = text[m.end() : m.end() + 40]
    if d.deictic_blocked_after_re.match(after):
        return False
    around = text[max(0, m.start() - 20) : m.end() + 20]
    return not any(p in around for p in d.deictic_blocked_phrases)


_CONTEXT = 800  # how far back (characters) a quarter word makes "a year ago" a quarter


def _candidates(text: str, r: _Rules, anchor: date | None) -> Iterator[_Cand]:
    for rule, pat in r.patterns:
        for m in pat.finditer(text):
            if not _accept(m, rule, text, r.data):
                continue
            start, end = _span(m, rule)
            future = _future(text, start, end, r.data)
            quarterly = rule == "year-ago" and bool(r.data.quarter_context_re.search(text, max(0, start - _CONTEXT), start))
            res = resolve(rule, m.groupdict(), r.data, anchor, future, quarterly)
            if res is Resolved.SKIP:
                continue
            yield _Cand(start, end, rule, None if res is Resolved.BLOCK else res)


def _select(cands: list[_Cand], text: str, r: _Rules) -> list[_Cand]:
    """Longest candidates first; a candidate overlapping a chosen one is dropped."""
    order = {name: i for i, name in enumerate(_RULE_ORDER)}
    chosen: list[_Cand] = []
    taken: list[tuple[int, int]] = []  # sorted, never overlapping: neighbours are enough to check
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), order.get(c.rule, 99), c.start)):
        i = bisect.bisect_left(taken, (c.start, c.end))
        if (i and taken[i - 1][1] > c.start) or (i < len(taken) and taken[i][0] < c.end):
            continue
        taken.insert(i, (c.start, c.end))
        chosen.append(c)
    return _merge(sorted((c for c in chosen if c.value is not None), key=lambda c: c.start), text, r.day_gap)


_DATED = ("iso", "numeric", "day-month", "month-day")
_CLOCKS = ("clock", "clock-named")
_WEEKDAY_GAP = re.compile(r"[ \t\u00a0]*[,،]?[ \t\u00a0]*")


def _merge(cands: list[_Cand], text: str, gap: re.Pattern[str]) -> list[_Cand]:
    """Join neighbours into one span: ``Friday, Oct. 23`` takes the date's value; a clock time
    next to a day (``10 p.m. Wednesday``, ``Nov. 9 at 5 p.m.``) takes that day."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        joined = _join(prev, c, text, gap) if prev is not None else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(c)
    return out


def _join(a: _Cand, b: _Cand, text: str, day_gap: re.Pattern[str]) -> _Cand | None:
    """``a`` and ``b`` as one candidate when they belong together, else None."""
    gap, av, bv = text[a.end : b.start], a.value, b.value
    if av is None or bv is None or not day_gap.fullmatch(gap):
        return None
    if a.rule == "weekday" and b.rule in _DATED and _WEEKDAY_GAP.fullmatch(gap):
        return _Cand(a.start, b.end, b.rule, bv)
    if a.rule == "month" and bv.granularity == "year" and not gap.strip():  # January nineteen ninety-seven
        return _Cand(a.start, b.end, "month-year", Value(f"{bv.iso}-{av.iso[5:7]}", "month"))
    (clock, cv), (day, dv) = ((a, av), (b, bv)) if a.rule in _CLOCKS else ((b, bv), (a, av))
    if clock.rule not in _CLOCKS or day.rule in _CLOCKS or dv.granularity != "day":
        return None
    return _Cand(a.start, b.end, clock.rule, Value(f"{dv.iso}T{cv.iso.partition('T')[2]}", "time", dv.relative))


def _day_gap(d: DateData) -> re.Pattern[str]:
    """What may stand between a clock time and its day: a comma, ``on``, ``at``."""
    return re.compile(rf"[ \t\u00a0]*[,،]?(?:[ \t\u00a0]*(?:{d.clock.day_joiner_re}))?[ \t\u00a0]*", re.I)


_RULE_ORDER = ("iso", "year-ago", "numeric", "day-month", "month-day", "month-year", "quarter", "relative-month",
               "relative-unit", "relative-part", "season", "offset", "weekday", "deictic", "year",
               "month", "quarter-ref", "ref")


def find_dates(text: str, lang: str | None, anchor: datetime | date | None) -> list[DateRef]:
    """Date expressions in ``text`` (offsets into ``text``), valued against ``anchor``.

    Without an anchor only expressions that carry their own year are valued; a day and month
    without a year get the value ``XXXX-MM-DD`` (TimeML's unknown year) and relative ones are
    left out. A language without date data gives [].
    """
    r = _rules(lang)
    if r is None or not text:
        return []
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    cands = _select(list(_candidates(text, r, day)), text, r)
    out = []
    for c in cands:
        v = c.value
        if v is None:
            continue
        value = v.iso
        if v.clock is not None and isinstance(anchor, datetime):
            value += _offset(anchor)
        out.append(DateRef(c.start, c.end, f"dates.{c.rule}@{VERSION}", value, v.granularity, v.relative))
    return out


def _offset(anchor: datetime) -> str:
    off = anchor.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def date_spans(text: str, lang: str | None) -> list[tuple[int, int]]:
    """Spans of every date expression, relative or not (used by amounts to skip dates' numbers)."""
    return [(d.start, d.end) for d in find_dates(text, lang, date(2000, 1, 1))]


def parse_anchor(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp or date (``2024-11-29``, ``...T15:42:26+07:00``, ``...Z``), else None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def article_anchor(article: Article) -> datetime | None:
    """The article's time: ``published`` if readable, else ``fetched_at``, else None."""
    return parse_anchor(article.published) or parse_anchor(article.fetched_at)


def _run(article: Article, ctx: Context) -> None:
    norm = article.norm
    text = norm.text if norm is not None else article.text
    found = find_dates(text, article.language, article_anchor(article))
    if norm is None:
        article.dates = found
        return
    out = []
    for d in found:
        s, e = norm.orig_span(d.start, d.end)
        out.append(DateRef(s, e, d.rule, d.value, d.granularity, d.relative))
    article.dates = out


DATES = stage("dates", VERSION, requires={"text", "language"}, assigns={"dates"})(_run)
