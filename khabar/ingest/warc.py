"""WARC files (``.warc``, ``.warc.gz``): every archived HTML or text page as a RawDocument.

Kept: ``response`` records with HTTP status 200 and an HTML/text content type, and ``resource``
records with such a content type. Their source is ``<file>#<record index>`` (records counted from
0, every type included). warcio undoes chunked transfer and gzip/deflate/brotli content encoding;
we read at most ``max_bytes`` of the decoded payload. A record we cannot read is a Failure and the
next record is tried; a file whose framing is broken ends with one Failure naming where.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator

from ..errors import KhabarError, MalformedInput, TooLarge
from ..model import Failure, RawDocument
from .fetch import KEPT_HEADERS, PAGE_TYPES, media_type

log = logging.getLogger(__name__)


def _short(err: BaseException, limit: int = 160) -> str:
    """An exception as one short printable line (warcio quotes the garbage it found)."""
    text = "".join(c if c.isprintable() else "?" for c in f"{type(err).__name__}: {err}")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kept_type(record: Any) -> tuple[str | None, str | None] | None:
    """(media type, charset) when the record is one we keep, else None."""
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        mtype, charset = media_type(record.http_headers.get_header("Content-Type"))
    elif record.rec_type == "resource":
        mtype, charset = media_type(record.rec_headers.get_header("Content-Type"))
    else:
        return None
    return (mtype, charset) if mtype in PAGE_TYPES else None


def _record_document(record: Any, source: str, cap: int) -> RawDocument | None:
    """The RawDocument for one record, None for records we skip; raises KhabarError."""
    kept = _kept_type(record)
    if kept is None:
        return None
    data = record.content_stream().read(cap + 1)
    if len(data) > cap:
        raise TooLarge(f"record payload is over the cap of {cap} bytes", source=source)
    headers: dict[str, str] = {}
    if record.http_headers is not None:
        for name in KEPT_HEADERS:
            value = record.http_headers.get_header(name)
            if value:
                headers[name] = value
    return RawDocument(
        source=source, data=data, url=record.rec_headers.get_header("WARC-Target-URI"),
        content_type=kept[0], charset=kept[1], fetched_at=record.rec_headers.get_header("WARC-Date"),
        headers=headers, hints={"warc_record_id": record.rec_headers.get_header("WARC-Record-ID")},
    )


def iter_warc(path: Path, name: str, cap: int) -> Iterator[RawDocument | Failure]:
    """Every kept record of the WARC file at ``path`` (shown as ``name``), or Failures."""
    with open(path, "rb") as fh:
        yield from iter_warc_stream(fh, name, cap)


def iter_warc_stream(fh: BinaryIO, name: str, cap: int) -> Iterator[RawDocument | Failure]:
    """Every kept record of the seekable WARC stream ``fh``, or Failures (see the module doc)."""
    archive = ArchiveIterator(fh, check_digests=False)
    records = iter(archive)
    index, end = 0, 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as err:  # warcio raises many kinds on broken framing: stop this file
            yield Failure(name, MalformedInput(
                f"broken WARC at record {index} (byte {end}): {_short(err)}; rest of file skipped",
                source=name))
            return
        source = f"{name}#{index}"
        offset = int(getattr(archive, "offset", end))  # get_record_offset() would skip the payload
        item, fatal = _record_item(record, source, index, offset, cap)
        if item is not None:
            yield item
        if fatal:
            return
        end = offset + (archive.get_record_length() or 0)  # read_to_end has run by now
        index += 1
    problem = _tail_problem(fh, name, end, index)
    if problem is not None:
        yield Failure(name, problem)


def _record_item(record: Any, source: str, index: int, offset: int,
                 cap: int) -> tuple[RawDocument | Failure | None, bool]:
    """The document or failure for one record (None when the record is not a page), and whether
    the file cannot be read past it."""
    where = f"WARC record {index} at byte {offset}"
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():
        return Failure(source, MalformedInput(
            f"{where} has no valid Content-Length (truncated header?); rest of file skipped",
            source=source)), True
    try:
        doc = _record_document(record, source, cap)
        missing = _drain(record)
    except KhabarError as err:
        return Failure(source, err), False
    except Exception as err:  # a broken payload: this record only
        return Failure(source, MalformedInput(f"unreadable {where}: {_short(err)}",
                                              source=source)), False
    if missing:
        return Failure(source, MalformedInput(
            f"{where} is truncated ({missing} bytes missing); rest of file skipped",
            source=source)), True
    return doc, False


def _drain(record: Any) -> int:
    """Read the record's raw stream to its end; return how many declared bytes were missing."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    return int(getattr(raw, "limit", 0))


def _tail_problem(fh: BinaryIO, name: str, end: int, count: int) -> MalformedInput | None:
    """After the last record, anything but white space means the file was cut or has garbage."""
    try:
        fh.seek(end)
        tail = fh.read(65536)
    except (OSError, ValueError):
        return None
    if not tail.strip():
        return None if count else MalformedInput("the WARC file holds no records", source=name)
    where = f"after record {count - 1}" if count else "at its start"
    return MalformedInput(f"unreadable or truncated WARC data {where} (byte {end})", source=name)
