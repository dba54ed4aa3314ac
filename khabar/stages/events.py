"""EVENTS: who did what to whom, where and when, coded with CAMEO (and PLOVER) per sentence.

A language's ``events.json`` holds predicate patterns organised by CAMEO code (Urdu light-verb
compounds such as ``دورہ {KAR}``, English verbs such as ``visit+``) and the words that mark
arguments (case markers after a noun phrase in Urdu, prepositions before it in English), clause
boundaries, negation, future, hypothetical, intended and hedging words. The coder is the same for
every language:

1. the sentence's tokens are folded and cut into clauses (a complement clause, opened by ``کہ`` /
   ``that`` / ``of`` + gerund, is governed by the last predicate before it);
2. actors are the entities in the sentence (states, places, titled people, organisations), titles
   joined to the names after them, coordinated actors grouped ("X and Y"), each group read with
   the marker next to it (agent, target, genitive, place);
3. each predicate match gets a source (the agent-marked or unmarked subject group; a pronoun or a
   gerund complement takes the governor's target when the governor accuses, else its source), a
   target (marked object, unmarked object, genitive), a place (a place with a locative marker) and a
   date (a date in the clause, else the sentence, else the article's date);
4. factuality: ``denied``/``alleged`` inside a denial's or accusation's complement, ``hypothetical``
   (conditional or modal words), ``alleged`` (hedges), ``intended`` (future, plans), ``reported``
   (under a reporting verb or inside a quotation), else ``asserted``.

When the analyse stage has parsed the sentence, lemmas are matched besides the surface forms and
``Tense=`` features set the tense; the coder needs no parse. Event records carry offsets of every
part in ``Article.text`` (``evidence``) and ``rule``.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..kb.places import fold_token, load_places
from ..langs import pack
from ..model import Article, Entity, Event, Ref, Token
from ..pipeline import Context, stage
from . import event_lexicon as lx
from .event_actors import AgentTable, extra_actors, load_agents, word_pieces
from .event_recode import DEMAND, cue_window, demand_target, recode

VERSION = "2"  # 2: an overt case marker outweighs the parse; multi-word model tokens matched piece by piece
RULE = f"events@{VERSION}"
ACTOR_TYPES = {"PERSON", "TITLE", "ORG", "GPE", "LOC", "NORP"}
PLACE_TYPES = {"LOC", "GPE"}
PERSONISH = {"PERSON", "TITLE", "ORG", "NORP"}
# What a governing predicate makes of the events in its complement, by CAMEO code prefix.
GOVERNS = (("112", "alleged"), ("016", "denied"), ("13", "hypothetical"), ("10", "hypothetical"),
           ("02", "hypothetical"), ("03", "intended"), ("01", "reported"))
PRECEDENCE = ("denied", "alleged", "hypothetical", "intended", "reported")
VISITS = ("042", "043")
COUNTERPART = "counterpart"
NEAR = 3  # tokens either side of a predicate searched for negation, future and modal words


@dataclass
class Actor:
    """One actor: what a Ref will hold, plus the state (ISO alpha-2) and role used by the rules."""

    name: str
    start: int
    end: int
    entity_id: str | None = None
    cameo: str | None = None
    type: str = "GPE"
    iso2: str | None = None
    role: str | None = None

    def ref(self, other: "Actor | None" = None) -> Ref:
        """The Ref of this actor; a counterpart takes the sector of the actor it is opposite."""
        cameo = self.cameo
        if self.role == COUNTERPART and cameo and len(cameo) == 3 and other and other.cameo and len(other.cameo) > 3:
            cameo = cameo + other.cameo[3:6]
        return Ref(self.name, self.start, self.end, self.entity_id, cameo)


@dataclass
class Group:
    """Coordinated actor mentions over tokens ``[i, j)`` with the marker read next to them."""

    i: int
    j: int
    actors: list[Actor]
    kind: str = "entity"  # entity, pronoun, dual, reciprocal
    marker: str = ""  # agent, target, genitive, place, passive_agent, "" (unmarked)
    place: bool = False


@dataclass
class Match:
    """A predicate pattern matched over sentence tokens ``[i, j)`` (``toks`` the matched ones)."""

    i: int
    j: int
    pattern: lx.Pattern
    clause: int = 0
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)


@dataclass
class Sent:
    """One sentence being coded: its tokens, folded forms, clauses, groups and matches."""

    start: int
    end: int
    toks: list[Token]
    ft: list[str]
    lemmas: list[str]
    base: int = 0  # index of the first token in ``Article.tokens`` (heads point there)
    clauses: list[lx.Clause] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)


# ----- actors ---------------------------------------------------------------------------------
def _actor(e: Entity, text: str) -> Actor:
    name = e.canonical_name if e.type in PLACE_TYPES | {"NORP", "PERSON"} and e.canonical_name else text[e.start : e.end]
    return Actor(name, e.start, e.end, e.entity_id, e.codes.get("cameo"), e.type, e.codes.get("iso3166"), e.role)


def resolve_aliases(article: Article) -> list[Actor]:
    """Actor mentions of the article, in order: a title joined to the name right after it, a bare
    surname or title resolved to the fuller, coded person named elsewhere in the article."""
    text = article.text
    ents = sorted((e for e in article.entities if e.type in ACTOR_TYPES), key=lambda e: (e.start, -e.end))
    kept: list[Entity] = []
    for e in ents:
        if kept and kept[-1].start <= e.start and e.end <= kept[-1].end:
            continue  # a demonym inside a title, a city inside a longer name
        if kept and kept[-1].type == "TITLE" and e.type == "PERSON" and not text[kept[-1].end : e.start].strip():
            title = kept.pop()
            e = Entity(title.start, e.end, e.rule, name=e.name, type="PERSON", codes=e.codes or title.codes,
                       role=e.role or title.role, entity_id=e.entity_id, canonical_name=text[e.start : e.end])
        kept.append(e)
    persons = [e for e in kept if e.type == "PERSON" and e.codes.get("cameo")]
    actors = [_alias(e, persons, text) for e in kept]
    return sorted(actors + _surnames(article, persons, kept), key=lambda a: a.start)


def _person_name(e: Entity, text: str) -> str:
    return e.canonical_name or text[e.start : e.end]


def _surnames(article: Article, persons: list[Entity], kept: list[Entity]) -> list[Actor]:
    """Later bare mentions of a coded person's surname (its last word, at least four letters)
    that no entity covers: the same person."""
    out: list[Actor] = []
    by_word: dict[str, Entity] = {}
    for p in persons:
        words = _person_name(p, article.text).split()
        if len(words) > 1 and len(words[-1]) >= 4:
            by_word.setdefault(fold_token(words[-1]), p)
    if not by_word:
        return out
    for t in word_pieces(article.tokens, article.text):
        who = by_word.get(fold_token(article.text[t.start : t.end]))
        if who is None or t.start < who.start or any(e.start <= t.start < e.end for e in kept):
            continue
        out.append(Actor(_person_name(who, article.text), t.start, t.end, who.entity_id, who.codes.get("cameo"),
                         "PERSON", who.codes.get("iso3166"), who.role))
    return out


def _alias(e: Entity, persons: list[Entity], text: str) -> Actor:
    actor = _actor(e, text)
    if e.type == "PERSON" and not actor.cameo:
        words = actor.name.split()
        for p in persons:
            full = text[p.start : p.end].split()
            if len(full) > len(words) and full[-len(words) :] == words:
                return Actor(_person_name(p, text), e.start, e.end,
                             p.entity_id, p.codes.get("cameo"), "PERSON", p.codes.get("iso3166"), p.role)
    if e.type == "TITLE":
        same = [p for p in persons if p.role == e.role and p.codes.get("cameo") == e.codes.get("cameo")]
        if same:
            p = min(same, key=lambda p: abs(p.start - e.start))
            return Actor(_person_name(p, text), e.start, e.end, p.entity_id, p.codes.get("cameo"), "PERSON", p.codes.get("iso3166"), p.role)
    return actor


def state_actor(iso2: str, start: int, end: int, ctx: Context) -> Actor | None:
    """The state with ISO code ``iso2`` as an actor (for "both sides" and the like)."""
    kb = ctx.cached("kb.places", load_places)
    st = kb.state(iso2)
    if st is None:
        return None
    return Actor(st.name, start, end, st.id, st.cameo, "GPE", iso2)


# ----- one sentence ---------------------------------------------------------------------------
def _sentences(article: Article) -> list[Sent]:
    by_sent: dict[int, list[Token]] = {}
    first: dict[int, int] = {}
    for n, t in enumerate(word_pieces(article.tokens, article.text)):  # heads index these pieces
        by_sent.setdefault(t.sentence, []).append(t)
        first.setdefault(t.sentence, n)
    out = []
    for k, s in enumerate(article.sentences):
        if s.zone not in ("body", "caption", "title"):
            continue
        toks = by_sent.get(k, [])
        ft = [fold_token(article.text[t.start : t.end]) for t in toks]
        lemmas = [fold_token(t.lemma) if t.lemma else f for t, f in zip(toks, ft)]
        out.append(Sent(s.start, s.end, toks, ft, lemmas, first.get(k, 0)))
    return out


def _groups(sent: Sent, actors: list[Actor], lex: lx.Lexicon, ctx: Context, actor_starts: list[int]) -> list[Group]:
    """Actor groups of the sentence: entity mentions, "both sides" anaphors, pronouns and
    "each other", coordinated ones merged, each with its marker. ``actors`` are sorted by start
    and ``actor_starts`` are their starts (computed once per article: per sentence it was
    quadratic on texts of many short lines)."""
    singles: list[Group] = []
    starts = [t.start for t in sent.toks]
    lo = bisect.bisect_left(actor_starts, sent.start)
    for a in actors[lo:]:
        if a.start >= sent.end:
            break
        i = bisect.bisect_left(starts, a.start)
        singles.append(Group(i, max(bisect.bisect_left(starts, a.end), i + 1), [a]))
    for kind, words in (("dual", lex.dual), ("pronoun", lex.pronouns), ("reciprocal", lex.reciprocal)):
        for i, j in words.find(sent.ft, 0, len(sent.ft)):
            if not any(g.i <= i < g.j for g in singles):
                singles.append(Group(i, j, _dual(sent, i, j, singles, actors[:lo], ctx) if kind == "dual" else [], kind))
    singles.sort(key=lambda g: g.i)
    merged: list[Group] = []
    for g in singles:
        prev = merged[-1] if merged else None
        if prev and prev.kind == g.kind == "entity" and g.i > prev.j and lx.all_in(sent.ft[prev.j : g.i], lex.conj):
            merged[-1] = Group(prev.i, g.j, prev.actors + g.actors)
        else:
            merged.append(g)
    for g in merged:
        g.marker = lex.marker_of(sent.ft, g.i, g.j)
    _mark_places_and_modifiers(sent, merged, lex)
    return [g for g in merged if g.actors or g.kind == "reciprocal" or (g.kind == "pronoun" and g.marker in ("agent", ""))]


def _dual(sent: Sent, i: int, j: int, singles: list[Group], history: list[Actor], ctx: Context) -> list[Actor]:
    """The two states "both sides" stands for: the last two states named before it."""
    before = [a for g in singles if g.j <= i for a in g.actors]
    states: list[str] = []
    for a in reversed(history + before):
        if a.iso2 and a.iso2 not in states:
            states.append(a.iso2)
        if len(states) == 2:
            break
    if len(states) < 2:
        return []
    s, e = sent.toks[i].start, sent.toks[j - 1].end
    return [x for x in (state_actor(c, s, e, ctx) for c in reversed(states)) if x]


def _mark_places_and_modifiers(sent: Sent, groups: list[Group], lex: lx.Lexicon) -> None:
    """A single place with a locative marker (or "X's airport at") is a place, not an actor; a
    genitive actor right before another actor only modifies it ("North Korea's counterpart")."""
    for k, g in enumerate(groups):
        single_place = len(g.actors) == 1 and g.actors[0].type in PLACE_TYPES and g.kind == "entity"
        if single_place and g.marker == "place":
            g.place = True
        elif single_place and g.marker == "genitive" and lex.after:
            m = g.j + lex.marker_len(sent.ft, g.i, g.j)
            ahead = min(len(sent.ft), m + NEAR)
            nxt = groups[k + 1].i if k + 1 < len(groups) else len(sent.ft)
            hit = lex.place_after_noun.find(sent.ft, m, min(ahead, nxt))
            g.place = bool(hit)
        if g.marker == "genitive" and k + 1 < len(groups) and not g.place:
            gap = groups[k + 1].i - g.j
            if gap <= NEAR + 1 and groups[k + 1].kind == "entity" and groups[k + 1].actors[0].type in PERSONISH:
                g.marker = "modifier"


# ----- arguments ------------------------------------------------------------------------------
def _clause_groups(sent: Sent, m: Match) -> list[Group]:
    c = sent.clauses[m.clause]
    return [g for g in sent.groups if c.a <= g.i < c.b and not g.place and g.marker != "modifier"]


def _args_after(sent: Sent, m: Match, lex: lx.Lexicon, used: set[int]) -> tuple[Group | None, Group | None]:
    """Source and target in a language whose markers follow the noun (Urdu); groups in ``used``
    are already another predicate's target."""
    gs = _clause_groups(sent, m)
    before = [g for g in gs if g.j <= m.i]
    src = next((g for g in reversed(before) if g.marker == "agent"), None)
    if src is None and not m.pattern.nominal:
        src = next((g for g in before if g.marker == ""), None)
    rest = [g for g in before if g is not src and (src is None or g.i > src.i or g.marker == "genitive")]
    rest = [g for g in rest if id(g) not in used]
    tgt = next((g for g in reversed(before) if g.marker == "target" and g is not src and id(g) not in used), None)
    if tgt is None:
        tgt = next((g for g in reversed(rest) if g.marker == "" and g.kind != "pronoun"), None)
    if m.pattern.nominal:
        poss = next((g for g in reversed(before) if g.marker == "genitive" and m.i - g.j <= 2), None)
        if poss is not None and poss.actors and poss.actors[0].type in PERSONISH and src is None:
            src = poss
        elif poss is not None and tgt is None:
            tgt = poss
        after = next((g for g in gs if g.i == m.j), None)
        tgt = tgt or after
    if tgt is None:
        tgt = next((g for g in reversed(rest) if g.marker == "genitive" and g is not src), None)
    return src, tgt


def _args_before(sent: Sent, m: Match, lex: lx.Lexicon, used: set[int]) -> tuple[Group | None, Group | None]:
    """Source and target in a language whose markers come before the noun (English)."""
    gs = _clause_groups(sent, m)
    before = [g for g in gs if g.j <= m.i]
    after = [g for g in gs if g.i >= m.j]
    src = next((g for g in reversed(before) if g.marker == ""), None)
    after = [g for g in after if id(g) not in used]
    tgt = next((g for g in after if g.marker in ("", "target")), None)
    if tgt is None:
        tgt = next((g for g in after if g.marker == "genitive"), None)
    passive = lex.passive_aux.find(sent.ft, max(0, m.i - 2), m.i)
    by = next((g for g in after if g.marker == "passive_agent"), None)
    if passive and by is not None:
        src, tgt = by, src
    if m.pattern.nominal and src is not None and m.i - src.j > 2:
        src = None
    return src, tgt


SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_DEPS = ("nsubj:pass", "csubj:pass")
OBJECT_DEPS = ("obj", "iobj", "obl")


def _parse_args(sent: Sent, m: Match) -> tuple[Group | None, Group | None]:
    """Source and target from the analyse stage's parse: the groups holding the predicate's
    subject and first object (a passive subject is the target, an ``obl:agent`` the source)."""
    if not sent.toks or all(t.dep is None for t in sent.toks[m.i : m.j]):
        return None, None
    span = range(m.i, m.j)
    subj = obj = None
    for k, t in enumerate(sent.toks):
        if t.head is None or k in span or (t.head - sent.base) not in span or not t.dep:
            continue
        dep = t.dep.lower()
        if dep in SUBJECT_DEPS or dep == "obl:agent":
            subj = k if subj is None else subj
        elif dep in PASSIVE_DEPS or dep.split(":")[0] in OBJECT_DEPS:
            obj = k if obj is None else obj
    def holding(k: int | None) -> Group | None:
        return next((g for g in sent.groups if k is not None and g.i <= k < g.j and not g.place), None)
    return holding(subj), holding(obj)


def _sentence_agent(sent: Sent) -> Group | None:
    usable = [g for g in sent.groups if not g.place and g.marker != "modifier" and g.actors]
    return next((g for g in usable if g.marker == "agent"), None) or next((g for g in usable if g.marker == ""), None)


def _fill(sent: Sent, m: Match, lex: lx.Lexicon, gov: Match | None, used: set[int]) -> None:
    """Set the match's source and target actors (and add the target group to ``used``)."""
    src, tgt = (_args_after if lex.after else _args_before)(sent, m, lex, used)
    psrc, ptgt = _parse_args(sent, m)
    if psrc is not None and not (src is not None and src.marker):  # an overt case marker outweighs the parse
        src = psrc
    if ptgt is not None and id(ptgt) not in used and ptgt is not src and not (tgt is not None and tgt.marker):
        tgt = ptgt
    if tgt is src:
        tgt = None
    if tgt is not None:
        used.add(id(tgt))
    if src is not None and m.pattern.nominal:
        used.add(id(src))  # a noun's possessor belongs to its noun phrase
    c = sent.clauses[m.clause]
    from_gov = (gov.target if gov.pattern.cameo and gov.pattern.cameo.startswith("112") else gov.source) if gov else []
    m.source = src.actors if src and src.kind != "pronoun" else []
    if not m.source and gov is not None and (src is not None or c.complement):
        m.source = list(from_gov)
    if not m.source and m.pattern.nominal and lex.reflexive.find(sent.ft, c.a, m.i):
        agent = _sentence_agent(sent)
        m.source = agent.actors if agent else []
    if not m.source and src is not None and src.kind == "pronoun" and gov is None:
        agent = _sentence_agent(sent)  # "Syria says it will ...": the pronoun is the sentence's agent
        m.source = agent.actors if agent and agent.j <= src.i else []
    if not m.source and m.clause > 0 and gov is None and not m.pattern.nominal:
        agent = _sentence_agent(sent)
        m.source = agent.actors if agent and agent.i < c.a else []
    if tgt is not None and tgt.kind == "reciprocal":
        m.target = [a for a in m.source]
    elif tgt is not None:
        m.target = tgt.actors if tgt.kind != "pronoun" else list(from_gov)


# ----- places, dates, factuality --------------------------------------------------------------
def _place(sent: Sent, m: Match, target: Actor | None, actors_in: list[Actor]) -> Actor | None:
    c = sent.clauses[m.clause]
    places = [g for g in sent.groups if g.place and c.a <= g.i < c.b]
    if places:
        return min(places, key=lambda g: abs(g.i - m.i)).actors[0]
    if m.pattern.cameo in VISITS and target is not None and target.iso2:
        cities = [a for a in actors_in if a.type == "LOC" and a.iso2 == target.iso2 and sent.start <= a.start < sent.end]
        return cities[0] if cities else None
    return None


def _date(article: Article, sent: Sent, m: Match) -> tuple[dict[str, Any] | None, list[int] | None]:
    c = sent.clauses[m.clause]
    lo, hi = sent.toks[c.a].start, sent.toks[c.b - 1].end
    pos = sent.toks[m.i].start
    dated = [d for d in article.dates if sent.start <= d.start < sent.end and d.value[:1].isdigit()]
    if dated:
        inside = [d for d in dated if lo <= d.start < hi] or dated
        d = min(inside, key=lambda d: abs(d.start - pos))
        return {"value": d.value, "granularity": d.granularity, "source": "text"}, [d.start, d.end]
    if article.published:
        return {"value": article.published[:10], "granularity": "day", "source": "published"}, None
    return None, None


def _factuality(article: Article, sent: Sent, m: Match, lex: lx.Lexicon, gov: Match | None) -> tuple[str, dict[str, Any]]:
    c = sent.clauses[m.clause]
    lo, hi = max(c.a, m.i - NEAR), min(c.b, m.j + NEAR)
    scope_a = c.scope_a
    flags: dict[str, Any] = {
        "negated": bool(lex.negation.find(sent.ft, lo, hi)),
        "future": bool(lex.future.find(sent.ft, lo, hi)),
        "modal": bool(lex.modal.find(sent.ft, lo, hi)),
    }
    kinds = set()
    if gov is not None:
        kinds.add(gov.pattern.report or lx.governs(gov.pattern.cameo, GOVERNS))
    if lex.hypothetical.find(sent.ft, scope_a, c.b):
        kinds.add("hypothetical")
    if lex.alleged.find(sent.ft, c.a, c.b):
        kinds.add("alleged")
    if flags["future"] or lex.intended.find(sent.ft, c.a, c.b):
        kinds.add("intended")
    pos = sent.toks[m.i].start
    if any(q.start <= pos < q.end for q in article.quotes):
        kinds.add("reported")
    fact = next((k for k in PRECEDENCE if k in kinds), "asserted")
    flags["tense"] = _tense(sent, m, lex, flags["future"])
    return fact, flags


def _tense(sent: Sent, m: Match, lex: lx.Lexicon, future: bool) -> str | None:
    if future:
        return "future"
    for t in sent.toks[m.i : m.j]:
        if t.feats and "Tense=" in t.feats:
            return t.feats.split("Tense=", 1)[1].split("|", 1)[0].lower()
    window = sent.ft[m.i : min(len(sent.ft), m.j + NEAR)]
    if any(w in lex.past_words or any(w.endswith(s) for s in lex.past_suffixes) for w in window):
        return "past"
    return None


# ----- coding ---------------------------------------------------------------------------------
def code_sentence(article: Article, sent: Sent, lex: lx.Lexicon, actors: list[Actor], ctx: Context,
                  actor_starts: list[int]) -> list[Event]:
    """The events of one sentence (``actors`` sorted by start, ``actor_starts`` their starts)."""
    sent.clauses = lex.clauses(sent.ft)
    sent.groups = _groups(sent, actors, lex, ctx, actor_starts)
    sent.matches = [Match(i, j, p, lx.clause_of(sent.clauses, i)) for i, j, p in lex.predicates(sent.ft, sent.lemmas, sent.clauses)]
    out: list[Event] = []
    govs = lx.governors(sent.clauses, [(m.clause, m) for m in sent.matches])
    used: set[int] = set()
    for m in sent.matches:
        gov = govs.get(m.clause)
        gov = gov if gov is not m else None
        _fill(sent, m, lex, gov, used)
        if m.pattern.report == "reported":
            _as_demand(sent, m, lex, govs)
        if m.pattern.cameo is None or (gov is not None and gov.pattern.cameo == m.pattern.cameo):
            continue  # a report verb, or the governor's own predicate repeated ("denied ... and rejected")
        out.extend(_events(article, sent, m, lex, gov, actors))
    return _dedupe(out)


def _as_demand(sent: Sent, m: Match, lex: lx.Lexicon, govs: dict[int, Match]) -> None:
    """A reporting verb whose complement holds a demand modal ("X said Y must ...") is a demand by
    its source on the first actor of the complement."""
    ends = [sent.clauses[k].b for k, g in govs.items() if g is m] + [sent.clauses[m.clause].b]
    hi = max(ends)
    hit = lex.demand_modals.find(sent.ft, m.j, hi)
    if not hit or not m.source:
        return
    tgt = demand_target(sent.groups, m.j, hit[0][0])
    if tgt is None:
        return
    m.pattern = dataclasses.replace(m.pattern, cameo=DEMAND, report=None)
    m.target = tgt.actors


def _cues(sent: Sent, m: Match, lex: lx.Lexicon) -> tuple[bool, bool]:
    """Whether a refusal or an intention cue stands next to the predicate."""
    c = sent.clauses[m.clause]
    lo, hi = cue_window(len(sent.ft), m.i, m.j, c.a, c.b, lex.after)
    return bool(lex.refusal_cues.find(sent.ft, lo, hi)), bool(lex.intent_cues.find(sent.ft, lo, hi))


def _pairs(m: Match) -> list[tuple[Actor, Actor | None]]:
    if m.target:
        pairs: list[tuple[Actor, Actor | None]] = [
            (s, t) for s in m.source for t in m.target if s.name != t.name and (s.cameo != t.cameo or not s.cameo)]
        return pairs
    if m.pattern.mutual and len(m.source) > 1:
        return [(s, t) for s in m.source for t in m.source if s is not t]
    return [] if m.pattern.needs_target or m.pattern.nominal else [(s, None) for s in m.source]


def _events(article: Article, sent: Sent, m: Match, lex: lx.Lexicon, gov: Match | None, actors: list[Actor]) -> list[Event]:
    code, change = recode(m.pattern.cameo or "", *_cues(sent, m, lex))
    info = lx.code_info(code)
    fact, flags = _factuality(article, sent, m, lex, gov)
    date, date_span = _date(article, sent, m)
    ps, pe = sent.toks[m.i].start, sent.toks[m.j - 1].end
    c = sent.clauses[m.clause]
    clause = [sent.toks[c.a].start, sent.toks[c.b - 1].end]
    aid = article.id
    out = []
    for src, tgt in _pairs(m):
        place = _place(sent, m, tgt, actors)
        ev: dict[str, list[int]] = {"predicate": [ps, pe], "sentence": [sent.start, sent.end], "source": [src.start, src.end]}
        if tgt is not None:
            ev["target"] = [tgt.start, tgt.end]
        if place is not None:
            ev["place"] = [place.start, place.end]
        if date_span:
            ev["date"] = date_span
        spans = [v for k, v in ev.items() if k in ("predicate", "source", "target")]
        key = f"{aid}|{ps}|{pe}|{code}|{src.name}|{tgt.name if tgt else ''}"
        data = dict(flags, pattern=m.pattern.text, clause=clause, **_governor(sent, gov, src))
        if change:
            data.update(recoded=change, act_cameo=m.pattern.cameo)
        out.append(Event(min(s for s, _ in spans), max(e for _, e in spans), RULE, cameo=code,
                         source=src.ref(tgt), target=tgt.ref(src) if tgt else None, factuality=fact, data=data,
                         id="ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], cameo_root=info["root"],
                         plover=info["plover"], quad_class=info["quad_class"], goldstein=info["goldstein"],
                         place=place.ref() if place else None, date=date, evidence=ev))
    return out


def _governor(sent: Sent, gov: Match | None, src: Actor) -> dict[str, Any]:
    """What governs an event: the predicate's span, its kind and who uttered it."""
    if gov is None:
        return {"governor": None}
    kind = gov.pattern.report or lx.governs(gov.pattern.cameo, GOVERNS)
    by = [{"name": a.name, "entity_id": a.entity_id, "cameo": a.cameo, "start": a.start, "end": a.end}
          for a in gov.source]
    return {"governor": [sent.toks[gov.i].start, sent.toks[gov.j - 1].end], "governor_kind": kind,
            "governor_cameo": gov.pattern.cameo, "by": by}


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in events:
        key = (e.cameo, e.source.name if e.source else None, e.target.name if e.target else None, e.factuality)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def lexicon_for(code: str | None, ctx: Context) -> lx.Lexicon | None:
    """The compiled lexicon of language ``code`` (cached); None without an ``events.json``."""
    p = pack(code)
    if not p.has("events.json"):
        return None
    return ctx.cached(f"events.lexicon.{p.code}", lambda: lx.compile_lexicon(p.json("events")))


def agents_for(code: str | None, ctx: Context) -> AgentTable:
    """The cached generic-agent table (``agents.tsv`` + the ``names`` rules) of language ``code``."""
    p = pack(code)
    return ctx.cached(f"events.agents.{p.code}", lambda: load_agents(p.code, p.json("events") if p.has("events.json") else {}))


def with_agents(article: Article, actors: list[Actor], table: AgentTable) -> list[Actor]:
    """The entity actors plus generic agents and untitled names; an actor inside an agent's span
    ("Israeli" in "Israeli troops", an uncoded "police") is no longer an actor of its own."""
    extra = extra_actors(article, table, actors)
    if not extra:
        return actors
    kept = [a for a in actors if not any(f.start <= a.start and a.end <= f.end for f in extra)]
    more = [Actor(f.name, f.start, f.end, None, f.cameo, f.type, f.iso2) for f in extra]
    return sorted(kept + more, key=lambda a: (a.start, -a.end))


@stage("events", VERSION, requires={"text", "language", "sentences", "tokens", "entities", "dates", "quotes"},
       assigns={"events"})
def EVENTS(article: Article, ctx: Context) -> None:  # noqa: N802 - stage objects are constants
    """Code the article's events (CAMEO, PLOVER, actors, place, date, factuality)."""
    lex = lexicon_for(article.language, ctx)
    kept = [e for e in article.events if e.rule != RULE]
    if lex is None:
        article.events = kept
        return
    actors = with_agents(article, resolve_aliases(article), agents_for(article.language, ctx))
    found: list[Event] = []
    starts = [a.start for a in actors]
    if any(a > b for a, b in zip(starts, starts[1:])):
        actors = sorted(actors, key=lambda a: (a.start, -a.end))
        starts = [a.start for a in actors]
    for sent in _sentences(article):
        found.extend(code_sentence(article, sent, lex, actors, ctx, starts))
    article.events = kept + found
