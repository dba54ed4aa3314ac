"""Sentences and tokens, per zone, never splitting inside a quotation.

Sentence boundaries come from ``sentencex`` (the language code is ``article.language``, or the
pack's ``sentencex_language``; an unknown code falls back to sentencex's generic rules). Each zone
is split into paragraphs at line breaks first, so a sentence never spans two paragraphs. Within a
paragraph two sentences are merged when the boundary between them falls inside a quotation
(every quote-mark style in the pack's ``segment.json``: ``"…"``, ``“…”``, ``’’…‘‘`` and
``‘‘…’’``, ``«…»``, single marks only when clearly paired) or when the next sentence starts with
a lower-case letter (``"Yes." he said.``).

Tokens come from one regular expression: words (letters with combining marks, joiners and
inner apostrophes or hyphens), numbers with separators, and single punctuation marks.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterator

from sentencex import get_sentence_boundaries

from ..text.lines import line_spans
from ..langs import pack
from ..model import Article, Sentence, Token
from ..pipeline import Context, stage

VERSION = "1"
RULE = f"segment@{VERSION}"

# Used when a language has no segment.json: the marks most scripts share.
GENERIC_QUOTE_PAIRS: list[dict[str, Any]] = [
    {"open": "“", "close": ["”"]},
    {"open": "«", "close": ["»"]},
    {"open": "„", "close": ["“", "”"]},
    {"open": '"', "close": ['"']},
    {"open": "‘", "close": ["’"], "strict": True},
]

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
TOKEN_RE = re.compile(
    rf"[^\W\d_][{_MARKS}]*(?:(?:[^\W_]|['’\-](?=[^\W\d_]))[{_MARKS}]*)*"  # words
    r"|\d+(?:[.,٫٬:/]\d+)*"  # numbers with separators
    r"|[^\w\s]",  # punctuation
)
_OPEN_BEFORE = set(" \t\n\r([{—–-:،,;؛/\u200f\u200e")
_CLOSE_AFTER_RE = re.compile(r"[\s.,;:!?)\]}—–\-۔،؛؟'\"”’‘«»\u200f\u200e]")


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation: marks at [open_start, open_end) and [close_start, close_end).

    An unclosed quotation (a paragraph that opens a quote and continues it in the next one) has
    ``close_start == close_end ==`` the end of the paragraph text searched."""

    open_start: int
    open_end: int
    close_start: int
    close_end: int
    closed: bool = True


def quote_pairs(code: str | None) -> list[dict[str, Any]]:
    """The quote-mark pairs of a language (its ``segment.json``), else the generic ones."""
    return list(pack_json(code, "segment").get("quote_pairs") or GENERIC_QUOTE_PAIRS)


def pack_json(code: str | None, topic: str) -> dict[str, Any]:
    """``<topic>.json`` of the language's pack, or {} when the pack has none."""
    p = pack(code)
    data = p.json(topic) if p.has(f"{topic}.json") else {}
    return data if isinstance(data, dict) else {}


def _can_open(text: str, i: int, j: int) -> bool:
    before_ok = i == 0 or text[i - 1] in _OPEN_BEFORE or text[i - 1] in "\"“”«‘’"
    return before_ok and j < len(text) and not text[j].isspace()


def _can_close(text: str, i: int, j: int) -> bool:
    after_ok = j >= len(text) or bool(_CLOSE_AFTER_RE.match(text[j]))
    return after_ok and i > 0 and not text[i - 1].isspace()


def _mark_at(text: str, i: int, marks: list[str]) -> str | None:
    for m in marks:  # longest first
        if text.startswith(m, i):
            return m
    return None


def quote_spans(text: str, start: int, end: int, pairs: list[dict[str, Any]]) -> list[QuoteSpan]:
    """Top-level quotations in ``text[start:end]`` (one paragraph), in order.

    Inner quotations are ignored; a strict (single-mark) quotation counts only when it closes in
    the paragraph; an unclosed double quotation runs to the end of the paragraph."""
    openers = {p["open"]: p for p in pairs}
    marks = sorted({p["open"] for p in pairs} | {c for p in pairs for c in p["close"]}, key=len, reverse=True)
    first = "".join(sorted({m[0] for m in marks}))
    if not first:
        return []
    finder = re.compile("[" + re.escape(first) + "]")
    out: list[QuoteSpan] = []
    cur: tuple[int, int, dict[str, Any]] | None = None
    pos = start
    while True:
        m = finder.search(text, pos, end)
        if m is None:
            break
        i = m.start()
        mark = _mark_at(text, i, marks)
        if mark is None or i + len(mark) > end:
            pos = i + 1
            continue
        j = i + len(mark)
        if cur is not None and mark in cur[2]["close"] and _can_close(text, i, j):
            out.append(QuoteSpan(cur[0], cur[1], i, j))
            cur = None
        elif cur is None and mark in openers and _can_open(text, i, j):
            cur = (i, j, openers[mark])
        pos = j
    if cur is not None and not cur[2].get("strict"):
        tail = end
        while tail > cur[1] and text[tail - 1].isspace():
            tail -= 1
        if tail > cur[1]:
            out.append(QuoteSpan(cur[0], cur[1], tail, tail, closed=False))
    return out


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]`` as (start, end), white space trimmed."""
    yield from line_spans(text, start, end)


def _raw_boundaries(code: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk = text[start:end]
    try:
        parts = [(b["start_index"], b["end_index"]) for b in get_sentence_boundaries(code, chunk)]
    except Exception:  # sentencex has no rules for odd input: keep the paragraph whole
        parts = [(0, len(chunk))]
    out = []
    for s, e in parts:
        s, e = max(0, s), min(len(chunk), e)
        while s < e and chunk[s].isspace():
            s += 1
        while e > s and chunk[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((start + s, start + e))
    return out


def _merge(text: str, spans: list[tuple[int, int]], quotes: list[QuoteSpan], no_break: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Join sentences split inside a quotation, before a lower-case letter or a dash, or after an
    abbreviation that never ends a sentence (``Mr.``)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            prev_end = out[-1][1]
            inside = any(q.open_start < prev_end and s < q.close_end and prev_end < q.close_end for q in quotes)
            cont = text[s].islower() or text[s] in "—–―"
            abbrev = any(text.endswith(a, out[-1][0], prev_end) and (prev_end - len(a) == out[-1][0]
                         or not text[prev_end - len(a) - 1].isalnum()) for a in no_break)
            if inside or cont or abbrev:
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _snap(text: str, spans: list[tuple[int, int]], quotes: list[QuoteSpan]) -> list[tuple[int, int]]:
    """Move a boundary that falls inside or just after an opening mark (``۔ ’|’ہم``) to before
    the mark, so the quotation starts the next sentence instead of gluing the two together."""
    out = list(spans)
    for k in range(1, len(out)):
        prev_end, s = out[k - 1][1], out[k][0]
        for q in quotes:
            if q.open_start < prev_end <= q.open_end or (prev_end <= q.open_start < s <= q.open_end):
                cut = q.open_start
                while cut > out[k - 1][0] and text[cut - 1].isspace():
                    cut -= 1
                if cut > out[k - 1][0]:
                    out[k - 1] = (out[k - 1][0], cut)
                    out[k] = (q.open_start, out[k][1])
                break
    return [(a, b) for a, b in out if b > a]


def split_sentences(text: str, start: int, end: int, code: str, pairs: list[dict[str, Any]],
                    no_break: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``: per paragraph, merged across quotations."""
    out: list[tuple[int, int]] = []
    for ps, pe in paragraphs(text, start, end):
        quotes = quote_spans(text, ps, pe, pairs)
        spans = _snap(text, _raw_boundaries(code, text, ps, pe), quotes)
        out.extend(_merge(text, spans, quotes, no_break))
    return out


def tokenize(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Token spans of ``text[start:end]``."""
    return [(m.start(), m.end()) for m in TOKEN_RE.finditer(text, start, end)]


def _zones(article: Article) -> list[tuple[int, int, str]]:
    n = len(article.text)
    zones = [(max(0, z.start), min(n, z.end), z.kind) for z in article.zones if z.end > z.start]
    return sorted(zones) if zones else [(0, n, "body")]


@stage("segment", VERSION, requires={"text", "language"}, assigns={"sentences", "tokens"})
def SEGMENT(article: Article, ctx: Context) -> None:
    """Fill ``article.sentences`` and ``article.tokens`` (offsets into ``article.text``)."""
    lang = article.language or "und"
    data = pack_json(lang, "segment")
    code = str(data.get("sentencex_language") or lang)
    pairs = quote_pairs(lang)
    no_break = tuple(str(a) for a in data.get("no_break_after", []))
    text = article.text
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    covered = 0
    for zs, ze, kind in _zones(article):
        zs = max(zs, covered)  # overlapping zones: never emit a sentence twice
        if ze <= zs:
            continue
        for s, e in split_sentences(text, zs, ze, code, pairs, no_break):
            idx = len(sentences)
            sentences.append(Sentence(s, e, RULE, zone=kind))
            tokens.extend(Token(a, b, RULE, sentence=idx) for a, b in tokenize(text, s, e))
        covered = ze
    article.sentences = sentences
    article.tokens = tokens


def sentence_index(sentences: list[Sentence], offset: int) -> int:
    """Index of the sentence holding ``offset`` (or the last one starting before it); -1 if none."""
    starts = [s.start for s in sentences]
    return bisect.bisect_right(starts, offset) - 1
