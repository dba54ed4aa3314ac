"""Tell feeds and sitemaps from pages by their first bytes, and gunzip with a cap."""
from __future__ import annotations

import gzip
import io
import re
import zlib

from ..errors import MalformedInput, TooLarge

GZIP_MAGIC = b"\x1f\x8b"
FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
FEED_MEDIA_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                              "application/x-rss+xml"})
_PROLOG_THEN_TAG = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)
SNIFF_BYTES = 4096


def root_tag(data: bytes) -> str | None:
    """The local name of the first element (``rss``, ``feed``, ``urlset``, ``html``), lower-case,
    skipping a BOM, the XML declaration, comments and a DOCTYPE; None if the bytes are not markup."""
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    match = _PROLOG_THEN_TAG.match(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii", errors="replace").lower()
    return name.rsplit(":", 1)[-1]


def container_kind(data: bytes, content_type: str | None) -> str | None:
    """``"feed"``, ``"sitemap"`` or None (a page), by root element first, then by media type."""
    tag = root_tag(data)
    if tag in FEED_ROOTS:
        return "feed"
    if tag in SITEMAP_ROOTS:
        return "sitemap"
    if content_type in FEED_MEDIA_TYPES and tag != "html":  # then feedparser judges it
        return "feed"
    return None


def is_gzip(data: bytes) -> bool:
    """Whether ``data`` starts with the gzip magic number."""
    return data[:2] == GZIP_MAGIC


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Decompress gzip ``data``, refusing more than ``cap`` bytes of output (no gzip bombs)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(cap + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise MalformedInput(f"broken gzip data ({err})") from err
    if len(out) > cap:
        raise TooLarge(f"decompresses to more than the cap of {cap} bytes")
    return out
