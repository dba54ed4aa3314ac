"""News-page furniture in lines of text: captions and photo credits, source lines, translation
lines, comment counters and bylines (datelines are in ``dateline``, cue words in ``cues``).

Shared by the plain-text and the HTML extractors. Every cue word comes from the language packs'
``furniture.json`` (all packs merged: extraction runs before language identification, and a cue
in one language does not clash with text in another), so this module never names a language.
A line is furniture only when a cue makes it so; everything else stays body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.lines import line_spans
from ..kb import outlets as kb
from ..model import Credit, Zone
from .cues import SENTENCE_END, cues
from .cues import trim_end as _trim_end
from .dateline import Dateline, find_dateline

__all__ = ["Dateline", "Furniture", "SENTENCE_END", "classify", "cues", "find_dateline", "lines_of"]

RULE = "extract.furniture@2"
MAX_CAPTION = 400  # longest line we accept as a caption
MAX_BYLINE_WORDS = 8
URL_RE = re.compile(r"""(?:https?://|www\.)[^\s<>"'()\[\]{}]+[^\s<>"'()\[\]{}.,;:!?۔،]""", re.I)


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
    translated_from: tuple[int, int] | None = None  # what a translation line names as the source

    @property
    def body(self) -> list[Zone]:
        """The body zones found."""
        return [z for z in self.zones if z.kind == "body"]


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text[start:end]``, without edge white space."""
    return line_spans(text, start, end)


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
        outlet = kb.by_url(_absolute(url.group()))
        name = outlet.name if outlet else _host(url.group())
        found.credits.append(Credit(url.start(), url.end(), RULE, "source", name))
    else:
        _credit(text, m.start("rest"), e, "source", found)
    return "source"


def _translation(text: str, s: int, e: int, found: Furniture) -> str | None:
    """A translation line: a frame naming the source (``یہ خبر انگریزی سے ترجمہ کی گئی ہے``) or a
    cue then the translator (``Translated by NAME``), or a translated-from cue then the source and
    an optional translator (``Translated from Urdu by NAME.``). The source's span is kept in
    ``found.translated_from``; each translator is a ``translation`` credit."""
    c = cues()
    for frame in c.translation_frames:
        m = frame.match(text, s, e)
        if m is not None and m.end() == e:
            _translation_parts(text, m.start("src"), _trim_end(text, m.start("src"), m.end("src")), True, found)
            return "translation"
    m = c.translation.match(text, s, e)
    if m is None or m.end() != e or text[e - 1] in SENTENCE_END and len(text[s:e].split()) > 8:
        return None
    from_cue = c.translation_from.fullmatch(" ".join(m.group("cue").split())) is not None
    _translation_parts(text, m.start("rest"), _trim_end(text, m.start("rest"), e), from_cue, found)
    return "translation"


def _translation_parts(text: str, s: int, e: int, names_source: bool, found: Furniture) -> None:
    """text[s:e] names the source then (after a by-word) the translators when ``names_source``,
    else only the translators."""
    if names_source:
        by = cues().translation_by.search(text, s, e)
        src_end = by.start() if by is not None else e
        if found.translated_from is None and src_end > s:
            found.translated_from = (s, src_end)
        if by is None:
            return
        s = by.end()
    for ns, ne in name_spans(text, s, e):
        _credit(text, ns, ne, "translation", found)


def name_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The names in a list of names at text[s:e] (``A and B``, ``A, B and C``, ``A & B``, with
    the joiners of every pack); commas split only a list that also has a joiner, so that
    ``NAME, Riyadh`` stays one name."""
    c = cues()
    joined = [(m.start(), m.end()) for m in c.name_and.finditer(text, s, e)]
    if not joined:
        return [(s, e)]
    cuts = joined + [(m.start(), m.end()) for m in c.name_list.finditer(text, s, e)]
    spans, at = [], s
    for cs, ce in sorted(cuts):
        if cs > at:
            spans.append((at, cs))
        at = max(at, ce)
    if e > at:
        spans.append((at, e))
    out = [(a, _trim_end(text, a, b)) for a, b in spans]
    return [(a, b) for a, b in out if b > a]


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
    author_credits(text, m.start("name"), e, found)
    return "byline"


def author_credits(text: str, s: int, e: int, found: Furniture) -> None:
    """One ``author`` credit per name in the list of names at text[s:e]."""
    for ns, ne in name_spans(text, s, e):
        _credit(text, ns, ne, "author", found)


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


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(_absolute(url)).hostname or "").lower()


def _absolute(url: str) -> str:
    return url if "://" in url else "http://" + url
