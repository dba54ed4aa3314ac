"""Readable plain-text rendering of a stored article for ``khabar show``.

Right-to-left safety: every value in a right-to-left script is wrapped in Unicode directional
isolates (RLI … PDI), so an Urdu title next to a Latin label, a URL or digits keeps its order in a
bidi-aware terminal, and labels stay on the left. Values in left-to-right scripts are wrapped in
LRI … PDI for the same reason. Control characters in stored text are made visible, never
interpreted by the terminal.
"""
from __future__ import annotations

import textwrap
import unicodedata
from typing import Any

RLI, LRI, PDI = "\u2067", "\u2066", "\u2069"
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def is_rtl(text: str) -> bool:
    """Whether the first strong directional character of ``text`` is right-to-left."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            return True
        if bidi == "L":
            return False
    return False


def safe(text: str) -> str:
    """``text`` without bidi controls or terminal escapes, isolated in its own direction."""
    cleaned = text.translate(_BIDI_CONTROLS)
    cleaned = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in cleaned)
    return f"{RLI if is_rtl(cleaned) else LRI}{cleaned}{PDI}"


def _line(label: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return f"{label:<18} -"
    return f"{label:<18} {safe(str(value))}"


def _wrap(text: str, width: int = 100) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            continue
        out.extend(safe(chunk) for chunk in textwrap.wrap(para, width) or [""])
        out.append("")
    return out


def render_article(doc: dict[str, Any]) -> str:
    """The article as labelled lines, its body wrapped, then its facts one per line."""
    lines = [
        _line("id", doc.get("id")),
        _line("title", doc.get("title")),
        _line("outlet", doc.get("outlet")),
        _line("url", doc.get("url")),
        _line("published", _with_source(doc.get("published"), doc.get("published_source"))),
        _line("language", doc.get("language")),
        _line("original language", _with_source(doc.get("original_language"), doc.get("original_language_reason"))),
        _line("source", doc.get("source_url")),
        _line("credits", ", ".join(f"{c['role']}: {c['name']}" for c in doc.get("credits", []))),
        _line("comments", doc.get("comment_count")),
        _line("status", doc.get("status")),
        "",
    ]
    lines.extend(_wrap(doc.get("body") or ""))
    for key, fmt in _FACTS:
        items = doc.get(key) or []
        if items:
            lines.append(f"{key} ({len(items)}):")
            lines.extend("  " + fmt(item) for item in items)
    for err in doc.get("errors", []):
        lines.append(f"error in {err.get('stage')}: [{err.get('code')}] {err.get('message')}")
    return "\n".join(lines).rstrip() + "\n"


def _with_source(value: Any, source: Any) -> str | None:
    if value is None:
        return f"unknown ({source})" if source else None
    return f"{value} ({source})" if source else str(value)


def _quote(q: dict[str, Any]) -> str:
    who = (q.get("speaker") or {}).get("name") or "?"
    kind = "" if q.get("direct", True) else " (indirect)"
    return f"{safe(who)}{kind}: {safe(q.get('text', ''))}"


def _date(d: dict[str, Any]) -> str:
    return f"{safe(d.get('text', ''))} → {d.get('value')} ({d.get('granularity')})"


def _amount(a: dict[str, Any]) -> str:
    qual = f"{a['qualifier'].replace('_', ' ')} " if a.get("qualifier") else ""
    value = a.get("value") or 0
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    unit = f" {a['unit']}" if a.get("unit") else ""
    obj = f" {safe(a['object'])}" if a.get("object") else ""
    return f"{safe(a.get('text', ''))} → {qual}{number}{unit}{obj}"


def _entity(e: dict[str, Any]) -> str:
    codes = ", ".join(f"{k}={v}" for k, v in (e.get("codes") or {}).items() if k in ("iso3166", "cameo"))
    role = f" [{e['role']}]" if e.get("role") else ""
    return f"{e.get('type')}: {safe(e.get('text', ''))} → {safe(e.get('name') or '')}{role} {codes}".rstrip()


_FACTS = [("quotes", _quote), ("dates", _date), ("amounts", _amount), ("entities", _entity)]
