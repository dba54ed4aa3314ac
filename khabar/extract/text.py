"""Plain text to an Article: the decoded text is kept as it is; zones are found in it.

The first line is the title only when it looks like a headline: short, without sentence-final
punctuation, not a dateline, and followed by more text. Every other line goes through the
furniture rules; what is left is body.
"""
from __future__ import annotations

from ..model import Article, RawDocument, Zone
from .furniture import SENTENCE_END, Furniture, classify, find_dateline, lines_of

RULE = "extract.text@1"
MAX_TITLE_CHARS = 160
MAX_TITLE_WORDS = 24


def looks_like_headline(text: str, s: int, e: int, more: bool) -> bool:
    """Whether text[s:e] (a first line) reads as a headline."""
    line = text[s:e]
    return (
        more
        and len(line) <= MAX_TITLE_CHARS
        and len(line.split()) <= MAX_TITLE_WORDS
        and line[-1] not in SENTENCE_END + ",;:،؛"
        and find_dateline(text, s, e) is None
    )


def extract_text(text: str, raw: RawDocument) -> tuple[Article, Furniture]:
    """An Article over ``text`` (unchanged) with title, body and furniture zones."""
    art = Article(text=text, source=raw.source, url=raw.url, format="text", fetched_at=raw.fetched_at)
    lines = lines_of(text)
    furn = Furniture()
    if lines and looks_like_headline(text, *lines[0], more=len(lines) > 1):
        s, e = lines[0]
        furn.zones.append(Zone(s, e, RULE, "title"))
        art.title = text[s:e]
        lines = lines[1:]
    elif isinstance(raw.hints.get("title"), str) and raw.hints["title"].strip():
        art.title = " ".join(raw.hints["title"].split())
    classify(text, lines, furn)
    return art, furn
