"""CLAIMS: allegations, denials, confirmations and refusals to comment, kept apart from facts.

Built from the events stage's output, so it works the same in every language:

- an accusation (CAMEO 112…, "X accused Y of …", ``X نے Y پر الزام لگایا ہے کہ …``) opens a claim:
  its sources assert it; the events coded in its complement (factuality ``alleged``) and the
  amounts in that clause are its proposition;
- a denial (CAMEO 016, "Y denied …", ``Y نے ان الزامات کی تردید کی``) joins the claim it refers to:
  the latest earlier claim when the sentence refers back to one (a determiner + claim noun from
  the pack's ``claims.json``: "the allegations", ``ان الزامات``), else a claim whose proposition has
  an event of the same root by the same source, else one whose asserter the denial targets; if
  none, the denial opens a claim of its own (denied by its sources, asserted by nobody named);
- a confirmation (a ``confirmed`` report verb governing an event) joins the claim whose proposition
  matches that event, or opens one asserted by the confirmer; a refusal to comment (CAMEO 011) is
  recorded on the latest claim.

Every event involved gets the claim's id in ``claim_id``; the alleged event stays an event with
factuality ``alleged`` or ``denied``, never ``asserted``.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..kb.places import tokens
from ..langs import pack
from ..model import Article, Claim, Event, Ref
from ..pipeline import Context, stage
from .event_lexicon import PhraseSet

VERSION = "1"
RULE = f"claims@{VERSION}"
ALLEGE = ("112",)
DENY = ("016",)
NO_COMMENT = ("011",)


@dataclass
class Draft:
    """A claim being assembled."""

    start: int
    end: int
    prop: list[int]
    events: list[Event] = field(default_factory=list)
    asserted_by: list[Ref] = field(default_factory=list)
    denied_by: list[Ref] = field(default_factory=list)
    confirmed_by: list[Ref] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    evidence: dict[str, list[list[int]]] = field(default_factory=dict)
    declined: list[Ref] = field(default_factory=list)


@dataclass
class Cues:
    """A language's references back to a claim: determiner + claim noun."""

    determiners: PhraseSet
    nouns: PhraseSet

    def refers_back(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds "the allegations"-like words."""
        ft = [t.text for t in tokens(text[start:end])]
        return any(self.determiners.at(ft, i) and self.nouns.at(ft, i + 1) for i in range(len(ft) - 1))


def _cues(code: str | None) -> Cues:
    p = pack(code)
    data = p.json("claims") if p.has("claims.json") else {}
    return Cues(PhraseSet.of(data.get("determiners", [])), PhraseSet.of(data.get("claim_nouns", [])))


def _add(refs: list[Ref], new: Ref | dict[str, Any] | None) -> None:
    if isinstance(new, dict):
        new = Ref(new["name"], new.get("start"), new.get("end"), new.get("entity_id"), new.get("cameo"))
    if new is not None and all((r.name, r.cameo) != (new.name, new.cameo) for r in refs):
        refs.append(new)


def _predicates(events: list[Event]) -> list[list[Event]]:
    """Events grouped by their predicate span, in text order."""
    groups: dict[tuple[int, ...], list[Event]] = {}
    for e in events:
        groups.setdefault(tuple(e.evidence.get("predicate", [e.start, e.end])), []).append(e)
    return [groups[k] for k in sorted(groups)]


def _governed(events: list[Event], pred: list[int]) -> list[Event]:
    return [e for e in events if e.data.get("governor") == pred]


def _open(events: list[Event], evs: list[Event], sentence: list[int]) -> Draft:
    pred = evs[0].evidence["predicate"]
    inner = _governed(events, pred)
    spans = [e.data.get("clause") or [e.start, e.end] for e in inner] or [[pred[1], sentence[1]]]
    prop = [min(s for s, _ in spans), max(e for _, e in spans)]
    d = Draft(min(pred[0], prop[0]), max(pred[1], prop[1]), prop, events=inner)
    d.members |= {e.id for e in evs} | {e.id for e in inner}
    return d


def _same(a: Event, b: Event) -> bool:
    sa, sb = a.source.cameo if a.source else None, b.source.cameo if b.source else None
    return a.cameo_root == b.cameo_root and (sa == sb or not sa or not sb)


def _find(drafts: list[Draft], article: Article, evs: list[Event], cues: Cues) -> Draft | None:
    """The claim a denial or confirmation refers to."""
    pred = evs[0].evidence["predicate"]
    earlier = [d for d in drafts if d.start < pred[0]]
    sent = evs[0].evidence.get("sentence", pred)
    if earlier and cues.refers_back(article.text, sent[0], sent[1]):
        return earlier[-1]
    inner = _governed(article.events, pred)
    for d in reversed(drafts):
        if any(_same(x, y) for x in inner for y in d.events):
            return d
    targets = {e.target.cameo for e in evs if e.target and e.target.cameo}
    for d in reversed(earlier):
        if targets & {r.cameo for r in d.asserted_by}:
            return d
    return None


def _deny(drafts: list[Draft], article: Article, evs: list[Event], cues: Cues) -> None:
    d = _find(drafts, article, evs, cues)
    pred = evs[0].evidence["predicate"]
    if d is None:
        d = _open(article.events, evs, evs[0].evidence.get("sentence", pred))
        drafts.append(d)
    for e in evs:
        _add(d.denied_by, e.source)
    d.members |= {e.id for e in evs} | {e.id for e in _governed(article.events, pred)}
    d.evidence.setdefault("denials", []).append(pred)


def _confirm(drafts: list[Draft], article: Article, ev: Event, cues: Cues) -> None:
    gov = ev.data["governor"]
    by = ev.data.get("by", [])
    d = _find(drafts, article, [dataclasses.replace(ev, evidence={**ev.evidence, "predicate": gov})], cues)
    if d is None:
        d = Draft(min(gov[0], ev.start), max(gov[1], ev.end), ev.data.get("clause") or [ev.start, ev.end], events=[ev])
        drafts.append(d)
        for r in by:
            _add(d.asserted_by, r)
    for r in by:
        _add(d.confirmed_by, r)
    d.members.add(ev.id)
    d.evidence.setdefault("confirmations", []).append(gov)


def _build(article: Article, d: Draft) -> Claim:
    key = f"{article.id}|{d.start}|{d.end}"
    amounts = [{"start": a.start, "end": a.end, "value": a.value, "qualifier": a.qualifier, "unit": a.unit,
                "object": a.object} for a in article.amounts if d.prop[0] <= a.start and a.end <= d.prop[1]]
    prop = {"start": d.prop[0], "end": d.prop[1], "amounts": amounts,
            "events": [{"id": e.id, "cameo": e.cameo, "source": dataclasses.asdict(e.source) if e.source else None,
                        "target": dataclasses.asdict(e.target) if e.target else None, "factuality": e.factuality}
                       for e in d.events]}
    data = {"declined_comment": [dataclasses.asdict(r) for r in d.declined]} if d.declined else {}
    return Claim(d.start, d.end, RULE, proposition=prop, asserted_by=tuple(d.asserted_by),
                 denied_by=tuple(d.denied_by), data=data, confirmed_by=tuple(d.confirmed_by),
                 id="cl-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12],
                 evidence={"proposition": d.prop, **d.evidence})


def find_claims(article: Article, cues: Cues) -> list[Draft]:
    """Assemble the claims of an article from its coded events."""
    drafts: list[Draft] = []
    for evs in _predicates(article.events):
        code = evs[0].cameo
        if code.startswith(ALLEGE):
            d = _open(article.events, evs, evs[0].evidence.get("sentence", evs[0].evidence["predicate"]))
            for e in evs:
                _add(d.asserted_by, e.source)
            d.evidence["allegation"] = [evs[0].evidence["predicate"]]
            drafts.append(d)
        elif code.startswith(DENY):
            _deny(drafts, article, evs, cues)
        elif code.startswith(NO_COMMENT) and drafts:
            for e in evs:
                _add(drafts[-1].declined, e.source)
            drafts[-1].members |= {e.id for e in evs}
    for ev in article.events:
        if ev.data.get("governor_kind") == "confirmed" and ev.data.get("governor"):
            _confirm(drafts, article, ev, cues)
    return drafts


@stage("claims", VERSION, requires={"text", "language", "events", "amounts"}, assigns={"claims", "events"})
def CLAIMS(article: Article, ctx: Context) -> None:  # noqa: N802 - stage objects are constants
    """Group allegations, denials and confirmations into claims; link their events."""
    cues = ctx.cached(f"claims.cues.{article.language or 'und'}", lambda: _cues(article.language))
    drafts = find_claims(article, cues)
    claims = [_build(article, d) for d in drafts]
    owner = {eid: c.id for d, c in zip(drafts, claims) for eid in d.members}
    article.events = [dataclasses.replace(e, claim_id=owner.get(e.id, e.claim_id)) for e in article.events]
    article.claims = [c for c in article.claims if c.rule != RULE] + claims
