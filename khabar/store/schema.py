"""The schema of the SQL stores, written once as data: named migrations with per-dialect SQL.

Every SQL backend (``sqlite``, ``postgresql``) applies the same migrations, in order, each in one
transaction, and records its name in the ``migrations`` table. A released migration is never
edited: schema changes are new migrations appended to ``MIGRATIONS``.

A migration has, per dialect, the statements to run (``sql``), statements that may fail without
failing the migration (``optional``: run in a savepoint, e.g. an extension the server may lack),
whether to rebuild the query tables from the stored documents (``reindex``) and statements to run
after that rebuild (``after``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

DIALECTS = ("sqlite", "postgresql")

Statements = tuple[str, ...]


@dataclass(frozen=True)
class Migration:
    """One named schema change, with its SQL for every dialect."""

    name: str
    sql: Mapping[str, Statements]
    reindex: bool = False
    after: Mapping[str, Statements] = field(default_factory=dict)
    optional: Mapping[str, Statements] = field(default_factory=dict)

    def statements(self, dialect: str) -> Statements:
        """The statements of ``dialect`` (every migration names every dialect)."""
        return self.sql[dialect]


# ----- 001: articles -------------------------------------------------------------------------
_ARTICLES_INDEXES = (
    "CREATE INDEX articles_url ON articles(url)",
    "CREATE INDEX articles_published ON articles(published)",
    "CREATE INDEX articles_language ON articles(language)",
)

M001 = Migration("001_articles", {
    "sqlite": (
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, url TEXT, source TEXT, title TEXT, outlet TEXT, language TEXT,
            published TEXT, status TEXT, fingerprint TEXT NOT NULL, doc TEXT NOT NULL,
            created_at REAL NOT NULL, updated_at REAL NOT NULL)""",
        *_ARTICLES_INDEXES,
    ),
    "postgresql": (
        """CREATE TABLE articles (
            id TEXT COLLATE "C" PRIMARY KEY, url TEXT, source TEXT, title TEXT, outlet TEXT,
            language TEXT, published TEXT COLLATE "C", status TEXT, fingerprint TEXT NOT NULL,
            doc JSONB NOT NULL, created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL)""",
        *_ARTICLES_INDEXES,
    ),
})

# ----- 002: stories --------------------------------------------------------------------------
_STORY_TABLES = (
    'CREATE TABLE story_keys (key TEXT {c} NOT NULL, story_id TEXT {c} NOT NULL, PRIMARY KEY (key, story_id))',
    "CREATE INDEX story_keys_story ON story_keys(story_id)",
    "CREATE TABLE story_members (article_id TEXT {c} PRIMARY KEY, story_id TEXT {c} NOT NULL)",
    "CREATE INDEX story_members_story ON story_members(story_id)",
    "CREATE INDEX stories_updated ON stories(updated_at)",
)

M002 = Migration("002_stories", {
    "sqlite": (
        "CREATE TABLE stories (id TEXT PRIMARY KEY, doc TEXT NOT NULL, updated_at REAL NOT NULL)",
        *(s.format(c="") for s in _STORY_TABLES),
    ),
    "postgresql": (
        """CREATE TABLE stories (id TEXT COLLATE "C" PRIMARY KEY, doc JSONB NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL)""",
        *(s.format(c='COLLATE "C"') for s in _STORY_TABLES),
    ),
})

# ----- 003: query tables (mentions, quotes, events, claims) and full-text search ---------------
# {t}: a text column type that sorts by code point; {j}: the JSON column type; {k}: id columns.
_QUERY_TABLES = (
    "CREATE UNIQUE INDEX articles_seq ON articles(seq)",
    "CREATE INDEX articles_pub ON articles(pub_key, id)",
    "CREATE INDEX articles_lang_pub ON articles(language, pub_key, id)",
    "CREATE INDEX articles_outlet_pub ON articles(outlet_key, pub_key, id)",
    """CREATE TABLE mentions (
        article_id {k} NOT NULL, seq INTEGER NOT NULL, entity_id {k} NOT NULL, name TEXT, text TEXT,
        type TEXT, span_start INTEGER, span_end INTEGER, PRIMARY KEY (article_id, seq))""",
    "CREATE INDEX mentions_entity ON mentions(entity_id)",
    """CREATE TABLE quotes (
        article_id {k} NOT NULL, seq INTEGER NOT NULL, speaker_id {k}, speaker TEXT,
        span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, doc {j} NOT NULL,
        PRIMARY KEY (article_id, seq))""",
    "CREATE INDEX quotes_speaker ON quotes(speaker_id)",
    """CREATE TABLE events (
        article_id {k} NOT NULL, seq INTEGER NOT NULL, event_id TEXT, cameo {t}, root {t},
        source_id {k}, source_code TEXT, source_key TEXT, target_id {k}, target_code TEXT,
        target_key TEXT, place_id {k}, place_key TEXT, date_key {t}, factuality TEXT,
        doc {j} NOT NULL, PRIMARY KEY (article_id, seq))""",
    "CREATE INDEX events_cameo ON events(cameo)",
    "CREATE INDEX events_root ON events(root)",
    "CREATE INDEX events_source ON events(source_id)",
    "CREATE INDEX events_target ON events(target_id)",
    "CREATE INDEX events_place ON events(place_id)",
    "CREATE INDEX events_date ON events(date_key)",
    """CREATE TABLE claims (
        article_id {k} NOT NULL, seq INTEGER NOT NULL, claim_id TEXT, doc {j} NOT NULL,
        PRIMARY KEY (article_id, seq))""",
    """CREATE TABLE claim_refs (
        article_id {k} NOT NULL, seq INTEGER NOT NULL, entity_id {k} NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY (article_id, seq, entity_id, role))""",
    "CREATE INDEX claim_refs_entity ON claim_refs(entity_id)",
)

M003 = Migration(
    "003_indexes",
    {
        "sqlite": (
            "ALTER TABLE articles ADD COLUMN seq INTEGER",
            "ALTER TABLE articles ADD COLUMN outlet_key TEXT",
            "ALTER TABLE articles ADD COLUMN pub_key TEXT NOT NULL DEFAULT ''",
            *(s.format(t="TEXT", j="TEXT", k="TEXT") for s in _QUERY_TABLES),
            # rowid = articles.seq; the text is our own folded tokens (khabar.store.rows.fold)
            "CREATE VIRTUAL TABLE articles_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')",
        ),
        "postgresql": (
            "CREATE SEQUENCE articles_seq_gen",
            "ALTER TABLE articles ADD COLUMN seq BIGINT",
            "ALTER TABLE articles ADD COLUMN outlet_key TEXT",
            """ALTER TABLE articles ADD COLUMN pub_key TEXT COLLATE "C" NOT NULL DEFAULT ''""",
            *(s.format(t='TEXT COLLATE "C"', j="JSONB", k='TEXT COLLATE "C"') for s in _QUERY_TABLES),
            """CREATE TABLE article_text (
                article_id TEXT COLLATE "C" PRIMARY KEY, seq BIGINT NOT NULL, body TEXT NOT NULL,
                tsv TSVECTOR NOT NULL)""",
            "CREATE INDEX article_text_tsv ON article_text USING gin (tsv)",
        ),
    },
    reindex=True,
    after={
        "sqlite": (),
        "postgresql": ("SELECT setval('articles_seq_gen', (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles), false)",),
    },
    # substring search for scripts written without spaces; without pg_trgm it still works, unindexed
    optional={
        "sqlite": (),
        "postgresql": (
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX article_text_trgm ON article_text USING gin (body gin_trgm_ops)",
        ),
    },
)

# ----- 004: quotes about an identity look mentions up by (entity, article) -------------------
M004 = Migration("004_mentions_by_article", {
    "sqlite": ("CREATE INDEX mentions_entity_article ON mentions(entity_id, article_id)",),
    "postgresql": ("CREATE INDEX mentions_entity_article ON mentions(entity_id, article_id)",),
})

# ----- 005: lists read in index order (issue 10: 10k articles, 20 clients) ------------------
# Mentions and quotes carry their article's publication key, events their article's sequence
# number, so a page of the newest mentions of an identity (or of events by an actor) is read from
# an index in order and stops at LIMIT instead of sorting every row the identity has.
_ORDER = (
    "UPDATE mentions SET pub_key = (SELECT a.pub_key FROM articles a WHERE a.id = mentions.article_id)",
    "UPDATE quotes SET pub_key = (SELECT a.pub_key FROM articles a WHERE a.id = quotes.article_id)",
    "UPDATE events SET art_seq = (SELECT a.seq FROM articles a WHERE a.id = events.article_id)",
    "CREATE INDEX mentions_entity_pub ON mentions(entity_id, pub_key, article_id, span_start)",
    "CREATE INDEX quotes_pub ON quotes(pub_key, article_id, span_start)",
    "CREATE INDEX quotes_speaker_pub ON quotes(speaker_id, pub_key, article_id, span_start)",
    "CREATE INDEX events_order ON events(art_seq, seq)",
)

M005 = Migration("005_query_order", {
    "sqlite": (
        "ALTER TABLE mentions ADD COLUMN pub_key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE quotes ADD COLUMN pub_key TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE events ADD COLUMN art_seq INTEGER",
        *_ORDER,
    ),
    "postgresql": (
        """ALTER TABLE mentions ADD COLUMN pub_key TEXT COLLATE "C" NOT NULL DEFAULT ''""",
        """ALTER TABLE quotes ADD COLUMN pub_key TEXT COLLATE "C" NOT NULL DEFAULT ''""",
        "ALTER TABLE events ADD COLUMN art_seq BIGINT",
        *_ORDER,
    ),
})

# ----- 006: quotes about an identity, listed by the identity --------------------------------------
# One row per (identity, quote) for every mention inside a quote's span, with the quote's sort key:
# quotes about an identity are then an index range, newest first, whatever the identity's size.
_QUOTE_ABOUT = (
    """CREATE TABLE quote_about (
        entity_id {k} NOT NULL, article_id {k} NOT NULL, seq INTEGER NOT NULL, pub_key {t} NOT NULL,
        span_start INTEGER NOT NULL, PRIMARY KEY (entity_id, article_id, seq))""",
    "CREATE INDEX quote_about_pub ON quote_about(entity_id, pub_key, article_id, span_start)",
    "CREATE INDEX quote_about_article ON quote_about(article_id)",
    """INSERT INTO quote_about (entity_id, article_id, seq, pub_key, span_start)
        SELECT DISTINCT m.entity_id, q.article_id, q.seq, q.pub_key, q.span_start FROM quotes q
        JOIN mentions m ON m.article_id = q.article_id AND m.span_start >= q.span_start AND m.span_end <= q.span_end""",
)

M006 = Migration("006_quote_about", {
    "sqlite": tuple(x.format(k="TEXT", t="TEXT") for x in _QUOTE_ABOUT),
    "postgresql": tuple(x.format(k='TEXT COLLATE "C"', t='TEXT COLLATE "C"') for x in _QUOTE_ABOUT),
})

# ----- 007: events by actor through an index of the actors' keys -----------------------------------
# The actor filter matches a needle anywhere in an actor's key ("name entity_id cameo", lower case).
# actor_keys holds each distinct key once (a small table: one row per actor, not per event);
# event_actors one row per (key, event) with the event's sort key. A query finds the keys that
# contain the needle, then reads their events from an index range in order instead of testing
# every event row.
_EVENT_ACTORS = (
    "CREATE TABLE actor_keys (key {t} PRIMARY KEY)",
    """CREATE TABLE event_actors (
        key {t} NOT NULL, art_seq {i} NOT NULL, seq INTEGER NOT NULL, article_id {t} NOT NULL,
        role TEXT NOT NULL, PRIMARY KEY (key, art_seq, seq))""",
    "CREATE INDEX event_actors_article ON event_actors(article_id)",
    """INSERT INTO event_actors (key, art_seq, seq, article_id, role)
        SELECT source_key, art_seq, seq, article_id,
               CASE WHEN source_key = COALESCE(target_key, '') THEN 'both' ELSE 'source' END
        FROM events WHERE COALESCE(source_key, '') <> '' AND art_seq IS NOT NULL
        UNION ALL
        SELECT target_key, art_seq, seq, article_id, 'target'
        FROM events WHERE COALESCE(target_key, '') <> '' AND target_key <> COALESCE(source_key, '')
              AND art_seq IS NOT NULL""",
    "INSERT INTO actor_keys (key) SELECT DISTINCT key FROM event_actors",
)

M007 = Migration("007_event_actors", {
    "sqlite": tuple(x.format(t="TEXT", i="INTEGER") for x in _EVENT_ACTORS),
    "postgresql": tuple(x.format(t='TEXT COLLATE "C"', i="BIGINT") for x in _EVENT_ACTORS),
})

# Append only: a migration, once released, is never edited. Names are recorded when applied.
MIGRATIONS: list[Migration] = [M001, M002, M003, M004, M005, M006, M007]
