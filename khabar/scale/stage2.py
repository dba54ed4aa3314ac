"""Stage 2 of the Spark job: stories and deduplicated events over the whole output.

Runs on the driver: the article JSONs are read back from ``DIR/articles``, oldest publication
first (then by id, so a re-run gives the same stories), and placed one by one with
``khabar.stories.cluster.assign_story`` in an in-memory store, the very code ``khabar run`` uses.
Merged events (``stories.events.merge``) come out per story. Written: ``DIR/stories`` and
``DIR/story_events``, partitioned by ``pub_date`` (the story's first publication day, the event's
day). Memory grows with the number of articles (about their JSON size): fine for a few hundred
thousand articles; docs/scale.md says what to do beyond.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..model import stable_fingerprint
from . import tables


def cluster(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories of the given article JSONs, placed in the order given."""
    from ..store.memory import MemoryStore
    from ..stories.cluster import assign_story

    store = MemoryStore()
    for doc in docs:
        store.put_doc(doc, stable_fingerprint(doc))
        assign_story(store, doc)
    live = (s for s in store.iter_stories() if not s.get("merged_into"))  # skip merged stories' aliases
    return sorted(live, key=lambda s: s["id"])


def story_rows(stories: list[dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of the ``stories`` and ``story_events`` tables."""
    out: dict[str, list[tuple[Any, ...]]] = {"stories": [], "story_events": []}
    for st in stories:
        members = st.get("members", [])
        published = sorted(str(m.get("published") or "") for m in members if m.get("published"))
        first = published[0] if published else None
        out["stories"].append((
            st["id"], st.get("title"), len(members), tables.dumps([m["article_id"] for m in members]),
            tables.dumps(st.get("languages")), int(st.get("independent_sources") or 0),
            len(st.get("events", [])), first, tables.dumps(st), tables.pub_date({"published": first})))
        for ev in st.get("events", []):
            out["story_events"].append((
                ev["id"], st["id"], ev.get("cameo"), ev.get("source"), ev.get("target"), ev.get("date"),
                int(ev.get("reports") or 0), int(ev.get("independent_sources") or 0),
                tables.dumps(ev.get("languages")), tables.dumps(ev.get("mentions")),
                tables.pub_date({"published": ev.get("date")})))
    return out


def run(out_dir: str | Path) -> dict[str, int]:
    """Cluster the articles of a Parquet output and write its stage-2 tables; rows per table."""
    from ..export.parquet import iter_docs, write_table

    rows = story_rows(cluster(iter_docs(out_dir)))
    return {t: write_table(out_dir, t, r) for t, r in rows.items()}
