"""The ``Store`` interface: the only way the rest of khabar reaches stored data."""
from __future__ import annotations

import abc
from typing import Any, Iterator, Literal

from ..model import Article, stable_fingerprint

PutResult = Literal["added", "updated", "unchanged"]


class Store(abc.ABC):
    """A place articles live. Implementations: MemoryStore, SQLiteStore (default)."""

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
        """How many stories are stored."""

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


def _bump(d: dict[str, int], key: str) -> None:
    d[key] = d.get(key, 0) + 1
