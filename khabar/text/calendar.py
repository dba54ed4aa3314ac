"""The date vocabulary of a language, compiled once from its pack.

``calendar.json`` (generated from CLDR by ``khabar/langs/build_calendar.py``) gives month and
weekday names; ``dates.json`` (curated) gives spelling variants, cue words (last/next/this, ago),
deictic words (today, کل), Hijri months to skip, seasons, quarters and tense markers. The dates
stage builds its regular expressions from this record and never branches on a language.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..langs import pack
from .numbers import LEFT, RIGHT, alternation, number_spec, parse_number


@dataclass(frozen=True)
class DateData:
    """The date vocabulary of one language, compiled from calendar.json and dates.json."""

    lang: str
    month_of: dict[str, int]  # form (lower case) -> 1..12; 0 = a Hijri month (recognised, skipped)
    month_re: str
    month_ambiguous: frozenset[str]
    weekday_of: dict[str, int]  # form -> 0 (Monday) .. 6 (Sunday)
    weekday_re: str
    weekday_ambiguous: frozenset[str]
    weekday_before_re: str
    weekday_after_re: str
    day_suffix_re: str
    day_words: dict[str, int]
    day_word_re: str
    joiner_re: str
    year_prefix_re: str
    year_suffix_re: str
    year_before_re: re.Pattern[str]
    year_after_re: re.Pattern[str]
    last_re: str
    next_re: str
    this_re: str
    modifier_re: str
    unit_of: dict[str, str]
    unit_re: str
    plural_unit_re: str
    ago_re: str
    later_re: str
    deictic: dict[str, int]
    deictic_ambiguous: dict[str, int]
    deictic_re: str
    deictic_blocked_after_re: re.Pattern[str]
    deictic_blocked_phrases: tuple[str, ...]
    tense_re: re.Pattern[str]
    future_markers: frozenset[str]
    numeric_order: str
    num_word_re: str
    refs: dict[str, str]
    refs_re: str
    part_of: dict[str, str]
    parts_re: str
    season_of: dict[str, str]
    seasons_re: str
    quarter_of: dict[str, int]
    quarters_re: str
    quarter_word_re: str
    quarter_refs: dict[str, int]
    quarter_refs_re: str
    refs_blocked_after_re: re.Pattern[str]
    unit_modifier_re: str
    nearest_units: dict[str, str]
    nearest_units_re: str
    year_ago_re: str
    year_ago_periods: dict[str, str]
    year_ago_period_re: str
    reported_quarter: int
    quarter_context_re: re.Pattern[str]
    clock: "ClockData"
    decade_suffix_re: str
    decade_words: dict[str, int]
    decade_word_re: str
    century_word_re: str
    year_words: dict[str, int]  # nineteen -> 1900
    year_word_re: str
    holidays: dict[str, str]  # name (lower case) -> "MM-DD" or "MM:nth:weekday" (weekday 0 = Monday)
    holidays_re: str
    last_after_re: str  # relative words written after the noun (June past, week last)
    next_after_re: str
    this_after_re: str
    numeric_dm_cue_re: str  # words before a year-less numeric day/month (day 29/11)


@dataclass(frozen=True)
class ClockData:
    """Clock-time vocabulary: a.m./p.m. forms, o'clock words, named times, day parts, time zones."""

    ampm: dict[str, str]  # form -> am | pm | night
    ampm_re: str
    words_re: str
    named: dict[str, str]  # noon -> 12:00
    named_re: str
    parts: dict[str, str]  # in the morning / شام -> am | pm | night
    parts_after_re: str
    parts_before_re: str
    zones_re: str
    day_joiner_re: str


def _forms(table: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for src in (table, extra):
        for key, names in src.items():
            for name in names:
                out.setdefault(name.lower(), int(key))
    return out


def _lower(words: list[str]) -> list[str]:
    return [w.lower() for w in words]


def _units(table: dict[str, list[str]]) -> dict[str, str]:
    return {form.lower(): unit for unit, forms in table.items() for form in forms}


@functools.lru_cache(maxsize=None)
def date_data(lang: str | None) -> DateData | None:
    """The compiled date data of ``lang``; None when its pack has no dates.json."""
    p = pack(lang)
    if not (p.has("dates.json") and p.has("calendar.json")):
        return None
    cal: dict[str, Any] = p.json("calendar")
    cur: dict[str, Any] = p.json("dates")
    months = _forms(cal["months"], cur.get("months_extra", {}))
    for name in cur.get("hijri_months", []):
        months[name.lower()] = 0
    weekdays = _forms(cal["weekdays"], cur.get("weekdays_extra", {}))
    units = _units(cur.get("units", {}))
    plural = _units(cur.get("units_plural", {}))
    deictic = {k.lower(): int(v) for k, v in cur.get("deictic", {}).items()}
    ambiguous = {k.lower(): int(v) for k, v in cur.get("deictic_ambiguous", {}).items()}
    spec = number_spec(lang)
    num_words = list(spec.words) + list(spec.one_before_scale) + list(spec.hundreds) + list(spec.scales)
    past, future = _lower(cur.get("past_markers", [])), _lower(cur.get("future_markers", []))
    a = alternation
    return DateData(
        lang=str(lang),
        month_of=months, month_re=a(list(months)),
        month_ambiguous=frozenset(_lower(cur.get("month_ambiguous", []))),
        weekday_of=weekdays, weekday_re=a(list(weekdays)),
        weekday_ambiguous=frozenset(_lower(cur.get("weekday_ambiguous", []))),
        weekday_before_re=a(cur.get("weekday_before", [])),
        weekday_after_re=a(cur.get("weekday_after", [])),
        day_suffix_re=a(cur.get("day_suffixes", [])),
        day_words={k.lower(): int(v) for k, v in cur.get("day_words", {}).items()},
        day_word_re=a(list(cur.get("day_words", {}))),
        joiner_re=a(cur.get("day_month_joiners", [])),
        year_prefix_re=a(cur.get("year_prefixes", [])),
        year_suffix_re=a(cur.get("year_suffixes", [])),
        year_before_re=_cue_before_re(cur.get("year_cues_before", [])),
        year_after_re=re.compile(rf"[ \t]*(?:{a(cur.get('year_cues_after', []))}){RIGHT}", re.I),
        last_re=a(cur.get("last", [])), next_re=a(cur.get("next", [])), this_re=a(cur.get("this", [])),
        modifier_re=a(cur.get("modifiers", [])),
        unit_of={**plural, **units}, unit_re=a(list(units)), plural_unit_re=a(list(plural)),
        ago_re=a(cur.get("ago", [])), later_re=a(cur.get("later", [])),
        deictic={**deictic, **ambiguous}, deictic_ambiguous=ambiguous,
        deictic_re=a(list(deictic) + list(ambiguous)),
        deictic_blocked_after_re=re.compile(rf"[ \t]*(?:{a(cur.get('deictic_blocked_after', []))}){RIGHT}"),
        deictic_blocked_phrases=tuple(cur.get("deictic_blocked_phrases", [])),
        tense_re=_tense_re(past, future, cur),
        future_markers=frozenset(future),
        numeric_order=str(cur.get("numeric_order", "dmy")),
        num_word_re=a(num_words),
        **_extras(cur),
    )


def _cue_before_re(cues: list[str]) -> re.Pattern[str]:
    """Cue words that may stand right before a year; a cue starting with a non-word character
    (the possessive ``'s``) may follow a word directly."""
    word = [c for c in cues if re.match(r"\w", c)]
    glued = [c for c in cues if not re.match(r"\w", c)]
    return re.compile(rf"(?:{LEFT}(?:{alternation(word)})|(?:{alternation(glued)}))[ \t]*$", re.I)


def _tense_re(past: list[str], future: list[str], cur: dict[str, Any]) -> re.Pattern[str]:
    """Listed tense markers, then any word with a past-tense suffix (listed forms win), except
    the listed exceptions (``hundred``, ``succeed``)."""
    words = rf"{LEFT}(?:{alternation(past + future)}){RIGHT}"
    suffixes = cur.get("past_marker_suffixes", [])
    if suffixes:
        not_past = alternation(cur.get("past_marker_exceptions", []))
        words += rf"|{LEFT}(?!(?:{not_past}){RIGHT})\w+(?:{alternation(suffixes)}){RIGHT}"
    return re.compile(words, re.I)


def _clock(cur: dict[str, Any]) -> ClockData:
    """The clock-time vocabulary of a dates.json."""
    a = alternation
    ampm = {k.lower(): str(v) for k, v in cur.get("clock_ampm", {}).items()}
    named = {k.lower(): str(v) for k, v in cur.get("clock_named", {}).items()}
    after = {k.lower(): str(v) for k, v in cur.get("clock_parts_after", {}).items()}
    before = {k.lower(): str(v) for k, v in cur.get("clock_parts_before", {}).items()}
    return ClockData(
        ampm=ampm, ampm_re=a(list(ampm)), words_re=a(cur.get("clock_words", [])),
        named=named, named_re=a(list(named)), parts={**after, **before},
        parts_after_re=a(list(after)), parts_before_re=a(list(before)),
        zones_re=a(cur.get("time_zones", [])), day_joiner_re=a(cur.get("clock_day_joiners", [])),
    )


def _periods(cur: dict[str, Any]) -> dict[str, Any]:
    """Year-ago comparisons, decades, centuries, nearest units and what blocks a reference word."""
    a = alternation
    periods = {k.lower(): str(v) for k, v in cur.get("year_ago_periods", {}).items()}
    nearest = {k.lower(): str(v) for k, v in cur.get("nearest_units", {}).items()}
    decades = {k.lower(): int(v) for k, v in cur.get("decade_words", {}).items()}
    blocked = a(cur.get("refs_blocked_after", []))
    return {
        "refs_blocked_after_re": re.compile(rf"[ \t]+(?:{blocked}){RIGHT}" if blocked else r"(?!)", re.I),
        "unit_modifier_re": a(cur.get("unit_modifiers", [])),
        "nearest_units": nearest, "nearest_units_re": a(list(nearest)),
        "year_ago_re": a(cur.get("year_ago", [])),
        "year_ago_periods": periods, "year_ago_period_re": a(list(periods)),
        "reported_quarter": int(cur.get("reported_quarter", -1)),
        "quarter_context_re": re.compile(rf"{LEFT}(?:{a(cur.get('quarter_words', []))})", re.I)
        if cur.get("quarter_words") else re.compile(r"(?!)"),
        "clock": _clock(cur),
        "decade_suffix_re": a(cur.get("decade_suffixes", [])),
        "decade_words": decades, "decade_word_re": a(list(decades)),
        "century_word_re": a(cur.get("century_words", [])),
        "year_words": {k.lower(): int(v) for k, v in cur.get("year_words", {}).items()},
        "year_word_re": a(list(cur.get("year_words", {}))),
        "holidays": {k.lower(): str(v) for k, v in cur.get("holidays", {}).items()},
        "holidays_re": a(list(cur.get("holidays", {}))),
        "last_after_re": a(cur.get("last_after", [])), "next_after_re": a(cur.get("next_after", [])),
        "this_after_re": a(cur.get("this_after", [])),
        "numeric_dm_cue_re": a(cur.get("numeric_day_month_cues", [])),
    }


def _extras(cur: dict[str, Any]) -> dict[str, Any]:
    """Reference words (now), day parts (morning), seasons and quarters."""
    refs = {k.lower(): str(v) for k, v in cur.get("refs", {}).items()}
    parts = {k.lower(): str(v) for k, v in cur.get("day_parts", {}).items()}
    seasons = {k.lower(): str(v) for k, v in cur.get("seasons", {}).items()}
    quarters = {k.lower(): int(v) for k, v in cur.get("quarters", {}).items()}
    return {
        "refs": refs, "refs_re": alternation(list(refs)),
        "part_of": parts, "parts_re": alternation(list(parts)),
        "season_of": seasons, "seasons_re": alternation(list(seasons)),
        "quarter_of": quarters, "quarters_re": alternation(list(quarters)),
        "quarter_word_re": alternation(cur.get("quarter_words", [])),
        "quarter_refs": {k.lower(): int(v) for k, v in cur.get("quarter_refs", {}).items()},
        "quarter_refs_re": alternation(list(cur.get("quarter_refs", {}))),
        **_periods(cur),
    }


# ----- calendar arithmetic ------------------------------------------------------------------------
def day_or_none(y: int, m: int, d: int) -> date | None:
    """The date, or None when there is no such day (30 February)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def iso_week(d: date) -> str:
    """The ISO week of ``d`` as ``2024-W48``."""
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    """(year, month) ``n`` months after ``y``-``m``."""
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def closest(cands: list[tuple[int, int]], anchor: int, future: bool) -> int:
    """Index of the candidate nearest the anchor; the non-preferred direction counts triple."""
    def cost(pos: int) -> int:
        delta = pos - anchor
        wrong = delta > 0 if not future else delta < 0
        return abs(delta) * (3 if wrong else 1)

    return min(range(len(cands)), key=lambda i: cost(cands[i][1]))


def infer_day(m: int, d: int, anchor: date, future: bool) -> date | None:
    """Day ``d`` of month ``m`` in the year (anchor's or either side) nearest the anchor."""
    days = [x for x in (day_or_none(anchor.year + k, m, d) for k in (-1, 0, 1)) if x is not None]
    if not days:
        return None
    i = closest([(0, x.toordinal()) for x in days], anchor.toordinal(), future)
    return days[i]


def nth_weekday(y: int, m: int, nth: int, weekday: int) -> date:
    """The ``nth`` ``weekday`` (0 = Monday) of month ``m`` of ``y``; ``nth`` -1 is the last."""
    if nth > 0:
        first = date(y, m, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def holiday_date(spec: str, y: int) -> date | None:
    """The day of a holiday in year ``y``: ``12-25`` (fixed) or ``11:4:3`` (4th Thursday of November)."""
    try:
        if ":" in spec:
            m, nth, wd = (int(x) for x in spec.split(":"))
            return nth_weekday(y, m, nth, wd)
        m, d = (int(x) for x in spec.split("-"))
    except ValueError:
        return None
    return day_or_none(y, m, d)


def clock_hhmm(g: dict[str, Any], c: ClockData) -> str | None:
    """``HH:MM`` of a clock match (``3 p.m.`` -> ``15:00``), or None when it is no clock time."""
    if g.get("named"):
        return c.named[g["named"].lower()]
    hh, mi = int(g["hh"]), int(g.get("mi") or 0)
    kind = c.ampm.get((g.get("ampm") or "").lower()) or c.parts.get((g.get("cpa") or g.get("cpb") or "").lower())
    if mi > 59 or hh > 24 or (kind in ("am", "pm", "night") and not 1 <= hh <= 12):
        return None
    if kind == "am":
        hh = 0 if hh == 12 else hh
    elif kind == "pm" or (kind == "night" and 6 <= hh < 12):
        hh = hh if hh == 12 else hh + 12
    elif kind == "night" and hh == 12:
        hh = 0
    return f"{hh:02d}:{mi:02d}"


def spoken_year(century: str, rest_words: str | None, prefixed: bool, d: DateData) -> int | None:
    """``nineteen ninety-six`` -> 1996, ``(the year) two thousand`` -> 2000, else None (a count)."""
    word = re.sub(r"[ \t-]+", " ", century.lower())
    base = d.year_words[word]
    rest = parse_number(rest_words, d.lang) if rest_words else 0
    if rest is None or not 0 <= rest < 100 or rest != int(rest):
        return None
    if (not rest and not prefixed) or (" " not in word and rest < 10):
        return None  # "two thousand troops", "twenty five people": counts
    return base + int(rest)
