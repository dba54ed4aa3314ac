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

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..text.translit import match_keys, name_score_parts, spelling
from .places import fold_key

PART = 0.96  # a name matched by part of its words scores this fraction of the whole's score
PREFILTER = 25  # candidates kept by the key prefilter per query key
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


def forms(name: str, ident: str) -> list[Form]:
    """The forms of a candidate name: whole, its part before a comma, its leading words."""
    out = [Form(ident, k, spelling(name), 1.0) for k in match_keys(name)]
    head = name.split(",")[0].strip()
    parts = [head] if head and head != name else []
    words = head.split()
    parts += [" ".join(words[:n]) for n in range(1, len(words))]
    for part in parts:
        for k in match_keys(part):
            if len(k.replace(" ", "")) > SHORT:
                out.append(Form(ident, k, spelling(part), PART))
    return out


def query_parts(query: str) -> list[tuple[str, float]]:
    """The query and runs of its words (with the ``PART`` discount)."""
    words = query.replace(",", " ").split()
    out = [(query, 1.0)]
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

    def rank(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        """The best ``limit`` candidate ids with their scores (0..1), best first."""
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
        return [(i, round(s, 4)) for i, s in ranked[:limit]]


def short_key(name: str) -> bool:
    """True when every matching key of ``name`` has at most ``SHORT`` symbols (easily confused)."""
    return all(len(k.replace(" ", "")) <= SHORT for k in match_keys(name))
