"""Line spans: the one place that cuts a text into its non-blank lines by offsets."""
from __future__ import annotations

import re

_LINE = re.compile(r"[^\n]+")


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text[start:end]``, without edge white space."""
    end = len(text) if end is None else end
    out = []
    for m in _LINE.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
