"""Storage behind one narrow interface.

``open_store(url)`` picks the backend from a URL or path: ``memory:`` (tests), a file path or
``sqlite:///path`` (the embedded default), ``postgresql://user:pass@host:port/db`` (a server). Every backend stores the article's JSON (``to_dict``)
under its content-derived id, so re-running the same input changes nothing.
"""
from __future__ import annotations

from .base import PutResult, Store
from .memory import MemoryStore


def open_store(url: str) -> Store:
    """Open the store named by ``url`` (a path, ``sqlite:///path``, ``postgresql://...`` or ``memory:``)."""
    if url in ("memory:", ":memory:"):
        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    from .sqlite import SQLiteStore

    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url
    return SQLiteStore(path)


__all__ = ["Store", "PutResult", "MemoryStore", "open_store"]
