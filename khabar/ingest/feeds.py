"""RSS and Atom feeds: the entries' links and what the feed says about each (title, dates, author).

The feed bytes are handed to feedparser as a stream, so feedparser never opens a URL or a file.
A feed that feedparser cannot make sense of (no version and no entries) is ``MalformedInput``;
a feed with small errors but readable entries is used, with a log line.
"""
from __future__ import annotations

import io
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator
from urllib.parse import urljoin

import feedparser

from ..errors import MalformedInput

log = logging.getLogger(__name__)

# The start of an RSS item or Atom entry; used to cut a feed after ``limit`` entries *before*
# feedparser reads it (feedparser parses every entry: 100k items took over a minute).
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)\b")
# A DOCTYPE with an internal subset: its entity declarations (billion laughs: 28 s in
# feedparser) and external entities are dropped before parsing; news feeds never need them.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its position, link (absolute when the feed's URL is known) and hints."""

    index: int
    link: str | None
    hints: dict[str, Any]


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601."""
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes, base_url: str | None = None) -> Any:
    """Parse ``data`` with feedparser; raise MalformedInput when it is not a usable feed."""
    headers = {"content-location": base_url} if base_url else {}
    data = _INTERNAL_SUBSET.sub(b"<!DOCTYPE feed>", data[:4096], count=1) + data[4096:]
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({type(problem).__name__}: {problem})" if problem else ""
        raise MalformedInput(f"not a readable RSS or Atom feed{why}")
    if parsed.get("bozo"):
        log.info("feed %s has errors, entries still used: %s", base_url, parsed.get("bozo_exception"))
    return parsed


def _entry_hints(feed: Any, entry: Any, source: str) -> dict[str, Any]:
    author = entry.get("author") or (entry.get("authors") or [{}])[0].get("name")
    hints = {
        "feed": source,
        "feed_title": feed.feed.get("title"),
        "title": entry.get("title"),
        # dict.get: feedparser's own get() would pass published off as updated
        "published": _iso(dict.get(entry, "published_parsed")),
        "updated": _iso(dict.get(entry, "updated_parsed")),
        "published_text": dict.get(entry, "published"),  # as written, with its own offset
        "author": author,
    }
    return {k: v for k, v in hints.items() if v}


def feed_items(data: bytes, source: str, base_url: str | None, limit: int) -> Iterator[FeedItem]:
    """The first ``limit`` entries of the feed in ``data``, each with its link and hints.

    Links are made absolute against ``base_url``; an entry repeating an earlier link is skipped.
    """
    parsed = parse_feed(_cut_after(data, limit, source), base_url)
    seen: set[str] = set()
    for index, entry in enumerate(parsed.entries[:limit]):
        link = entry.get("link")
        if link and base_url:
            link = urljoin(base_url, link)
        if link in seen:
            continue
        if link:
            seen.add(link)
        yield FeedItem(index, link, _entry_hints(parsed, entry, source))
    if len(parsed.entries) > limit:
        log.warning("feed %s: %d entries, only the first %d read (max_feed_items)",
                    source, len(parsed.entries), limit)


def _cut_after(data: bytes, limit: int, source: str) -> bytes:
    """``data`` cut just before its (limit+1)-th entry, so parsing time is bounded by ``limit``.

    feedparser reads the cut feed with its tolerant parser; the first ``limit`` entries survive.
    """
    for count, match in enumerate(_ENTRY_START.finditer(data)):
        if count == limit:
            log.warning("feed %s: more than %d entries, only the first %d read (max_feed_items)",
                        source, limit, limit)
            return data[: match.start()]
    return data
