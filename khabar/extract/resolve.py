"""Article-level values from all the evidence: outlet, publication time, credits.

Both extractors (text and HTML) collect evidence into a ``Found`` record; ``finish`` chooses each
value by a fixed priority (documented in docs/extraction.md) and records where it came from in
``article.evidence``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..kb import outlets as kb
from ..model import Article, MetaEvidence, RawDocument
from ..settings import Settings
from . import published as pub
from .furniture import Furniture

RULE = "extract.resolve@1"


@dataclass
class Found:
    """Evidence gathered by an extractor beyond the text's own furniture."""

    site_name: str | None = None  # og:site_name, trafilatura sitename
    publisher: str | None = None  # JSON-LD publisher.name
    dates: list[pub.When] = field(default_factory=list)  # html-meta and htmldate candidates


def host_of(url: str | None) -> str | None:
    """Lower-case host of ``url`` without ``www.``, or None."""
    if not url:
        return None
    host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None


def resolve_outlet(art: Article, furn: Furniture, found: Found) -> kb.Outlet | None:
    """Set ``art.outlet``: dateline, site name, JSON-LD publisher, the URL's domain, the source
    line URL's domain, in that order. Unknown names are kept as written (a dateline's
    parenthesis before a dash, a site name); unknown domains are not."""
    line = furn.dateline
    if line is not None and line.outlet_name and line.outlet_span is not None:
        s, e = line.outlet_span
        return _set_outlet(art, line.outlet_name, line.outlet, "dateline", s, e, art.text[s:e])
    for name, source in ((found.site_name, "html-meta"), (found.publisher, "json-ld")):
        if name and name.strip():
            outlet = kb.by_name(name) or kb.by_host(name.strip().lower())
            return _set_outlet(art, outlet.name if outlet else name.strip(), outlet, source,
                               None, None, name.strip())
    for url, source, span in ((art.url, "url", None), (art.source_url, "source-url", furn.source_span)):
        outlet = kb.by_url(url)
        if outlet is not None:
            start, end = span if span else (None, None)
            return _set_outlet(art, outlet.name, outlet, source, start, end, host_of(url))
    return None


def _set_outlet(art: Article, name: str, outlet: kb.Outlet | None, source: str,
                s: int | None, e: int | None, read: str | None) -> kb.Outlet | None:
    art.outlet = name
    art.evidence["outlet"] = MetaEvidence(source, RULE, s, e, f"read={read}")
    return outlet


def dateline_when(art: Article, furn: Furniture, raw: RawDocument) -> pub.When | None:
    """The dateline's date; a missing year is the year the page was fetched, if known."""
    line = furn.dateline
    if line is None or line.date is None or line.date_span is None:
        return None
    day, month, year = line.date
    if year is None:
        fetched = pub.parse_when(raw.fetched_at)
        if fetched is None:
            return None
        year = fetched.year
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return pub.When(value, "dateline", line.date_span[0], line.date_span[1])


def _url_when(url: str | None, source: str, span: tuple[int, int] | None) -> pub.When | None:
    hit = pub.from_url(url)
    if hit is None:
        return None
    start, end = span if span else (None, None)
    return pub.When(hit[0], source, start, end, f"pattern={hit[1]}")


def resolve_published(art: Article, furn: Furniture, found: Found, raw: RawDocument,
                      settings: Settings, outlet: kb.Outlet | None) -> None:
    """Set ``art.published`` and ``published_source`` from the first plausible candidate:
    HTML metadata, feed hints, the URL, htmldate, the source-line URL, the dateline, HTTP
    Last-Modified."""
    hint = raw.hints.get("published") or raw.hints.get("date")
    header = raw.headers.get("Last-Modified") or raw.headers.get("last-modified")
    meta = [w for w in found.dates if w.source == "html-meta"]
    guessed = [w for w in found.dates if w.source != "html-meta"]
    # Stated dates (metadata, feed, a date in the URL) before htmldate's heuristic guess.
    candidates: list[pub.When | None] = [*meta, _when(hint, "feed"), _url_when(raw.url or art.url, "url", None)]
    candidates += [
        *guessed,
        _url_when(art.source_url, "source-url", furn.source_span),
        dateline_when(art, furn, raw),
        _when(header, "http-header"),
    ]
    best = pub.first_plausible(candidates)
    if best is None:
        return
    country = outlet.country if outlet else None
    hosts = [host_of(art.source_url)] if best.source == "source-url" else []
    zone, how = pub.zone_for(hosts + [host_of(raw.url or art.url)], country, settings.default_timezone)
    art.published = pub.render(best, zone)
    art.published_source = best.source
    detail = f"granularity={best.granularity}"
    if isinstance(best.value, dt.datetime) and best.value.tzinfo is None:
        detail += f"; zone={zone} ({how})"
    if best.detail:
        detail += f"; {best.detail}"
    art.evidence["published"] = MetaEvidence(best.source, pub.RULE, best.start, best.end, detail)


def _when(value: object, source: str) -> pub.When | None:
    parsed = pub.parse_when(value)
    return pub.When(parsed, source) if parsed is not None else None
