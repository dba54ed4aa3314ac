"""Merge the trained model's named entities (the ``analyse`` stage) with the entities that the
gazetteers and role lexicons find (the ``entities`` stage). Language-independent: every word list
it relies on is already resolved into the two entity lists it is given.

The rule-based entity wins wherever the two overlap, because it carries codes (ISO 3166, CAMEO,
roles) and its span follows the pack's data; the model adds what no rule found:

- a model PERSON that overlaps no rule entity is kept (a name no title announced);
- a model PERSON that begins with a TITLE the rules found ("وزیر اعظم شاہد رفیق" tagged as one
  person) becomes a PERSON over the words after the title, with the title's role and codes,
  unless a rule PERSON is already there; a title alone tagged as a person is dropped;
- a model PERSON, ORG or place inside or across a rule entity is dropped (a city the model took
  for a person, "Mr + surname" beside the rule's surname, a state inside a longer span);
- a model entity contained in a longer model entity is dropped;
- a model entity with a coordinating conjunction (UPOS CCONJ) outside the rule entities is split
  there when it crosses a rule entity or each part has two words or more ("Kenzo Abara and Human
  Rights Watch" tagged as one ORG), and each part is merged on its own;
- a model entity that overlaps nothing is kept only with some sign of a name besides the model:
  a token the model's own tagger calls PROPN, or, in a cased script, a capitalised first letter
  ("ریڈ کارپٹ", red carpet, tagged ORG over ADJ NOUN, is dropped);
- model entities are kept only in the zones that hold running text (body, title, captions):
  credit lines and comment counters are not names.
"""
from __future__ import annotations

import bisect
from dataclasses import replace

from ..model import Article, Entity, Token

MERGE_RULE = "entities.merge@1"
CONTENT_ZONES = frozenset({"body", "title", "caption"})
NER_TYPES = frozenset({"PERSON", "ORG", "LOC", "MISC"})
# rule entities whose span a model PERSON may start with; the name follows them
TITLE_TYPES = frozenset({"TITLE"})


def _zone_spans(article: Article) -> list[tuple[int, int]]:
    zones = [(z.start, z.end) for z in article.zones if z.kind in CONTENT_ZONES and z.end > z.start]
    return sorted(zones) if article.zones else [(0, len(article.text))]


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether ``[s, e)`` lies inside one of the sorted ``spans``."""
    k = bisect.bisect_right(spans, (s, 10**12)) - 1
    return any(a <= s and e <= b for a, b in spans[max(0, k - 1) : k + 1])


class Overlaps:
    """Rule entities sorted by start, with a fast "which of them overlap [s, e)" query."""

    def __init__(self, entities: list[Entity]) -> None:
        self.ents = sorted(entities, key=lambda e: (e.start, -e.end))
        self.starts = [e.start for e in self.ents]
        self.longest = max((e.end - e.start for e in self.ents), default=0)

    def at(self, s: int, e: int) -> list[Entity]:
        """Rule entities overlapping ``[s, e)``."""
        lo = bisect.bisect_left(self.starts, s - self.longest)
        hi = bisect.bisect_left(self.starts, e)
        return [x for x in self.ents[lo:hi] if x.start < e and s < x.end]


def _after_title(text: str, ner: Entity, hits: list[Entity]) -> tuple[Entity | None, list[Entity]]:
    """The name part of a model PERSON that starts with a rule TITLE: a PERSON from the end of
    the title to the model's end, with the title's role and codes, and the rule PERSONs it
    replaces (a shorter name the rules took after the same title: they stop at four words).
    (None, []) if nothing is left after the title or another rule entity lies there."""
    titles = [h for h in hits if h.type in TITLE_TYPES and h.start <= ner.start < h.end < ner.end]
    if not titles:
        return None, []
    title = max(titles, key=lambda h: h.end)
    s = title.end
    while s < ner.end and not text[s].isalnum():
        s += 1
    after = [h for h in hits if h is not title and not (title.start <= h.start and h.end <= title.end)]
    shorter = [h for h in after if h.type == "PERSON" and h.start == s and h.end < ner.end]
    if s >= ner.end or len(shorter) != len(after) or any(h.end > s for h in after if h not in shorter):
        return None, []
    base = shorter[0] if shorter else title
    return Entity(s, ner.end, MERGE_RULE, name=text[s : ner.end], type="PERSON", codes=dict(base.codes),
                  role=base.role or title.role, kind="person", confidence=0.7), shorter


def _rerun(e: Entity, hits: list[Entity]) -> tuple[Entity | None, list[Entity]]:
    """A name this merge made before (the stage runs again): kept over the rules' shorter name."""
    shorter = [h for h in hits if h.type == "PERSON" and h.start == e.start and h.end < e.end]
    return (e, shorter) if len(shorter) == len(hits) else (None, [])


def _name_like(text: str, e: Entity, tokens: list[Token], starts: list[int]) -> bool:
    """Whether a model entity shows a sign of a name of its own: a token tagged PROPN, or a
    capitalised first letter in a cased script (true also when the tokens carry no tags)."""
    first = text[e.start]
    if first.upper() != first.lower() and first.isupper():
        return True
    lo, hi = bisect.bisect_left(starts, e.start), bisect.bisect_left(starts, e.end)
    tagged = [t for t in tokens[lo:hi] if t.upos]
    return not tagged or any(t.upos == "PROPN" for t in tagged)


def _split_coordination(text: str, e: Entity, hits: list[Entity], tokens: list[Token],
                        starts: list[int]) -> list[Entity]:
    """A model entity with a word tagged as a coordinating conjunction (UPOS ``CCONJ``) outside the
    rule entities is two names ("Kenzo Abara and Human Rights Watch" as one ORG) when it crosses
    a rule entity or every part has two words or more (so "Procter and Gamble" stays one): the
    parts between the conjunctions, each merged on its own. Otherwise ``[e]``."""
    lo, hi = bisect.bisect_left(starts, e.start), bisect.bisect_left(starts, e.end)
    inner = tokens[lo:hi]
    cuts = [t for t in inner if t.upos == "CCONJ" and text[t.start:t.end].isalpha()
            and not any(h.start <= t.start < h.end for h in hits)]
    if not cuts:
        return [e]
    bounds = [e.start] + [x for t in cuts for x in (t.start, t.end)] + [e.end]
    sizes = [sum(1 for t in inner if a <= t.start < b) for a, b in zip(bounds[::2], bounds[1::2])]
    if not hits and min(sizes) < 2:
        return [e]
    parts, s = [], e.start
    for t in cuts + [None]:
        a, b = s, (t.start if t is not None else e.end)
        while a < b and not text[a].isalnum():
            a += 1
        while b > a and not text[b - 1].isalnum():
            b -= 1
        if b > a:
            parts.append(replace(e, start=a, end=b, name=text[a:b]))
        s = t.end if t is not None else e.end
    return parts


def _nested(ents: list[Entity]) -> list[Entity]:
    """``ents`` without those contained in a longer one of them."""
    ordered = sorted(ents, key=lambda e: (e.start, -e.end))
    out: list[Entity] = []
    reach = -1
    for e in ordered:
        if e.end <= reach:
            continue
        out.append(e)
        reach = max(reach, e.end)
    return out


def merge(article: Article, ner: list[Entity], rules: list[Entity]) -> list[Entity]:
    """The rule entities ``rules`` with the model entities ``ner`` that survive next to them
    (see the module docstring): PERSONs trimmed after a title, a rule's shorter name after the
    same title replaced by the model's longer one."""
    text = article.text
    zones = _zone_spans(article)
    index = Overlaps(rules)
    starts = [t.start for t in article.tokens]
    out: list[Entity] = []
    replaced: set[int] = set()
    ner = [p for e in ner if e.type in NER_TYPES and e.end > e.start
           for p in _split_coordination(text, e, index.at(e.start, e.end), article.tokens, starts)]
    for e in _nested(ner):
        if not _inside(zones, e.start, e.end):
            continue
        hits = index.at(e.start, e.end)
        if not hits:
            if _name_like(text, e, article.tokens, starts):
                out.append(e if e.kind else replace(e, kind=KIND.get(e.type)))
        elif e.type == "PERSON":
            named, shorter = _rerun(e, hits) if e.rule == MERGE_RULE else _after_title(text, e, hits)
            if named is not None:
                out.append(named)
                replaced.update(id(h) for h in shorter)
    return [r for r in rules if id(r) not in replaced] + out


KIND = {"PERSON": "person", "ORG": "organisation"}  # a model LOC or MISC has no kind: no KB place
