"""The events stage's language data, compiled: predicate patterns, phrase sets, clauses, markers.

A pattern is a space-separated list of slots, matched on folded tokens (and lemmas, when the
analyse stage has set them):

- ``word``: that word; ``a|b``: either; ``{NAME}``: any form of the paradigm ``NAME``
  (``paradigms`` in the pack: ``{KAR}`` is every form of the light verb کرنا);
- ``stem+``: the stem with each of the pack's ``suffixes`` (``visit+``: visit, visits, visited,
  visiting; a final e drops before ``drop_e_suffixes``: arriving);
- ``...``: up to ``max_gap`` tokens inside the clause ("signed a new trade agreement").

Patterns are indexed by the forms of their first slot, so a sentence costs one dictionary look-up
per token. Among overlapping matches the one with more fixed slots wins, then the earlier entry.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..kb.places import fold_key, fold_token

GAP = "..."


@dataclass(frozen=True)
class Pattern:
    """A compiled predicate pattern; ``slots`` holds a set of folded forms or None for a gap."""

    slots: tuple[frozenset[str] | None, ...]
    text: str
    cameo: str | None = None
    report: str | None = None
    nominal: bool = False
    mutual: bool = False
    needs_target: bool = False
    order: int = 0

    @property
    def weight(self) -> int:
        """Fixed (non-gap) slots: the more, the more specific."""
        return sum(1 for s in self.slots if s is not None)


@dataclass
class PhraseSet:
    """Phrases of one or more folded tokens, found by their first token."""

    by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, phrases: Iterable[str]) -> "PhraseSet":
        """Build from surface phrases (folded here)."""
        ps = cls()
        for p in phrases:
            key = fold_key(p) or (fold_token(p),)
            ps.by_first.setdefault(key[0], []).append(key)
        for v in ps.by_first.values():
            v.sort(key=len, reverse=True)
        return ps

    def at(self, ft: list[str], i: int) -> int:
        """Length of the longest phrase starting at token ``i`` (0 if none)."""
        for key in self.by_first.get(ft[i], ()) if i < len(ft) else ():
            if tuple(ft[i : i + len(key)]) == key:
                return len(key)
        return 0

    def find(self, ft: list[str], a: int, b: int) -> list[tuple[int, int]]:
        """Non-overlapping phrases inside tokens ``[a, b)``."""
        out, i = [], a
        while i < b:
            n = self.at(ft, i)
            if n and i + n <= b:
                out.append((i, i + n))
                i += n
            else:
                i += 1
        return out


@dataclass(frozen=True)
class Clause:
    """Tokens ``[a, b)`` of a sentence; ``complement`` when opened by a complement marker, ``hard``
    when opened by a contrastive word; ``scope_a`` where the complement it lies in begins."""

    a: int
    b: int
    complement: bool = False
    hard: bool = False
    scope_a: int = 0


@dataclass
class Lexicon:
    """Everything the coder needs from one language's ``events.json``."""

    first: dict[str, list[Pattern]]
    markers: dict[tuple[str, ...], str]
    sets: dict[str, PhraseSet]
    complement: dict[str, str]
    after: bool
    max_gap: int
    past_words: frozenset[str]
    past_suffixes: tuple[str, ...]
    boundary_firsts: frozenset[str] = frozenset()

    def __getattr__(self, name: str) -> PhraseSet:
        sets = self.__dict__.get("sets", {})
        if name in sets:
            return sets[name]
        raise AttributeError(name)

    # ----- markers ----------------------------------------------------------------------
    def _marker_at(self, ft: list[str], i: int) -> tuple[str, int]:
        for n in (3, 2, 1):
            role = self.markers.get(tuple(ft[i : i + n])) if i + n <= len(ft) else None
            if role:
                return role, n
        return "", 0

    def marker_len(self, ft: list[str], i: int, j: int) -> int:
        """Length of the marker after a group over ``[i, j)`` (postposition languages)."""
        return self._marker_at(ft, j)[1]

    def marker_of(self, ft: list[str], i: int, j: int) -> str:
        """The role the marker next to tokens ``[i, j)`` gives them ("" when unmarked)."""
        if self.after:
            return self._marker_at(ft, j)[0]
        k = i - 1
        while k >= 0 and self.determiners.at(ft, k):
            k -= 1
        for n in (1, 2, 3):
            if k - n + 1 >= 0:
                role = self.markers.get(tuple(ft[k - n + 1 : k + 1]))
                if role:
                    return role
        return ""

    # ----- clauses and predicates ------------------------------------------------------------
    def clauses(self, ft: list[str]) -> list[Clause]:
        """Cut a sentence at clause boundaries; a complement's scope runs to the next hard one."""
        cuts: list[tuple[int, bool, bool]] = [(0, False, False)]
        firsts = self.boundary_firsts
        for i in range(1, len(ft)):
            if ft[i] not in firsts:
                continue
            hard = bool(self.hard_boundaries.at(ft, i))
            need = self.complement.get(ft[i])
            if hard or need is not None or self.clause_boundaries.at(ft, i):
                comp = need is not None and (not need or (i + 1 < len(ft) and ft[i + 1].endswith(need)))
                if need and not comp:
                    continue  # "of" not followed by a gerund is no boundary
                cuts.append((i, comp, hard))
        out: list[Clause] = []
        scope = 0
        for k, (a, comp, hard) in enumerate(cuts):
            b = cuts[k + 1][0] if k + 1 < len(cuts) else len(ft)
            if comp or hard:
                scope = a
            out.append(Clause(a, max(b, a + 1), comp, hard, scope))
        return out

    def predicates(self, ft: list[str], lemmas: list[str], clauses: list[Clause]) -> list[tuple[int, int, Pattern]]:
        """Best non-overlapping predicate matches of a sentence, in order."""
        found: list[tuple[int, int, Pattern, frozenset[int]]] = []
        for i in range(len(ft)):
            cands = self.first.get(ft[i], [])
            if lemmas[i] != ft[i]:
                cands = cands + self.first.get(lemmas[i], [])
            if not cands:
                continue
            end = clauses[clause_of(clauses, i)].b
            for p in cands:
                hit = _match(p, ft, lemmas, i, end, self.max_gap, self.negation)
                if hit is not None and self._verb_ends(ft, max(hit)):
                    found.append((i, max(hit) + 1, p, frozenset(hit)))
        found.sort(key=lambda f: (-f[2].weight, f[2].order, f[0]))
        used: set[int] = set()
        chosen = []
        for i, j, p, toks in found:
            if not toks & used:
                used |= toks
                chosen.append((i, j, p))
        return sorted(chosen, key=lambda c: c[0])

    def _verb_ends(self, ft: list[str], k: int) -> bool:
        return _ends_ok(self, ft, k)


def _ends_ok(lex: "Lexicon", ft: list[str], k: int) -> bool:
    """A match ending in a word that is also a postposition (Urdu کی: "did" or "of") must be
    followed by a verb word, punctuation or the sentence end to be a verb."""
    if not lex.ambiguous_final.at(ft, k) or k + 1 >= len(ft):
        return True
    nxt = ft[k + 1]
    return not any(ch.isalnum() for ch in nxt) or bool(lex.verb_followers.at(ft, k + 1))


def _match(p: Pattern, ft: list[str], lemmas: list[str], i: int, end: int, max_gap: int,
           skip: PhraseSet) -> list[int] | None:
    """Token indices matched by pattern ``p`` starting at ``i`` (before ``end``), or None."""
    k, hit = i, []
    slots = p.slots
    s = 0
    while s < len(slots):
        slot = slots[s]
        if slot is None:  # a gap: find the next slot within max_gap tokens
            nxt = slots[s + 1]
            for g in range(k, min(end, k + max_gap + 1)):
                if nxt is not None and (ft[g] in nxt or lemmas[g] in nxt):
                    k = g
                    break
            else:
                return None
            s += 1
            continue
        while 0 < s and k < end and skip.at(ft, k) and not (ft[k] in slot or lemmas[k] in slot):
            k += 1  # a negation inside a compound: دستخط نہیں کیے
        if k >= end or not (ft[k] in slot or lemmas[k] in slot):
            return None
        hit.append(k)
        k += 1
        s += 1
    return hit


def clause_of(clauses: list[Clause], i: int) -> int:
    """Index of the clause holding token ``i``."""
    for k in range(len(clauses) - 1, -1, -1):
        if clauses[k].a <= i:
            return k
    return 0


def governors(clauses: list[Clause], matches: list[tuple[int, Any]]) -> dict[int, Any]:
    """For each clause, the predicate match governing it: the last match before a complement
    clause governs it and the clauses after it up to a hard boundary."""
    out: dict[int, Any] = {}
    current = None
    for k, c in enumerate(clauses):
        if c.hard:
            current = None
        if c.complement:
            before = [m for ck, m in matches if ck == k - 1]
            current = before[-1] if before else None
        if current is not None:
            out[k] = current
    return out


def governs(code: str | None, table: tuple[tuple[str, str], ...]) -> str:
    """What a governing CAMEO code makes of its complement (``reported`` by default)."""
    for prefix, kind in table:
        if code and code.startswith(prefix):
            return kind
    return "reported"


def all_in(ft: list[str], ps: PhraseSet) -> bool:
    """Whether tokens ``ft`` are all covered by phrases of ``ps`` (a conjunction between actors)."""
    i = 0
    while i < len(ft):
        n = ps.at(ft, i)
        if not n:
            return False
        i += n
    return bool(ft)


# ----- compiling ------------------------------------------------------------------------------
def _forms(piece: str, data: dict[str, Any], depth: int = 0) -> set[str]:
    out: set[str] = set()
    for alt in piece.split("|"):
        if alt.startswith("{") and alt.endswith("}") and depth < 3:
            for form in data.get("paradigms", {}).get(alt[1:-1], []):
                out |= _forms(form, data, depth + 1)
        elif alt.endswith("+") and len(alt) > 1:
            stem = alt[:-1]
            out |= {stem + s for s in data.get("suffixes", [""])}
            if stem.endswith("e"):
                out |= {stem[:-1] + s for s in data.get("drop_e_suffixes", [])}
        else:
            out.add(alt)
    return {fold_token(f) for f in out if f and " " not in f}


SET_KEYS = ("ambiguous_final", "verb_followers", "conjunctions", "clause_boundaries", "hard_boundaries", "reflexive", "pronouns", "dual_anaphors",
            "negation", "future", "hypothetical", "intended", "alleged", "modal", "reciprocal", "determiners",
            "intent_cues", "refusal_cues", "demand_modals")
SET_NAMES = {"conjunctions": "conj", "dual_anaphors": "dual"}


def compile_lexicon(data: dict[str, Any]) -> Lexicon:
    """Compile a pack's ``events.json``."""
    first: dict[str, list[Pattern]] = {}
    order = 0
    for entry in data.get("verbs", []):
        for text in entry.get("patterns", []):
            slots = tuple(None if w == GAP else frozenset(_forms(w, data)) for w in text.split())
            if not slots or slots[0] is None:
                continue
            p = Pattern(slots, text, entry.get("cameo"), entry.get("report"), bool(entry.get("nominal")),
                        bool(entry.get("mutual")), bool(entry.get("needs_target")), order)
            order += 1
            for form in slots[0]:
                first.setdefault(form, []).append(p)
    markers: dict[tuple[str, ...], str] = {}
    for role, words in data.get("markers", {}).items():
        if role in ("place_after_noun", "passive_aux"):
            continue
        for w in words:
            markers.setdefault(fold_key(w) or (fold_token(w),), role)
    sets = {SET_NAMES.get(k, k): PhraseSet.of(data.get(k, [])) for k in SET_KEYS}
    sets["place_after_noun"] = PhraseSet.of(data.get("markers", {}).get("place_after_noun", []))
    sets["passive_aux"] = PhraseSet.of(data.get("markers", {}).get("passive_aux", []))
    complement = {fold_token(k): v for k, v in data.get("complement_markers", {}).items()}
    firsts = frozenset(sets["hard_boundaries"].by_first) | frozenset(sets["clause_boundaries"].by_first) | frozenset(complement)
    lex = Lexicon(first, markers, sets, complement, data.get("marker_position", "after") == "after",
                  int(data.get("max_gap", 4)), frozenset(fold_token(w) for w in data.get("past", [])),
                  tuple(data.get("past_suffixes", [])), firsts)
    lex.__dict__.update(sets)  # direct attributes: no __getattr__ on the hot path
    return lex


# ----- CAMEO code information -------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def code_info(code: str) -> dict[str, Any]:
    """Root, QuadClass, Goldstein score and PLOVER ``{type, mode}`` of a CAMEO event code, from
    ``khabar.events`` (``cameo.lookup`` and ``plover.from_cameo``)."""
    from ..events import cameo, plover

    rec = cameo.lookup(code)
    ptype, mode = plover.from_cameo(code)
    return {"root": rec.root if rec else code[:2], "quad_class": rec.quad_class if rec else None,
            "goldstein": rec.goldstein if rec else None,
            "plover": {"type": ptype, "mode": mode or ""} if ptype else None}
