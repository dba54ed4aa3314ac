"""What the SQL stores share: migrations, puts with their query tables, stories and indexed queries.

A backend (``SQLiteStore``, ``PostgresStore``) supplies a connection, its transaction, its JSON
column codec, the next article sequence number, the search-text table and full-text search. All SQL
here is constant text with ``?`` placeholders; user values only ever travel as parameters.
"""
from __future__ import annotations

import abc
import contextlib
import logging
import threading
import time
from typing import Any, Iterator, Sequence

from ..errors import StoreError
from . import rows as R
from .base import SUMMARY_FIELDS, PutResult, Store
from .schema import MIGRATIONS, Migration

log = logging.getLogger(__name__)

SUMMARY_SQL = ", ".join(f"a.{f}" for f in SUMMARY_FIELDS)
_PAGE = 200  # documents fetched per round trip when iterating
MAX_ACTOR_KEYS = 50  # actor keys an event-actor needle may match before events are scanned in order


# A merged story leaves an alias record (``merged_into`` set, no members): lists and counts skip it.
_LIVE_STORY = {"sqlite": "json_extract(doc, '$.merged_into') IS NULL", "postgresql": "doc->>'merged_into' IS NULL"}

# A join that keeps its left side first: SQLite's planner, without statistics, may otherwise start from
# another filter's index (events by root) and probe the actor's few events for every row.
_FIRST_JOIN = {"sqlite": "CROSS JOIN", "postgresql": "JOIN"}


class SQLStore(Store):
    """A Store over a SQL database; subclasses bind it to one driver and dialect."""

    dialect: str = ""
    source: str = ""
    _errors: tuple[type[BaseException], ...] = ()

    ORDERED = "005_query_order"  # from this migration on, query rows carry their sort keys
    ABOUT = "006_quote_about"  # from this one on, quotes are indexed by the identities inside them
    ACTORS = "007_event_actors"  # from this one on, events are indexed by their actors' keys

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ordered = False  # whether the query tables have the columns of ORDERED
        self._about = False  # whether the quote_about table exists
        self._actors = False  # whether the actor_keys and event_actors tables exist

    # ----- driver hooks ----------------------------------------------------------------------
    @abc.abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; return a cursor (``fetchone``/``fetchall``/iteration)."""

    @abc.abstractmethod
    def _executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each parameter row."""

    @abc.abstractmethod
    def _begin(self) -> contextlib.AbstractContextManager[Any]:
        """A write transaction: commits on success, rolls back on any exception."""

    @abc.abstractmethod
    def _savepoint(self) -> contextlib.AbstractContextManager[Any]:
        """A nested transaction inside ``_begin`` (for optional statements)."""

    @abc.abstractmethod
    def _json_in(self, value: Any) -> Any:
        """A Python object as a JSON column parameter."""

    @abc.abstractmethod
    def _json_out(self, value: Any) -> Any:
        """A JSON column value as a Python object."""

    @abc.abstractmethod
    def _next_seq(self) -> int:
        """The sequence number of a newly inserted article (inside the write transaction)."""

    @abc.abstractmethod
    def _lock_migrations(self) -> None:
        """Keep other processes from migrating at the same time (inside the transaction)."""

    @abc.abstractmethod
    def _put_text(self, article_id: str, seq: int, text: str) -> None:
        """Store or replace an article's folded search text."""

    @abc.abstractmethod
    def _search_ids(self, q: R.SearchQuery, limit: int, offset: int) -> list[tuple[Any, ...]]:
        """Summary rows (``SUMMARY_FIELDS`` order) of articles matching every part of ``q``."""

    # ----- helpers -----------------------------------------------------------------------
    def _fail(self, what: str, err: BaseException) -> StoreError:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return StoreError(f"{what}: {first}", source=self.source)

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Hold the connection lock; turn driver errors into a one-line StoreError."""
        with self._lock:
            try:
                yield
            except self._errors as err:
                raise self._fail(what, err) from err

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._guard("query failed"):
            return list(self._execute(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._guard("query failed"):
            return self._execute(sql, params).fetchone()

    # ----- migrations ----------------------------------------------------------------------
    def _migrate(self) -> None:
        self._execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at "
                      + ("REAL" if self.dialect == "sqlite" else "DOUBLE PRECISION") + ")")
        done = {r[0] for r in self._execute("SELECT name FROM migrations").fetchall()}
        unknown = done - {m.name for m in MIGRATIONS}
        if unknown:
            raise StoreError(f"the store was written by a newer khabar (migrations {sorted(unknown)}); "
                             "upgrade khabar", source=self.source)
        self._ordered, self._about, self._actors = self.ORDERED in done, self.ABOUT in done, self.ACTORS in done
        for m in MIGRATIONS:
            if m.name not in done:
                self._apply(m)
            self._ordered = self._ordered or m.name == self.ORDERED
            self._about = self._about or m.name == self.ABOUT
            self._actors = self._actors or m.name == self.ACTORS

    def _apply(self, m: Migration) -> None:
        with self._begin():
            self._lock_migrations()
            if self._execute("SELECT 1 FROM migrations WHERE name = ?", (m.name,)).fetchone():
                return  # another process applied it meanwhile
            for stmt in m.statements(self.dialect):
                self._execute(stmt)
            for stmt in m.optional.get(self.dialect, ()):
                try:
                    with self._savepoint():
                        self._execute(stmt)
                except self._errors as err:
                    log.warning("migration %s: optional step skipped (%s)", m.name, str(err).strip().splitlines()[0])
            if m.reindex:
                self._reindex_all()
            for stmt in m.after.get(self.dialect, ()):
                self._execute(stmt)
            self._execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (m.name, time.time()))
        log.info("store %s: applied migration %s", self.source, m.name)

    def _reindex_all(self) -> None:
        """Number every article in storage order and rebuild its query rows (inside a migration)."""
        ids = [r[0] for r in self._execute("SELECT id FROM articles ORDER BY created_at, id").fetchall()]
        for seq, article_id in enumerate(ids, start=1):
            doc = self._json_out(self._execute("SELECT doc FROM articles WHERE id = ?", (article_id,)).fetchone()[0])
            self._execute("UPDATE articles SET seq = ?, outlet_key = ?, pub_key = ? WHERE id = ?",
                          (seq, *_keys(doc), article_id))
            self._index(doc, seq)

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        return [r[0] for r in self._all("SELECT name FROM migrations ORDER BY name")]

    # ----- writing -------------------------------------------------------------------------
    def _index(self, doc: dict[str, Any], seq: int) -> None:
        """Replace the article's rows in the query tables and its search text."""
        aid = doc["id"]
        for table in ("mentions", "quotes", "events", "claims", "claim_refs"):
            self._execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))  # table names are constants
        if self._ordered:
            self._index_ordered(doc, seq)
        else:
            self._index_unordered(doc)
        if self._about:
            self._execute("DELETE FROM quote_about WHERE article_id = ?", (aid,))
            self._executemany("INSERT INTO quote_about (entity_id, article_id, seq, pub_key, span_start) "
                              "VALUES (?,?,?,?,?)", R.quote_about_rows(doc, _keys(doc)[1]))

        claims, refs = R.claim_rows(doc)
        self._executemany("INSERT INTO claims (article_id, seq, claim_id, doc) VALUES (?,?,?,?)",
                          [(*r[:-1], self._json_in(r[-1])) for r in claims])
        self._executemany("INSERT INTO claim_refs (article_id, seq, entity_id, role) VALUES (?,?,?,?)", refs)
        self._put_text(aid, seq, R.search_text(doc))

    def _index_ordered(self, doc: dict[str, Any], seq: int) -> None:
        """Mention, quote and event rows with their sort keys (migration 005 on)."""
        pub = _keys(doc)[1]
        self._executemany("INSERT INTO mentions (article_id, seq, entity_id, name, text, type, span_start, span_end, "
                          "pub_key) VALUES (?,?,?,?,?,?,?,?,?)", [(*r, pub) for r in R.mention_rows(doc)])
        self._executemany("INSERT INTO quotes (article_id, seq, speaker_id, speaker, span_start, span_end, doc, pub_key) "
                          "VALUES (?,?,?,?,?,?,?,?)", [(*r[:-1], self._json_in(r[-1]), pub) for r in R.quote_rows(doc)])
        self._executemany(
            "INSERT INTO events (article_id, seq, event_id, cameo, root, source_id, source_code, source_key, target_id, "
            "target_code, target_key, place_id, place_key, date_key, factuality, doc, art_seq) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(*r[:-1], self._json_in(r[-1]), seq) for r in R.event_rows(doc)])
        if self._actors:
            rows = R.event_actor_rows(doc, seq)
            self._execute("DELETE FROM event_actors WHERE article_id = ?", (doc["id"],))
            self._executemany("INSERT INTO actor_keys (key) VALUES (?) ON CONFLICT DO NOTHING",
                              [(k,) for k in dict.fromkeys(r[0] for r in rows)])
            self._executemany("INSERT INTO event_actors (key, art_seq, seq, article_id, role) VALUES (?,?,?,?,?)", rows)

    def _index_unordered(self, doc: dict[str, Any]) -> None:
        """The same rows for a store still being migrated to 005 (which then fills the keys)."""
        self._executemany("INSERT INTO mentions (article_id, seq, entity_id, name, text, type, span_start, span_end) "
                          "VALUES (?,?,?,?,?,?,?,?)", R.mention_rows(doc))
        self._executemany("INSERT INTO quotes (article_id, seq, speaker_id, speaker, span_start, span_end, doc) "
                          "VALUES (?,?,?,?,?,?,?)", [(*r[:-1], self._json_in(r[-1])) for r in R.quote_rows(doc)])
        self._executemany(
            "INSERT INTO events (article_id, seq, event_id, cameo, root, source_id, source_code, source_key, target_id, "
            "target_code, target_key, place_id, place_key, date_key, factuality, doc) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(*r[:-1], self._json_in(r[-1])) for r in R.event_rows(doc)])

    def put_doc(self, doc: dict[str, Any], fingerprint: str) -> PutResult:
        now = time.time()
        try:
            blob = self._json_in(doc)
        except (TypeError, ValueError) as err:
            raise StoreError(f"article {doc.get('id')} cannot be serialised: {err}", source=self.source) from err
        with self._guard(f"cannot store article {doc.get('id')}"), self._begin():
            row = self._execute("SELECT fingerprint, seq FROM articles WHERE id = ?", (doc["id"],)).fetchone()
            if row is not None and row[0] == fingerprint:
                return "unchanged"
            cols = (*_columns(doc), *_keys(doc), fingerprint, blob)
            if row is not None:
                seq = int(row[1])
                self._execute("UPDATE articles SET url=?, source=?, title=?, outlet=?, language=?, published=?, "
                              "status=?, outlet_key=?, pub_key=?, fingerprint=?, doc=?, updated_at=? WHERE id=?",
                              (*cols, now, doc["id"]))
            else:
                seq = self._next_seq()
                self._execute("INSERT INTO articles (url, source, title, outlet, language, published, status, "
                              "outlet_key, pub_key, fingerprint, doc, created_at, updated_at, id, seq) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*cols, now, now, doc["id"], seq))
            self._index(doc, seq)
            return "updated" if row is not None else "added"

    # ----- reading -------------------------------------------------------------------------
    def _by_id(self, table: str, ident: str, what: str) -> Any:
        """The ``doc`` of ``table`` by full id or unambiguous prefix (``table`` is a constant)."""
        row = self._one(f"SELECT doc FROM {table} WHERE id = ?", (ident,))
        if row is None and len(ident) >= 6:
            rows = self._all(f"SELECT doc FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                             (ident, ident + "\uffff"))
            if len(rows) > 1:
                raise StoreError(f"{what} prefix {ident!r} is ambiguous", source=self.source)
            row = rows[0] if rows else None
        return self._json_out(row[0]) if row else None

    def get(self, article_id: str) -> dict[str, Any] | None:
        return self._by_id("articles", article_id, "id")  # type: ignore[no-any-return]

    def iter_docs(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            page = self._all("SELECT seq, doc FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, _PAGE))
            for seq, blob in page:
                yield self._json_out(blob)
            if len(page) < _PAGE:
                return
            last = int(page[-1][0])

    def count(self) -> int:
        return int(self._one("SELECT count(*) FROM articles")[0])

    # ----- stories -------------------------------------------------------------------------
    def put_story(self, story: dict[str, Any], keys: list[str]) -> None:
        sid = story["id"]
        try:
            blob = self._json_in(story)
        except (TypeError, ValueError) as err:
            raise StoreError(f"cannot store story {sid}: {err}", source=self.source) from err
        with self._guard(f"cannot store story {sid}"), self._begin():
            self._execute("INSERT INTO stories (id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
                          "SET doc = excluded.doc, updated_at = excluded.updated_at", (sid, blob, time.time()))
            self._execute("DELETE FROM story_keys WHERE story_id = ?", (sid,))
            self._executemany("INSERT INTO story_keys (key, story_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                              [(k, sid) for k in dict.fromkeys(keys)])
            self._executemany("INSERT INTO story_members (article_id, story_id) VALUES (?, ?) ON CONFLICT "
                              "(article_id) DO UPDATE SET story_id = excluded.story_id",
                              list({m["article_id"]: (m["article_id"], sid) for m in story.get("members", [])}.values()))

    def get_story(self, story_id: str) -> dict[str, Any] | None:
        return self._by_id("stories", story_id, "story id")  # type: ignore[no-any-return]

    def story_of(self, article_id: str) -> str | None:
        row = self._one("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,))
        return str(row[0]) if row else None

    def stories_for_keys(self, keys: list[str], limit: int = 50) -> dict[str, int]:
        uniq = list(dict.fromkeys(keys))
        counts: dict[str, int] = {}
        for i in range(0, len(uniq), 500):  # stay under SQLite's variable limit
            chunk = uniq[i : i + 500]
            marks = ",".join("?" * len(chunk))  # placeholders only: the keys travel as parameters
            for sid, n in self._all(
                    f"SELECT story_id, count(*) FROM story_keys WHERE key IN ({marks}) GROUP BY story_id", chunk):
                counts[sid] = counts.get(sid, 0) + int(n)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])

    def iter_stories(self) -> Iterator[dict[str, Any]]:
        for (blob,) in self._all("SELECT doc FROM stories ORDER BY updated_at DESC, id"):
            yield self._json_out(blob)

    def list_stories(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._all(f"SELECT doc FROM stories WHERE {_LIVE_STORY[self.dialect]} ORDER BY updated_at DESC, id "
                         "LIMIT ? OFFSET ?", (limit, offset))
        return [self._json_out(blob) for (blob,) in rows]

    def count_stories(self) -> int:
        return int(self._one(f"SELECT count(*) FROM stories WHERE {_LIVE_STORY[self.dialect]}")[0])

    # ----- indexed queries ---------------------------------------------------------------------
    def list_articles(self, *, language: str | None = None, outlet: str | None = None,
                      limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        where, params = _where([("a.language = ?", language),
                                ("a.outlet_key = ?", outlet.lower() if outlet is not None else None)])
        rows = self._all(f"SELECT {SUMMARY_SQL} FROM articles a{where} ORDER BY a.pub_key DESC, a.id DESC "
                         "LIMIT ? OFFSET ?", (*params, limit, offset))
        return [dict(zip(SUMMARY_FIELDS, r)) for r in rows]

    def search(self, text: str, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        q = R.parse_query(text)
        if q.empty:
            return []
        with self._guard("search failed"):
            rows = self._search_ids(q, limit, offset)
        return [dict(zip(SUMMARY_FIELDS, r)) for r in rows]

    def mentions(self, entity_id: str, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._all(
            f"SELECT {SUMMARY_SQL}, m.name, m.text, m.type, m.span_start, m.span_end FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
            "ORDER BY m.pub_key DESC, m.article_id DESC, m.span_start DESC, m.seq LIMIT ? OFFSET ?",
            (entity_id, limit, offset))
        n = len(SUMMARY_FIELDS)
        return [{**dict(zip(SUMMARY_FIELDS, r[:n])), "article_id": r[0],
                 **dict(zip(("name", "text", "type", "start", "end"), r[n:]))} for r in rows]

    def quotes(self, *, speaker: str | None = None, about: str | None = None,
               limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        if about is not None and self._about:
            return self._quotes_about(about, speaker, limit, offset)
        where, params = _where([
            ("q.speaker_id = ?", speaker),
            # the IN list lets the planner start from the identity's mentions, not from every quote
            ("q.article_id IN (SELECT m.article_id FROM mentions m WHERE m.entity_id = ?) AND EXISTS (SELECT 1 "
             "FROM mentions m WHERE m.article_id = q.article_id AND m.entity_id = ? AND m.span_start >= q.span_start "
             "AND m.span_end <= q.span_end)", (about, about) if about is not None else None),
        ])
        rows = self._all(
            f"SELECT q.doc, a.id, a.title, a.published, a.language FROM quotes q JOIN articles a "
            f"ON a.id = q.article_id{where} ORDER BY q.pub_key DESC, q.article_id DESC, q.span_start DESC, q.seq "
            "LIMIT ? OFFSET ?", (*params, limit, offset))
        return [{**self._json_out(r[0]), "article_id": r[1], "article_title": r[2], "published": r[3],
                 "language": r[4]} for r in rows]

    def _quotes_about(self, about: str, speaker: str | None, limit: int, offset: int) -> list[dict[str, Any]]:
        """Quotes naming ``about`` inside them, newest first, read from quote_about in index order."""
        where = " AND q.speaker_id = ?" if speaker is not None else ""
        rows = self._all(
            "SELECT q.doc, a.id, a.title, a.published, a.language FROM quote_about x JOIN quotes q "
            "ON q.article_id = x.article_id AND q.seq = x.seq JOIN articles a ON a.id = x.article_id "
            f"WHERE x.entity_id = ?{where} ORDER BY x.pub_key DESC, x.article_id DESC, x.span_start DESC, x.seq "
            "LIMIT ? OFFSET ?", (about, *((speaker,) if speaker is not None else ()), limit, offset))
        return [{**self._json_out(r[0]), "article_id": r[1], "article_title": r[2], "published": r[3],
                 "language": r[4]} for r in rows]

    def events(self, flt: Any = None, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        from ..events.listing import EventFilter

        f = flt or EventFilter()
        actor = R.like_pattern(f.actor.lower()) if f.actor else None
        indexed = actor is not None and self._actors
        where, params = _where([
            ("e.cameo LIKE ? ESCAPE '\\'", R.like_pattern(f.code)[1:] if f.code else None),
            ("e.root = ?", f.root or None),
            ("(e.source_key LIKE ? ESCAPE '\\' OR e.target_key LIKE ? ESCAPE '\\')",
             (actor, actor) if actor and not indexed else None),
            ("e.place_key LIKE ? ESCAPE '\\'", R.like_pattern(f.place.lower()) if f.place else None),
            ("e.factuality = ?", f.factuality or None),
            # date[:len(since)] >= since  <=>  date >= since;  date[:len(until)] <= until  <=>  date < until + U+FFFF
            ("e.date_key >= ?", f.since or None),
            ("e.date_key <> '' AND e.date_key < ?", f.until + "\uffff" if f.until else None),
        ])
        if indexed:
            rows = self._events_by_actor(str(actor), where, params, limit, offset)
        else:
            rows = self._all(f"SELECT e.doc, a.id, a.title FROM events e JOIN articles a ON a.id = e.article_id{where} "
                             "ORDER BY e.art_seq, e.seq LIMIT ? OFFSET ?", (*params, limit, offset))
        return [{**self._json_out(r[0]), "article_id": r[1], "article_title": r[2]} for r in rows]

    def _events_by_actor(self, pattern: str, where: str, params: list[Any], limit: int, offset: int) -> list[Any]:
        """Event rows whose source or target key matches ``pattern`` (and ``where``), in event order,
        through actor_keys and event_actors (migration 007): the keys containing the needle first
        (one row per distinct actor spelling), then their events from index ranges. A needle found
        in more than ``MAX_ACTOR_KEYS`` keys names many events: reading all events in order and
        testing each stops at the page sooner, so that is done instead."""
        keys = [r[0] for r in self._all("SELECT key FROM actor_keys WHERE key LIKE ? ESCAPE '\\' LIMIT ?",
                                        (pattern, MAX_ACTOR_KEYS + 1))]
        if not keys:
            return []
        if len(keys) > MAX_ACTOR_KEYS:
            conds = " WHERE (e.source_key LIKE ? ESCAPE '\\' OR e.target_key LIKE ? ESCAPE '\\')"
            return self._all(f"SELECT e.doc, a.id, a.title FROM events e JOIN articles a ON a.id = e.article_id{conds}"
                             f"{where.replace(' WHERE ', ' AND ', 1)} ORDER BY e.art_seq, e.seq LIMIT ? OFFSET ?",
                             (pattern, pattern, *params, limit, offset))
        more = where.replace(" WHERE ", " AND ", 1)
        if len(keys) == 1:  # one range of the primary key, read in event order: stops at the page
            return self._all(
                "SELECT e.doc, a.id, a.title FROM event_actors x JOIN events e ON e.art_seq = x.art_seq AND "
                f"e.seq = x.seq JOIN articles a ON a.id = e.article_id WHERE x.key = ?{more} "
                "ORDER BY x.art_seq, x.seq LIMIT ? OFFSET ?", (keys[0], *params, limit, offset))
        marks = ",".join("?" * len(keys))  # placeholders only: the keys travel as parameters
        return self._all(
            f"SELECT e.doc, a.id, a.title FROM (SELECT DISTINCT x.art_seq, x.seq FROM event_actors x WHERE x.key IN ({marks})) m "
            f"{_FIRST_JOIN[self.dialect]} events e ON e.art_seq = m.art_seq AND e.seq = m.seq JOIN articles a ON a.id = e.article_id"
            f"{where} ORDER BY m.art_seq, m.seq LIMIT ? OFFSET ?", (*keys, *params, limit, offset))

    def claims(self, *, entity: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        where, params = _where([
            ("(c.article_id, c.seq) IN (SELECT r.article_id, r.seq FROM claim_refs r WHERE r.entity_id = ?)", entity),
        ])
        rows = self._all(f"SELECT c.doc, a.id, a.title, a.published FROM claims c JOIN articles a "
                         f"ON a.id = c.article_id{where} ORDER BY a.seq, c.seq LIMIT ? OFFSET ?",
                         (*params, limit, offset))
        return [{**self._json_out(r[0]), "article_id": r[1], "article_title": r[2], "published": r[3]}
                for r in rows]

    def stats(self) -> dict[str, Any]:
        def grouped(col: str) -> dict[str, int]:  # col is one of three constants below
            rows = self._all(f"SELECT COALESCE({col}, ?), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1",
                             ("ok" if col == "status" else "unknown",))
            return {str(k): int(n) for k, n in rows}

        lo, hi = self._one("SELECT MIN(NULLIF(published, '')), MAX(NULLIF(published, '')) FROM articles")
        return {"articles": self.count(), "languages": grouped("language"), "outlets": grouped("outlet"),
                "status": grouped("status"), "published_from": lo, "published_to": hi}


def _where(conds: list[tuple[str, Any]]) -> tuple[str, list[Any]]:
    """A WHERE clause from constant condition texts whose value is given (a tuple fills several
    placeholders), and its parameters."""
    parts, params = [], []
    for sql, value in conds:
        if value is None:
            continue
        parts.append(sql)
        params.extend(value if isinstance(value, tuple) else (value,))
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def _columns(doc: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(doc.get(k) for k in ("url", "source", "title", "outlet", "language", "published", "status"))


def _keys(doc: dict[str, Any]) -> tuple[str | None, str]:
    """The folded outlet and the sortable publication date of an article."""
    outlet = doc.get("outlet")
    return (outlet.lower() if isinstance(outlet, str) else None), str(doc.get("published") or "")
