"""Re-run story clustering over a whole store (``khabar stories --recluster``).

Stories are built one article at a time, so the order articles arrived in shapes them. Here every
stored article is placed again, oldest stored first, into fresh stories kept in memory (the
articles themselves are read from the store as needed), and the result replaces the stored
stories. A story id that no longer names a story afterwards becomes an alias record pointing at
the story that now holds most of its members, so old links still resolve
(``cluster.resolve_story``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..store.base import Store
from ..store.memory import MemoryStore
from .cluster import ClusterOptions, assign_story


class _Scratch(MemoryStore):
    """Stories in memory; articles read from ``real``."""

    def __init__(self, real: Store) -> None:
        super().__init__()
        self.real = real

    def get(self, article_id: str) -> dict[str, Any] | None:
        """The article from the real store."""
        return self.real.get(article_id)

    def keys_of(self, story_id: str) -> list[str]:
        """The look-up keys ``story_id`` was last stored with."""
        return list(self._story_keys.get(story_id, []))


@dataclass(frozen=True)
class Reclustered:
    """What ``recluster`` did: articles placed, stories before and after, stories merged while
    placing, old ids turned into aliases."""

    articles: int
    before: int
    after: int
    merged: int
    aliased: int


def recluster(store: Store, options: ClusterOptions | None = None) -> Reclustered:
    """Place every stored article again into fresh stories and replace the stored ones."""
    old: dict[str, list[str]] = {}
    for story in store.iter_stories():
        if not story.get("merged_into"):
            old[story["id"]] = [m["article_id"] for m in story.get("members", [])]
    scratch = _Scratch(store)
    placed = merged = 0
    for doc in store.iter_docs():
        merged += len(assign_story(scratch, doc, options).merged)
        placed += 1
    after = 0
    for story in list(scratch.iter_stories())[::-1]:  # oldest first, so update order is kept
        store.put_story(story, scratch.keys_of(story["id"]))
        after += 0 if story.get("merged_into") else 1
    aliased = 0
    for sid, members in old.items():
        if scratch.get_story(sid) is not None:
            continue
        homes = Counter(h for h in (scratch.story_of(a) for a in members) if h is not None)
        if homes:
            target = sorted(homes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            store.put_story({"id": sid, "merged_into": target, "members": [], "aliases": []}, [])
            aliased += 1
    return Reclustered(placed, len(old), after, merged, aliased)
