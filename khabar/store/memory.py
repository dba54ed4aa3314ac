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
