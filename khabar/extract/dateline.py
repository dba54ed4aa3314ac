"""Datelines at the start of a story's first body line.

Forms: ``(Agency) -``, ``PLACE (Agency) -``, ``PLACE, Region, Nov. 29, 2024 (Agency) —``,
``PLACE (reporter, 12 March 2025)``, an upper-case ``PLACE —``. The parenthesis must name a known
outlet, a reporter cue, or, when a dash follows it, a short name that is kept as written (an outlet
the knowledge base does not know). Month and day words come from the language packs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..kb import outlets as kb
from .cues import NEVER, SENTENCE_END, alt, cues, strip_right, trim_end, words_key

MAX_PRE_WORDS = 6  # place, region and date before the parenthesis
MAX_NAME_WORDS = 5  # an unknown outlet named in the parenthesis

_DATELINE = re.compile(
    r"(?P<pre>[^()\n]{0,60}?)\s*[(（](?P<paren>[^()（）\n]{1,60})[)）]\s*(?P<dash>[-–—:]+\s*)?", re.U)
_CAPS_DATELINE = re.compile(r"(?P<pre>[A-Z][A-Z .,'’]{2,40}?)\s*[-–—]+\s+(?=\S)", re.U)


@dataclass
class Dateline:
    """A dateline at the start of the body: its span, the outlet it names and any date in it.
    ``outlet_name`` is the canonical name of a known outlet, else the name as written."""

    start: int
    end: int
    outlet: kb.Outlet | None = None
    outlet_span: tuple[int, int] | None = None
    date: tuple[int, int, int | None] | None = None  # day, month, year (year may be missing)
    date_span: tuple[int, int] | None = None
    outlet_name: str | None = None


def find_dateline(text: str, s: int, e: int) -> Dateline | None:
    """The dateline at text[s:e]'s start, or None (see the module docstring for the forms)."""
    m = _DATELINE.match(text, s, e)
    if m is not None and _plausible_pre(m.group("pre")):
        found = _paren_names(text, m.start("paren"), m.end("paren"), dashed=m.group("dash") is not None)
        if found is not None:
            end = trim_end(text, s, m.end()) if m.group("dash") is None else m.end()
            line = Dateline(s, strip_right(text, s, end), *found)
            if line.outlet_span is not None:
                name = " ".join(text[line.outlet_span[0]:line.outlet_span[1]].split())
                line.outlet_name = line.outlet.name if line.outlet is not None else name
            _dateline_date(text, s, m.end("paren"), line)
            return line
    m = _CAPS_DATELINE.match(text, s, e)
    if m is not None and len(m.group("pre").split()) <= 4:
        line = Dateline(s, strip_right(text, s, m.end()))
        _dateline_date(text, s, m.end("pre"), line)
        return line
    return None


def _month_pattern() -> str:
    months = list(cues().months)
    return rf"(?<!\w)(?:{alt(months)})(?!\w)" if months else NEVER


def _plausible_pre(pre: str) -> bool:
    """Place, region and date before the parenthesis: a few words, no sentence end (the full stop
    of an abbreviated month, ``Nov.``, is not one)."""
    bare = re.sub(_month_pattern() + r"\.", " ", pre, flags=re.I)
    return len(pre.split()) <= MAX_PRE_WORDS and not any(ch in SENTENCE_END for ch in bare)


def _paren_names(text: str, s: int, e: int, dashed: bool) -> tuple[kb.Outlet | None, tuple[int, int] | None] | None:
    """Outlet (and its span) named in a dateline's parenthesis; (None, span) for an unknown name
    before a dash; (None, None) for a reporter cue; None when the parenthesis is none of these."""
    inner = text[s:e]
    hit = kb.longest_name_in(inner)
    if hit is not None:
        return hit[2], (s + hit[0], s + hit[1])
    if _names_reporter(inner):
        return None, None
    if dashed and _name_like(inner):
        lead = len(inner) - len(inner.lstrip())
        return None, (s + lead, s + len(inner.rstrip()))
    return None


def _names_reporter(inner: str) -> bool:
    """Whether a reporter cue (``Staff Reporter``, ``نمائندہ خصوصی``) is a word-bounded part of
    the parenthesis (``Staff Report``, ``نمائندہ خصوصی، 12 مارچ``)."""
    folded = f" {words_key(inner)} "
    return any(" " + w + " " in folded for w in cues().reporters)


def _name_like(inner: str) -> bool:
    """A short name: at most MAX_NAME_WORDS words, no digits, no sentence or list punctuation."""
    words = inner.split()
    return (0 < len(words) <= MAX_NAME_WORDS and not any(ch.isdigit() for ch in inner)
            and not any(ch in SENTENCE_END + ",،;:" for ch in inner))


def _dateline_date(text: str, s: int, e: int, line: Dateline) -> None:
    """Find a day-month(-year) date inside the dateline's place and parenthesis."""
    c = cues()
    month_alt = _month_pattern()
    day_alt = alt(list(c.day_words))
    pats = (
        rf"(?<!\w)(?P<d>\d{{1,2}}|{day_alt})\.?\s+(?P<m>{month_alt})\.?(?:,?\s+(?P<y>\d{{4}}))?",
        rf"(?P<m>{month_alt})\.?\s+(?P<d>\d{{1,2}})(?!\d)(?:,?\s+(?P<y>\d{{4}}))?",
    )
    for pat in pats:
        m = re.compile(pat, re.I).search(text, s, e)
        if m is None:
            continue
        d_text = m.group("d").casefold()
        day = c.day_words.get(d_text) or (int(d_text) if d_text.isdigit() else 0)
        month = c.months.get(" ".join(m.group("m").casefold().split()), 0)
        year = int(m.group("y")) if m.group("y") else None
        if 1 <= day <= 31 and 1 <= month <= 12:
            line.date = (day, month, year)
            line.date_span = (m.start(), m.end())
            return
