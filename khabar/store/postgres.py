"""The server store: PostgreSQL through psycopg 3, selected by ``open_store("postgresql://...")``.

Same named migrations as SQLite (``khabar.store.schema``), documents in JSONB, one transaction per
put (the article, its query rows and its search text). Full-text search: a ``tsvector`` of our own
folded tokens under the ``simple`` configuration (GIN index) for word prefixes, and ``LIKE`` over the
same text, indexed by ``pg_trgm`` when the server has it, for scripts written without spaces.
Concurrent processes may share a database: migrations take an advisory lock.
"""
from __future__ import annotations

import contextlib
import json
from typing import Any, Iterator, Sequence

from ..errors import StoreError
from . import rows as R
from .sqlbase import SUMMARY_SQL, SQLStore

_MIGRATION_LOCK = 7_314_159_265  # pg_advisory_xact_lock key: "khabar migrations"

try:  # psycopg is a dependency; without it only this backend is unavailable
    import psycopg
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - exercised only on a broken install
    psycopg = None  # type: ignore[assignment]


def _describe(url: str) -> str:
    """``url`` without its password, for messages."""
    if psycopg is None:
        return "postgresql"
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql (unparsable URL)"
    host = info.get("host") or "localhost"
    return f"postgresql://{info.get('user') or ''}{'@' if info.get('user') else ''}{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


class PostgresStore(SQLStore):
    """Articles in a PostgreSQL database."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.source = _describe(url)
        if psycopg is None:
            raise StoreError("the PostgreSQL store needs psycopg: pip install 'psycopg[binary]'", source=self.source)
        self._errors = (psycopg.Error,)
        self._sql: dict[str, str] = {}
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise self._fail("cannot connect to PostgreSQL", err) from err
        try:
            with self._lock:
                self._migrate()
        except psycopg.Error as err:
            self.conn.close()
            raise self._fail("cannot prepare the PostgreSQL store", err) from err

    # ----- driver hooks ----------------------------------------------------------------------
    def _pg(self, sql: str) -> str:
        """Our ``?`` placeholders as psycopg's ``%s`` (our SQL holds no other ``?`` or ``%``)."""
        out = self._sql.get(sql)
        if out is None:
            out = self._sql[sql] = sql.replace("?", "%s")
        return out

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._pg(sql), params)  # type: ignore[arg-type]

    def _executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        if seq:
            with self.conn.cursor() as cur:
                cur.executemany(self._pg(sql), seq)  # type: ignore[arg-type]

    @contextlib.contextmanager
    def _begin(self) -> Iterator[None]:
        with self._lock, self.conn.transaction():
            yield

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _json_in(self, value: Any) -> Any:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)  # fail here, not mid-transaction
        return Jsonb(text, dumps=lambda s: s)

    def _json_out(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    def _next_seq(self) -> int:
        return int(self.conn.execute("SELECT nextval('articles_seq_gen')").fetchone()[0])  # type: ignore[index]

    def _lock_migrations(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))

    def _put_text(self, article_id: str, seq: int, text: str) -> None:
        self._execute("INSERT INTO article_text (article_id, seq, body, tsv) VALUES (?, ?, ?, to_tsvector('simple', ?)) "
                      "ON CONFLICT (article_id) DO UPDATE SET seq = excluded.seq, body = excluded.body, "
                      "tsv = excluded.tsv", (article_id, seq, text, text))

    def _search_ids(self, q: R.SearchQuery, limit: int, offset: int) -> list[tuple[Any, ...]]:
        params: list[Any] = []
        conds = []
        if q.words:
            # quoted prefix lexemes of letters and digits only: no tsquery syntax from the user
            conds.append("t.tsv @@ to_tsquery('simple', ?)")
            params.append(" & ".join(f"'{w}':*" for w in q.words))
        for sub in q.substrings:
            conds.append("t.body LIKE ? ESCAPE '\\'")
            params.append(R.like_pattern(sub))
        sql = (f"SELECT {SUMMARY_SQL} FROM article_text t JOIN articles a ON a.id = t.article_id WHERE "
               + " AND ".join(conds) + " ORDER BY a.pub_key DESC, a.id DESC LIMIT ? OFFSET ?")
        return list(self._execute(sql, (*params, limit, offset)).fetchall())

    def close(self) -> None:
        self.conn.close()
