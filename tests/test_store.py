"""The Store contract, run against every backend."""
from __future__ import annotations

import itertools
import json
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import pytest

from khabar.errors import StoreError
from khabar.model import Article, Claim, Credit, DateRef, Entity, Event, Quote, Ref, Zone
from khabar.store import MemoryStore, Store, open_store
from khabar.store.pgtest import drop_schema, find_bin, fresh_database, fresh_schema, throwaway_server
from khabar.store.sqlite import MIGRATIONS, SQLiteStore

BACKENDS = ["memory", "sqlite", "postgres"]
SQL_BACKENDS = ["sqlite", "postgres"]


def make_article(body: str = "The minister said the talks went well.", title: str = "Talks") -> Article:
    text = f"{title}\n\n{body}\nPhoto: Reuters"
    b0 = len(title) + 2
    art = Article(text=text, source="t.txt", title=title, outlet="Reuters", language="en",
                  published="2024-11-29T15:42:26+07:00", published_source="url")
    art.zones = [Zone(0, len(title), "test@1", kind="title"), Zone(b0, b0 + len(body), "test@1", kind="body"),
                 Zone(b0 + len(body) + 1, len(text), "test@1", kind="caption")]
    art.credits = [Credit(len(text) - 7, len(text), "test@1", role="photo", name="Reuters")]
    art.quotes = [Quote(b0 + 4, b0 + 12, "test@1", speaker=Ref("Jane Doe", 0, 4), verb="said")]
    art.dates = [DateRef(0, 5, "test@1", value="2024-11-29", granularity="day")]
    return art


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL database URL: $KHABAR_TEST_POSTGRES_URL (a role allowed to create schemas in it),
    or a database on a throwaway cluster started here when initdb/pg_ctl are installed; skipped
    without PostgreSQL, failed when CI is set."""
    url = os.environ.get("KHABAR_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    if find_bin() is None:
        msg = "PostgreSQL is not installed (apt-get install postgresql, or set KHABAR_TEST_POSTGRES_URL)"
        if os.environ.get("CI"):
            pytest.fail(msg + "; CI must have it (.ci/run installs it)")
        pytest.skip(msg)
    with throwaway_server() as server:
        yield fresh_database(server, "khabar_tests")


_NAMES = itertools.count(1)


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty schema on the test database (cheaper than a database), dropped afterwards."""
    name = f"khabar_test_{os.getpid()}_{next(_NAMES)}"
    yield fresh_schema(pg_server, name)
    drop_schema(pg_server, name)


def _open(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "sqlite":
        return open_store(str(tmp_path / "k.db"))
    return open_store(request.getfixturevalue("pg_url"))


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of every backend."""
    s = _open(request.param, request, tmp_path)
    yield s
    s.close()


@pytest.fixture(params=SQL_BACKENDS)
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of every SQL backend."""
    s = _open(request.param, request, tmp_path)
    yield s
    s.close()


def test_put_get_roundtrip(store) -> None:
    art = make_article()
    assert store.put(art) == "added"
    doc = store.get(art.id)
    assert doc is not None
    assert doc == json.loads(json.dumps(art.to_dict(), ensure_ascii=False))
    again = Article.from_dict(doc)
    assert again.to_dict() == art.to_dict()


def test_same_article_twice_is_unchanged(store) -> None:
    art = make_article()
    assert store.put(art) == "added"
    art2 = make_article()
    art2.fetched_at = "2030-01-01T00:00:00+00:00"  # volatile: not a change
    assert store.put(art2) == "unchanged"
    assert store.count() == 1


def test_changed_facts_update_in_place(store) -> None:
    art = make_article()
    store.put(art)
    art.comment_count = 7
    assert store.put(art) == "updated"
    assert store.count() == 1
    assert store.get(art.id)["comment_count"] == 7


def test_prefix_lookup_and_unknown(store) -> None:
    art = make_article()
    store.put(art)
    assert store.get(art.id[:8])["id"] == art.id
    assert store.get("ffffffffffffffff") is None
    assert store.get("abc") is None  # too short to be a prefix


def test_stats(store) -> None:
    store.put(make_article())
    store.put(make_article(body="Another article body, different from the first one."))
    s = store.stats()
    assert s["articles"] == 2
    assert s["languages"] == {"en": 2}
    assert s["published_from"] == s["published_to"] == "2024-11-29T15:42:26+07:00"


def test_iteration_order_is_insertion_order(store) -> None:
    ids = []
    for i in range(5):
        art = make_article(body=f"Body number {i} of the test articles.")
        store.put(art)
        ids.append(art.id)
    assert [d["id"] for d in store.iter_docs()] == ids


def test_sqlite_migrations_recorded_once(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    SQLiteStore(path).close()
    s = SQLiteStore(path)
    assert s.migrations() == [m.name for m in MIGRATIONS]
    s.close()


def test_sqlite_refuses_newer_schema(tmp_path: Path) -> None:
    path = str(tmp_path / "n.db")
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES ('999_future', 0)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer khabar"):
        SQLiteStore(path)


def test_sqlite_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as info:
        SQLiteStore(str(path))
    assert "\n" not in info.value.one_line()


def test_sqlite_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(str(tmp_path / "nope" / "k.db"))


def test_failed_put_leaves_store_unchanged(tmp_path: Path) -> None:
    s = SQLiteStore(str(tmp_path / "k.db"))
    art = make_article()
    s.put(art)
    before = list(s.iter_docs())
    with pytest.raises(StoreError):
        s.put_doc({"id": "x", "bad": object()}, "fp")  # not JSON-serialisable -> nothing written
    assert list(s.iter_docs()) == before
    s.close()


def test_id_is_stable_across_extraction_changes() -> None:
    from khabar.model import canonical_url

    a = make_article()
    a.input_digest = "ab" * 32
    b = make_article(body="The same input, extracted differently by a newer version.")
    b.input_digest = a.input_digest
    assert a.id == b.id
    a.url = "HTTPS://Example.COM:443/news/story?id=7&utm_source=x#top"
    b.url = "https://example.com/news/story?id=7"
    assert a.id == b.id
    assert canonical_url(a.url) == "https://example.com/news/story?id=7"
    c = make_article()
    c.input_digest = "cd" * 32
    assert c.id != make_article().id


def test_queries_over_stored_articles(store) -> None:
    from khabar.model import Entity

    a = make_article()
    a.entities = [Entity(0, 5, "test@1", name="Talks", type="ORG", entity_id="org:talks")]
    a.quotes = [Quote(0, 12, "test@1", speaker=Ref("Jane Doe", 0, 4, entity_id="person:jane-doe"), verb="said")]
    store.put(a)
    b = make_article(body="Ministers met in the capital to discuss trade.", title="Trade")
    b.language = "ur"
    store.put(b)
    assert [s["id"] for s in store.list_articles(language="ur")] == [b.id]
    assert len(store.list_articles(limit=1)) == 1
    assert [s["id"] for s in store.search("capital TRADE")] == [b.id]
    assert store.search("nothing-like-this") == []
    assert [m["article_id"] for m in store.mentions("org:talks")] == [a.id]
    assert [q["article_id"] for q in store.quotes(speaker="person:jane-doe")] == [a.id]
    assert [q["article_id"] for q in store.quotes(about="org:talks")] == [a.id]
    assert store.quotes(speaker="person:nobody") == []


# ----- indexed queries, in every script, against the scanning defaults (issue 8) -------------------
def _article(title: str, body: str, lang: str, published: str | None, outlet: str) -> Article:
    text = f"{title}\n\n{body}"
    b0 = len(title) + 2
    art = Article(text=text, source=f"{lang}.txt", title=title, outlet=outlet, language=lang, published=published)
    art.zones = [Zone(0, len(title), "test@1", kind="title"), Zone(b0, len(text), "test@1", kind="body")]
    return art


def _at(art: Article, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(needle, start + 1)
    return start, start + len(needle)


def _ref(art: Article, needle: str, eid: str, cameo: str | None = None) -> Ref:
    return Ref(needle, *_at(art, needle), entity_id=eid, cameo=cameo)


def _ent(art: Article, needle: str, eid: str | None, typ: str, nth: int = 0) -> Entity:
    return Entity(*_at(art, needle, nth), "test@1", name=needle, type=typ, entity_id=eid)


def corpus() -> list[Article]:
    """Five short reports of our own, in English, Urdu, Vietnamese, Thai and Chinese."""
    en = _article("Minister visits Pyongyang", "Defence minister Ivan Petrov said the talks in Pyongyang were "
                  "constructive. Washington alleged that troops were sent; Moscow denied it.", "en",
                  "2024-11-29T10:00:00+00:00", "Reuters")
    en.entities = [_ent(en, "Pyongyang", "city:pyongyang", "GPE"), _ent(en, "Ivan Petrov", "person:ivan-petrov", "PERSON"),
                   _ent(en, "Pyongyang", "city:pyongyang", "GPE", 1), _ent(en, "minister", None, "ROLE")]
    en.quotes = [Quote(*_at(en, "the talks in Pyongyang were constructive"), "test@1",
                       speaker=_ref(en, "Ivan Petrov", "person:ivan-petrov"), verb="said")]
    en.events = [Event(*_at(en, "Minister visits Pyongyang"), "test@1", cameo="042",
                       source=_ref(en, "Ivan Petrov", "person:ivan-petrov", "RUSMIL"),
                       target=_ref(en, "Pyongyang", "state:KP", "PRK"), place=_ref(en, "Pyongyang", "city:pyongyang"),
                       date={"value": "2024-11-29", "granularity": "day"}, id="ev-en-1", cameo_root="04")]
    en.claims = [Claim(*_at(en, "troops were sent"), "test@1", asserted_by=(_ref(en, "Washington", "state:US", "USA"),),
                       denied_by=(_ref(en, "Moscow", "state:RU", "RUS"),), id="cl-en-1")]
    ur = _article("وزیر دفاع کا دورہ", "وزیرِ دفاع ایوان پیٹروف نے کہا کہ پیانگ یانگ میں بات چیت مثبت رہی۔", "ur",
                  "2024-11-30T08:00:00+05:00", "Jang")
    ur.entities = [_ent(ur, "ایوان پیٹروف", "person:ivan-petrov", "PERSON"), _ent(ur, "پیانگ یانگ", "city:pyongyang", "GPE")]
    ur.quotes = [Quote(*_at(ur, "پیانگ یانگ میں بات چیت مثبت رہی"), "test@1",
                       speaker=_ref(ur, "ایوان پیٹروف", "person:ivan-petrov"), verb="کہا")]
    ur.events = [Event(*_at(ur, "بات چیت"), "test@1", cameo="190", source=_ref(ur, "ایوان پیٹروف", "person:ivan-petrov"),
                       factuality="alleged", id="ev-ur-1")]
    vi = _article("Bộ trưởng thăm Bình Nhưỡng", "Bộ trưởng Quốc phòng Ivan Petrov nói các cuộc hội đàm rất tích cực.",
                  "vi", "2024-11-28T09:00:00+07:00", "Dân trí")
    vi.entities = [_ent(vi, "Ivan Petrov", "person:ivan-petrov", "PERSON")]
    vi.events = [Event(*_at(vi, "thăm"), "test@1", cameo="0421", source=_ref(vi, "Ivan Petrov", "person:ivan-petrov", "RUSMIL"),
                       target=_ref(vi, "Bình Nhưỡng", "city:pyongyang", "PRK"), id="ev-vi-1")]
    th = _article("รัฐมนตรีเยือนเปียงยาง", "รัฐมนตรีกลาโหมกล่าวว่าการเจรจาเป็นไปด้วยดี", "th", None, "Reuters")
    zh = _article("国防部长访问平壤", "部长说会谈很有成效。", "zh", "2024-11-29T12:00:00+08:00", "Xinhua")
    return [en, ur, vi, th, zh]


@pytest.fixture()
def filled(store: Store) -> tuple[Store, dict[str, str]]:
    arts = corpus()
    for a in arts:
        store.put(a)
    return store, {a.language or "": a.id for a in arts}


@pytest.mark.parametrize("kwargs", [{}, {"language": "ur"}, {"outlet": "REUTERS"}, {"outlet": "dân trí"},
                                    {"limit": 2}, {"limit": 2, "offset": 2}, {"language": "xx"}])
def test_list_articles_matches_scanning(filled, kwargs) -> None:
    store, _ = filled
    assert store.list_articles(**kwargs) == Store.list_articles(store, **kwargs)


@pytest.mark.parametrize("text", ["petrov", "PETROV minister", "پیٹروف", "پیانگ یانگ", "Pyong", "Bộ trưởng",
                                  "เจรจา", "会谈", "平壤 部长", "petrov 会谈", "nothing-here", "", "  "])
def test_search_matches_scanning_on_words_and_unbroken_scripts(filled, text: str) -> None:
    store, _ = filled
    assert store.search(text) == Store.search(store, text)


def test_search_ignores_case_and_diacritics_in_every_script(sql_store: Store) -> None:
    arts = corpus()
    for a in arts:
        sql_store.put(a)
    ids = {a.language: a.id for a in arts}
    found = lambda q: [s["id"] for s in sql_store.search(q)]  # noqa: E731
    assert found("truong QUOC phong") == [ids["vi"]]
    assert found("Binh Nhuong") == [ids["vi"]]
    assert found("وزیرِ دفاع") == [ids["ur"]]  # zer in the query, none in the title: still the article
    assert found("وزیر دفاع") == [ids["ur"]]
    assert found("ivan") == [ids["en"], ids["vi"]]
    assert found("รัฐมนตรี") == [ids["th"]]
    assert len(sql_store.search("ivan", limit=1, offset=1)) == 1


@pytest.mark.parametrize("text", ['"', "petrov OR", "* NEAR(", "'; DROP TABLE articles; --", "%", "_", "a\\b",
                                  "petrov:*", "!(petrov)", "NOT petrov"])
def test_search_treats_syntax_as_text(filled, text: str) -> None:
    store, _ = filled
    store.search(text)
    assert store.count() == 5
    assert store.search("%") == [] and store.search("_") == []


@pytest.mark.parametrize("eid", ["person:ivan-petrov", "city:pyongyang", "state:KP", "nobody"])
def test_mentions_match_scanning(filled, eid: str) -> None:
    store, _ = filled
    assert store.mentions(eid) == Store.mentions(store, eid)
    assert store.mentions(eid, limit=1, offset=1) == Store.mentions(store, eid, limit=1, offset=1)


@pytest.mark.parametrize("kwargs", [{}, {"speaker": "person:ivan-petrov"}, {"about": "city:pyongyang"},
                                    {"speaker": "person:ivan-petrov", "about": "city:pyongyang"},
                                    {"about": "person:ivan-petrov"}, {"speaker": "x"}, {"limit": 1, "offset": 1}])
def test_quotes_match_scanning(filled, kwargs) -> None:
    store, _ = filled
    assert store.quotes(**kwargs) == Store.quotes(store, **kwargs)


def test_quotes_about_follow_updates(sql_store: Store) -> None:
    # quote_about rows (issue 10) are replaced with the article: a changed quote span changes them
    arts = corpus()
    for a in arts:
        sql_store.put(a)
    eid = "city:pyongyang"
    before = sql_store.quotes(about=eid)
    assert before == Store.quotes(sql_store, about=eid) != []
    changed = arts[0]
    changed.quotes = []
    sql_store.put(changed)
    assert sql_store.quotes(about=eid) == Store.quotes(sql_store, about=eid)
    assert len(sql_store.quotes(about=eid)) < len(before)


def test_list_stories_pages_like_iterating(store) -> None:
    for i in range(5):
        store.put_story({"id": f"s{i}", "members": [], "title": f"story {i}"}, [f"k{i}"])
    assert [s["id"] for s in store.list_stories(limit=2, offset=1)] == [s["id"] for s in list(store.iter_stories())[1:3]]
    assert store.list_stories(limit=10, offset=10) == []


def test_sqlite_lists_are_read_in_index_order(tmp_path: Path) -> None:
    # regression (issue 10): at 10k articles the newest mentions of an identity, quotes about it and
    # events by an actor sorted every matching row (0.25-0.6 s a page); now an index gives the order
    s = SQLiteStore(str(tmp_path / "plan.db"))
    plans = {
        "mentions": ("SELECT m.seq FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
                     "ORDER BY m.pub_key DESC, m.article_id DESC, m.span_start DESC, m.seq LIMIT 50", ("x",)),
        "quotes": ("SELECT q.seq FROM quotes q JOIN articles a ON a.id = q.article_id WHERE EXISTS (SELECT 1 FROM "
                   "mentions m WHERE m.article_id = q.article_id AND m.entity_id = ?) "
                   "ORDER BY q.pub_key DESC, q.article_id DESC, q.span_start DESC, q.seq LIMIT 50", ("x",)),
        "events": ("SELECT e.seq FROM events e JOIN articles a ON a.id = e.article_id WHERE e.source_key LIKE ? "
                   "ORDER BY e.art_seq, e.seq LIMIT 50", ("%x%",)),
    }
    for name, (sql, params) in plans.items():
        plan = " | ".join(r[-1] for r in s.db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (name, plan)  # a partial sort ("RIGHT PART") is fine
    s.close()


@pytest.mark.parametrize("flt", [
    {}, {"code": "042"}, {"code": "04"}, {"root": "19"}, {"actor": "petrov"}, {"actor": "RUSMIL"}, {"actor": "پیٹروف"},
    {"actor": "state:kp"}, {"place": "pyongyang"}, {"factuality": "alleged"}, {"since": "2024-11-29"},
    {"until": "2024-11"}, {"until": "2024-11-28"}, {"since": "2024-11-28", "until": "2024-11-29", "actor": "petrov"},
    {"actor": "%"}, {"code": "_"}, {"place": "\\"},
])
def test_events_match_scanning(filled, flt) -> None:
    from khabar.events.listing import EventFilter

    store, _ = filled
    f = EventFilter(**flt)
    assert store.events(f) == Store.events(store, f)
    assert store.events(f, limit=1, offset=1) == Store.events(store, f, limit=1, offset=1)


@pytest.mark.parametrize("entity", [None, "state:US", "state:RU", "state:KP"])
def test_claims_match_scanning(filled, entity) -> None:
    store, _ = filled
    assert store.claims(entity=entity) == Store.claims(store, entity=entity)


def test_stats_match_scanning(filled) -> None:
    store, _ = filled
    assert store.stats() == Store.stats(store)


def test_changed_article_replaces_its_query_rows(store: Store) -> None:
    art = corpus()[0]
    store.put(art)
    art.entities = [_ent(art, "Ivan Petrov", "person:someone-else", "PERSON")]
    art.quotes, art.events, art.claims = [], [], []
    assert store.put(art) == "updated"
    assert store.mentions("city:pyongyang") == [] and store.quotes() == [] and store.events() == []
    assert store.claims() == [] and [m["article_id"] for m in store.mentions("person:someone-else")] == [art.id]
    assert [s["id"] for s in store.search("petrov")] == [art.id]


def test_failed_index_write_leaves_nothing(sql_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> str:
        raise RuntimeError("disk on fire")

    art = corpus()[0]
    monkeypatch.setattr("khabar.store.rows.search_text", lambda doc: broken(doc["id"]))
    with pytest.raises(RuntimeError):
        sql_store.put(art)
    monkeypatch.undo()
    assert sql_store.count() == 0 and sql_store.mentions("city:pyongyang") == []
    assert sql_store.put(art) == "added"


def test_iteration_pages_keep_insertion_order(sql_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("khabar.store.sqlbase._PAGE", 2)
    ids = []
    for i in range(5):
        art = make_article(body=f"Paged body number {i}.")
        sql_store.put(art)
        ids.append(art.id)
    sql_store.put(make_article(body="Paged body number 0."))  # unchanged: keeps its place
    assert [d["id"] for d in sql_store.iter_docs()] == ids


def test_stories_contract(store: Store) -> None:
    store.put_story({"id": "story-aaa111", "members": [{"article_id": "a1"}, {"article_id": "a2"}]}, ["k1", "k2", "k1"])
    store.put_story({"id": "story-bbb222", "members": [{"article_id": "a3"}]}, ["k2"])
    assert store.stories_for_keys(["k1", "k2", "zz"]) == {"story-aaa111": 2, "story-bbb222": 1}
    store.put_story({"id": "story-aaa111", "members": [{"article_id": "a1"}], "title": "new"}, ["k3"])
    assert store.stories_for_keys(["k1", "k2"]) == {"story-bbb222": 1}
    assert store.get_story("story-a")["title"] == "new" and store.get_story("story-c") is None
    assert store.story_of("a2") == "story-aaa111" and store.story_of("zz") is None
    assert [s["id"] for s in store.iter_stories()] == ["story-aaa111", "story-bbb222"]
    assert store.count_stories() == 2
    with pytest.raises(StoreError, match="ambiguous"):
        store.get_story("story-")


# ----- migrations ------------------------------------------------------------------------------
def test_backends_apply_the_same_named_migrations(sql_store) -> None:
    assert sql_store.migrations() == [m.name for m in MIGRATIONS] == ["001_articles", "002_stories", "003_indexes", "004_mentions_by_article",
                                                                           "005_query_order", "006_quote_about",
                                                                           "007_event_actors"]


def test_migration_003_backfills_existing_articles(request: pytest.FixtureRequest, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    from khabar.model import stable_fingerprint

    monkeypatch.setattr("khabar.store.sqlbase.MIGRATIONS", MIGRATIONS[:2])  # a store written by 0.x
    old = _open(backend, request, tmp_path)
    arts = corpus()
    for i, a in enumerate(arts):
        doc = a.to_dict()
        old._execute("INSERT INTO articles (id, url, source, title, outlet, language, published, status, fingerprint, "
                     "doc, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (doc["id"], doc.get("url"), doc.get("source"), doc.get("title"), doc.get("outlet"),
                      doc.get("language"), doc.get("published"), doc.get("status"), stable_fingerprint(doc),
                      old._json_in(doc), 1000.0 + i, 1000.0 + i))
    assert old.migrations() == ["001_articles", "002_stories"]
    old.close()
    monkeypatch.undo()
    new = _open(backend, request, tmp_path)
    assert "003_indexes" in new.migrations()
    assert [d["id"] for d in new.iter_docs()] == [a.id for a in arts]
    assert new.mentions("person:ivan-petrov") == Store.mentions(new, "person:ivan-petrov") != []
    assert [s["id"] for s in new.search("truong")] == [arts[2].id]
    assert new.put(corpus()[0]) == "unchanged"
    extra = make_article()
    assert new.put(extra) == "added" and [d["id"] for d in new.iter_docs()][-1] == extra.id
    new.close()


@pytest.fixture(params=SQL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_refuses_newer_schema(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> None:
    s = _open(backend, request, tmp_path)
    s._execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", ("999_future", 0.0))
    s.close()
    with pytest.raises(StoreError, match="newer khabar"):
        _open(backend, request, tmp_path)


def test_postgres_unreachable_is_one_clean_line() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://someone:secret-pw@127.0.0.1:1/nothing")
    line = info.value.one_line()
    assert "\n" not in line and "secret-pw" not in line and "PostgreSQL" in line


def test_postgres_indexes_search_with_trigrams_when_available(pg_url: str) -> None:
    s = open_store(pg_url)
    names = {r[0] for r in s._all("SELECT indexname FROM pg_indexes WHERE tablename = ? "
                                      "AND schemaname = current_schema()", ("article_text",))}
    assert "article_text_tsv" in names
    has_trgm = s._one("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")[0]
    assert ("article_text_trgm" in names) == bool(has_trgm)
    s.close()


# ----- events by actor through migration 007's event_actors --------------------------------------
def _actor_docs(n: int = 40) -> list[dict]:
    """Stored-shape documents whose events name actors of very different frequency: one actor in
    every event, a rare one in two, a source that is also its event's target, keys sharing text."""
    docs = []
    for i in range(n):
        rare = {"name": "Rare Envoy", "entity_id": "person:rare-envoy", "cameo": "NOR"}
        common = {"name": "Pakistan", "entity_id": "state:PK", "cameo": "PAK"}
        army = {"name": "Pakistan Army", "entity_id": f"org:army-{i % 3}", "cameo": "PAKMIL"}
        target = rare if i in (7, 31) else (common if i % 5 == 0 else army)
        events = [{"id": f"e{i}-{k}", "cameo": "042" if k else "190", "source": common if k else army, "target": target,
                   "date": {"value": f"2024-0{1 + i % 9}-1{k}"}, "factuality": "asserted" if k else "alleged",
                   "start": 0, "end": 4, "rule": "t@1"} for k in range(2)]
        docs.append({"id": f"doc{i:03d}", "title": f"Report {i}", "text": f"Report {i}", "language": "en",
                     "published": f"2024-01-{1 + i % 28:02d}T10:00:00+00:00", "events": events, "status": "ok"})
    return docs


_ACTOR_FILTERS = [{"actor": "person:rare-envoy"}, {"actor": "state:pk"}, {"actor": "PAK"}, {"actor": "army"},
                  {"actor": "org:army-1", "root": "04"}, {"actor": "nobody-at-all"}, {"actor": "envoy", "since": "2024-05"},
                  {"actor": "pakistan", "factuality": "alleged"}, {"actor": "%"}]


def _same_events(store: Store) -> None:
    from khabar.events.listing import EventFilter

    for flt in _ACTOR_FILTERS:
        f = EventFilter(**flt)
        for limit, offset in ((100, 0), (3, 0), (3, 4), (5, 70)):
            assert store.events(f, limit=limit, offset=offset) == Store.events(store, f, limit=limit, offset=offset), flt


def test_events_by_actor_read_event_actors_and_match_scanning(sql_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.model import stable_fingerprint
    from khabar.store import rows as R

    docs = _actor_docs()
    for d in docs:
        sql_store.put_doc(d, stable_fingerprint(d))
    assert "007_event_actors" in sql_store.migrations()
    _same_events(sql_store)
    monkeypatch.setattr("khabar.store.sqlbase.MAX_ACTOR_KEYS", 2)  # a needle in many keys: events scanned in order
    _same_events(sql_store)
    monkeypatch.undo()
    stored = sorted(tuple(r) for r in sql_store._all("SELECT key, art_seq, seq, article_id, role FROM event_actors"))
    assert stored == sorted(r for i, d in enumerate(docs, start=1) for r in R.event_actor_rows(d, i))
    assert ("pakistan state:pk pak", 1, 1, "doc000", "both") in stored  # source and target share the key
    changed = {**docs[7], "events": docs[7]["events"][:1]}  # the rare envoy leaves one event of doc007
    sql_store.put_doc(changed, stable_fingerprint(changed))
    _same_events(sql_store)
    assert len(sql_store.events(_flt(actor="person:rare-envoy"))) == 3


def _flt(**kw: str) -> object:
    from khabar.events.listing import EventFilter

    return EventFilter(**kw)


def test_sqlite_event_actor_query_is_an_index_range(tmp_path: Path) -> None:
    s = SQLiteStore(str(tmp_path / "plan.db"))
    plan = " ".join(str(r[-1]) for r in s._all(
        "EXPLAIN QUERY PLAN SELECT e.doc, a.id, a.title FROM event_actors x JOIN events e ON e.art_seq = x.art_seq "
        "AND e.seq = x.seq JOIN articles a ON a.id = e.article_id WHERE x.key = ? ORDER BY x.art_seq, x.seq LIMIT 5",
        ("k",)))
    assert "SEARCH x" in plan and "SCAN e" not in plan and "TEMP B-TREE" not in plan, plan
    s.close()


def test_migration_007_backfills_event_actors(request: pytest.FixtureRequest, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    from khabar.model import stable_fingerprint
    from khabar.store import rows as R

    monkeypatch.setattr("khabar.store.sqlbase.MIGRATIONS", MIGRATIONS[:6])  # a store written before 007
    old = _open(backend, request, tmp_path)
    docs = _actor_docs(25)
    for d in docs:
        old.put_doc(d, stable_fingerprint(d))
    assert old.migrations()[-1] == "006_quote_about"
    before = {json.dumps(f, sort_keys=True): old.events(_flt(**f), limit=500) for f in _ACTOR_FILTERS}
    old.close()
    monkeypatch.undo()
    new = _open(backend, request, tmp_path)
    assert new.migrations()[-1] == "007_event_actors" and new._actors
    rows = sorted(tuple(r) for r in new._all("SELECT key, art_seq, seq, article_id, role FROM event_actors"))
    assert rows == sorted(r for i, d in enumerate(docs, start=1) for r in R.event_actor_rows(d, i))
    keys = sorted(r[0] for r in new._all("SELECT key FROM actor_keys"))
    assert keys == sorted({r[0] for r in rows})
    assert {json.dumps(f, sort_keys=True): new.events(_flt(**f), limit=500) for f in _ACTOR_FILTERS} == before
    _same_events(new)
    extra = {**docs[0], "id": "late-doc", "title": "Late"}
    new.put_doc(extra, stable_fingerprint(extra))
    _same_events(new)
    new.close()
