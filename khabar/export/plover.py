"""PLOVER JSON records: one per coded event that has a PLOVER type.

Field names follow the PLOVER specification's record fields (openeventdata/PLOVER: id, date,
source, target, event, mode, context, eventText, eventLoc, text, textInfo, language, publication,
coder, version, dateCoded; size, dead, injured, comment); as in PLOVER's own records, only
non-null fields are written. Actors are ``[{actorText, code, sector}]`` with ``code`` the state
and ``sector`` the CAMEO role. Events of CAMEO roots 01 and 02 (statements, appeals) have no PLOVER
type and are left out. ``textInfo`` carries where the event is in our article (offsets into the
original text), so each record can be checked.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Iterable, Iterator

from .. import __version__
from .gdelt import _data

FIELDS = ("id", "date", "source", "target", "event", "mode", "context", "eventText", "eventLoc", "text",
          "textInfo", "language", "publication", "coder", "version", "dateCoded", "size", "dead",
          "injured", "comment")


def actor(ref: dict[str, Any] | None, doc: dict[str, Any]) -> list[dict[str, str]]:
    """A PLOVER actor list (one actor) from an event's source or target."""
    if not ref or not (ref.get("name") or ref.get("cameo")):
        return []
    code = str(ref.get("cameo") or "")
    roles = set(_data("cameo_roles")["roles"])
    state = code[:3] if len(code) >= 3 and code[:3].isalpha() and code[:3] not in roles else ""
    out = {"actorText": doc["text"][ref["start"]:ref["end"]] if ref.get("start") is not None else ref.get("name"),
           "code": state, "sector": code[len(state):len(state) + 3]}
    return [{k: v for k, v in out.items() if v}]


def _place(ref: dict[str, Any] | None, doc: dict[str, Any]) -> dict[str, str] | None:
    if not ref or not ref.get("name"):
        return None
    ent: dict[str, Any] = next((e for e in doc.get("entities", [])
                                if ref.get("entity_id") and e.get("entity_id") == ref.get("entity_id")), {})
    loc = {"name": ent.get("canonical_name") or ref["name"], "country code": (ent.get("codes") or {}).get("iso3166")}
    return {k: v for k, v in loc.items() if v}


def _sentence(doc: dict[str, Any], ev: dict[str, Any]) -> tuple[int, int]:
    span = (ev.get("evidence") or {}).get("sentence")
    if span:
        return int(span[0]), int(span[1])
    for s, e in doc.get("sentences", []):
        if s <= ev["start"] < e:
            return s, e
    return ev["start"], ev["end"]


def plover_date(value: Any) -> str | None:
    """An ISO date for PLOVER's ``date``: a week becomes its Monday, a timestamp its day."""
    text = str(value or "")
    m = re.fullmatch(r"(\d{4})-W(\d{2})", text)
    if m:
        try:
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).isoformat()
        except ValueError:
            return None
    m = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", text)
    return m[0] if m else None


def record(ev: dict[str, Any], doc: dict[str, Any], coded: str) -> dict[str, Any] | None:
    """The PLOVER record of one event, None when the event has no PLOVER type."""
    plover = ev.get("plover") or {}
    if not plover.get("type"):
        return None
    pred = (ev.get("evidence") or {}).get("predicate") or [ev["start"], ev["end"]]
    s, e = _sentence(doc, ev)
    date = plover_date((ev.get("date") or {}).get("value")) or plover_date(doc.get("published"))
    rec = {"id": f"khabar-{doc['id']}-{ev.get('id') or ev['start']}", "date": date,
           "source": actor(ev.get("source"), doc), "target": actor(ev.get("target"), doc),
           "event": plover["type"], "mode": plover.get("mode"), "eventText": doc["text"][pred[0]:pred[1]],
           "eventLoc": _place(ev.get("place"), doc), "text": " ".join(doc["text"][s:e].split()),
           "textInfo": {"article": doc["id"], "url": doc.get("url"), "start": ev["start"], "end": ev["end"],
                        "sentence": [s, e], "cameo": ev.get("cameo"), "factuality": ev.get("factuality")},
           "language": doc.get("language"), "publication": doc.get("outlet"), "coder": "khabar",
           "version": __version__, "dateCoded": coded}
    return {k: v for k, v in rec.items() if v not in (None, "", [])}


def records(docs: Iterable[dict[str, Any]], coded: str | None = None) -> Iterator[dict[str, Any]]:
    """PLOVER records of every event with a PLOVER type; ``coded`` is ``dateCoded`` (default today)."""
    day = coded or dt.date.today().isoformat()
    for doc in docs:
        for ev in doc.get("events", []):
            rec = record(ev, doc, day)
            if rec is not None:
                yield rec


def write_jsonl(recs: Iterable[dict[str, Any]], out: Any) -> int:
    """One JSON record per line; returns the count."""
    n = 0
    for rec in recs:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n
