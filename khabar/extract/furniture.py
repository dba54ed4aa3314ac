"""News-page furniture in lines of text: datelines, captions and photo credits, source lines,
translated-from lines, comment counters and bylines.

Shared by the plain-text and the HTML extractors. Every cue word comes from the language packs'
``furniture.json`` (all packs merged: extraction runs before language identification, and a cue
in one language does not clash with text in another), so this module never names a language.
A line is furniture only when a cue makes it so; everything else stays body.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..kb import outlets as kb
from ..langs import available, pack
from ..model import Credit, Zone

RULE = "extract.furniture@1"
MAX_CAPTION = 400  # longest line we accept as a caption
MAX_BYLINE_WORDS = 8
URL_RE = re.compile(r"""(?:https?://|www\.)[^\s<>"'()\[\]{}]+[^\s<>"'()\[\]{}.,;:!?۔،]""", re.I)
SENTENCE_END = ".۔!?؟。…"
DASHES = "-–—:|"


@dataclass(frozen=True)
class Cues:
    """Cue words of every language pack, compiled into the patterns the rules use."""

    caption_start: re.Pattern[str]
    caption_paren: re.Pattern[str]
    caption_tail: re.Pattern[str]
    source: re.Pattern[str]
    translation: re.Pattern[str]
    comments: tuple[re.Pattern[str], ...]
    byline: re.Pattern[str]
    reporters: frozenset[str]
    months: dict[str, int]
    day_words: dict[str, int]


def _alt(words: list[str]) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", " ").replace(" ", r"\s+") for w in ordered) or r"(?!x)x"


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    """The merged cues of all language packs (built once)."""
    merged: dict[str, list[str]] = {}
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for code in available():
        lp = pack(code)
        if not lp.has("furniture.json"):
            continue
        data = lp.json("furniture")
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
        months.update({k.casefold(): v for k, v in data.get("months", {}).items()})
        days.update({k.casefold(): v for k, v in data.get("day_words", {}).items()})
    photo = _alt(merged.get("photo_cues", []))
    marks = _alt(merged.get("credit_marks", []))
    comment = _alt(merged.get("comment_cues", []))
    flags = re.I | re.U
    return Cues(
        caption_start=re.compile(rf"\s*(?:(?:{photo})\s*[:：\-–—|]|{marks})\s*(?P<credit>\S.*)$", flags),
        caption_paren=re.compile(
            rf"[(（\[]\s*(?P<cue>(?:{photo})\s*[:：\-–—]?\s*)?(?P<credit>[^()（）\[\]\n]{{1,80}}?)\s*[)）\]]"
            rf"\s*[.۔।]?\s*$", flags),
        caption_tail=re.compile(
            rf"(?:[{re.escape(SENTENCE_END)}]\s+|\s[|\-–—]\s*)"
            rf"(?P<cue>(?:(?:{photo})\s*[:：]|{marks})\s*)(?P<credit>[^.۔\n]{{1,80}}?)\s*[.۔]?\s*$", flags),
        source=re.compile(rf"\s*(?:{_alt(merged.get('source_cues', []))})\s*[:：]\s*(?P<rest>\S.*?)\s*$", flags),
        translation=re.compile(
            rf"\s*(?:{_alt(merged.get('translation_cues', []))})\s*[:：]?\s+(?P<rest>\S.{{0,150}}?)\s*$", flags),
        comments=(
            re.compile(rf"\s*(?:{comment})\s*[(（\[]\s*(?P<n>\d+)\s*[)）\]]\s*$", flags),
            re.compile(rf"\s*(?P<n>\d+)\s+(?:{comment})\s*$", flags),
            re.compile(rf"\s*(?:{comment})\s*[:：]\s*(?P<n>\d+)\s*$", flags),
        ),
        byline=re.compile(
            rf"\s*(?:{_alt(merged.get('byline_cues', []))})\s*[:：]?\s+(?P<name>[^\d\s][^\n]{{1,80}}?)\s*$", flags),
        reporters=frozenset(kb.fold(w) for w in merged.get("reporter_words", [])),
        months=months,
        day_words=days,
    )


@dataclass
class Dateline:
    """A dateline at the start of the body: its span, the outlet it names and any date in it."""

    start: int
    end: int
    outlet: kb.Outlet | None = None
    outlet_span: tuple[int, int] | None = None
    date: tuple[int, int, int | None] | None = None  # day, month, year (year may be missing)
    date_span: tuple[int, int] | None = None


@dataclass
class Furniture:
    """What the furniture rules found in a text."""

    zones: list[Zone] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    comment_count: int | None = None
    comment_span: tuple[int, int] | None = None
    source_url: str | None = None
    source_span: tuple[int, int] | None = None
    dateline: Dateline | None = None

    @property
    def body(self) -> list[Zone]:
        """The body zones found."""
        return [z for z in self.zones if z.kind == "body"]


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text[start:end]``, without edge white space."""
    end = len(text) if end is None else end
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def classify(text: str, lines: list[tuple[int, int]], found: Furniture | None = None) -> Furniture:
    """Give every line a zone (caption, source, translation, comments, byline or body), collect
    credits, the source URL and the comment count, and find the dateline of the first body line."""
    found = found or Furniture()
    for s, e in lines:
        kind = (_comments(text, s, e, found) or _source(text, s, e, found)
                or _translation(text, s, e, found) or _caption(text, s, e, found)
                or _byline(text, s, e, found) or "body")
        found.zones.append(Zone(s, e, RULE, kind))
    first = next((z for z in found.zones if z.kind == "body"), None)
    if first is not None:
        found.dateline = find_dateline(text, first.start, first.end)
        if found.dateline is not None:
            found.zones.append(Zone(found.dateline.start, found.dateline.end, RULE, "dateline"))
    return found


def _comments(text: str, s: int, e: int, found: Furniture) -> str | None:
    for pattern in cues().comments:
        m = pattern.match(text, s, e)
        if m and m.end() == e:
            if found.comment_count is None:
                found.comment_count = int(m.group("n"))
                found.comment_span = (m.start("n"), m.end("n"))
            return "comments"
    return None


def _source(text: str, s: int, e: int, found: Furniture) -> str | None:
    m = cues().source.match(text, s, e)
    if m is None or m.end() != e:
        return None
    url = URL_RE.search(text, m.start("rest"), e)
    if url is None and len(text[m.start("rest"):e].split()) > 6:
        return None  # "Source: ..." followed by a sentence is body, not a source line
    if url is not None:
        if found.source_url is None:
            found.source_url = _absolute(url.group())
            found.source_span = (url.start(), url.end())
        outlet = kb.by_host(_host(url.group()))
        name = outlet.name if outlet else _host(url.group())
        found.credits.append(Credit(url.start(), url.end(), RULE, "source", name))
    else:
        _credit(text, m.start("rest"), e, "source", found)
    return "source"


def _translation(text: str, s: int, e: int, found: Furniture) -> str | None:
    m = cues().translation.match(text, s, e)
    if m is None or m.end() != e or text[e - 1] in SENTENCE_END and len(text[s:e].split()) > 8:
        return None
    found.credits.append(Credit(m.start("rest"), e, RULE, "translation", text[m.start("rest"):e]))
    return "translation"


def _caption(text: str, s: int, e: int, found: Furniture) -> str | None:
    if e - s > MAX_CAPTION:
        return None
    c = cues()
    m = c.caption_start.match(text, s, e) or c.caption_tail.search(text, s, e)
    paren = None if m else c.caption_paren.search(text, s, e)
    if paren is not None and not paren.group("cue") and not _agency_credit(text, s, paren):
        return None  # "(...)" at the end of a line is a caption only with a photo cue or a known agency
    hit = m or paren
    if hit is None or (paren is not None and paren.start() == s):
        return None
    cs, ce = hit.start("credit"), hit.end("credit")
    ce = _trim_end(text, cs, ce)
    found.zones.append(Zone(hit.start(), _trim_end(text, hit.start(), hit.end()), RULE, "credit"))
    _credit(text, cs, ce, "photo", found)
    return "caption"


def _agency_credit(text: str, s: int, paren: re.Match[str]) -> bool:
    """``(Reuters)`` closing a line credits an outlet, unless the line spells the outlet out just
    before (``Associated Press of Pakistan (APP)`` introduces an acronym)."""
    hit = kb.longest_name_in(paren.group("credit"))
    if hit is None:
        return False
    before = kb.fold(text[s:paren.start()])
    return not any(kb.fold(n) in before for n in hit[2].names if len(n) > 3)


def _byline(text: str, s: int, e: int, found: Furniture) -> str | None:
    m = cues().byline.match(text, s, e)
    if m is None or m.end() != e:
        return None
    name = text[m.start("name"):e]
    if len(name.split()) > MAX_BYLINE_WORDS or name[-1] in SENTENCE_END:
        return None
    _credit(text, m.start("name"), e, "author", found)
    return "byline"


def caption_credit(text: str, s: int, e: int, found: Furniture) -> bool:
    """Read the photo credit of a line known to be a caption; whether one was found."""
    return _caption(text, s, e, found) is not None


def byline_credit(text: str, s: int, e: int, found: Furniture) -> bool:
    """Read the author of a line known to be a byline when it starts with a byline cue."""
    return _byline(text, s, e, found) is not None


def comment_count(text: str, s: int, e: int, found: Furniture) -> bool:
    """Read the count of a line known to be a comment counter."""
    return _comments(text, s, e, found) is not None


def add_credit(text: str, s: int, e: int, role: str, found: Furniture) -> None:
    """Credit text[s:e] with ``role`` (canonical outlet name when one is inside it)."""
    _credit(text, s, e, role, found)


def _credit(text: str, s: int, e: int, role: str, found: Furniture) -> None:
    """Add a credit for text[s:e]; a known outlet inside it gives the canonical name and span."""
    e = _trim_end(text, s, e)
    hit = kb.longest_name_in(text[s:e])
    if hit is not None:
        hs, he, outlet = hit
        found.credits.append(Credit(s + hs, s + he, RULE, role, outlet.name))
    elif e > s:
        found.credits.append(Credit(s, e, RULE, role, " ".join(text[s:e].split())))


def _trim_end(text: str, s: int, e: int) -> int:
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".۔,،;"):
        e -= 1
    return e


_DATELINE = re.compile(
    r"(?P<pre>[^()\n]{0,60}?)\s*[(（](?P<paren>[^()（）\n]{1,60})[)）]\s*(?P<dash>[-–—:]+\s*)?", re.U)
_CAPS_DATELINE = re.compile(r"(?P<pre>[A-Z][A-Z .,'’]{2,40}?)\s*[-–—]+\s+(?=\S)", re.U)


def find_dateline(text: str, s: int, e: int) -> Dateline | None:
    """A dateline at text[s:e]'s start: ``(Agency) -``, ``PLACE (Agency) -``, ``PLACE (reporter)``,
    an upper-case ``PLACE —``; the parenthesis must name a known outlet or a reporter cue."""
    m = _DATELINE.match(text, s, e)
    if m is not None and _plausible_pre(m.group("pre")):
        found = _paren_names(text, m.start("paren"), m.end("paren"))
        if found is not None:
            end = _trim_end(text, s, m.end()) if m.group("dash") is None else m.end()
            line = Dateline(s, _strip_right(text, s, end), *found)
            _dateline_date(text, s, m.end("paren"), line)
            return line
    m = _CAPS_DATELINE.match(text, s, e)
    if m is not None and len(m.group("pre").split()) <= 4:
        line = Dateline(s, _strip_right(text, s, m.end()))
        _dateline_date(text, s, m.end("pre"), line)
        return line
    return None


def _strip_right(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _plausible_pre(pre: str) -> bool:
    return len(pre.split()) <= 6 and not any(ch in SENTENCE_END for ch in pre)


def _paren_names(text: str, s: int, e: int) -> tuple[kb.Outlet | None, tuple[int, int] | None] | None:
    """Outlet (and its span) named in a dateline's parenthesis; (None, None) for a reporter cue;
    None when the parenthesis is neither."""
    inner = text[s:e]
    hit = kb.longest_name_in(inner)
    if hit is not None:
        return hit[2], (s + hit[0], s + hit[1])
    parts = re.split(r"[,،/;]| and | اور ", inner)
    if any(kb.fold(p) in cues().reporters for p in parts):
        return None, None
    return None


def _dateline_date(text: str, s: int, e: int, line: Dateline) -> None:
    """Find a day-month(-year) date inside the dateline's place and parenthesis."""
    c = cues()
    month_alt = _alt(list(c.months)) if c.months else r"(?!x)x"
    day_alt = _alt(list(c.day_words))
    pats = (
        rf"(?P<d>\d{{1,2}}|{day_alt})\.?\s+(?P<m>{month_alt})\.?(?:,?\s+(?P<y>\d{{4}}))?",
        rf"(?P<m>{month_alt})\.?\s+(?P<d>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?",
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


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(_absolute(url)).hostname or "").lower()


def _absolute(url: str) -> str:
    return url if "://" in url else "http://" + url
