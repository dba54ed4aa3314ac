"""Actors the entities stage does not give, for the events stage: generic agents and untitled names.

- **Generic agents** ("protesters", "police", "rebels", ``پولیس``, ``مظاہرین``) come from the
  language pack's ``agents.tsv`` (phrase, CAMEO agent code). An agent takes its state from the
  context the same noun phrase gives: a state or demonym right before it ("Israeli troops",
  "Sudan's government", ``پاکستانی فوج``), a genitive state before it (``بھارت کی پولیس``) or an
  ``of``/``in`` state after it ("police in Jericho"); the actor code is then state + agent (ISR +
  MIL); without one it is the agent code alone (REB).
- **Untitled names**: in a language whose ``events.json`` sets ``names.capitalised``, a run of
  capitalised tokens no entity covers ("Amnesty International", "Kenzo Oshima") is an actor with
  no code; ``names.inner`` words may join it ("Union of Teachers"), ``names.stop`` words never
  start or end one (sentence-initial "The", days, months). Uncased scripts get their names from the
  analyse stage's NER entities, which reach the events stage as entities.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from ..kb.places import fold_key, fold_token
from ..langs import pack
from ..model import Article, Token
from .event_lexicon import PhraseSet

PLACE_LIKE = {"GPE", "LOC", "NORP"}


@dataclass(frozen=True)
class AgentTable:
    """A language's generic agents: phrases and their CAMEO agent codes, plus name rules."""

    words: PhraseSet
    codes: dict[tuple[str, ...], str]
    capitalised: bool = False
    inner: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    genitive: frozenset[str] = frozenset()


def load_agents(code: str | None, events: dict[str, Any]) -> AgentTable:
    """The agent table of language ``code`` (``agents.tsv``) with the ``names`` block of its
    ``events.json``; an empty table when the pack has neither."""
    rows = pack(code).tsv("agents")
    codes: dict[tuple[str, ...], str] = {}
    for row in rows:
        if len(row) >= 2 and row[0].strip() and row[1].strip():
            codes[fold_key(row[0]) or (fold_token(row[0]),)] = row[1].strip()
    words = PhraseSet()
    for key in codes:
        words.by_first.setdefault(key[0], []).append(key)
    for v in words.by_first.values():
        v.sort(key=len, reverse=True)
    names = events.get("names", {})
    fold = lambda ws: frozenset(fold_token(w) for w in ws)  # noqa: E731 - a local shorthand
    return AgentTable(words, codes, bool(names.get("capitalised")), fold(names.get("inner", [])),
                      fold(names.get("stop", [])), fold(names.get("state_after", [])),
                      fold(names.get("state_genitive", [])))


@dataclass
class Found:
    """An extra actor mention: span, name, CAMEO code, type and state."""

    start: int
    end: int
    name: str
    cameo: str | None
    type: str
    iso2: str | None = None


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    k = bisect.bisect_right(spans, (s, 10**12)) - 1
    for a, b in spans[max(0, k - 2) : k + 2]:
        if a < e and s < b:
            return True
    return False


_PIECE = re.compile(r"\S+")


def word_pieces(tokens: list[Token], text: str) -> list[Token]:
    """``tokens`` with every token that holds white space (a model's multi-syllable word, such
    as a word of a treebank that writes words with spaces) split into its space-separated pieces,
    so phrase patterns, written piece by piece, match whatever segmentation made the tokens. The
    first piece keeps the word's syntax (heads remapped to the new indices); the other pieces point
    to it with no relation, and a split word's lemma is dropped (its pieces are matched as written)."""
    if not any(any(ch.isspace() for ch in text[t.start : t.end]) for t in tokens):
        return tokens
    first: list[int] = []
    pieces: list[list[tuple[int, int]]] = []
    n = 0
    for t in tokens:
        spans = [(t.start + m.start(), t.start + m.end()) for m in _PIECE.finditer(text[t.start : t.end])]
        pieces.append(spans or [(t.start, t.end)])
        first.append(n)
        n += len(pieces[-1])
    out: list[Token] = []
    for k, t in enumerate(tokens):
        head = first[t.head] if t.head is not None and 0 <= t.head < len(first) else t.head
        for j, (a, b) in enumerate(pieces[k]):
            if j == 0:
                lemma = t.lemma if len(pieces[k]) == 1 else None
                out.append(dataclasses.replace(t, start=a, end=b, lemma=lemma, head=head))
            else:
                out.append(dataclasses.replace(t, start=a, end=b, lemma=None, head=first[k], dep=None))
    return out


def extra_actors(article: Article, table: AgentTable, known: list[Any]) -> list[Found]:
    """Generic agents and untitled names of the article; an agent's span takes in the state word
    it took its state from ("Israeli troops")."""
    text = article.text
    tokens = word_pieces(article.tokens, text)
    by_sent: dict[int, list[int]] = {}
    for n, t in enumerate(tokens):
        by_sent.setdefault(t.sentence, []).append(n)
    spans = sorted((a.start, a.end) for a in known)
    out: list[Found] = []
    for idx in by_sent.values():
        toks = [tokens[n] for n in idx]
        ft = [fold_token(text[t.start : t.end]) for t in toks]
        taken = _agents(toks, ft, table, known, out, text)
        if table.capitalised:
            _names(toks, ft, table, spans, taken, out, text)
    return out


def _state_before(toks: list[Any], i: int, known: list[Any], text: str) -> Any | None:
    """A state-like actor ending right before token ``i`` (at most one word between)."""
    for a in known:
        if a.type in PLACE_LIKE and a.iso2 and a.end <= toks[i].start:
            gap = text[a.end : toks[i].start]
            if len(gap.split()) <= 1 and len(gap) <= 14 and not any(c in gap for c in ",.;:()"):
                return a
    return None


def _local_state(toks: list[Any], known: list[Any]) -> Any | None:
    """The state of the sentence's setting: its cities and regions (LOC), when they all lie in
    one state ("police arrested students in Dhaka": Bangladesh's police)."""
    lo, hi = toks[0].start, toks[-1].end
    locs = [a for a in known if a.type == "LOC" and a.iso2 and a.cameo and lo <= a.start < hi]
    return locs[0] if locs and len({a.iso2 for a in locs}) == 1 else None


def _agents(toks: list[Any], ft: list[str], table: AgentTable, known: list[Any], out: list[Found],
            text: str) -> list[tuple[int, int]]:
    taken: list[tuple[int, int]] = []
    i = 0
    while i < len(ft):
        n = table.words.at(ft, i)
        if not n:
            i += 1
            continue
        s, e = toks[i].start, toks[i + n - 1].end
        inside = [a for a in known if a.start <= s and e <= a.end]
        if inside and any(a.type not in PLACE_LIKE and a.cameo for a in inside):
            i += n
            continue  # the entities stage has it already, coded ("Fijian rebels")
        inside = [a for a in inside if a.type in PLACE_LIKE]
        code = table.codes[tuple(ft[i : i + n])]
        near = [a for a in known if a.type in PLACE_LIKE and a.iso2 and a.end <= e and a.start >= toks[max(0, i - 3)].start]
        state = inside[0] if inside else (_state_before(toks, i, near, text) if near else None)
        if state is None and i + n + 1 < len(ft) and ft[i + n] in table.after:
            nxt = toks[i + n + 1].start
            state = next((a for a in known if a.type in PLACE_LIKE and a.iso2 and a.start == nxt), None)
        if state is None:
            state = _local_state(toks, known)
        start = min(s, state.start) if state is not None and state.end <= s and state.start >= toks[max(0, i - 3)].start else s
        cameo = (state.cameo[:3] + code) if state is not None and state.cameo else code
        out.append(Found(start, e, text[start:e], cameo, "ORG", state.iso2 if state is not None else None))
        taken.append((i, i + n))
        i += n
    return taken


def _names(toks: list[Any], ft: list[str], table: AgentTable, spans: list[tuple[int, int]],
           taken: list[tuple[int, int]], out: list[Found], text: str) -> None:
    """Runs of capitalised tokens (inner connector words allowed) that no actor covers."""
    def cap(k: int) -> bool:
        w = text[toks[k].start : toks[k].end]
        return w[:1].isupper() and ft[k] not in table.stop and any(c.isalpha() for c in w)

    busy = {k for a, b in taken for k in range(a, b)}
    k = 0
    while k < len(toks):
        if k in busy or not cap(k) or _covered(spans, toks[k].start, toks[k].end):
            k += 1
            continue
        j = k + 1
        while j < len(toks) and j not in busy and not _covered(spans, toks[j].start, toks[j].end) and (
                cap(j) or (ft[j] in table.inner and j + 1 < len(toks) and cap(j + 1))
                or text[toks[j].start : toks[j].end] == "." and text[toks[j - 1].start : toks[j - 1].end].isupper()):
            j += 1
        s, e = toks[k].start, toks[j - 1].end
        if not (k == 0 and j == 1 and ft[0].endswith("ly")):
            out.append(Found(s, e, text[s:e], None, "ORG"))
        k = j
