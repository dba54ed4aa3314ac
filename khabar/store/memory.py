"""An in-memory store for tests, with the same behaviour as the SQLite one."""
from __future__ import annotations

import copy
from typing import Any, Iterator

from ..errors import StoreError
from .base import PutResult, Store


class MemoryStore(Store):
    """Articles in a dict, in insertion order."""

    def __init__(self) -> None:
        self._docs: dict[str, tuple[str, dict[str, Any]]] = {}
        self._stories: dict[str, dict[str, Any]] = {}
        self._story_keys: dict[str, list[str]] = {}
        self._keys: dict[str, set[str]] = {}
        self._member_of: dict[str, str] = {}
        self._tick = 0

    def put_doc(self, doc: dict[str, Any], fingerprint: str) -> PutResult:
        old = self._docs.get(doc["id"])
        if old is not None and old[0] == fingerprint:
            return "unchanged"
        self._docs[doc["id"]] = (fingerprint, copy.deepcopy(doc))
        return "updated" if old is not None else "added"

    def get(self, article_id: str) -> dict[str, Any] | None:
        if article_id in self._docs:
            return copy.deepcopy(self._docs[article_id][1])
        if len(article_id) < 6:
            return None
        hits = [k for k in self._docs if k.startswith(article_id)]
        if len(hits) > 1:
            raise StoreError(f"id prefix {article_id!r} is ambiguous ({len(hits)} articles)")
        return copy.deepcopy(self._docs[hits[0]][1]) if hits else None

    def iter_docs(self) -> Iterator[dict[str, Any]]:
        for _, doc in list(self._docs.values()):
            yield copy.deepcopy(doc)

    def count(self) -> int:
        return len(self._docs)

    # ----- stories ---------------------------------------------------------------------------
    def put_story(self, story: dict[str, Any], keys: list[str]) -> None:
        sid = story["id"]
        for key in self._story_keys.get(sid, []):
            self._keys.get(key, set()).discard(sid)
        self._story_keys[sid] = list(dict.fromkeys(keys))
        for key in self._story_keys[sid]:
            self._keys.setdefault(key, set()).add(sid)
        for member in story.get("members", []):
            self._member_of[member["article_id"]] = sid
        self._tick += 1
        self._stories.pop(sid, None)
        self._stories[sid] = copy.deepcopy(story)

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        if story_id in self._stories:
            return copy.deepcopy(self._stories[story_id])
        if len(story_id) < 6:
            return None
        hits = [k for k in self._stories if k.startswith(story_id)]
        if len(hits) > 1:
            raise StoreError(f"story id prefix {story_id!r} is ambiguous ({len(hits)} stories)")
        return copy.deepcopy(self._stories[hits[0]]) if hits else None

    def story_of(self, article_id: str) -> str | None:
        return self._member_of.get(article_id)

    def stories_for_keys(self, keys: list[str], limit: int = 50) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key in set(keys):
            for sid in self._keys.get(key, ()):
                counts[sid] = counts.get(sid, 0) + 1
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return dict(best)

    def iter_stories(self) -> Iterator[dict[str, Any]]:
        for story in reversed(list(self._stories.values())):
            yield copy.deepcopy(story)

    def count_stories(self) -> int:
        return sum(1 for s in self._stories.values() if not s.get("merged_into"))
