"""Listing stored events with filters (the library side of ``khabar events``).

Events live in each stored article's JSON under ``events``; this module scans
``Store.iter_docs()`` and keeps the events matching every filter given.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator

from ..errors import InputError


@dataclass(frozen=True)
class EventFilter:
    """Filters for ``khabar events``; ``None`` means "any"."""

    actor: str | None = None
    code: str | None = None
    root: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None
    factuality: str | None = None

    def check(self) -> "EventFilter":
        """Validate the dates (ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); raises InputError."""
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _iso_prefix(value):
                raise InputError(f"--{name} wants a date like 2024-06 or 2024-06-19, got {value!r}")
        if self.root is not None and not (self.root.isdigit() and len(self.root) == 2):
            raise InputError(f"--root wants a two-digit CAMEO root such as 04 or 19, got {self.root!r}")
        return self


def _iso_prefix(value: str) -> bool:
    parts = value.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        date(y, m, d)
    except (ValueError, IndexError):
        return False
    return len(parts) <= 3 and len(parts[0]) == 4


def _ref_text(ref: Any) -> str:
    """Searchable text of an actor/place reference: name, entity id and CAMEO code."""
    if not isinstance(ref, dict):
        return str(ref or "")
    return " ".join(str(ref.get(k) or "") for k in ("name", "entity_id", "cameo")).lower()


def _event_date(ev: dict[str, Any], doc: dict[str, Any]) -> str:
    d = ev.get("date")
    if isinstance(d, dict) and d.get("value"):
        return str(d["value"])
    return str(doc.get("published") or "")


def matches(ev: dict[str, Any], doc: dict[str, Any], f: EventFilter) -> bool:
    """True when the event passes every filter."""
    code = str(ev.get("cameo") or "")
    if f.code and not code.startswith(f.code):
        return False
    if f.root and (ev.get("cameo_root") or code[:2]) != f.root:
        return False
    if f.actor:
        needle = f.actor.lower()
        if needle not in _ref_text(ev.get("source")) and needle not in _ref_text(ev.get("target")):
            return False
    if f.place and f.place.lower() not in _ref_text(ev.get("place")):
        return False
    if f.factuality and (ev.get("factuality") or "") != f.factuality:
        return False
    when = _event_date(ev, doc)
    if f.since and (not when or when[: len(f.since)] < f.since):
        return False
    if f.until and (not when or when[: len(f.until)] > f.until):
        return False
    return True


def iter_events(docs: Iterable[dict[str, Any]], f: EventFilter) -> Iterator[dict[str, Any]]:
    """Matching events, each with ``article_id`` and ``article_title`` added."""
    for doc in docs:
        for ev in doc.get("events") or []:
            if isinstance(ev, dict) and matches(ev, doc, f):
                yield {**ev, "article_id": doc.get("id"), "article_title": doc.get("title")}


def one_line(ev: dict[str, Any]) -> str:
    """A human-readable line: date, code, source -> target, place, factuality."""
    def name(ref: Any) -> str:
        if not isinstance(ref, dict):
            return "-"
        code = f" ({ref['cameo']})" if ref.get("cameo") else ""
        return f"{ref.get('name') or '-'}{code}"

    when = ev.get("date", {}).get("value") if isinstance(ev.get("date"), dict) else None
    place = f" in {ev['place'].get('name')}" if isinstance(ev.get("place"), dict) else ""
    plover = ev.get("plover") or {}
    ptype = f" {plover.get('type')}" if isinstance(plover, dict) and plover.get("type") else ""
    return (f"{when or '-':<10} {ev.get('cameo', ''):<5}{ptype} {name(ev.get('source'))} -> "
            f"{name(ev.get('target'))}{place} [{ev.get('factuality', '')}] {str(ev.get('article_id') or '')[:10]}")
