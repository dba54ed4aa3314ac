"""GDELT 2.0 Event and Mentions tables and GKG 2.1 records, as tab-separated files.

Column lists (names, order, value types) are our data file ``data/gdelt_columns.json``, written
from GDELT's published codebooks. One Events row per distinct event across all the articles
(the key of ``khabar.stories.events``: CAMEO code + source + target actor + day; ``GLOBALEVENTID``
is that event id as an integer), one Mentions row per report of an event, one GKG record per
article. Where our values mean something else than GDELT's (offsets into the original language,
ISO country codes, speakers) is listed in docs/exports.md.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from ..stories.events import event_id, event_keys

DATA = Path(__file__).resolve().parent / "data"
GEO_TYPES = {"state": 1, "city": 4, "place": 4, "region": 5, "area": 5}  # GDELT: 1 COUNTRY, 4 WORLDCITY, 5 WORLDSTATE
DATE_RESOLUTION = {"day": 4, "month": 2, "year": 1}  # GDELT: 1 year, 2 month, 3 month+day, 4 full day


@lru_cache(maxsize=None)
def _data(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def columns(table: str) -> list[tuple[str, str]]:
    """``[(name, type)]`` of ``events`` (61), ``mentions`` (16) or ``gkg`` (27)."""
    return [(n, t) for n, t in _data("gdelt_columns")[table]]


def clean(value: Any, extra: str = "") -> str:
    """A value as one TSV field: None is empty; tabs, newlines and ``extra`` characters become spaces."""
    if value is None:
        return ""
    text = str(value)
    for ch in "\t\r\n\x0b\x0c\x85\u2028\u2029" + extra:
        text = text.replace(ch, " ")
    return text


def stamp(value: str | None) -> str:
    """An ISO 8601 date or time as GDELT's ``YYYYMMDDHHMMSS`` in UTC; empty when unreadable."""
    if not value:
        return ""
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.strftime("%Y%m%d%H%M%S")


def _lang3(code: str | None) -> str:
    return _data("iso639")["codes"].get(code or "", code or "")


def translation_info(doc: dict[str, Any]) -> str:
    """GDELT's translation field: empty for English; ``srclc:<ISO 639-2>;eng:none`` otherwise
    (khabar reads every language in the original, nothing is machine-translated)."""
    lang = doc.get("language")
    return "" if lang in (None, "en", "und") else f"srclc:{_lang3(lang)};eng:none"


def source_name(doc: dict[str, Any]) -> str:
    """The outlet, else the URL's host, else the input's name."""
    if doc.get("outlet"):
        return clean(doc["outlet"])
    host = urlsplit(doc.get("url") or "").hostname
    return clean(host or doc.get("source"))


def _entity(doc: dict[str, Any], entity_id: str | None) -> dict[str, Any] | None:
    if not entity_id:
        return None
    return next((e for e in doc.get("entities", []) if e.get("entity_id") == entity_id), None)


# ----- actors and places -------------------------------------------------------------------------
def actor_fields(ref: dict[str, Any] | None, doc: dict[str, Any]) -> list[str]:
    """The 10 Actor columns: code, name, country, known group, ethnic, 2 religion, 3 type codes."""
    if not ref:
        return [""] * 10
    code = str(ref.get("cameo") or "")
    ent = _entity(doc, ref.get("entity_id")) or {}
    name = ent.get("canonical_name") or ref.get("name") or ""
    roles = set(_data("cameo_roles")["roles"])
    country = code[:3] if len(code) >= 3 and code[:3].isalpha() and code[:3] not in roles else ""
    rest = code[len(country):]
    types = [rest[i:i + 3] for i in range(0, len(rest), 3) if rest[i:i + 3] in roles][:3]
    return [clean(code), clean(name.upper()), country, "", "", "", "", *(types + ["", "", ""])[:3]]


def geo_fields(ref: dict[str, Any] | None, doc: dict[str, Any], *, places_only: bool = False) -> list[str]:
    """The 8 Geo columns of a place or of an actor's state: type, name, country, ADM1, ADM2,
    lat, long, feature id (our knowledge-base id)."""
    ent = _entity(doc, (ref or {}).get("entity_id"))
    if ent is None:
        return [""] * 8
    codes = ent.get("codes") or {}
    kind = ent.get("kind") or ""
    if kind not in GEO_TYPES or (not places_only and kind != "state") or codes.get("lat") is None:
        return [""] * 8
    name = ent.get("canonical_name") or ent.get("name") or ""
    return [str(GEO_TYPES[kind]), clean(name, "#;"), clean(codes.get("iso3166")), "", "",
            f"{float(codes['lat']):.4f}", f"{float(codes['lon']):.4f}", clean(ent.get("entity_id"))]


# ----- events and mentions -----------------------------------------------------------------------
def group_events(docs: Iterable[dict[str, Any]]) -> OrderedDict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Reports of each distinct event: key -> [(article JSON, event)], in reading order."""
    groups: OrderedDict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = OrderedDict()
    for doc in docs:
        for key, ev in event_keys(doc):
            groups.setdefault(key, []).append((doc, ev))
    return groups


def global_id(key: str) -> int:
    """GDELT's integer GLOBALEVENTID for an event key: the event id's first 60 bits."""
    return int(event_id(key)[:15], 16)


def _sentence_index(doc: dict[str, Any], start: int) -> int:
    for i, (s, e) in enumerate(doc.get("sentences", [])):
        if s <= start < e:
            return i
    return -1


def _date_added(reports: list[tuple[dict[str, Any], dict[str, Any]]], day: str) -> str:
    stamps = [stamp(d.get("published")) or stamp(d.get("fetched_at")) for d, _ in reports]
    stamps = [s for s in stamps if s]
    return min(stamps) if stamps else day.replace("-", "") + "000000"


def event_row(key: str, reports: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
    """The 61 Events columns of one distinct event."""
    doc, ev = reports[0]
    cameo, _src, _tgt, day = key.split("|")
    date = dt.date.fromisoformat(day)
    fraction = date.year + (date.timetuple().tm_yday - 1) / 365.0
    root = any(_sentence_index(d, int(e.get("start", 0))) in (0, 1) for d, e in reports)
    outlets = {source_name(d) for d, _ in reports}
    row = [str(global_id(key)), day.replace("-", ""), day[:7].replace("-", ""), day[:4], f"{fraction:.4f}"]
    row += actor_fields(ev.get("source"), doc) + actor_fields(ev.get("target"), doc)
    row += [str(int(root)), cameo, cameo[:3], str(ev.get("cameo_root") or cameo[:2]),
            _num(ev.get("quad_class")), _num(ev.get("goldstein")), str(len(reports)), str(len(outlets)),
            str(len({d["id"] for d, _ in reports})), ""]
    row += geo_fields(ev.get("source"), doc) + geo_fields(ev.get("target"), doc)
    row += geo_fields(ev.get("place"), doc, places_only=True)
    row += [_date_added(reports, day), clean(doc.get("url") or doc.get("source"))]
    return row


def _num(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and not isinstance(value, float) else f"{float(value):g}"


def mention_row(key: str, reports: list[tuple[dict[str, Any], dict[str, Any]]], i: int) -> list[str]:
    """The 16 Mentions columns of report ``i`` of one distinct event."""
    doc, ev = reports[i]
    day = key.rsplit("|", 1)[1]
    evidence = ev.get("evidence") or {}
    action = (evidence.get("predicate") or [ev.get("start")])[0]
    conf = float((ev.get("data") or {}).get("confidence", 1.0))
    return [str(global_id(key)), _date_added(reports, day),
            stamp(doc.get("published")) or stamp(doc.get("fetched_at")) or day.replace("-", "") + "000000",
            "1" if doc.get("url") else "2", source_name(doc), clean(doc.get("url") or doc.get("source")),
            str(_sentence_index(doc, int(ev.get("start", 0))) + 1), _offset(ev.get("source")),
            _offset(ev.get("target")), str(action if action is not None else -1), "1",
            str(max(10, min(100, round(conf * 100)))), str(len(doc.get("text") or "")), "",
            translation_info(doc), ""]


def _offset(ref: dict[str, Any] | None) -> str:
    return str(ref["start"]) if ref and ref.get("start") is not None else "-1"


def events_rows(docs: Iterable[dict[str, Any]]) -> Iterator[list[str]]:
    """Events rows of the articles, one per distinct event."""
    for key, reports in group_events(docs).items():
        yield event_row(key, reports)


def mentions_rows(docs: Iterable[dict[str, Any]]) -> Iterator[list[str]]:
    """Mentions rows of the articles, one per report of an event."""
    for key, reports in group_events(docs).items():
        for i in range(len(reports)):
            yield mention_row(key, reports, i)


# ----- GKG ---------------------------------------------------------------------------------------
def _names(doc: dict[str, Any], types: set[str]) -> list[tuple[str, int]]:
    """(name, offset) of each entity mention of the given types, names cleaned for GKG lists."""
    out = []
    for e in doc.get("entities", []):
        if e.get("type") in types:
            name = e.get("canonical_name") or e.get("name") or e.get("text") or ""
            out.append((clean(name, ",;#|").strip(), int(e["start"])))
    return [(n, o) for n, o in out if n]


def _locations(doc: dict[str, Any]) -> tuple[str, str]:
    """V1LOCATIONS and V2ENHANCEDLOCATIONS of an article's placed entities."""
    v1: list[str] = []
    v2: list[str] = []
    for e in doc.get("entities", []):
        geo = geo_fields({"entity_id": e.get("entity_id")}, doc, places_only=True)
        if not geo[0]:
            continue
        kind, name, country, adm1, adm2, lat, lon, fid = geo
        one = "#".join((kind, name, country, adm1, lat, lon, fid))
        if one not in v1:
            v1.append(one)
        v2.append("#".join((kind, name, country, adm1, adm2, lat, lon, fid, str(e["start"]))))
    return ";".join(v1), ";".join(v2)


def _quotations(doc: dict[str, Any]) -> str:
    """V2.1QUOTATIONS: ``offset|length|verb|quote`` joined by ``#``."""
    parts = []
    for q in doc.get("quotes", []):
        text = clean(q.get("text"), "|#").strip()
        parts.append(f"{q['start']}|{q['end'] - q['start']}|{clean(q.get('verb'), '|#')}|{text}")
    return "#".join(parts)


def _dates(doc: dict[str, Any]) -> str:
    """V2.1ENHANCEDDATES: ``resolution#month#day#year#offset`` joined by ``;``."""
    parts = []
    for d in doc.get("dates", []):
        res = DATE_RESOLUTION.get(str(d.get("granularity")))
        value = str(d.get("value") or "")
        if res is None or not value[:4].isdigit():
            continue
        month = value[5:7] if res >= 2 and value[5:7].isdigit() else "0"
        day = value[8:10] if res == 4 and value[8:10].isdigit() else "0"
        parts.append(f"{res}#{int(month)}#{int(day)}#{value[:4]}#{d['start']}")
    return ";".join(parts)


def _amounts(doc: dict[str, Any]) -> str:
    """V2.1AMOUNTS: ``amount,object,offset`` joined by ``;``."""
    parts = []
    for a in doc.get("amounts", []):
        obj = clean(a.get("object") or a.get("unit") or "", ",;").strip()
        parts.append(f"{float(a.get('value') or 0):g},{obj},{a['start']}")
    return ";".join(parts)


def _extras(doc: dict[str, Any]) -> str:
    """V2EXTRASXML: the page title and, beyond GDELT, each quotation's speaker."""
    xml = f"<PAGE_TITLE>{escape(clean(doc.get('title')))}</PAGE_TITLE>" if doc.get("title") else ""
    speakers = []
    for q in doc.get("quotes", []):
        sp = q.get("speaker") or {}
        if sp.get("name"):
            speakers.append(f"{q['start']}|{clean(sp['name'], '|#')}|{sp.get('entity_id') or ''}|{sp.get('start', '')}")
    if speakers:
        xml += f"<KHABAR_QUOTE_SPEAKERS>{escape('#'.join(speakers))}</KHABAR_QUOTE_SPEAKERS>"
    return xml


def gkg_row(doc: dict[str, Any], serial: int) -> list[str]:
    """The 27 GKG 2.1 columns of one article; ``serial`` numbers records with the same date."""
    when = stamp(doc.get("published")) or stamp(doc.get("fetched_at")) or "19700101000000"
    persons = _names(doc, {"PERSON"})
    orgs = _names(doc, {"ORG", "MEDIA"})
    allnames = _names(doc, {"PERSON", "ORG", "MEDIA", "NORP", "GPE", "LOC"})
    v1loc, v2loc = _locations(doc)
    words = len((doc.get("text") or "").split())
    return [f"{when}-{serial}", when, "1" if doc.get("url") else "2", source_name(doc),
            clean(doc.get("url") or doc.get("source")), "", "", "", "", v1loc, v2loc,
            ";".join(dict.fromkeys(n for n, _ in persons)), ";".join(f"{n},{o}" for n, o in persons),
            ";".join(dict.fromkeys(n for n, _ in orgs)), ";".join(f"{n},{o}" for n, o in orgs),
            "", _dates(doc), f"wc:{words}", "", "", "", "", _quotations(doc),
            ";".join(f"{n},{o}" for n, o in allnames), _amounts(doc), translation_info(doc), _extras(doc)]


def gkg_rows(docs: Iterable[dict[str, Any]]) -> Iterator[list[str]]:
    """GKG rows, one per article."""
    for i, doc in enumerate(docs):
        yield gkg_row(doc, i)


def write_tsv(rows: Iterable[list[str]], out: Any) -> int:
    """Write rows as GDELT's tab-separated lines (no header) to a text stream; returns the count."""
    n = 0
    for row in rows:
        out.write("\t".join(row) + "\n")
        n += 1
    return n
