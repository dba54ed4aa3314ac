"""Matching a name in any script to named identities: the KB's own spellings first, then keys.

Two steps, used by the evaluation (``khabar eval linking``) and by ``ActorKB.find``:

1. **Exact or folded spelling** (``FoldedIndex``): names the knowledge base already holds for a
   language or script (CLDR state and city names, actors' aliases) are looked up as folded token
   tuples (``khabar.kb.places.fold_key``: case, accents, Arabic-script letter variants). Many names
   are translations, not transliterations (ألمانيا/Germany, Vietnamese Đức), and only this step
   finds them.
2. **Transliteration** (``KeyMatcher``): otherwise every candidate name is scored against the
   query with ``khabar.text.translit.name_score_parts`` (consonant keys plus vowel-bearing
   spellings; short keys lean on the spellings). A candidate's name may also match by its leading
   words or the part before a comma ("Vostok" -> "Vostok Station", "Center" -> "Center, North
   Dakota"), and the query by a run of its words ("Острова Кайман" -> "Cayman"), at a small
   discount (``PART``). Candidates are first narrowed with rapidfuzz over the keys.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..langs import pack
from ..text.translit import has_learned, learned_score, match_keys, name_score_parts, query_variant, spelling
from .places import fold_key

PART = 0.96  # a name matched by part of its words scores this fraction of the whole's score
PREFILTER = 25  # candidates kept by the key prefilter per query key
LEARNED = 0.4  # share of the learned table's score in a non-Latin query's score (chosen on dev)
RESCORE = 12  # candidates (best by keys) rescored with the learned table
SHORT = 3  # keys of at most this many symbols (no spaces) are "short": they collide easily


_ASCII_TOKEN = re.compile(r"[a-z0-9]+")


def folded(name: str) -> tuple[str, ...]:
    """``fold_key(name)`` with a fast path for ASCII names (most of the KB's names)."""
    if name.isascii():
        return tuple(_ASCII_TOKEN.findall(name.lower()))
    return fold_key(name)


class FoldedIndex:
    """Folded spellings -> identity ids (step 1)."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, ...], list[str]] = {}

    def add(self, name: str, ident: str) -> None:
        """Index ``name`` as a spelling of ``ident``."""
        key = folded(name)
        if key:
            ids = self._index.setdefault(key, [])
            if ident not in ids:
                ids.append(ident)

    def lookup(self, name: str) -> list[str]:
        """Ids with a spelling that folds like ``name`` (in the order they were added)."""
        return list(self._index.get(folded(name), ()))

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True)
class Form:
    """One matchable form of a candidate's name: its key, joined key, spelling and discount."""

    ident: str
    key: str
    spelled: str
    weight: float
    text: str = ""


def forms(name: str, ident: str) -> list[Form]:
    """The forms of a candidate name: whole, its part before a comma, its leading words."""
    out = [Form(ident, k, spelling(name), 1.0, name) for k in match_keys(name)]
    head = name.split(",")[0].strip()
    parts = [head] if head and head != name else []
    words = head.split()
    parts += [" ".join(words[:n]) for n in range(1, len(words))]
    for part in parts:
        for k in match_keys(part):
            if len(k.replace(" ", "")) > SHORT:
                out.append(Form(ident, k, spelling(part), PART, part))
    return out


def query_parts(query: str) -> list[tuple[str, float]]:
    """The query and runs of its words (with the ``PART`` discount)."""
    words = query.replace(",", " ").split()
    out = [(query, 1.0)]
    variant = query_variant(query)
    if variant != query:
        out.append((variant, PART))
    for n in range(1, len(words)):
        for i in range(len(words) - n + 1):
            out.append((" ".join(words[i : i + n]), PART))
    return out


class KeyMatcher:
    """Candidates (id -> names) scored against a query by transliteration keys (step 2)."""

    def __init__(self, candidates: Mapping[str, Iterable[str]]) -> None:
        self.forms: list[Form] = [f for ident, names in candidates.items() for n in names for f in forms(n, ident)]
        self._spaced = [f.key for f in self.forms]
        self._joined = [f.key.replace(" ", "") for f in self.forms]
        self._texts: dict[str, dict[str, float]] = {}
        for f in self.forms:
            texts = self._texts.setdefault(f.ident, {})
            texts[f.text] = max(texts.get(f.text, 0.0), f.weight)

    def rank(self, query: str, limit: int = 5, learned: bool = True) -> list[tuple[str, float]]:
        """The best ``limit`` candidate ids with their scores (0..1), best first; with ``learned``
        (the default), a non-Latin query's best candidates are rescored with the learned table."""
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for part, weight in query_parts(query):
            spelled = spelling(part)
            for qkey in match_keys(part):
                if not qkey:
                    continue
                picks = {i for _, _, i in process.extract(qkey, self._spaced, scorer=fuzz.ratio, limit=PREFILTER)}
                picks |= {i for _, _, i in process.extract(qkey.replace(" ", ""), self._joined, scorer=fuzz.ratio,
                                                           limit=PREFILTER)}
                for i in picks:
                    f = self.forms[i]
                    s = name_score_parts(qkey, spelled, f.key, f.spelled) * weight * f.weight
                    if s > best.get(f.ident, 0.0):
                        best[f.ident] = s
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if learned:
            ranked = self._rescore(query, ranked)
        return [(i, round(s, 4)) for i, s in ranked[:limit]]

    def _rescore(self, query: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The best ``RESCORE`` candidates' scores blended with the learned table's (``blend``);
        the rest keep their keys' score scaled as if the learned table gave them nothing better."""
        head: list[tuple[str, float | None]] = []
        variant = query_variant(query)
        for ident, rule in ranked[:RESCORE]:
            texts = self._texts.get(ident, {})
            score = blend(query, rule, texts.items())
            if variant != query and score is not None:
                score = max(score, blend(variant, rule, texts.items()) or 0.0)
            head.append((ident, score))
        if all(s is None for _, s in head):
            return ranked
        out = [(i, s) for i, s in head if s is not None]
        floor = min((s for _, s in out), default=0.0)
        out += [(i, min(s * (1 - LEARNED), floor)) for i, s in ranked[RESCORE:]]
        return sorted(out, key=lambda kv: (-kv[1], kv[0]))


def short_key(name: str) -> bool:
    """True when every matching key of ``name`` has at most ``SHORT`` symbols (easily confused)."""
    return all(len(k.replace(" ", "")) <= SHORT for k in match_keys(name))


def blend(query: str, rule: float, texts: Iterable[tuple[str, float]]) -> float | None:
    """A candidate's score for ``query``: its keys' score ``rule`` blended (``LEARNED``) with the best
    learned-table score of its names (``texts``: name, discount). None when the query's script
    has no learned table (Latin, Vietnamese)."""
    learned = None
    for text, weight in texts:
        ls = learned_score(query, text)
        if ls is None:
            return None
        learned = max(learned or 0.0, ls * weight)
    if learned is None:
        return None
    return (1 - LEARNED) * rule + LEARNED * learned


# ----- confidence: a logistic model over the ranking, fitted on the train split -------------------
def regime(query: str) -> str:
    """``learned`` when ``query``'s script has a learned table (scores are blended), else ``keys``."""
    return "learned" if has_learned(query) else "keys"


def features(query: str, scored: list[tuple[str, float]]) -> list[float]:
    """What the confidence is computed from: a bias, the best score, its lead over the runner-up,
    whether the query's key is short, and the query's length (letters, capped at 15, over 15)."""
    s1 = scored[0][1] if scored else 0.0
    s2 = scored[1][1] if len(scored) > 1 else 0.0
    letters = min(len(query.replace(" ", "")), 15) / 15
    return [1.0, s1, s1 - s2, float(short_key(query)), letters]


@functools.lru_cache(maxsize=1)
def _weights() -> dict[str, list[float]]:
    return pack("_common").json("translit_learned").get("calibration", {})  # type: ignore[no-any-return]


def confidence(query: str, scored: list[tuple[str, float]], weights: dict[str, list[float]] | None = None) -> float:
    """The probability that the best of ``scored`` (``KeyMatcher.rank``'s answer, at least two
    candidates asked for) is right: the logistic model of ``weights`` (default: the shipped one,
    fitted by ``khabar.kb.build_translit`` on the train split) for ``query``'s regime."""
    if not scored:
        return 0.0
    w = (weights if weights is not None else _weights()).get(regime(query))
    if not w:
        return scored[0][1]
    z = sum(a * b for a, b in zip(w, features(query, scored)))
    return 1.0 / (1.0 + math.exp(-z))
