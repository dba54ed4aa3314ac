"""Inputs of the Spark job, cut into slices that tasks read independently.

``plan(inputs)`` runs on the driver and only lists files; ``warc_slices`` (run on the executors)
indexes a WARC file's record offsets; ``read_slice`` (on the executors) turns one slice into
RawDocuments and Failures, exactly as ``khabar run`` would read the same records.

Slice kinds:

* ``warc``: records ``[first, first + count)`` of a WARC file, starting at byte ``start`` (per-record
  gzip, as CC-NEWS ships, or plain WARC); a file that cannot be entered mid-way is one slice;
* ``jsonl``: the lines that start in bytes ``[start, end)`` of a JSONL file (``.jsonl.gz``: whole file);
  each line an object with ``html`` or ``text`` (or ``content`` + ``content_type``) and optional
  ``url``, ``fetched_at``, ``source``;
* ``parquet``: one row group of a Parquet file with the same columns;
* ``file``: any other file (HTML, text, a feed file), read by ``khabar.ingest.iter_documents``.
"""
from __future__ import annotations

import gzip
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from ..errors import InputError, MalformedInput, NotFound
from ..ingest import files, iter_documents
from ..ingest.warc import iter_warc_stream
from ..model import Failure, RawDocument
from ..settings import Settings

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"})
PARQUET_SUFFIXES = frozenset({".parquet"})
JSONL_SPLIT_BYTES = 8 << 20  # JSONL files are cut into byte ranges of this size


@dataclass(frozen=True)
class Slice:
    """A unit of input one task reads: see the module doc for the kinds."""

    kind: str
    path: str
    start: int = 0
    end: int = -1  # jsonl, warc: byte end (-1: the whole file); parquet: unused
    first: int = 0  # warc: index of the first record; parquet: row group


def kind_of(path: Path) -> str:
    """``warc``, ``jsonl``, ``parquet`` or ``file`` by the file's name."""
    suffix = files.suffix_of(path)
    if suffix in files.WARC_SUFFIXES:
        return "warc"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return "file"


def plan(inputs: list[str]) -> tuple[list[Slice], list[Failure]]:
    """Slices for every input file (folders walked, sorted); WARC files are planned as whole
    files here and cut by ``warc_slices`` on the executors. Missing inputs become Failures."""
    out: list[Slice] = []
    failures: list[Failure] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            paths = [str(p) for p in files.folder_files(path)]
        elif path.is_file():
            paths = [name]
        else:
            failures.append(Failure(name, NotFound("no such file or folder", source=name)))
            continue
        for p in paths:
            out.extend(_file_slices(p))
    return out, failures


def _file_slices(name: str) -> list[Slice]:
    kind = kind_of(Path(name))
    if kind == "jsonl" and not name.endswith(".gz"):
        size = os.path.getsize(name)
        return [Slice("jsonl", name, s, min(s + JSONL_SPLIT_BYTES, size))
                for s in range(0, max(size, 1), JSONL_SPLIT_BYTES)]
    if kind == "parquet":
        import pyarrow.parquet as pq

        groups = pq.ParquetFile(name).num_row_groups
        return [Slice("parquet", name, first=g) for g in range(groups)]
    return [Slice(kind, name)]


# ----- WARC ------------------------------------------------------------------------------------
def warc_slices(sl: Slice, per_slice: int) -> list[Slice]:
    """Cut a whole-file WARC slice into slices of ``per_slice`` records by their byte offsets;
    the file stays one slice when its records cannot be entered mid-way (one gzip stream)."""
    from warcio.archiveiterator import ArchiveIterator

    offsets: list[int] = []
    try:
        with open(sl.path, "rb") as fh:
            archive = ArchiveIterator(fh, check_digests=False)
            for _record in archive:
                offsets.append(int(archive.offset))
    except Exception:  # broken framing: read as one slice, so the reader reports it in order
        return [sl]
    size = os.path.getsize(sl.path)
    cuts = list(range(0, len(offsets), max(1, per_slice)))
    if len(cuts) <= 1 or not _enterable(sl.path, [offsets[c] for c in cuts]):
        return [sl]
    bounds = [offsets[c] for c in cuts] + [size]
    return [Slice("warc", sl.path, bounds[i], bounds[i + 1], c) for i, c in enumerate(cuts)]


def _enterable(path: str, starts: list[int]) -> bool:
    """True when each offset begins a record: a gzip member or a ``WARC/`` header line."""
    with open(path, "rb") as fh:
        for off in starts:
            fh.seek(off)
            head = fh.read(5)
            if head[:2] != b"\x1f\x8b" and head != b"WARC/":
                return False
    return True


class _Window(io.RawIOBase):
    """Bytes ``[start, end)`` of a file as a seekable stream of its own."""

    def __init__(self, fh: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        self.fh, self.start, self.end, self.pos = fh, start, end, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.end - self.start}[whence]
        self.pos = max(0, base + pos)
        return self.pos

    def readinto(self, buf: Any) -> int:
        left = self.end - self.start - self.pos
        if left <= 0:
            return 0
        self.fh.seek(self.start + self.pos)
        data = self.fh.read(min(len(buf), left))
        buf[: len(data)] = data
        self.pos += len(data)
        return len(data)


def _renumber(source: str, name: str, first: int) -> str:
    """``name#i`` inside a slice becomes ``name#(first + i)`` in the whole file."""
    prefix = name + "#"
    if source.startswith(prefix) and source[len(prefix):].isdigit():
        return f"{prefix}{first + int(source[len(prefix):])}"
    return source


def _read_warc(sl: Slice, settings: Settings) -> Iterator[RawDocument | Failure]:
    if sl.end < 0:  # the whole file
        yield from iter_documents([sl.path], settings)
        return
    with open(sl.path, "rb") as raw:
        window = io.BufferedReader(_Window(raw, sl.start, sl.end), 1 << 16)
        for item in iter_warc_stream(window, sl.path, settings.max_bytes):  # type: ignore[arg-type]
            old = item.source
            item.source = _renumber(old, sl.path, sl.first)
            err = item.error if isinstance(item, Failure) else None
            if getattr(err, "source", None) == old:
                err.source = item.source  # type: ignore[union-attr]
            yield item


# ----- JSONL and Parquet -------------------------------------------------------------------------
def record_document(obj: Any, source: str) -> RawDocument | Failure:
    """The RawDocument of one JSONL line or Parquet row (see the module doc)."""
    if not isinstance(obj, dict):
        return Failure(source, MalformedInput("a JSONL line must be an object", source=source))
    url = obj.get("url") or None
    src = str(obj.get("source") or source)
    for key, ctype in (("html", "text/html"), ("text", "text/plain"), ("content", None)):
        body = obj.get(key)
        if isinstance(body, (str, bytes)) and body:
            data = body.encode("utf-8") if isinstance(body, str) else body
            return RawDocument(source=src, data=data, url=url,
                               content_type=ctype or obj.get("content_type") or None,
                               charset="utf-8" if isinstance(body, str) else obj.get("charset"),
                               fetched_at=obj.get("fetched_at") or None)
    return Failure(src, MalformedInput("record has no html, text or content", source=src))


def _jsonl_lines(sl: Slice) -> Iterator[tuple[int, bytes]]:
    """(byte offset, line) of every line starting in ``[start, end)``; a whole file when gzipped."""
    if sl.path.endswith(".gz"):
        with gzip.open(sl.path, "rb") as gz:
            pos = 0
            for line in gz:
                yield pos, line
                pos += len(line)
        return
    with open(sl.path, "rb") as fh:
        pos = sl.start
        if pos > 0:  # the line running over the cut belongs to the slice before
            fh.seek(pos - 1)
            pos += len(fh.readline()) - 1
        while pos < sl.end:
            line = fh.readline()
            if not line:
                break
            yield pos, line
            pos += len(line)


def _read_jsonl(sl: Slice) -> Iterator[RawDocument | Failure]:
    for pos, line in _jsonl_lines(sl):
        if not line.strip():
            continue
        source = f"{sl.path}@{pos}"
        try:
            obj = json.loads(line)
        except ValueError as err:
            yield Failure(source, MalformedInput(f"not JSON: {err}", source=source))
            continue
        yield record_document(obj, source)


def _read_parquet(sl: Slice) -> Iterator[RawDocument | Failure]:
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(sl.path).read_row_group(sl.first).to_pylist()
    for i, row in enumerate(rows):
        yield record_document(row, f"{sl.path}#rg{sl.first}:{i}")


def read_slice(sl: Slice, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Every document (or Failure) of one slice; an unreadable slice is one Failure."""
    try:
        if sl.kind == "warc":
            yield from _read_warc(sl, settings)
        elif sl.kind == "jsonl":
            yield from _read_jsonl(sl)
        elif sl.kind == "parquet":
            yield from _read_parquet(sl)
        else:
            yield from iter_documents([sl.path], settings)
    except Exception as err:  # a slice fails alone
        yield Failure(sl.path, InputError(f"cannot read ({type(err).__name__}: {err})", source=sl.path))
