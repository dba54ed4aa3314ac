"""Stories merge when a new article links two of them, and a store can be reclustered (issue 7).

Synthetic article JSON in the stored shape: what the clusterer reads (entities, dates, amounts,
text), no real text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from khabar.store import MemoryStore
from khabar.store.sqlite import SQLiteStore
from khabar.stories.cluster import ClusterOptions, assign_story, resolve_story
from khabar.stories.recluster import recluster

DAY = "2024-03-05"


def _doc(aid: str, ents: list[str], day: str = DAY, amount: float = 4500.0, lang: str = "en") -> dict[str, Any]:
    body = f"report {aid} " + " ".join(f"w{aid}{i}" for i in range(30))
    return {"id": aid, "language": lang, "title": f"title {aid}", "body": body, "text": body,
            "published": day + "T08:00:00+00:00", "outlet": f"outlet-{aid}", "url": None,
            "entities": [{"entity_id": e, "codes": {}} for e in ents],
            "dates": [{"value": day, "granularity": "day"}], "amounts": [{"value": amount}],
            "credits": [], "events": [], "sentences": []}


A = _doc("a" * 12, ["city:101", "state:KP"])
B = _doc("b" * 12, ["city:202", "state:RU"])
BRIDGE = _doc("c" * 12, ["city:101", "state:KP", "city:202", "state:RU"])


def _put(store: Any, doc: dict[str, Any], opts: ClusterOptions | None = None) -> Any:
    store.put_doc(doc, doc["id"])
    return assign_story(store, doc, opts)


def test_two_separate_stories_merge_when_an_article_links_both_and_the_old_id_resolves() -> None:
    store = MemoryStore()
    first, second = _put(store, A), _put(store, B)
    assert first.story_id != second.story_id and not second.joined  # they do not join each other
    placed = _put(store, BRIDGE, ClusterOptions(merge_at=0.65))
    assert placed.joined and placed.story_id == first.story_id  # the older story keeps its id
    assert placed.merged == [second.story_id]
    kept = store.get_story(first.story_id)
    assert kept is not None
    assert {m["article_id"] for m in kept["members"]} == {A["id"], B["id"], BRIDGE["id"]}
    assert kept["aliases"] == [second.story_id] and kept["merges"][0]["members"] == 1
    assert store.story_of(B["id"]) == first.story_id
    alias = store.get_story(second.story_id)
    assert alias is not None and alias["merged_into"] == first.story_id and alias["members"] == []
    resolved = resolve_story(store, second.story_id)
    assert resolved is not None and resolved["id"] == first.story_id
    # the alias answers to no key: a later article of the merged story finds the kept one
    later = _put(store, _doc("d" * 12, ["city:202", "state:RU"]))
    assert later.story_id == first.story_id


def test_no_merge_when_the_evidence_for_the_second_story_is_weak() -> None:
    store = MemoryStore()
    first, second = _put(store, A), _put(store, B)
    placed = _put(store, BRIDGE, ClusterOptions(merge_at=0.9))
    assert placed.merged == [] and placed.story_id in (first.story_id, second.story_id)
    assert store.get_story(second.story_id)["members"]  # type: ignore[index]
    assert store.get_story(first.story_id)["members"]  # type: ignore[index]


def test_recluster_rebuilds_stories_and_turns_vanished_ids_into_aliases(tmp_path: Path) -> None:
    with SQLiteStore(str(tmp_path / "k.db")) as store:
        for doc in (A, B):
            _put(store, doc)
        # the bridge lands in A's story without merging (strict merge threshold)
        _put(store, BRIDGE, ClusterOptions(merge_at=0.99))
        assert store.count_stories() == 2
        done = recluster(store, ClusterOptions(merge_at=0.65))
        assert (done.articles, done.before) == (3, 2)
        live = [s for s in store.iter_stories() if not s.get("merged_into")]
        members = sorted(len(s["members"]) for s in live)
        # placing again in store order: A, then B alone, then the bridge merges both
        assert done.after == len(live) == 1 and members == [3]
        assert done.merged == 1
        ids = {store.story_of(d["id"]) for d in (A, B, BRIDGE)}
        assert len(ids) == 1
        for story in store.iter_stories():
            found = resolve_story(store, story["id"])
            assert found is not None and found["id"] in ids


def test_recluster_twice_changes_nothing() -> None:
    store = MemoryStore()
    for doc in (A, B, BRIDGE):
        _put(store, doc)
    recluster(store)
    first = sorted((s["id"], len(s.get("members", []))) for s in store.iter_stories())
    done = recluster(store)
    assert sorted((s["id"], len(s.get("members", []))) for s in store.iter_stories()) == first
    assert done.aliased == 0


def test_cli_recluster_and_story_by_alias(tmp_path: Path) -> None:
    from khabar.cli import cli

    db = str(tmp_path / "k.db")
    with SQLiteStore(db) as store:
        first, second = _put(store, A), _put(store, B)
        _put(store, BRIDGE, ClusterOptions(merge_at=0.65))
    runner = CliRunner()
    listed = runner.invoke(cli, ["stories", "--db", db, "--recluster", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "reclustered 3 articles" in listed.output and listed.output.count('"id"') == 1
    shown = runner.invoke(cli, ["story", second.story_id, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert f"story {first.story_id}" in shown.output and "merged from: " + second.story_id in shown.output


def test_merged_story_alias_is_not_listed_or_counted_and_the_api_resolves_it(tmp_path: Path) -> None:
    from khabar.api.service import Service
    from khabar.scale.stage2 import cluster
    from khabar.settings import Settings

    with SQLiteStore(str(tmp_path / "k.db")) as sql:
        for store in (MemoryStore(), sql):
            first, second = _put(store, A), _put(store, B)
            _put(store, BRIDGE, ClusterOptions(merge_at=0.65))
            assert store.count_stories() == 1
            assert [s["id"] for s in store.list_stories()] == [first.story_id]
            shown = Service(Settings(), store).story(second.story_id)
            assert shown is not None and shown["id"] == first.story_id and len(shown["members"]) == 3
    # the Spark job's second stage writes no row for an alias either
    assert all(not s.get("merged_into") and s["members"] for s in cluster([A, B, BRIDGE]))
