"""Event deduplication inside a story: one event id for the same event in every report.

An article's events (from the events stage) are keyed by CAMEO code + source actor code + target
actor code + day. The actor code is the actor's CAMEO code (``Ref.cameo``; or
``data["source_code"]``), else its knowledge-base id, else its folded name. The day is the
event's day-granularity date (``Event.date["value"]``, or ``data["date"]``), else the article's
publication day. Reports
with the same key are mentions of one event, like GDELT's Mentions table: (article, sentence,
offsets, confidence). Counts are recomputed whenever a report joins the story, never frozen.
"""
from __future__ import annotations

import hashlib
from typing import Any

from ..kb.places import fold_key
from .provenance import group_of, node

RULE = "stories.events@1"


def _actor(ev: dict[str, Any], side: str) -> str:
    ref = ev.get(side) or {}
    code = ref.get("cameo") or (ev.get("data") or {}).get(f"{side}_code")
    if code:
        return str(code)
    if ref.get("entity_id"):
        return str(ref["entity_id"])
    return " ".join(fold_key(str(ref.get("name") or "")))


def event_key(ev: dict[str, Any], doc: dict[str, Any]) -> str | None:
    """``cameo|source|target|day`` of one event of ``doc``; None without a CAMEO code or day."""
    cameo = str(ev.get("cameo") or "")
    stated = (ev.get("date") or {}).get("value") if isinstance(ev.get("date"), dict) else None
    day = str(stated or (ev.get("data") or {}).get("date") or doc.get("published") or "")[:10]
    if not cameo or len(day) != 10:
        return None
    return f"{cameo}|{_actor(ev, 'source')}|{_actor(ev, 'target')}|{day}"


def event_keys(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(key, event) for each keyable event of an article."""
    out = []
    for ev in doc.get("events", []):
        key = event_key(ev, doc)
        if key is not None:
            out.append((key, ev))
    return out


def event_id(key: str) -> str:
    """A stable id for the event behind ``key`` (the same in every story and store)."""
    return hashlib.sha256(f"event\x00{key}".encode()).hexdigest()[:16]


def _sentence(doc: dict[str, Any], start: int) -> int | None:
    for i, (s, e) in enumerate(doc.get("sentences", [])):
        if s <= start < e:
            return i
    return None


def merge(docs: list[dict[str, Any]], lineage: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's events: one per key, with every report as a mention, the languages, and the
    number of independent sources (lineage groups) among the mentioning articles."""
    groups = group_of(lineage)
    merged: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for key, ev in event_keys(doc):
            cameo, src, tgt, day = key.split("|")
            item = merged.setdefault(key, {"id": event_id(key), "cameo": cameo, "source": src, "target": tgt,
                                           "date": day, "mentions": [], "rule": RULE})
            item["mentions"].append({"article": doc["id"], "language": doc.get("language"),
                                     "sentence": _sentence(doc, int(ev.get("start", 0))),
                                     "start": ev.get("start"), "end": ev.get("end"),
                                     "confidence": (ev.get("data") or {}).get("confidence", 1.0)})
    for item in merged.values():
        arts = {m["article"] for m in item["mentions"]}
        item["languages"] = sorted({str(m["language"]) for m in item["mentions"]})
        item["reports"] = len(arts)
        item["independent_sources"] = len({groups.get(f"article:{a}", a) for a in arts})
    return sorted(merged.values(), key=lambda e: (-e["reports"], e["id"]))


__all__ = ["event_key", "event_keys", "event_id", "merge", "node"]
