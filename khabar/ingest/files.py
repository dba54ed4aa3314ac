"""Local inputs: one file, a folder of files, or standard input, read as bytes with a size cap.

Nothing is decoded here: extraction detects empty, binary and mis-encoded input. A file's size is
checked with ``stat`` before a single byte is read; standard input is read up to the cap plus one
byte, which is how we know it was too large.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

from ..errors import InputError, NotFound, TooLarge

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
XML_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".xml.gz"})
WARC_SUFFIXES = frozenset({".warc", ".warc.gz"})
# What a folder walk skips: images, media, fonts, archives (not WARC), binaries, page assets.
SKIPPED_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif",
    ".heic", ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".webm", ".mov", ".avi", ".mkv", ".flac",
    ".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar",
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".exe", ".dll", ".so", ".dylib", ".o", ".pyc",
    ".class", ".bin", ".db", ".sqlite", ".css", ".js", ".map",
})


def suffix_of(path: Path) -> str:
    """The lower-case suffix, with ``.gz`` kept together with the one before (``.warc.gz``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz":
        return "".join(suffixes[-2:])
    return suffixes[-1] if suffixes else ""


def content_type_for(path: Path) -> str | None:
    """The media type a file's name makes obvious, else None (extraction sniffs the bytes)."""
    suffix = suffix_of(path)
    if suffix in HTML_SUFFIXES:
        return "text/html"
    if suffix == ".xhtml":
        return "application/xhtml+xml"
    if suffix in TEXT_SUFFIXES:
        return "text/plain"
    if suffix in XML_SUFFIXES:
        return "application/xml"
    return None


def is_skipped(path: Path) -> bool:
    """Whether a folder walk leaves this file out (hidden, or plainly not an article)."""
    if path.name.startswith("."):
        return True
    suffix = suffix_of(path)
    if suffix in WARC_SUFFIXES or suffix in XML_SUFFIXES:
        return False
    return path.suffix.lower() in SKIPPED_SUFFIXES


def folder_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, recursively, in sorted order, without hidden files or folders,
    without skipped kinds and without following symbolic links to folders."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not is_skipped(path):
                yield path


def check_size(path: Path, cap: int | None, name: str) -> int:
    """``stat`` the file: NotFound if missing, TooLarge (naming size and cap) if over ``cap``
    (None: no cap)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise NotFound("no such file or folder", source=name) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from err
    if cap is not None and size > cap:
        raise TooLarge(f"the file has {size} bytes, over the cap of {cap} bytes", source=name)
    return size


def read_file(path: Path, cap: int, name: str) -> bytes:
    """The file's bytes, after checking its size against ``cap``."""
    check_size(path, cap, name)
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)  # the file may have grown since stat
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from err
    if len(data) > cap:
        raise TooLarge(f"the file grew past the cap of {cap} bytes while read", source=name)
    return data


def read_stdin(cap: int) -> bytes:
    """Standard input's bytes, at most ``cap`` (TooLarge beyond)."""
    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(f"standard input is over the cap of {cap} bytes", source="-")
    return data
