"""The ``Store`` interface: the only way the rest of khabar reaches stored data."""
from __future__ import annotations

import abc
from typing import Any, Iterator, Literal

from ..model import Article, stable_fingerprint

PutResult = Literal["added", "updated", "unchanged"]


class Store(abc.ABC):
    """A place articles live. Implementations: MemoryStore, SQLiteStore (default), PostgresStore."""

    def put(self, article: Article) -> PutResult:
        """Store one article atomically; return whether it was new, changed or already there."""
        doc = article.to_dict()
        return self.put_doc(doc, stable_fingerprint(doc))

    @abc.abstractmethod
    def put_doc(self, doc: dict[str, Any], fingerprint: str) -> PutResult:
        """Store one article's JSON in one transaction."""

    @abc.abstractmethod
    def get(self, article_id: str) -> dict[str, Any] | None:
        """The article's JSON, by full id or an unambiguous prefix of at least 6 characters."""

    @abc.abstractmethod
    def iter_docs(self) -> Iterator[dict[str, Any]]:
        """Every stored article's JSON, oldest first."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many articles are stored."""

    # ----- stories (khabar.stories) -----------------------------------------------------------
    @abc.abstractmethod
    def put_story(self, story: dict[str, Any], keys: list[str]) -> None:
        """Store (insert or replace) one story's JSON and the look-up keys it answers to, and map
        each member article to it, in one transaction."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> dict[str, Any] | None:
        """A story's JSON by full id or an unambiguous prefix of at least 6 characters."""

    @abc.abstractmethod
    def story_of(self, article_id: str) -> str | None:
        """The id of the story ``article_id`` belongs to, if any."""

    @abc.abstractmethod
    def stories_for_keys(self, keys: list[str], limit: int = 50) -> dict[str, int]:
        """Stories answering to any of ``keys``: story id -> how many of the keys it has, the
        ``limit`` stories with most keys."""

    @abc.abstractmethod
    def iter_stories(self) -> Iterator[dict[str, Any]]:
        """Every story's JSON, most recently updated first."""

    @abc.abstractmethod
    def count_stories(self) -> int:
        """How many stories are stored (the alias records merged stories leave are not counted)."""

    def list_stories(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """One page of ``iter_stories``, without the alias records merged stories leave behind
        (SQL backends read only that page)."""
        import itertools

        live = (s for s in self.iter_stories() if not s.get("merged_into"))
        return list(itertools.islice(live, offset, offset + limit))

    # ----- queries (HTTP API, web UI, CLI) -------------------------------------------------------
    # Default implementations scan every article; backends override them with indexed queries.
    # Every list is ordered (newest publication first for articles) and paged by limit/offset.
    def list_articles(self, *, language: str | None = None, outlet: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Article summaries (``SUMMARY_FIELDS``), newest first, optionally by language/outlet."""
        docs = [d for d in self.iter_docs()
                if (language is None or d.get("language") == language)
                and (outlet is None or (d.get("outlet") or "").lower() == outlet.lower())]
        docs.sort(key=lambda d: (d.get("published") or "", d["id"]), reverse=True)
        return [summary(d) for d in docs[offset : offset + limit]]

    def search(self, text: str, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Summaries of articles whose title or body contain every word of ``text`` (any script,
        case-folded), newest first."""
        words = [w.casefold() for w in text.split() if w.strip()]
        hits = []
        for d in self.iter_docs():
            hay = f"{d.get('title') or ''}\n{d.get('body') or ''}".casefold()
            if words and all(w in hay for w in words):
                hits.append(d)
        hits.sort(key=lambda d: (d.get("published") or "", d["id"]), reverse=True)
        return [summary(d) for d in hits[offset : offset + limit]]

    def mentions(self, entity_id: str, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Every mention of an identity: article summary fields plus name, type, start, end."""
        out = []
        for d in self.iter_docs():
            for e in d.get("entities") or []:
                if e.get("entity_id") == entity_id:
                    out.append({**summary(d), "article_id": d["id"], "name": e.get("name"),
                                "text": e.get("text"), "type": e.get("type"),
                                "start": e.get("start"), "end": e.get("end")})
        out.sort(key=lambda m: (m.get("published") or "", m["article_id"], m["start"] or 0), reverse=True)
        return out[offset : offset + limit]

    def quotes(self, *, speaker: str | None = None, about: str | None = None,
               limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes with their article: by a speaker's entity id, and/or about an identity (an
        entity of that id inside the quote's span)."""
        out = []
        for d in self.iter_docs():
            ents = d.get("entities") or []
            for q in d.get("quotes") or []:
                sp = q.get("speaker") or {}
                if speaker is not None and sp.get("entity_id") != speaker:
                    continue
                if about is not None and not any(
                    e.get("entity_id") == about and q["start"] <= e["start"] and e["end"] <= q["end"] for e in ents
                ):
                    continue
                out.append({**q, "article_id": d["id"], "article_title": d.get("title"),
                            "published": d.get("published"), "language": d.get("language")})
        out.sort(key=lambda q: (q.get("published") or "", q["article_id"], q["start"]), reverse=True)
        return out[offset : offset + limit]

    def events(self, flt: Any = None, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Events matching an ``khabar.events.listing.EventFilter`` (None: all), each with
        ``article_id`` and ``article_title``."""
        from ..events.listing import EventFilter, iter_events

        out = list(iter_events(self.iter_docs(), flt or EventFilter()))
        return out[offset : offset + limit]

    def claims(self, *, entity: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Claims, each with ``article_id``; with ``entity``, those it asserts or denies."""
        out = []
        for d in self.iter_docs():
            for c in d.get("claims") or []:
                refs = [*(c.get("asserted_by") or []), *(c.get("denied_by") or [])]
                if entity is None or any(r.get("entity_id") == entity for r in refs):
                    out.append({**c, "article_id": d["id"], "article_title": d.get("title"),
                                "published": d.get("published")})
        return out[offset : offset + limit]

    def stats(self) -> dict[str, Any]:
        """Counts by language, outlet and status, plus the publication date range."""
        by_lang: dict[str, int] = {}
        by_outlet: dict[str, int] = {}
        by_status: dict[str, int] = {}
        first = last = None
        total = 0
        for doc in self.iter_docs():
            total += 1
            _bump(by_lang, doc.get("language") or "unknown")
            _bump(by_outlet, doc.get("outlet") or "unknown")
            _bump(by_status, doc.get("status") or "ok")
            pub = doc.get("published")
            if pub:
                first = pub if first is None or pub < first else first
                last = pub if last is None or pub > last else last
        return {
            "articles": total,
            "languages": dict(sorted(by_lang.items(), key=lambda kv: -kv[1])),
            "outlets": dict(sorted(by_outlet.items(), key=lambda kv: -kv[1])),
            "status": by_status,
            "published_from": first,
            "published_to": last,
        }

    def close(self) -> None:
        """Release resources; the default does nothing."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


SUMMARY_FIELDS = ("id", "url", "title", "outlet", "language", "published", "source", "status")


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    """The short form of an article used in lists."""
    return {k: doc.get(k) for k in SUMMARY_FIELDS}


def _bump(d: dict[str, int], key: str) -> None:
    d[key] = d.get(key, 0) + 1
