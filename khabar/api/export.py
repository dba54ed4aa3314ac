"""Downloads: lists of records as JSON, CSV or Parquet.

Each kind has fixed columns, so a download's shape does not depend on which records it holds.
Nested values (speakers, actors, codes) become JSON strings in CSV and Parquet. CSV cells that a
spreadsheet would run as a formula (starting with ``= + - @`` or a tab/CR) get a leading ``'``.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "url", "title", "outlet", "language", "published", "source", "status"),
    "quotes": ("article_id", "article_title", "published", "language", "text", "start", "end",
               "speaker", "verb", "direct", "confidence", "rule"),
    "events": ("id", "article_id", "article_title", "cameo", "cameo_root", "source", "target", "place",
               "date", "factuality", "goldstein", "quad_class", "plover", "text", "start", "end", "rule"),
    "claims": ("id", "article_id", "article_title", "published", "text", "start", "end", "proposition",
               "asserted_by", "denied_by", "confirmed_by", "rule"),
    "mentions": ("article_id", "title", "published", "language", "name", "text", "type", "start", "end"),
}
FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8",
           "parquet": "application/vnd.apache.parquet"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _flat(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def table(kind: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records cut to the kind's columns, nested values as JSON strings."""
    cols = COLUMNS[kind]
    return [{c: _flat(r.get(c)) for c in cols} for r in records]


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(kind: str, records: list[dict[str, Any]]) -> bytes:
    """CSV with a header row, UTF-8 with a BOM (so spreadsheets read Urdu right)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS[kind], lineterminator="\n")
    writer.writeheader()
    for row in table(kind, records):
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _arrow_type(values: list[Any]) -> Any:
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {bool}:
        return pa.bool_()
    if kinds and kinds <= {int}:
        return pa.int64()
    if kinds and kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def to_parquet(kind: str, records: list[dict[str, Any]]) -> bytes:
    """A Parquet file of the records (pyarrow), one column per field."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = table(kind, records)
    arrays, fields = [], []
    for col in COLUMNS[kind]:
        values = [r[col] for r in rows]
        typ = _arrow_type(values)
        if typ == pa.string():
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=typ))
        fields.append(pa.field(col, typ))
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), buf)
    return buf.getvalue()


def to_json(kind: str, records: list[dict[str, Any]]) -> bytes:
    """The records as they are (not cut to columns), as one JSON array."""
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def render(kind: str, fmt: str, records: list[dict[str, Any]]) -> bytes:
    """The download's bytes in format ``fmt`` (json, csv or parquet)."""
    if fmt == "csv":
        return to_csv(kind, records)
    if fmt == "parquet":
        return to_parquet(kind, records)
    return to_json(kind, records)
