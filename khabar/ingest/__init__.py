"""Where articles come from: files, folders, stdin, URLs, RSS/Atom feeds, sitemaps and WARC files.

    iter_documents(inputs, settings, fetcher=None) -> Iterator[RawDocument | Failure]

Each input is one of: ``-`` (standard input), an ``http(s)://`` URL, a file or a folder. A URL,
stdin or an ``.xml``/``.rss``/``.atom``/``.xml.gz`` file whose root element is a feed or a sitemap
is expanded into the pages it lists, each fetched in turn. One bad input (or one bad entry of a
feed, sitemap, folder or WARC file) becomes a ``Failure`` with a typed error and the iteration
goes on. Nothing is decoded here; extraction decodes. See docs/ingest.md.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any, Iterator

from ..errors import BadContentType, InputError, KhabarError, MalformedInput
from ..model import Failure, RawDocument
from ..settings import Settings
from . import files
from .feeds import feed_items
from .fetch import DOCUMENT_TYPES, FEED_TYPES, GZIP_TYPES, PAGE_TYPES, Fetcher
from .safety import check_scheme
from .sitemaps import MAX_DEPTH, parse_sitemap
from .sniff import container_kind, gunzip_capped, is_gzip
from .warc import iter_warc

__all__ = ["Fetcher", "iter_documents"]

log = logging.getLogger(__name__)

Item = RawDocument | Failure
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SITEMAP_TYPES = FEED_TYPES | GZIP_TYPES


def iter_documents(inputs: list[str], settings: Settings,
                   fetcher: Fetcher | None = None) -> Iterator[RawDocument | Failure]:
    """Yield a RawDocument for every article-like input, a Failure for every input that fails.

    ``fetcher`` is created on first need (and closed at the end) when not given.
    """
    ingest = _Ingest(settings, fetcher)
    try:
        for name in inputs:
            yield from ingest.one(name)
    finally:
        ingest.close()


def _failure(source: str, err: BaseException) -> Failure:
    """A Failure whose error is a KhabarError naming ``source``, with a one-line message."""
    if not isinstance(err, KhabarError):
        if isinstance(err, OSError):
            err = InputError(f"cannot read: {err.strerror or err}")
        else:
            log.exception("unexpected error while reading %s", source)
            err = KhabarError(f"internal error ({type(err).__name__}: {err})")
    if err.source is None:
        err.source = source
    return Failure(err.source, err)


class _Ingest:
    """One run over the inputs: settings plus a fetcher made when the first URL needs it."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None) -> None:
        self.settings = settings
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def one(self, name: str) -> Iterator[Item]:
        """Everything one input gives; an error stops this input only."""
        try:
            if name == "-":
                yield from self.stdin()
            elif _SCHEME.match(name) and len(name.split(":", 1)[0]) > 1 and not Path(name).exists():
                yield from self.url(name)
            else:
                yield from self.path(Path(name), name)
        except Exception as err:  # each input fails alone, with a typed one-line reason
            yield _failure(name, err)

    # ----- local inputs ---------------------------------------------------------------------
    def path(self, path: Path, name: str) -> Iterator[Item]:
        """A file or a folder."""
        if path.is_dir():
            yield from self.folder(path, name)
            return
        suffix = files.suffix_of(path)
        if suffix in files.WARC_SUFFIXES:
            files.check_size(path, None, name)  # a WARC may be big: the cap is per record
            yield from iter_warc(path, name, self.settings.max_bytes)
            return
        data = files.read_file(path, self.settings.max_bytes, name)
        doc = RawDocument(source=name, data=data, content_type=files.content_type_for(path))
        if suffix in files.XML_SUFFIXES:
            yield from self.maybe_container(doc, None)
        else:
            yield doc

    def folder(self, folder: Path, name: str) -> Iterator[Item]:
        """Every readable file under ``folder``, sorted; each fails alone."""
        count = 0
        for path in files.folder_files(folder):
            count += 1
            source = str(path)
            try:
                yield from self.path(path, source)
            except Exception as err:
                yield _failure(source, err)
        if count == 0:
            yield _failure(name, InputError("the folder holds no file we can read"))

    def stdin(self) -> Iterator[Item]:
        """Standard input, which may also be a feed or a sitemap."""
        data = files.read_stdin(self.settings.max_bytes)
        yield from self.maybe_container(RawDocument(source="-", data=data), None)

    # ----- URLs, feeds, sitemaps ------------------------------------------------------------
    def url(self, url: str) -> Iterator[Item]:
        """A page, or a feed or sitemap whose listed pages are fetched in turn."""
        check_scheme(url)  # refuse javascript:, file:, ... before anything else
        accept = DOCUMENT_TYPES | (GZIP_TYPES if url.lower().split("?")[0].endswith(".gz") else set())
        doc = self.fetcher.fetch(url, accept=frozenset(accept))
        yield from self.maybe_container(doc, doc.url or url)

    def maybe_container(self, doc: RawDocument, base_url: str | None) -> Iterator[Item]:
        """Expand ``doc`` if it is a feed or sitemap (gzip undone first), else yield it."""
        data = doc.data
        if is_gzip(data) and (doc.source == "-" or doc.source.lower().split("?")[0].endswith(".gz")
                              or doc.content_type in GZIP_TYPES):
            data = gunzip_capped(data, self.settings.max_bytes)
        kind = container_kind(data, doc.content_type)
        if kind == "feed":
            yield from self.feed(data, doc.source, base_url)
        elif kind == "sitemap":
            budget = [self.settings.max_sitemap_urls]  # shared by the whole sitemap tree
            yield from self.sitemap(data, doc.source, base_url, depth=1, budget=budget)
        elif data is not doc.data:  # gzip of a page: hand on the page
            yield dataclasses.replace(doc, data=data, content_type=None if doc.content_type
                                      in GZIP_TYPES else doc.content_type)
        elif doc.content_type in GZIP_TYPES:
            raise BadContentType(f"content type {doc.content_type} that is not a gzip sitemap")
        else:
            yield doc

    def feed(self, data: bytes, source: str, base_url: str | None) -> Iterator[Item]:
        """Each entry's page, fetched, with the feed's hints; entries fail alone."""
        for item in feed_items(data, source, base_url, self.settings.max_feed_items):
            if not item.link:
                yield _failure(source, MalformedInput(f"feed entry {item.index} has no link"))
                continue
            yield self.fetch_page(item.link, item.hints, f"entry {item.index} of feed {source}")

    def sitemap(self, data: bytes, source: str, base_url: str | None, depth: int,
                budget: list[int]) -> Iterator[Item]:
        """Each listed page (up to ``max_sitemap_urls`` for the whole tree), nested sitemaps
        followed up to MAX_DEPTH levels."""
        found = parse_sitemap(data, source, base_url)
        seen: set[str] = set()
        for loc, hints in found.pages:
            if budget[0] <= 0:
                log.warning("sitemap %s: stopped at max_sitemap_urls", source)
                return
            if loc not in seen:
                seen.add(loc)
                budget[0] -= 1
                yield self.fetch_page(loc, hints, f"listed in sitemap {source}")
        for child in found.children[: self.settings.max_sitemap_urls]:
            if budget[0] <= 0:
                return
            if depth >= MAX_DEPTH:
                yield _failure(child, MalformedInput(
                    f"sitemap index nested deeper than {MAX_DEPTH} levels (in {source})"))
                continue
            try:
                yield from self.child_sitemap(child, depth + 1, budget)
            except Exception as err:
                yield _failure(child, err)

    def child_sitemap(self, url: str, depth: int, budget: list[int]) -> Iterator[Item]:
        """A sitemap named by a sitemap index: fetched, gunzipped if need be, expanded."""
        doc = self.fetcher.fetch(url, accept=SITEMAP_TYPES)
        data = gunzip_capped(doc.data, self.settings.max_bytes) if is_gzip(doc.data) else doc.data
        yield from self.sitemap(data, url, doc.url or url, depth, budget)

    def fetch_page(self, url: str, hints: dict[str, Any], where: str) -> Item:
        """Fetch one page listed by a feed or sitemap; the listing's hints go along."""
        try:
            doc = self.fetcher.fetch(url, accept=PAGE_TYPES)
        except KhabarError as err:
            err.message = f"{err.message} ({where})"
            return _failure(url, err)
        except Exception as err:
            return _failure(url, err)
        doc.hints = {**hints, **doc.hints}
        return doc
