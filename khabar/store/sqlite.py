"""The embedded default store: SQLite (standard library), WAL journal, named migrations.

One writer, many readers: a store object holds one connection; each ``put`` is one
``BEGIN IMMEDIATE`` transaction that writes the article and its query rows (mentions, quotes,
events, claims, search text), so a killed process leaves either all of it or nothing.
Full-text search uses FTS5 (``unicode61`` tokenizer, ``remove_diacritics 2``) over folded tokens,
and a substring scan of the same text for scripts written without spaces.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import StoreError
from . import rows as R
from .schema import MIGRATIONS
from .sqlbase import SUMMARY_SQL, SQLStore

__all__ = ["SQLiteStore", "MIGRATIONS"]


class SQLiteStore(SQLStore):
    """Articles in one SQLite file."""

    dialect = "sqlite"
    _errors = (sqlite3.Error,)

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = self.source = path
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} for the store does not exist", source=path)
        try:
            # one connection shared by threads (an API server's pool), serialised by self._lock
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            with self._lock:
                self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the store: {err}", source=path) from err

    # ----- driver hooks ----------------------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(sql, params)

    def _executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        if seq:
            self.db.executemany(sql, seq)

    @contextlib.contextmanager
    def _begin(self) -> Iterator[None]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.db.execute("SAVEPOINT optional_step")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO optional_step")
            self.db.execute("RELEASE optional_step")
            raise
        self.db.execute("RELEASE optional_step")

    def _json_in(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def _json_out(self, value: Any) -> Any:
        return json.loads(value)

    def _next_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])

    def _lock_migrations(self) -> None:
        """``BEGIN IMMEDIATE`` already holds the write lock."""

    def _put_text(self, article_id: str, seq: int, text: str) -> None:
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (seq,))
        self.db.execute("INSERT INTO articles_fts (rowid, text) VALUES (?, ?)", (seq, text))

    def _search_ids(self, q: R.SearchQuery, limit: int, offset: int) -> list[tuple[Any, ...]]:
        params: list[Any] = []
        conds = []
        if q.words:
            # each word a quoted prefix term: FTS5 syntax in the user's words is never interpreted
            conds.append("articles_fts MATCH ?")
            params.append(" AND ".join(f'"{w}"*' for w in q.words))
        for sub in q.substrings:
            conds.append("f.text LIKE ? ESCAPE '\\'")
            params.append(R.like_pattern(sub))
        sql = (f"SELECT {SUMMARY_SQL} FROM articles_fts f JOIN articles a ON a.seq = f.rowid WHERE " + " AND ".join(conds)
               + " ORDER BY a.pub_key DESC, a.id DESC LIMIT ? OFFSET ?")
        return list(self.db.execute(sql, (*params, limit, offset)).fetchall())

    def close(self) -> None:
        self.db.close()
