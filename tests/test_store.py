"""The Store contract, run against every backend."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from khabar.errors import StoreError
from khabar.model import Article, Credit, DateRef, Quote, Ref, Zone
from khabar.store import MemoryStore, open_store
from khabar.store.sqlite import MIGRATIONS, SQLiteStore


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


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path: Path):
    s = MemoryStore() if request.param == "memory" else open_store(str(tmp_path / "k.db"))
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
    assert s.migrations() == [name for name, _ in MIGRATIONS]
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
