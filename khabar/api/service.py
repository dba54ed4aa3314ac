"""The library side of the HTTP API and web UI: one ``Service`` over a store and a pipeline.

Routes and pages are thin; everything they show comes from here, and everything here reads the
store only through the ``Store`` query methods (``list_articles``, ``search``, ``mentions``,
``quotes``, ``events``, ``claims``, ``get``, ``get_story``, ``story_of``, ``iter_stories``,
``stats``), so an indexed backend speeds up every page without a change here.
"""
from __future__ import annotations

import concurrent.futures
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, KhabarError
from ..events.listing import EventFilter
from ..model import RawDocument
from ..pipeline import Pipeline
from ..settings import Settings
from ..store.base import Store
from ..text.script import char_script

log = logging.getLogger(__name__)

MAX_LIMIT = 200  # most items in one page of a list
MAX_OFFSET = 100_000  # deepest page offset
MAX_EXPORT = 10_000  # most rows in one download


@dataclass
class Submission:
    """What a client sends to ``POST /api/v1/articles``: exactly one of text, html, url."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    source_url: str | None = None  # the page the text or HTML came from, if known
    store: bool = True


@dataclass
class Service:
    """A store, the settings, and a pipeline built on first use (one submission at a time).

    Submissions run on one dedicated thread, not on whichever of the server's request threads
    took them: with glibc each thread allocates from its own arena, and an arena keeps the high
    water mark of what was allocated in it, so a pipeline (spaCy parses, story JSON: tens of MB
    for a moment) run on 40 pool threads in turn held ~40 such peaks (issue 10: ~0.7 MB more
    memory per write in the load run; one thread: flat after warm-up)."""

    settings: Settings
    store: Store
    pipeline: Pipeline | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _worker: concurrent.futures.ThreadPoolExecutor | None = field(default=None, repr=False)

    # ----- writes --------------------------------------------------------------------------
    def _pipeline(self) -> Pipeline:
        if self.pipeline is None:
            from ..pipeline import default_pipeline

            self.pipeline = default_pipeline(self.settings)
        return self.pipeline

    def raw_document(self, sub: Submission) -> RawDocument:
        """The submission as a RawDocument; a URL is checked and fetched through khabar.ingest."""
        given = [k for k in ("text", "html", "url") if getattr(sub, k)]
        if len(given) != 1:
            raise InputError("send exactly one of text, html or url")
        if sub.url:
            from ..ingest.fetch import Fetcher
            from ..ingest.safety import check_url

            check_url(sub.url, allow_private=self.settings.allow_private_addresses)
            with Fetcher(self.settings) as fetcher:
                return fetcher.fetch(sub.url)
        if sub.source_url:
            from ..ingest.safety import check_scheme

            check_scheme(sub.source_url)
        if sub.html:
            return RawDocument(source=sub.source_url or "<api:html>", data=sub.html.encode("utf-8"),
                               url=sub.source_url, content_type="text/html", charset="utf-8")
        return RawDocument(source=sub.source_url or "<api:text>", data=(sub.text or "").encode("utf-8"),
                           url=sub.source_url, content_type="text/plain", charset="utf-8")

    def submit(self, sub: Submission) -> dict[str, Any]:
        """Run the pipeline on a submission, store it (unless asked not to), return its facts:
        ``{"article": {...}, "stored": "added"|"updated"|"unchanged"|None, "story_id": ...}``."""
        from ..jobs import Outcome, run_documents

        raw = self.raw_document(sub)
        outcomes: list[Outcome] = []
        with self._lock:
            if self._worker is None:
                self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="khabar-pipeline")
            worker = self._worker
        job = worker.submit(lambda: run_documents([raw], self.store if sub.store else None, self._pipeline(),
                                                  outcomes.append))
        job.result()
        out = outcomes[0]
        if out.error is not None:
            raise out.error
        if out.article is None:  # pragma: no cover - run_documents gives an article or an error
            raise KhabarError("the pipeline returned no article")
        story = self.store.story_of(out.article.id) if sub.store else None
        return {"article": out.article.to_dict(), "stored": out.stored, "story_id": story}

    # ----- reads ---------------------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any] | None:
        """One stored article's JSON, with ``story_id`` when it belongs to a story."""
        doc = self.store.get(article_id)
        if doc is None:
            return None
        return {**doc, "story_id": self.store.story_of(doc["id"])}

    def stories(self, limit: int, offset: int) -> list[dict[str, Any]]:
        """Story summaries, most recently updated first."""
        return [story_summary(s) for s in self.store.list_stories(limit=limit, offset=offset)]

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story by id, id prefix or a member article's id: its JSON plus ``by_language``."""
        from ..stories.cluster import resolve_story  # follows a merged story's alias

        story = resolve_story(self.store, story_id)
        if story is None:
            sid = self.store.story_of(story_id)
            story = resolve_story(self.store, sid) if sid else None
        if story is None:
            return None
        by_lang: dict[str, list[dict[str, Any]]] = {}
        for m in story.get("members") or []:
            by_lang.setdefault(m.get("language") or "und", []).append(m)
        return {**story, "by_language": dict(sorted(by_lang.items()))}

    def entity(self, entity_id: str, limit: int = 50) -> dict[str, Any] | None:
        """An identity page: names in every script, roles with dates, mentions, quotes by and
        about, events and claims. None when neither the knowledge base nor the store knows it."""
        info = kb_identity(entity_id)
        mentions = self.store.mentions(entity_id, limit=limit)
        if info is None and not mentions:
            return None
        info = info or {"id": entity_id, "kind": entity_id.split(":")[1] if entity_id.startswith("local:") else None,
                        "name": (mentions[0].get("name") or mentions[0].get("text")), "names": {}, "roles": []}
        seen = list(dict.fromkeys(str(m["text"]) for m in mentions if m.get("text")))
        info["names_seen"] = seen
        info["names_by_script"] = names_by_script([*_all_names(info), *seen])
        info["mentions"] = mentions
        info["quotes_by"] = self.store.quotes(speaker=entity_id, limit=limit)
        info["quotes_about"] = self.store.quotes(about=entity_id, limit=limit)
        info["events"] = self.store.events(EventFilter(actor=entity_id), limit=limit)
        info["claims"] = self.store.claims(entity=entity_id, limit=limit)
        return info

    def find_entities(self, name: str, limit: int = 10) -> list[dict[str, Any]]:
        """Knowledge-base identities a name in any script may stand for, best first."""
        from ..kb.actors import load_actors

        return [{"id": a.id, "kind": a.kind, "name": a.name, "country": a.country, "score": round(score, 3)}
                for a, score in load_actors().find(name, limit=limit)]


def story_summary(story: dict[str, Any]) -> dict[str, Any]:
    """The short form of a story used in lists."""
    return {"id": story.get("id"), "title": story.get("title"), "members": len(story.get("members") or []),
            "languages": story.get("languages") or {}, "independent_sources": story.get("independent_sources", 0),
            "events": len(story.get("events") or [])}


def kb_identity(entity_id: str) -> dict[str, Any] | None:
    """What the knowledge bases (actors, then places) hold about ``entity_id``."""
    from ..kb.actors import load_actors
    from ..kb.places import load_places

    kb = load_actors()
    actor = kb.get(entity_id)
    if actor is not None:
        return {"id": actor.id, "kind": actor.kind, "name": actor.name, "country": actor.country,
                "names": {k: list(v) for k, v in actor.names.items()}, "roles": [dict(r) for r in actor.roles],
                "cameo_now": kb.cameo_on(actor, None)}
    place = load_places().by_id.get(entity_id)
    if place is not None:
        return {"id": place.id, "kind": place.kind, "name": place.name, "country": place.country or place.iso2,
                "names": {k: list(v) for k, v in place.names.items()}, "roles": [],
                "lat": place.lat, "lon": place.lon}
    return None


def _all_names(info: dict[str, Any]) -> list[str]:
    return [info.get("name") or "", *(n for names in (info.get("names") or {}).values() for n in names)]


def names_by_script(names: list[str]) -> dict[str, list[str]]:
    """Distinct names grouped by the script of their first letter (``Latn``, ``Arab``, ...)."""
    out: dict[str, list[str]] = {}
    for name in dict.fromkeys(n for n in names if n):
        script = next((s for s in map(char_script, name) if s), None) or "Zyyy"
        out.setdefault(script, []).append(name)
    return out


def event_filter(**values: str | None) -> EventFilter:
    """An EventFilter from query values (empty strings mean "any"), checked."""
    return EventFilter(**{k: (v or None) for k, v in values.items()}).check()
