"""The flat tables of khabar's Parquet output: one row per article, entity mention, entity,
quote, event, claim, token and error.

Every table has ``article_id`` (except ``errors`` rows of inputs that never became an article)
and ``pub_date``, the article's publication day (``YYYY-MM-DD``, or ``unknown``), which the Spark
job and ``khabar.export.parquet`` partition by. Nested values (codes, evidence, proposition) are
JSON strings, so the same columns load into Spark, DuckDB, pandas or BigQuery without a nested
schema. ``articles.doc`` holds the whole article JSON (docs/json.md): stage 2 and the exporters read
it back. Rows are plain tuples in column order; both the Spark job and the single-machine writer
make them with ``article_rows``, so their outputs can be compared record for record.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Iterable, Iterator

from ..model import Article

# Column types: string, long, double, boolean. Written out once; Spark and Arrow schemas come from here.
Columns = tuple[tuple[str, str], ...]

_REF = ("name", "entity_id", "cameo", "start", "end")
_REF_TYPES = ("string", "string", "string", "long", "long")


def _ref_cols(prefix: str) -> Columns:
    return tuple((f"{prefix}_{n}", t) for n, t in zip(_REF, _REF_TYPES))


SCHEMAS: dict[str, Columns] = {
    "articles": (
        ("article_id", "string"), ("source", "string"), ("url", "string"), ("outlet", "string"),
        ("title", "string"), ("published", "string"), ("published_source", "string"),
        ("language", "string"), ("script", "string"), ("original_language", "string"),
        ("format", "string"), ("status", "string"), ("n_sentences", "long"), ("n_entities", "long"),
        ("n_quotes", "long"), ("n_events", "long"), ("n_claims", "long"), ("doc", "string"),
        ("pub_date", "string")),
    "mentions": (
        ("article_id", "string"), ("idx", "long"), ("entity_id", "string"), ("name", "string"),
        ("text", "string"), ("type", "string"), ("kind", "string"), ("start", "long"), ("end", "long"),
        ("confidence", "double"), ("rule", "string"), ("pub_date", "string")),
    "entities": (
        ("article_id", "string"), ("key", "string"), ("entity_id", "string"),
        ("canonical_name", "string"), ("name", "string"), ("type", "string"), ("kind", "string"),
        ("cameo", "string"), ("iso3166", "string"), ("lat", "double"), ("lon", "double"),
        ("mentions", "long"), ("first_start", "long"), ("codes", "string"), ("role", "string"),
        ("pub_date", "string")),
    "quotes": (
        ("article_id", "string"), ("idx", "long"), ("start", "long"), ("end", "long"), ("text", "string"),
        *_ref_cols("speaker"), ("verb", "string"), ("direct", "boolean"), ("confidence", "double"),
        ("rule", "string"), ("pub_date", "string")),
    "events": (
        ("article_id", "string"), ("idx", "long"), ("event_id", "string"), ("start", "long"),
        ("end", "long"), ("text", "string"), ("cameo", "string"), ("cameo_root", "string"),
        ("quad_class", "long"), ("goldstein", "double"), ("plover_type", "string"),
        ("plover_mode", "string"), ("factuality", "string"), *_ref_cols("source"),
        *_ref_cols("target"), *_ref_cols("place"), ("date_value", "string"),
        ("date_granularity", "string"), ("date_source", "string"), ("claim_id", "string"),
        ("evidence", "string"), ("data", "string"), ("rule", "string"), ("pub_date", "string")),
    "claims": (
        ("article_id", "string"), ("idx", "long"), ("claim_id", "string"), ("start", "long"),
        ("end", "long"), ("text", "string"), ("proposition", "string"), ("asserted_by", "string"),
        ("denied_by", "string"), ("confirmed_by", "string"), ("rule", "string"), ("pub_date", "string")),
    "tokens": (
        ("article_id", "string"), ("sentence", "long"), ("idx", "long"), ("start", "long"),
        ("end", "long"), ("form", "string"), ("lemma", "string"), ("upos", "string"),
        ("feats", "string"), ("head", "long"), ("dep", "string"), ("pub_date", "string")),
    "errors": (
        ("source", "string"), ("article_id", "string"), ("stage", "string"), ("code", "string"),
        ("message", "string"), ("pub_date", "string")),
}
# Written by stage 2 (khabar.scale.stage2) over the whole output.
STAGE2_SCHEMAS: dict[str, Columns] = {
    "stories": (
        ("story_id", "string"), ("title", "string"), ("members", "long"), ("article_ids", "string"),
        ("languages", "string"), ("independent_sources", "long"), ("events", "long"),
        ("first_published", "string"), ("doc", "string"), ("pub_date", "string")),
    "story_events": (
        ("event_id", "string"), ("story_id", "string"), ("cameo", "string"), ("source", "string"),
        ("target", "string"), ("date", "string"), ("reports", "long"), ("independent_sources", "long"),
        ("languages", "string"), ("mentions", "string"), ("pub_date", "string")),
}
ARTICLE_TABLES = ("articles", "mentions", "entities", "quotes", "events", "claims", "tokens")
UNKNOWN_DATE = "unknown"


def pub_date(doc: dict[str, Any]) -> str:
    """The article's publication day (``YYYY-MM-DD``) or ``unknown``: the partition key."""
    day = str(doc.get("published") or "")[:10]
    if len(day) == 10 and day[4] == "-" and day[7] == "-" and (day[:4] + day[5:7] + day[8:]).isdigit():
        return day
    return UNKNOWN_DATE


def dumps(value: Any) -> str | None:
    """A nested value as compact JSON (keys sorted), None stays None."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _ref(ref: dict[str, Any] | None) -> tuple[Any, ...]:
    ref = ref or {}
    return tuple(ref.get(n) for n in _REF)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def article_row(doc: dict[str, Any], day: str) -> tuple[Any, ...]:
    """The ``articles`` row of one article JSON."""
    return (doc["id"], doc.get("source"), doc.get("url"), doc.get("outlet"), doc.get("title"),
            doc.get("published"), doc.get("published_source"), doc.get("language"), doc.get("script"),
            doc.get("original_language"), doc.get("format"), doc.get("status"),
            len(doc.get("sentences", [])), len(doc.get("entities", [])), len(doc.get("quotes", [])),
            len(doc.get("events", [])), len(doc.get("claims", [])), dumps(doc), day)


def mention_rows(doc: dict[str, Any], day: str) -> Iterator[tuple[Any, ...]]:
    """One ``mentions`` row per entity mention."""
    for i, e in enumerate(doc.get("entities", [])):
        yield (doc["id"], i, e.get("entity_id"), e.get("name"), e.get("text"), e.get("type"),
               e.get("kind"), e["start"], e["end"], _float(e.get("confidence")), e.get("rule"), day)


def entity_key(ent: dict[str, Any]) -> str:
    """What makes two mentions one entity within an article: its id, else type and name."""
    return ent.get("entity_id") or f"name:{ent.get('type')}:{' '.join(str(ent.get('name') or '').split())}"


def entity_rows(doc: dict[str, Any], day: str) -> Iterator[tuple[Any, ...]]:
    """One ``entities`` row per distinct entity of the article, with its mention count."""
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for e in doc.get("entities", []):
        groups.setdefault(entity_key(e), []).append(e)
    for key, ents in groups.items():
        first = ents[0]
        codes = first.get("codes") or {}
        yield (doc["id"], key, first.get("entity_id"), first.get("canonical_name"), first.get("name"),
               first.get("type"), first.get("kind"), _str(codes.get("cameo")), _str(codes.get("iso3166")),
               _float(codes.get("lat")), _float(codes.get("lon")), len(ents),
               min(e["start"] for e in ents), dumps(codes), dumps(first.get("role")), day)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def quote_rows(doc: dict[str, Any], day: str) -> Iterator[tuple[Any, ...]]:
    """One ``quotes`` row per quotation, the speaker flattened."""
    for i, q in enumerate(doc.get("quotes", [])):
        yield (doc["id"], i, q["start"], q["end"], q.get("text"), *_ref(q.get("speaker")),
               q.get("verb"), bool(q.get("direct")), _float(q.get("confidence")), q.get("rule"), day)


def event_rows(doc: dict[str, Any], day: str) -> Iterator[tuple[Any, ...]]:
    """One ``events`` row per coded event, actors and place flattened."""
    for i, ev in enumerate(doc.get("events", [])):
        plover = ev.get("plover") or {}
        date = ev.get("date") or {}
        yield (doc["id"], i, ev.get("id"), ev["start"], ev["end"], ev.get("text"), ev.get("cameo"),
               ev.get("cameo_root"), _int(ev.get("quad_class")), _float(ev.get("goldstein")),
               plover.get("type"), plover.get("mode"), ev.get("factuality"), *_ref(ev.get("source")),
               *_ref(ev.get("target")), *_ref(ev.get("place")), _str(date.get("value")),
               date.get("granularity"), date.get("source"), ev.get("claim_id"),
               dumps(ev.get("evidence")), dumps(ev.get("data")), ev.get("rule"), day)


def claim_rows(doc: dict[str, Any], day: str) -> Iterator[tuple[Any, ...]]:
    """One ``claims`` row per claim; proposition and the ``*_by`` lists as JSON."""
    for i, c in enumerate(doc.get("claims", [])):
        yield (doc["id"], i, c.get("id"), c["start"], c["end"], c.get("text"), dumps(c.get("proposition")),
               dumps(c.get("asserted_by")), dumps(c.get("denied_by")), dumps(c.get("confirmed_by")),
               c.get("rule"), day)


def token_rows(article: Article, day: str) -> Iterator[tuple[Any, ...]]:
    """One ``tokens`` row per token of the analysed article (none when no stage made tokens)."""
    aid, text = article.id, article.text
    for i, t in enumerate(article.tokens):
        yield (aid, t.sentence, i, t.start, t.end, text[t.start:t.end], t.lemma, t.upos, t.feats,
               t.head, t.dep, day)


def doc_rows(doc: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every row one article JSON gives, tokens and errors excepted."""
    day = pub_date(doc)
    yield "articles", article_row(doc, day)
    for table, make in (("mentions", mention_rows), ("entities", entity_rows), ("quotes", quote_rows),
                        ("events", event_rows), ("claims", claim_rows)):
        for row in make(doc, day):
            yield table, row
    for err in doc.get("errors", []):
        yield "errors", (doc.get("source"), doc["id"], err.get("stage"), err.get("code"),
                         err.get("message"), day)


def article_rows(article: Article) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every row of one processed article, tokens included."""
    doc = article.to_dict()
    yield from doc_rows(doc)
    yield from (("tokens", row) for row in token_rows(article, pub_date(doc)))


def failure_row(source: str, code: str, message: str, stage: str = "ingest") -> tuple[str, tuple[Any, ...]]:
    """The ``errors`` row of an input that did not become an article."""
    return "errors", (source, None, stage, code, " ".join(message.split()), UNKNOWN_DATE)


def columns(table: str) -> Columns:
    """The columns of any of our tables (stage 1 or stage 2)."""
    return SCHEMAS.get(table) or STAGE2_SCHEMAS[table]


def as_dicts(table: str, rows: Iterable[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    """Rows of ``table`` as dicts keyed by column name."""
    names = [n for n, _ in columns(table)]
    for row in rows:
        yield dict(zip(names, row))
