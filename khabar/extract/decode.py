"""Bytes to text: refuse empty and binary input, honour BOMs and declared charsets, detect the rest.

Order: a byte-order mark; the declared charset (``RawDocument.charset``, then an HTML ``<meta
charset>``); strict UTF-8; charset-normalizer's best guess if it decodes cleanly. The decoded text
loses NUL characters and has ``\\r\\n`` and lone ``\\r`` turned into ``\\n``: that is the text
``Article.text`` starts from, and every offset points into it.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from ..errors import BinaryInput, EmptyInput, EncodingError

log = logging.getLogger(__name__)

SNIFF_BYTES = 8192
MAX_CONTROL_RATIO = 0.10  # share of control bytes above which a file counts as binary
MAX_CHAOS = 0.2  # charset-normalizer's mess ratio above which a guess is refused
MAX_UTF16_HIGH_BYTES = 6  # distinct high bytes of BOM-less UTF-16 text in one or two scripts

# Magic numbers of formats that are never an article. Checked at the very start of the data.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF container (WebP/WAV/AVI)"),
    (b"PK\x03\x04", "a zip archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive (decompress it first)"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)


@dataclass(frozen=True)
class Decoded:
    """Decoded text (NUL-free, newlines normalised) and how it was decoded."""

    text: str
    encoding: str
    how: str  # bom, declared, meta, utf-8, detected


def decode(data: bytes, source: str, declared: str | None = None) -> Decoded:
    """Decode ``data``; raise EmptyInput, BinaryInput or EncodingError naming ``source``."""
    if not data.strip():
        raise EmptyInput("the input is empty" if not data else "the input holds only white space",
                         source=source)
    bom = _bom(data)
    if bom is None:
        check_binary(data, source)
    text, encoding, how = _decode(data, source, declared, bom)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyInput("the input holds only white space", source=source)
    return Decoded(text, encoding, how)


def normalise_newlines(text: str) -> str:
    """Drop NUL characters and a leading BOM; turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text[1:] if text.startswith("\ufeff") else text


def check_binary(data: bytes, source: str) -> None:
    """Raise BinaryInput for known binary formats, unexplained NUL bytes or many control bytes."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise BinaryInput(f"this is {what}, not text or HTML", source=source)
    head = data[:SNIFF_BYTES]
    nuls = head.count(0)
    if nuls and not _looks_utf16(head):
        raise BinaryInput(f"binary data ({nuls} NUL bytes in the first {len(head)} bytes)", source=source)
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27) or b == 127)
    if nuls == 0 and controls > MAX_CONTROL_RATIO * len(head):
        raise BinaryInput(f"binary data ({controls} control bytes in the first {len(head)})", source=source)


def _looks_utf16(head: bytes) -> bool:
    """NULs on one parity only, about every other byte: UTF-16 text without a BOM. Text in one
    non-Latin script (Urdu: high bytes 0x06, NULs only under spaces and digits) has few NULs,
    so there a handful of distinct high bytes and a clean, printable decoding also count."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) / 2
    if (even > 0.3 * half and odd == 0) or (odd > 0.3 * half and even == 0):
        return True
    if not (even or odd) or (even and odd):
        return False
    codec, high = ("utf-16-le", head[1::2]) if odd else ("utf-16-be", head[0::2])
    if len(set(high)) > MAX_UTF16_HIGH_BYTES:
        return False
    text = head[: len(head) // 2 * 2].decode(codec, errors="replace")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return printable >= 0.95 * len(text)


def _bom(data: bytes) -> str | None:
    for mark, name in BOMS:
        if data.startswith(mark):
            return name
    return None


def _decode(data: bytes, source: str, declared: str | None, bom: str | None) -> tuple[str, str, str]:
    if bom is not None:
        mark = next(m for m, n in BOMS if n == bom)
        try:
            return data[len(mark):].decode(bom), bom, "bom"
        except UnicodeDecodeError as err:
            raise EncodingError(f"the bytes do not match their {bom} byte-order mark ({err.reason})",
                                source=source) from err
    if not declared and _looks_utf16(data[:SNIFF_BYTES]) and data[:SNIFF_BYTES].count(0):
        declared = "utf-16-le" if data[1::2][:SNIFF_BYTES].count(0) else "utf-16-be"
    for name, how in ((declared, "declared"), (_meta_charset(data), "meta"), ("utf-8", "utf-8")):
        text = _try(data, name)
        if text is not None and name is not None:
            return text, codecs.lookup(name).name, how
    return _detect(data, source)


def _meta_charset(data: bytes) -> str | None:
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def _try(data: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        codecs.lookup(name)
        return data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes, source: str) -> tuple[str, str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise EncodingError("the bytes are not UTF-8 and no other encoding decodes them cleanly",
                            source=source)
    log.debug("%s: detected encoding %s (chaos %.2f)", source, best.encoding, best.chaos)
    return str(best), best.encoding, "detected"
