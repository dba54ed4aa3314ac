"""LINK: one identity per person, organisation, state and place, across articles and scripts.

Runs after ``entities`` and ``quotes``. In order:

1. **More mentions.** Names of the actors knowledge base (``khabar.kb.actors``: curated people in
   every script we have, multi-word names of recent officeholders, organisations, media) are
   found in running text where no entity lies yet; credits naming a known outlet become MEDIA
   entities (the outlet's name inside the credit, else its domain, else the credit line).
2. **In-document coreference.** PERSON mentions are grouped: a mention whose words' matching keys
   are a subset of a longer one's joins it (full name -> surname -> "Mr./مسٹر + surname"); the
   surname of a full name is then found bare elsewhere in the text (same spelling). A TITLE
   ("روسی وزیر دفاع", "the Russian defence minister") refers to the person it stands next to,
   else to the person of the article holding that role, else to the knowledge base's holder on
   the article's date.
3. **Linking.** Each group is linked to a KB id when its name matches (any script, through
   ``khabar.text.translit``) and country and role agree, else to an article-local id
   ``local:<kind>:<matching key>`` that is the same for the same name in any script, so an unknown
   person links across articles. A role the article states (with a state and sector) wins over
   the knowledge base's; it is kept as ``{"title", "country", "since": article date, "source":
   "article"}``. Codes: ``iso3166``, ``cameo`` (state + sector of the role on the article's date),
   ``lat``/``lon`` for states (their capital) and places.
4. Quote speakers get the ``entity_id`` of the entity under their span.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..kb.actors import Actor, ActorKB, load_actors, norm_title
from ..kb.build_actors import slug
from ..kb.outlets import by_name, longest_name_in
from ..kb.names import folded
from ..kb.places import Tok, tokens
from ..model import Article, Entity, Quote
from ..pipeline import Context, stage
from ..text.translit import match_key, romanise

RULE = "link@1"
MAX_NAME = 5  # tokens of the longest KB name matched in text
PLACE_TYPES = ("GPE", "LOC")
KIND_TYPE = {"person": "PERSON", "organisation": "ORG", "group": "ORG", "media": "MEDIA"}
LINK_AT = 0.9  # least name score for a KB link of a full name
SURNAME_AT = 0.97  # ... of a one-word name, which also needs its country or role to agree


@dataclass
class Group:
    """PERSON mentions taken for one person."""

    members: list[int] = field(default_factory=list)  # indexes into the entity list
    words: set[str] = field(default_factory=set)
    name: str = ""


# ----- the KB gazetteer ----------------------------------------------------------------------
@dataclass
class NameTable:
    """KB names by folded token tuple, and the name lengths (in tokens) per first token."""

    names: dict[tuple[str, ...], list[str]]
    lengths: dict[str, list[int]]

    def get(self, key: tuple[str, ...]) -> list[str] | None:
        """The actor ids of a folded name."""
        return self.names.get(key)


def build_gazetteer(kb: ActorKB) -> NameTable:
    """Folded names -> actor ids for finding mentions in text: curated actors and media in every
    spelling, organisations and groups of two or more words, people of two or more words active
    since 2000. Reads the KB's entries as stored (no actor objects are made)."""
    out: dict[tuple[str, ...], list[str]] = {}
    for e in kb.raw_entries():
        curated = any(len(r) > 5 and r[5] in ("curated", "outlets") for r in e.get("roles", ()))
        if e["kind"] == "person" and not curated and not _recent(e):
            continue
        ident = e["id"]
        for n in (e["name"], *(n for v in e.get("names", {}).values() for n in v)):
            key = folded(n)
            if 0 < len(key) <= MAX_NAME and (len(key) >= 2 or curated):
                ids = out.setdefault(key, [])
                if ident not in ids:
                    ids.append(ident)
    lengths: dict[str, set[int]] = {}
    for key in out:
        lengths.setdefault(key[0], set()).add(len(key))
    return NameTable(out, {k: sorted(v, reverse=True) for k, v in lengths.items()})


def _recent(e: dict[str, Any]) -> bool:
    """Whether a stored entry has a role or code dated 2000 or later."""
    for r in e.get("roles", ()):
        if (len(r) > 4 and r[4] or len(r) > 3 and r[3] or "") >= "2000":
            return True
    for cell in e.get("codes", ()):
        _, _, rng = cell.partition(" ")
        since, _, until = rng.partition("/")
        if (until or since) >= "2000":
            return True
    return False


def _case_ok(text: str, toks: list[Tok], i: int, j: int, kb: ActorKB, ids: list[str]) -> bool:
    """In cased scripts every word of a matched name must be capitalised as in one KB spelling."""
    for t in toks[i:j]:
        ch = text[t.start]
        if ch.upper() != ch.lower() and not ch.isupper():
            return False
    return True


def find_names(text: str, toks: list[Tok], gz: NameTable, kb: ActorKB,
               taken: list[tuple[int, int]]) -> list[Entity]:
    """KB names in ``text`` (longest first at each token) that overlap no entity in ``taken``."""
    out: list[Entity] = []
    i = 0
    while i < len(toks):
        for n in gz.lengths.get(toks[i].text, ()):
            if i + n > len(toks):
                continue
            ids = gz.get(tuple(t.text for t in toks[i : i + n]))
            s, e = toks[i].start, toks[i + n - 1].end
            if ids and _case_ok(text, toks, i, i + n, kb, ids) and not _overlaps(s, e, taken) \
                    and "\n" not in text[s:e]:
                actor = kb.get_known(ids[0])
                out.append(Entity(s, e, RULE, name=text[s:e], type=KIND_TYPE.get(actor.kind, "ORG"),
                                  kind=actor.kind, confidence=0.9))
                i += n - 1
                break
        i += 1
    return out


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


# ----- media ---------------------------------------------------------------------------------
def media_entities(article: Article, taken: list[tuple[int, int]]) -> list[Entity]:
    """A MEDIA entity for each credit naming a known outlet, pointing at the outlet's name (or
    domain) inside the credit line, else at the whole line."""
    out = []
    for c in article.credits:
        outlet = by_name(c.name) if c.name else None
        chunk = article.text[c.start : c.end]
        found = longest_name_in(chunk)
        if found is not None:
            s, e, outlet = c.start + found[0], c.start + found[1], found[2]
        elif outlet is not None:
            pos = next((chunk.lower().find(d) for d in outlet.domains if d in chunk.lower()), -1)
            s, e = (c.start + pos, c.start + pos + len(next(d for d in outlet.domains if d in chunk.lower()))) \
                if pos >= 0 else (c.start, c.end)
        else:
            continue
        if not _overlaps(s, e, taken):
            out.append(Entity(s, e, RULE, name=outlet.name, type="MEDIA", kind="media",
                              entity_id=f"media:{outlet.id}", canonical_name=outlet.name,
                              codes={"iso3166": outlet.country, "credit": c.role}, confidence=1.0))
            taken.append((s, e))
    return out


# ----- coreference -------------------------------------------------------------------------------
def group_people(text: str, ents: list[Entity]) -> list[Group]:
    """PERSON mentions grouped: longest names first; a name whose word keys all occur in a group's
    name joins that group. Each mention's key is computed once."""
    keys = {k: match_key(text[e.start : e.end]).split() for k, e in enumerate(ents) if e.type == "PERSON"}
    people = sorted(keys, key=lambda k: (-len(keys[k]), ents[k].start))
    groups: list[Group] = []
    for k in people:
        words = set(keys[k])
        if not words:
            continue
        home = next((g for g in groups if words <= g.words and _same_state(ents, g, ents[k])), None)
        if home is None:
            home = Group(words=words, name=text[ents[k].start : ents[k].end])
            groups.append(home)
        home.members.append(k)
    return groups


def _same_state(ents: list[Entity], g: Group, e: Entity) -> bool:
    mine = e.codes.get("iso3166")
    theirs = {ents[k].codes.get("iso3166") for k in g.members} - {None}
    return not mine or not theirs or mine in theirs


def surname_mentions(text: str, toks: list[Tok], ents: list[Entity], groups: list[Group]) -> list[Entity]:
    """Bare surnames of multi-word names found elsewhere in the text, spelled as in the name (the
    text's tokens are indexed once, not scanned per group)."""
    taken = [(e.start, e.end) for e in ents]
    lasts = {}
    for g in groups:
        name_toks = tokens(g.name)
        if len(name_toks) >= 2 and len(name_toks[-1].text) >= 3:
            lasts[name_toks[-1].text] = g
    out = []
    for t in toks:
        if t.text not in lasts:
            continue
        ch = text[t.start]
        if not _overlaps(t.start, t.end, taken) and (ch.upper() == ch.lower() or ch.isupper()):
            out.append(Entity(t.start, t.end, RULE, name=text[t.start : t.end], type="PERSON", kind="person",
                              confidence=0.8))
            taken.append((t.start, t.end))
    return out


# ----- linking people ------------------------------------------------------------------------
def _stated(ents: list[Entity], g: Group) -> Entity | None:
    """The mention of a group that carries a role the article states (a title with a sector)."""
    return next((ents[k] for k in g.members if ents[k].codes.get("sectors") and ents[k].role), None)


def _country(ents: list[Entity], g: Group) -> str | None:
    return next((ents[k].codes["iso3166"] for k in g.members if ents[k].codes.get("iso3166")), None)


def best_actor(kb: ActorKB, g: Group, ents: list[Entity], date: str | None) -> tuple[Actor | None, float]:
    """The KB person a group is, with a confidence; (None, 0) when no candidate is good enough."""
    country = _country(ents, g)
    stated = _stated(ents, g)
    scored = []
    for actor, score in kb.find(g.name, kinds=("person",), limit=8):
        role = kb.role_on(actor, date)
        agree = bool(country and actor.country == country)
        if country and actor.country and actor.country != country:
            score -= 0.15
        if agree:
            score += 0.03
        if stated and role and norm_title(role.get("title", "")) == norm_title(str(stated.role)):
            score, agree = score + 0.03, True
        if role:
            score += 0.01
        scored.append((score, agree, actor))
    if not scored:
        return None, 0.0
    scored.sort(key=lambda x: (-x[0], x[2].id))
    score, agree, actor = scored[0]
    one_word = len(g.words) < 2
    exact_unique = scored[0][0] >= 1.0 and not (len(scored) > 1 and scored[1][0] >= 1.0)
    if score < (SURNAME_AT if one_word else LINK_AT) or (one_word and not agree and not exact_unique):
        return None, 0.0
    if len(scored) > 1 and scored[1][0] > score - 0.02:
        return None, 0.0  # two people fit equally well: do not guess
    return actor, round(min(score, 1.0), 3)


def _role_dict(stated: Entity | None, kb_role: dict[str, str] | None, date: str | None) -> dict[str, Any] | None:
    if stated is not None:
        out: dict[str, Any] = {"title": str(stated.role), "country": stated.codes.get("iso3166", "")}
        if date:
            out["since"] = date
        out["source"] = "article"
        return out
    if kb_role:
        out = {k: kb_role[k] for k in ("title", "country", "since", "until") if kb_role.get(k)}
        out["source"] = "kb:" + kb_role.get("source", "")
        return out
    return None


def link_people(text: str, kb: ActorKB, ents: list[Entity], groups: list[Group], date: str | None) -> None:
    """Set id, Latin name, role, codes and confidence on every PERSON mention, group by group."""
    for g in groups:
        actor, conf = best_actor(kb, g, ents, date)
        stated = _stated(ents, g)
        kb_role = kb.role_on(actor, date) if actor else None
        role = _role_dict(stated, kb_role, date)
        country = (stated.codes.get("iso3166") if stated else None) or _country(ents, g) or (actor.country if actor else "")
        cameo = (stated.codes.get("cameo") if stated else None) or (kb.cameo_on(actor, date) if actor else None)
        ident = actor.id if actor else f"local:person:{match_key(g.name).replace(' ', '-')}"
        latin = actor.name if actor else romanise(g.name)
        for k in g.members:
            codes = dict(ents[k].codes)
            if country:
                codes["iso3166"] = country
            if cameo:
                codes["cameo"] = cameo
            ents[k] = replace(ents[k], entity_id=ident, canonical_name=latin, kind="person", role=role,  # type: ignore[arg-type]
                              codes=codes, confidence=conf if actor else 0.5)


def link_titles(kb: ActorKB, ents: list[Entity], date: str | None) -> None:
    """A TITLE refers to the person right after it, else to the article's person with that role
    and state, else to the KB holder of the role on the date (when exactly one)."""
    people = [e for e in ents if e.type == "PERSON" and e.entity_id]
    for k, e in enumerate(ents):
        if e.type != "TITLE" or not e.role:
            continue
        nxt = next((p for p in people if 0 <= p.start - e.end <= 2), None)
        country = e.codes.get("iso3166", "")
        if nxt is None:
            nxt = next((p for p in people if isinstance(p.role, dict) and p.role.get("country") == country
                        and norm_title(str(p.role.get("title"))) == norm_title(str(e.role))), None)
        if nxt is not None:
            ents[k] = replace(e, entity_id=nxt.entity_id, canonical_name=nxt.canonical_name, confidence=nxt.confidence)
            continue
        holders = kb.holders(str(e.role), country, date) if country else []
        if len(holders) == 1:
            ents[k] = replace(e, entity_id=holders[0].id, canonical_name=holders[0].name, confidence=0.7)


# ----- organisations, media, places -----------------------------------------------------------------
def link_others(kb: ActorKB, ents: list[Entity], text: str, date: str | None) -> None:
    """Organisations and groups by KB name or by state + canonical name; places get coordinates."""
    for k, e in enumerate(ents):
        if e.type in ("ORG", "MEDIA") and not e.entity_id:
            ents[k] = _link_org(kb, e, text[e.start : e.end], date)
        elif e.type == "GPE" and e.codes.get("iso3166") and "lat" not in e.codes:
            cap = kb.states.get(e.codes["iso3166"])
            if cap:
                ents[k] = replace(e, codes={**e.codes, "lat": cap["lat"], "lon": cap["lon"], "capital": cap["city"]})


def _link_org(kb: ActorKB, e: Entity, surface: str, date: str | None) -> Entity:
    iso2 = e.codes.get("iso3166", "")
    kinds = ("organisation", "group", "media")
    actor = kb.get(f"org:{iso2}:{slug(e.name)}") if iso2 else None
    if actor is None:
        exact = [a for a in kb.exact(surface) if a.kind in kinds]
        actor = exact[0] if exact else None
    if actor is None:
        base = f"{iso2}:{slug(e.name)}" if iso2 else slug(e.name) or match_key(surface).replace(" ", "-")
        return replace(e, entity_id=f"local:org:{base}", canonical_name=e.name or romanise(surface),
                       kind=e.kind or "organisation", confidence=0.6 if iso2 else 0.3)
    codes = dict(e.codes)
    cameo = codes.get("cameo") or kb.cameo_on(actor, date)
    if cameo:
        codes["cameo"] = cameo
    if actor.country:
        codes.setdefault("iso3166", actor.country)
    return replace(e, entity_id=actor.id, canonical_name=actor.name, kind=actor.kind,
                   type="MEDIA" if actor.kind == "media" else e.type, codes=codes, confidence=0.95)


def link_quotes(quotes: list[Quote], ents: list[Entity]) -> list[Quote]:
    """Quotes whose speaker span holds entities of exactly one identity get its id."""
    out = []
    for q in quotes:
        sp = q.speaker
        if sp is not None and sp.start is not None and sp.end is not None:
            ids = {e.entity_id for e in ents if e.entity_id and sp.start <= e.start and e.end <= sp.end
                   and e.type not in ("TITLE", "NORP")}
            if not ids:  # a speaker span inside one entity ("دفاع" of "روسی وزارت دفاع")
                ids = {e.entity_id for e in ents if e.entity_id and e.start <= sp.start and sp.end <= e.end
                       and e.type not in ("TITLE", "NORP")}
            if len(ids) == 1:
                q = replace(q, speaker=replace(sp, entity_id=ids.pop()))
        out.append(q)
    return out


def link_article(article: Article, kb: ActorKB, gz: NameTable) -> None:
    """Everything above on one article."""
    text = article.text
    date = (article.published or "")[:10] or None
    ents = [e for e in article.entities if e.rule != RULE]
    toks = tokens(text)
    found = find_names(text, toks, gz, kb, [(e.start, e.end) for e in ents if e.type not in PLACE_TYPES])
    # a KB name wins over a place inside it ("Vladimir" of "Vladimir Putin"), unless the place is as long
    found = [f for f in found if not any(e.start <= f.start and f.end <= e.end for e in ents)]
    ents = [e for e in ents if not any(f.start <= e.start and e.end <= f.end for f in found)] + found
    ents += media_entities(article, [(e.start, e.end) for e in ents])
    groups = group_people(text, ents)
    extra = surname_mentions(text, toks, ents, groups)
    if extra:
        ents += extra
        groups = group_people(text, ents)
    link_people(text, kb, ents, groups, date)
    link_titles(kb, ents, date)
    link_others(kb, ents, text, date)
    article.entities = sorted(ents, key=lambda e: (e.start, -e.end, e.type))
    article.quotes = link_quotes(article.quotes, article.entities)


@stage("link", "1", requires={"entities", "quotes"}, assigns={"entities", "quotes"})
def LINK(article: Article, ctx: Context) -> None:  # noqa: N802 - stage objects are constants
    """Link every person, organisation, state, place and outlet to one identity across scripts."""
    kb = ctx.cached("kb.actors", load_actors)
    gz = ctx.cached("link.gazetteer", lambda: build_gazetteer(kb))
    link_article(article, kb, gz)
