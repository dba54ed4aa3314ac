"""Flatten HTML nested deeper than the parsers go.

libxml2 (under lxml and so trafilatura) stops building the tree at 256 levels of nesting: the text
below that depth is lost without a word. ``flatten_deep`` drops the start and end tags of elements
that would open deeper than ``MAX_DEPTH`` and keeps their text, which then belongs to the deepest
element kept. Pages that never nest that deep are returned unchanged (the common case costs one
regular-expression scan over the tags).
"""
from __future__ import annotations

import re

MAX_DEPTH = 200  # below libxml2's 256, leaving room for the levels a parser adds itself

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_RAW_START = re.compile(r"<!--|<(script|style|textarea|title)\b", re.I)
# elements without content, and elements a start tag of the same name implicitly closes
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
SELF_CLOSING = frozenset("p li dt dd option tr td th".split())


def _tags(html: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, lowercased name, is_end_tag) of every tag outside comments, scripts and styles."""
    skipped = _raw_spans(html)
    out, k = [], 0
    for m in _TAG.finditer(html):
        while k < len(skipped) and skipped[k][1] <= m.start():
            k += 1
        if k < len(skipped) and skipped[k][0] <= m.start() < skipped[k][1]:
            continue
        name = m.group(2).lower()
        if name in VOID or m.group(3):
            continue
        out.append((m.start(), m.end(), name, bool(m.group(1))))
    return out


def _raw_spans(html: str) -> list[tuple[int, int]]:
    """Spans of comments and of script/style/textarea/title contents, whose ``<`` are not tags
    (one pass: an unclosed one runs to the end)."""
    spans, pos, low = [], 0, None
    while True:
        m = _RAW_START.search(html, pos)
        if m is None:
            return spans
        if m.group(1) is None:
            close, size = html.find("-->", m.end()), 3
        else:
            low = low if low is not None else html.lower()
            close, size = low.find("</" + m.group(1).lower(), m.end()), 0
        end = len(html) if close < 0 else close + size
        spans.append((m.start(), end))
        pos = max(end, m.end())


def _dropped(tags: list[tuple[int, int, str, bool]], limit: int) -> list[tuple[int, int]]:
    """Spans of the start and end tags to drop so that nothing opens deeper than ``limit``."""
    stack: list[tuple[str, bool]] = []  # (name, kept)
    drop: list[tuple[int, int]] = []
    for start, end, name, closing in tags:
        if not closing:
            if name in SELF_CLOSING:
                _close_open(stack, name)
            kept = len(stack) < limit
            stack.append((name, kept))
            if not kept:
                drop.append((start, end))
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                if not stack[i][1]:
                    drop.append((start, end))
                del stack[i:]
                break
    return drop


def _close_open(stack: list[tuple[str, bool]], name: str) -> None:
    """A start tag of ``name`` (p, li, ...) closes an open ``name`` found above the innermost
    container that is not such an element, as HTML parsers do."""
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == name:
            del stack[i:]
            return
        if stack[i][0] not in SELF_CLOSING:
            return


def flatten_deep(html: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """``html`` with the tags nested deeper than ``limit`` removed (their text kept), and how many
    elements were flattened."""
    if html.count("<") <= limit:
        return html, 0
    drop = _dropped(_tags(html), limit)
    if not drop:
        return html, 0
    drop.sort()
    parts, last = [], 0
    for s, e in drop:
        parts.append(html[last:s])
        last = e
    parts.append(html[last:])
    return "".join(parts), sum(1 for s, _ in drop if html[s + 1] != "/")
