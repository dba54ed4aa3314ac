"""The embedded default store: SQLite (standard library), WAL journal, named migrations.

One writer, many readers: a store object holds one connection; each ``put`` is one
``BEGIN IMMEDIATE`` transaction, so a killed process leaves either the whole article or nothing.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import StoreError
from .base import PutResult, Store

Migration = tuple[str, Callable[[sqlite3.Connection], None]]


def _m001_articles(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            url TEXT,
            source TEXT,
            title TEXT,
            outlet TEXT,
            language TEXT,
            published TEXT,
            status TEXT,
            fingerprint TEXT NOT NULL,
            doc TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX articles_url ON articles(url)")
    db.execute("CREATE INDEX articles_published ON articles(published)")
    db.execute("CREATE INDEX articles_language ON articles(language)")


def _m002_stories(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            doc TEXT NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX stories_updated ON stories(updated_at)")
    db.execute("CREATE TABLE story_keys (key TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (key, story_id))")
    db.execute("CREATE INDEX story_keys_story ON story_keys(story_id)")
    db.execute("CREATE TABLE story_members (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL)")
    db.execute("CREATE INDEX story_members_story ON story_members(story_id)")


# Append only: a migration, once released, is never edited. Names are recorded when applied.
MIGRATIONS: list[Migration] = [
    ("001_articles", _m001_articles),
    ("002_stories", _m002_stories),
]


class SQLiteStore(Store):
    """Articles in one SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"folder {parent} for the store does not exist", source=path)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the store: {err}", source=path) from err

    # ----- migrations --------------------------------------------------------------------
    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL)")
        done = {row[0] for row in self.db.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = done - known
        if unknown:
            raise StoreError(
                f"the store was written by a newer khabar (migrations {sorted(unknown)}); upgrade khabar",
                source=self.path,
            )
        for name, apply in MIGRATIONS:
            if name in done:
                continue
            self.db.execute("BEGIN IMMEDIATE")
            try:
                apply(self.db)
                self.db.execute("INSERT INTO migrations VALUES (?, ?)", (name, time.time()))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        return [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY name")]

    # ----- Store -------------------------------------------------------------------------
    def put_doc(self, doc: dict[str, Any], fingerprint: str) -> PutResult:
        now = time.time()
        try:
            blob = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        except (TypeError, ValueError) as err:
            raise StoreError(f"article {doc.get('id')} cannot be serialised: {err}", source=self.path) from err
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                row = self.db.execute("SELECT fingerprint FROM articles WHERE id = ?", (doc["id"],)).fetchone()
                if row is not None and row[0] == fingerprint:
                    result: PutResult = "unchanged"
                elif row is not None:
                    self.db.execute(
                        """UPDATE articles SET url=?, source=?, title=?, outlet=?, language=?, published=?,
                           status=?, fingerprint=?, doc=?, updated_at=? WHERE id=?""",
                        (*_columns(doc), fingerprint, blob, now, doc["id"]),
                    )
                    result = "updated"
                else:
                    self.db.execute(
                        """INSERT INTO articles (url, source, title, outlet, language, published, status,
                           fingerprint, doc, created_at, updated_at, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                        (*_columns(doc), fingerprint, blob, now, now, doc["id"]),
                    )
                    result = "added"
                self.db.execute("COMMIT")
                return result
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise StoreError(f"cannot store article {doc.get('id')}: {err}", source=self.path) from err

    def get(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self.db.execute(
                "SELECT doc FROM articles WHERE id >= ? AND id < ? LIMIT 2", (article_id, article_id + "\uffff")
            ).fetchall()
            if len(rows) > 1:
                raise StoreError(f"id prefix {article_id!r} is ambiguous")
            row = rows[0] if rows else None
        return json.loads(row[0]) if row else None

    def iter_docs(self) -> Iterator[dict[str, Any]]:
        cur = self.db.execute("SELECT doc FROM articles ORDER BY created_at, id")
        for (blob,) in cur:
            yield json.loads(blob)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # ----- stories ---------------------------------------------------------------------------
    def put_story(self, story: dict[str, Any], keys: list[str]) -> None:
        sid = story["id"]
        try:
            blob = json.dumps(story, ensure_ascii=False, sort_keys=True)
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("INSERT OR REPLACE INTO stories (id, doc, updated_at) VALUES (?, ?, ?)",
                                (sid, blob, time.time()))
                self.db.execute("DELETE FROM story_keys WHERE story_id = ?", (sid,))
                self.db.executemany("INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)",
                                    [(k, sid) for k in dict.fromkeys(keys)])
                self.db.executemany("INSERT OR REPLACE INTO story_members (article_id, story_id) VALUES (?, ?)",
                                    [(m["article_id"], sid) for m in story.get("members", [])])
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except (sqlite3.Error, TypeError, ValueError) as err:
            raise StoreError(f"cannot store story {sid}: {err}", source=self.path) from err

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None and len(story_id) >= 6:
            rows = self.db.execute(
                "SELECT doc FROM stories WHERE id >= ? AND id < ? LIMIT 2", (story_id, story_id + "\uffff")
            ).fetchall()
            if len(rows) > 1:
                raise StoreError(f"story id prefix {story_id!r} is ambiguous")
            row = rows[0] if rows else None
        return json.loads(row[0]) if row else None

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def stories_for_keys(self, keys: list[str], limit: int = 50) -> dict[str, int]:
        uniq = list(dict.fromkeys(keys))
        if not uniq:
            return {}
        counts: dict[str, int] = {}
        for i in range(0, len(uniq), 500):  # stay under SQLite's variable limit
            chunk = uniq[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for sid, n in self.db.execute(
                f"SELECT story_id, count(*) FROM story_keys WHERE key IN ({marks}) GROUP BY story_id", chunk
            ):
                counts[sid] = counts.get(sid, 0) + int(n)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])

    def iter_stories(self) -> Iterator[dict[str, Any]]:
        cur = self.db.execute("SELECT doc FROM stories ORDER BY updated_at DESC, id")
        for (blob,) in cur:
            yield json.loads(blob)

    def count_stories(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM stories").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _columns(doc: dict[str, Any]) -> tuple[Any, ...]:
    return (
        doc.get("url"),
        doc.get("source"),
        doc.get("title"),
        doc.get("outlet"),
        doc.get("language"),
        doc.get("published"),
        doc.get("status"),
    )
