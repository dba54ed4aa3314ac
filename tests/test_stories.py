"""Stories across languages: clustering, lineage, independent sources, event merge (issue 7).

The seed (Urdu, a translation of a Dan Tri report) is read in place; the English and Vietnamese
reports of the same visit and the unrelated meeting of defence ministers are our own texts in
tests/fixtures/stories/.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from khabar.jobs import process_text
from khabar.model import Article, Event, Ref
from khabar.store import MemoryStore
from khabar.store.sqlite import SQLiteStore
from khabar.stories.cluster import JOIN_AT, assign_story, lookup_keys, score, signals
from khabar.stories.events import event_id

FIX = Path(__file__).resolve().parent / "fixtures" / "stories"
DANTRI_URL = "https://dantri.com.vn/the-gioi/bo-truong-quoc-phong-nga-tham-trieu-tien-20241129.htm"


def _articles(seed_path: Path) -> dict[str, Article]:
    return {
        "ur": process_text(seed_path.read_text(encoding="utf-8")),
        "en": process_text((FIX / "en_agency_belousov.txt").read_text(encoding="utf-8")),
        "vi": process_text((FIX / "vi_dantri_belousov.txt").read_text(encoding="utf-8"), url=DANTRI_URL),
        "other": process_text((FIX / "en_unrelated_ministers.txt").read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="module")
def articles(seed_path: Path) -> dict[str, Article]:
    return _articles(seed_path)


def _place(store: Any, arts: dict[str, Article], order: list[str]) -> dict[str, str]:
    out = {}
    for key in order:
        store.put(arts[key])
        out[key] = assign_story(store, arts[key].to_dict()).story_id
    return out


@pytest.mark.parametrize("order", [["ur", "en", "vi", "other"], ["other", "vi", "en", "ur"], ["en", "ur", "other", "vi"]])
def test_the_visit_is_one_story_in_three_languages_and_the_other_meeting_another(
        articles: dict[str, Article], order: list[str]) -> None:
    store = MemoryStore()
    placed = _place(store, articles, order)
    assert placed["ur"] == placed["en"] == placed["vi"] != placed["other"]
    assert store.count_stories() == 2
    story = store.get_story(placed["ur"])
    assert story is not None and story["languages"] == {"ur": 1, "en": 1, "vi": 1}


def test_lineage_dan_tri_to_urdu_reuters_photo_and_two_independent_sources(articles: dict[str, Article]) -> None:
    store = MemoryStore()
    sid = _place(store, articles, ["ur", "en", "vi", "other"])["ur"]
    story = store.get_story(sid)
    assert story is not None
    edges = story["lineage"]["edges"]
    vi, ur = f"article:{articles['vi'].id}", f"article:{articles['ur'].id}"
    translation = [e for e in edges if e["kind"] == "translation"]
    assert [(e["from"], e["to"]) for e in translation] == [(vi, ur)]
    assert "dantri.com.vn" in translation[0]["evidence"]["text"]
    assert any(e["kind"] == "photo" and e["from"] == "outlet:Reuters" and e["to"] == ur for e in edges)
    assert "Reuters" in story["lineage"]["contributing"]
    assert story["independent_sources"] == 2


def test_the_unrelated_meeting_scores_below_the_join_threshold(articles: dict[str, Article]) -> None:
    store = MemoryStore()
    sid = _place(store, articles, ["ur", "en"])["ur"]
    story = store.get_story(sid)
    assert story is not None
    value, _ = score(signals(articles["other"].to_dict()), story)
    assert value < JOIN_AT
    value, parts = score(signals(articles["vi"].to_dict()), story)
    assert value >= JOIN_AT and parts["entities"] > 0.5


def _with_visit_event(art: Article, confidence: float) -> Article:
    """The article with one constructed CAMEO 042 (make a visit) event RUSMIL -> PRK."""
    sent = art.sentences[1] if len(art.sentences) > 1 else art.sentences[0]
    event = Event(sent.start, sent.end, "test.event@1", cameo="042",
                  source=Ref("Belousov", cameo="RUSMIL"), target=Ref("North Korea", entity_id="state:KP", cameo="PRK"),
                  date={"value": "2024-11-29", "granularity": "day"}, data={"confidence": confidence})
    art.events = [event]
    return art


def test_one_event_with_mentions_in_three_languages(seed_path: Path) -> None:
    arts = _articles(seed_path)
    for key, conf in (("ur", 0.9), ("en", 0.8), ("vi", 0.7)):
        _with_visit_event(arts[key], conf)
    store = MemoryStore()
    sid = _place(store, arts, ["ur", "en", "vi"])["ur"]
    story = store.get_story(sid)
    assert story is not None and len(story["events"]) == 1
    event = story["events"][0]
    assert event["id"] == event_id("042|RUSMIL|PRK|2024-11-29")
    assert event["languages"] == ["en", "ur", "vi"] and event["reports"] == 3
    assert event["independent_sources"] == 2
    assert sorted(m["confidence"] for m in event["mentions"]) == [0.7, 0.8, 0.9]
    assert all(m["sentence"] is not None for m in event["mentions"])


def test_assign_is_idempotent_and_survives_sqlite(tmp_path: Path, articles: dict[str, Article]) -> None:
    db = tmp_path / "k.db"
    with SQLiteStore(str(db)) as store:
        first = _place(store, articles, ["ur", "en", "vi", "other"])
        again = assign_story(store, articles["en"].to_dict())
        assert again.story_id == first["en"] and store.count_stories() == 2
    with SQLiteStore(str(db)) as store:
        assert "002_stories" in store.migrations()
        story = store.get_story(first["ur"][:8])
        assert story is not None and len(story["members"]) == 3
        assert store.story_of(articles["vi"].id) == first["ur"]


def test_store_key_index_counts_shared_keys() -> None:
    store = MemoryStore()
    store.put_story({"id": "s1", "members": [{"article_id": "a1"}]}, ["k1", "k2"])
    store.put_story({"id": "s2", "members": [{"article_id": "a2"}]}, ["k2"])
    assert store.stories_for_keys(["k1", "k2", "k3"]) == {"s1": 2, "s2": 1}
    store.put_story({"id": "s1", "members": [{"article_id": "a1"}]}, ["k3"])
    assert store.stories_for_keys(["k1", "k2"]) == {"s2": 1}
    assert [s["id"] for s in store.iter_stories()] == ["s1", "s2"]


def test_cli_lists_and_shows_a_story(tmp_path: Path, articles: dict[str, Article]) -> None:
    from khabar.cli import cli

    db = str(tmp_path / "k.db")
    with SQLiteStore(db) as store:
        for key in ("ur", "en", "vi"):
            store.put(articles[key])
    runner = CliRunner()
    listed = runner.invoke(cli, ["stories", "--db", db, "--assign", "--json"])
    assert listed.exit_code == 0, listed.output
    assert '"independent_sources": 2' in listed.output
    sid = store_story_id(db, articles["ur"].id)
    shown = runner.invoke(cli, ["story", sid[:8], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "translation" in shown.output and "contributing sources: Reuters" in shown.output
    missing = runner.invoke(cli, ["story", "nosuchstory", "--db", db])
    assert missing.exit_code != 0 and "Traceback" not in missing.output


def store_story_id(db: str, article_id: str) -> str:
    with SQLiteStore(db) as store:
        sid = store.story_of(article_id)
    assert sid is not None
    return sid


def test_vietnamese_dates_and_amounts_feed_the_signals_as_urdu_and_english_ones(
        articles: dict[str, Article]) -> None:
    sigs = {k: signals(articles[k].to_dict()) for k in ("ur", "en", "vi")}
    assert sigs["vi"].days and sigs["vi"].days <= sigs["ur"].days and sigs["vi"].days <= sigs["en"].days
    assert sigs["vi"].amounts and sigs["vi"].amounts <= sigs["ur"].amounts & sigs["en"].amounts
    vi_keys = set(lookup_keys(sigs["vi"]))
    assert any(k.startswith("ed:") for k in vi_keys & set(lookup_keys(sigs["ur"])))  # entity + day keys meet
    store = MemoryStore()
    story = store.get_story(_place(store, articles, ["ur"])["ur"])
    assert story is not None
    value, parts = score(sigs["vi"], story)
    assert parts["date"] == 1.0 and parts["amounts"] == 1.0 and value >= 0.8


def test_republications_keep_one_copy_edge_per_group_not_one_per_pair() -> None:
    """Ten outlets republish one agency report: the story counts one independent source and
    keeps about one copy edge per report (bounded memory and time per write), not one per pair."""
    text = (FIX / "en_agency_belousov.txt").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    store = MemoryStore()
    ids = set()
    for i in range(10):
        art = process_text(f"{title} ({i + 1})\n{rest}\nThis copy was edited by desk number {i + 1}.\n")
        store.put(art)
        ids.add(assign_story(store, art.to_dict()).story_id)
    assert len(ids) == 1
    story = store.get_story(ids.pop())
    assert story is not None and len(story["members"]) == 10
    copies = story["copies"]
    assert 9 <= len(copies) <= 10, len(copies)  # a spanning set; 45 pairs before
    assert story["independent_sources"] == 1
    linked = {n for e in copies for n in (e["from"], e["to"])}
    assert len(linked) == 10
