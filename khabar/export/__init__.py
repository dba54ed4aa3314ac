"""Exports for other tools, from a store or from the Spark job's Parquet output.

    export(source, fmt, out) -> int

``source`` is a ``Store`` or the path of a Parquet output folder (``khabar spark --out``);
``fmt`` one of ``FORMATS``; ``out`` a file path (a folder for ``parquet``) or a text stream.
Returns how many records were written. docs/exports.md describes each format and where our
values differ in meaning from GDELT's.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

from ..errors import InputError
from ..store.base import Store

FORMATS = ("gdelt-events", "gdelt-mentions", "gkg", "plover", "parquet", "conllu")


def is_parquet_output(path: str | Path) -> bool:
    """True for a folder holding an ``articles`` table (the Spark job's or ``parquet`` export's)."""
    return (Path(path) / "articles").is_dir()


def iter_docs(source: Store | str | Path) -> Iterator[dict[str, Any]]:
    """Every article JSON of a store or a Parquet output."""
    if isinstance(source, Store):
        yield from source.iter_docs()
        return
    if not is_parquet_output(source):
        raise InputError(f"not a khabar Parquet output (no articles/ table): {source}")
    from .parquet import iter_docs as parquet_docs

    yield from parquet_docs(source)


def _tokens(source: Store | str | Path) -> dict[str, list[dict[str, Any]]]:
    """Tokens by article id (only a Parquet output has them)."""
    if isinstance(source, Store):
        return {}
    from .parquet import read_table

    out: dict[str, list[dict[str, Any]]] = {}
    for row in read_table(source, "tokens"):
        out.setdefault(row["article_id"], []).append(row)
    return out


def _write_text(source: Store | str | Path, fmt: str, out: TextIO) -> int:
    docs = iter_docs(source)
    if fmt in ("gdelt-events", "gdelt-mentions", "gkg"):
        from . import gdelt

        make: Callable[[Any], Iterator[list[str]]] = {
            "gdelt-events": gdelt.events_rows, "gdelt-mentions": gdelt.mentions_rows, "gkg": gdelt.gkg_rows}[fmt]
        return gdelt.write_tsv(make(docs), out)
    if fmt == "plover":
        from . import plover

        return plover.write_jsonl(plover.records(docs), out)
    from . import conllu

    toks = _tokens(source)
    return conllu.write((s for d in docs for s in conllu.sentences(d, toks.get(d["id"]))), out)


def export(source: Store | str | Path, fmt: str, out: str | Path | TextIO) -> int:
    """Write ``source``'s articles in format ``fmt`` to ``out``; returns the records written."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "parquet":
        if not isinstance(out, (str, Path)):
            raise InputError("the parquet export writes a folder: give a path")
        from .parquet import write_all

        return write_all(iter_docs(source), out)["articles"]
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            return _write_text(source, fmt, fh)
    return _write_text(source, fmt, out)


def export_text(source: Store | str | Path, fmt: str) -> str:
    """``export`` into a string (tests, the HTTP API)."""
    buf = io.StringIO()
    export(source, fmt, buf)
    return buf.getvalue()
