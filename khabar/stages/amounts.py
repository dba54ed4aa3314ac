"""The amounts stage: numbers with their qualifier, unit and counted thing.

``find_amounts(text, lang)`` reads every number (``khabar.text.numbers``), then looks around it
for a currency sign before it, a qualifier before it (``more than``, ``تقریباً``) or after it
(``سے زیادہ``, ``or more``), a unit after it (``روپے``, ``%``, ``megawatts``) and the counted noun
that follows (``troops``, ``فوجی``). All of these words come from
``khabar/langs/<code>/amounts.json``. Numbers inside dates, clock times, URLs, phone numbers,
codes (``F-16``) and list numbering are not amounts.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..langs import pack
from ..model import Amount, Article
from ..pipeline import Context, stage
from ..text.numbers import LEFT, RIGHT, WORD_CHARS, NumberMatch, alternation, find_numbers
from .dates import date_spans

VERSION = "1"
_WORD = re.compile(rf"[^\W\d_][{WORD_CHARS}'’]*")
_NOT_AMOUNT = re.compile(
    # Runs are matched from their first character only ((?<!...) look-behinds): trying every
    # position inside a long run of letters, digits or '@' made this quadratic (or worse).
    r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]+@[^\s@]+\.\w+"  # URLs and e-mail addresses
    r"|\+?\d[\d \-().]{7,}\d"  # phone-like digit runs (checked for digit count below)
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # clock times
    r"|(?m:^[ \t]*\d{1,3}[.)](?=[ \t]))"  # list numbering at the start of a line
    r"|(?<![^\W\d_])[^\W\d_]+-?\d+(?:[-/]\d+)*"  # codes: F-16, COVID-19, G20, A4
    r"|(?<!\d)\d+(?:st|nd|rd|th)\b",  # ordinals
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AmountData:
    """The compiled amount vocabulary of one language."""

    currency_before: dict[str, str]
    currency_before_re: re.Pattern[str]
    unit_after: dict[str, str]
    unit_after_re: re.Pattern[str]
    qual_before: dict[str, str]
    qual_before_re: re.Pattern[str]
    qual_after: dict[str, str]
    qual_after_re: re.Pattern[str]
    attached_scales: dict[str, float]
    attached_scale_re: re.Pattern[str]
    stop: frozenset[str]
    stop_suffixes: tuple[str, ...]
    max_words: int


def _lower(d: dict[str, Any]) -> dict[str, Any]:
    return {k.lower(): v for k, v in d.items()}


@functools.lru_cache(maxsize=None)
def amount_data(lang: str | None) -> AmountData:
    """The amount data of ``lang`` (empty word lists when the pack has no amounts.json)."""
    p = pack(lang)
    d: dict[str, Any] = p.json("amounts") if p.has("amounts.json") else {}
    cur, units = d.get("currencies_before", {}), d.get("units_after", {})
    qb, qa = d.get("qualifiers_before", {}), d.get("qualifiers_after", {})
    scales = {k.lower(): float(v) for k, v in d.get("attached_scales", {}).items()}
    flags = re.IGNORECASE
    return AmountData(
        currency_before=_lower(cur),
        currency_before_re=re.compile(rf"(?:^|(?<=[^\w]))(?P<x>{alternation(list(cur))})[ \t]?$", flags),
        unit_after=_lower(units),
        unit_after_re=re.compile(rf"[ \t]?(?P<x>{alternation(list(units))})(?![{WORD_CHARS}])", flags),
        qual_before=_lower(qb),
        qual_before_re=re.compile(rf"{LEFT}(?P<x>{alternation(list(qb))})[ \t]+$", flags),
        qual_after=_lower(qa),
        qual_after_re=re.compile(rf"[ \t]+(?P<x>{alternation(list(qa))}){RIGHT}", flags),
        attached_scales=scales,
        attached_scale_re=re.compile(rf"(?P<x>{alternation(list(scales))}){RIGHT}", flags),
        stop=frozenset(w.lower() for w in d.get("object_stop", [])),
        stop_suffixes=tuple(d.get("object_stop_suffixes_after_first", [])),
        max_words=int(d.get("object_max_words", 1)),
    )


def _excluded(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _NOT_AMOUNT.finditer(text):
        s = m.group(0)
        if s[:1] in "+(0123456789" and re.fullmatch(r"\+?\d[\d \-().]{7,}\d", s):
            if sum(ch.isdigit() for ch in s) < 9 or re.search(r"\d{1,3}(,\d{3})+", s):
                continue  # not a phone number
        out.append((m.start(), m.end()))
    return out


@dataclass
class _Draft:
    start: int
    end: int
    value: float
    qualifier: str | None = None
    unit: str | None = None


def _extend(text: str, n: NumberMatch, a: AmountData) -> _Draft:
    """Grow a number into an amount: attached scale, currency, qualifiers and unit around it."""
    dr = _Draft(n.start, n.end, n.value)
    m = a.attached_scale_re.match(text, dr.end) if not n.scaled else None
    if m:
        dr.value *= a.attached_scales[m.group("x").lower()]
        dr.end = m.end()
    m = a.currency_before_re.search(text[max(0, dr.start - 8) : dr.start])
    if m:
        dr.unit = a.currency_before[m.group("x").lower()]
        dr.start -= len(m.group(0))
    m = a.qual_before_re.search(text[max(0, dr.start - 40) : dr.start])
    if m:
        dr.qualifier = a.qual_before[m.group("x").lower()]
        dr.start -= len(m.group(0))
    for _ in range(2):  # unit then qualifier, or qualifier then unit
        m = a.unit_after_re.match(text, dr.end) if dr.unit is None else None
        if m:
            dr.unit, dr.end = a.unit_after[m.group("x").lower()], m.end()
        m = a.qual_after_re.match(text, dr.end) if dr.qualifier in (None, "about") else None
        if m:
            dr.qualifier, dr.end = a.qual_after[m.group("x").lower()], m.end()
    return dr


def _object(text: str, pos: int, a: AmountData) -> tuple[int, int] | None:
    """The counted noun right after ``pos``: up to ``max_words`` words, ending at stop words."""
    first: int | None = None
    last = pos
    for i in range(a.max_words):
        gap = re.match(r"[ \t\u00a0]*", text[last:]).end()  # type: ignore[union-attr]
        if i and gap == 0:
            break
        m = _WORD.match(text, last + gap)
        if not m or (i == 0 and gap == 0 and last > 0 and text[last - 1].isalnum()):
            break
        word = m.group(0).lower()
        if word in a.stop or (i and word.endswith(a.stop_suffixes) and a.stop_suffixes):
            break
        first = m.start() if first is None else first
        last = m.end()
    return (first, last) if first is not None else None


class _Blocked:
    """Spans no amount may overlap, answering ``overlaps(s, e)`` in O(log n) (a linear scan per
    number made long texts with thousands of numbers and codes quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.max_end = list(itertools.accumulate((b for _, b in ordered), max))

    def overlaps(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps any span: among spans starting before ``e``, one ends after ``s``."""
        i = bisect.bisect_left(self.starts, e)
        return i > 0 and self.max_end[i - 1] > s


def _overlaps(s: int, e: int, spans: _Blocked) -> bool:
    return spans.overlaps(s, e)


def find_amounts(text: str, lang: str | None, skip: Sequence[tuple[int, int]] | None = None) -> list[Amount]:
    """Amounts in ``text`` (offsets into ``text``). ``skip``: spans that are not amounts (dates);
    when None, the date rules of ``lang`` find them."""
    if not text:
        return []
    a = amount_data(lang)
    blocked = _Blocked(list(skip if skip is not None else date_spans(text, lang)) + _excluded(text))
    out: list[Amount] = []
    for n in find_numbers(text, lang):
        if _overlaps(n.start, n.end, blocked):
            continue
        dr = _extend(text, n, a)
        if n.weak and dr.unit is None and not n.scaled:
            continue
        if text[dr.start - 1 : dr.start] == "(" and text[dr.end : dr.end + 1] == ")" and dr.unit is None:
            continue  # "(0)": a count shown in brackets (comments, list markers), not a reported amount
        obj = _object(text, dr.end, a)
        if obj and _overlaps(obj[0], obj[1], blocked):
            obj = None
        rule = f"amounts.{'words' if n.has_words else 'digits'}@{VERSION}"
        out.append(Amount(
            dr.start, dr.end, rule, dr.value, dr.qualifier, dr.unit,
            text[obj[0] : obj[1]] if obj else None, obj[0] if obj else None, obj[1] if obj else None,
        ))
    return out


def _run(article: Article, ctx: Context) -> None:
    norm = article.norm
    text = norm.text if norm is not None else article.text
    if norm is None:
        skip = [(d.start, d.end) for d in article.dates]
    else:  # dates hold original offsets; find their normalised ranges
        orig = {(d.start, d.end) for d in article.dates}
        skip = _norm_spans(norm.to_orig, orig)
    found = find_amounts(text, article.language, skip if article.dates else None)
    if norm is None:
        article.amounts = found
        return
    out = []
    for x in found:
        s, e = norm.orig_span(x.start, x.end)
        os_, oe = norm.orig_span(x.object_start, x.object_end) if x.object_start is not None else (None, None)
        obj = article.text[os_:oe] if os_ is not None else None
        out.append(Amount(s, e, x.rule, x.value, x.qualifier, x.unit, obj, os_, oe))
    article.amounts = out


def _norm_spans(to_orig: list[int], spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Normalised ranges covering the original ``spans`` (the map is monotonic)."""
    import bisect

    out = []
    for s, e in spans:
        ns = bisect.bisect_left(to_orig, s)
        ne = bisect.bisect_left(to_orig, e)
        out.append((ns, max(ne, ns + 1)))
    return out


AMOUNTS = stage("amounts", VERSION, requires={"text", "language"}, assigns={"amounts"})(_run)
