"""Universal Dependencies (CoNLL-U) parses as phrase trees for the PETRARCH-style coder.

The coder (``khabar.events.coder``) reads Penn Treebank phrase structure: subjects are NPs before
a VP in an S, objects and PPs follow the verb, clauses nest as S/SBAR. A dependency parse carries
the same information in head/relation pairs, so this module rebuilds phrases from it:

* a nominal head (NOUN, PROPN, PRON, NUM, ...) with its dependents is an NP; a preposition
  (``case``) before it makes a PP; coordinated nominals (``conj`` + ``cc``) are NPs inside an NP;
* a predicate (a verb, or any word with a copula) is a VP holding its objects and modifiers,
  wrapped in one VP per auxiliary (``was`` -> ``(VP was (VP opposed ...))``, as passives need),
  then ``(VP (TO to) ...)`` for infinitives, an S with its subject, an SBAR with its marker;
* leaves keep the treebank tag (XPOS) when the file has one, else a tag derived from UPOS.

Our own mapping (the UD guidelines and the Penn Treebank bracketing guide describe both schemes).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .coder import Node, parse_tree

NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "SYM", "X", "DET"}
SUBJECT = {"nsubj", "csubj", "expl"}
AUXILIARY = {"aux", "cop"}
CLAUSAL = {"xcomp", "ccomp", "advcl", "acl", "csubj", "parataxis"}
UPOS_TAG = {"NOUN": "NN", "PROPN": "NNP", "PRON": "PRP", "NUM": "CD", "VERB": "VB", "AUX": "VB",
            "ADJ": "JJ", "ADV": "RB", "ADP": "IN", "DET": "DT", "CCONJ": "CC", "SCONJ": "IN",
            "PART": "RP", "PUNCT": ".", "SYM": "SYM", "X": "FW", "INTJ": "UH"}
NEGATORS = {"not", "n't", "never"}
MODIFIER = {"det", "amod", "compound", "nummod", "flat", "flat:name", "compound:prt", "det:predet", "goeswith"}


@dataclass
class Token:
    """One CoNLL-U word line."""

    i: int
    form: str
    upos: str
    xpos: str
    head: int
    rel: str
    kids: list["Token"] = field(default_factory=list)

    @property
    def base(self) -> str:
        """The relation without its subtype (``nsubj:pass`` -> ``nsubj``)."""
        return self.rel.split(":")[0]

    @property
    def tag(self) -> str:
        """A Penn-style tag for the word."""
        if self.xpos and self.xpos not in ("_",) and self.xpos[0].isalpha() or self.xpos in ("''", "``", ",", ".", ":"):
            return self.xpos
        return UPOS_TAG.get(self.upos, "NN")


def read_conllu(block: str) -> list[Token]:
    """The word lines of one CoNLL-U sentence (multiword ranges and empty nodes skipped)."""
    toks: list[Token] = []
    for line in block.splitlines():
        cols = line.strip("\n").split("\t")
        if len(cols) < 8 or line.startswith("#") or not cols[0].isdigit():
            continue
        head = int(cols[6]) if cols[6].isdigit() else 0
        toks.append(Token(int(cols[0]), cols[1], cols[3], cols[4], head, cols[7]))
    by_id = {t.i: t for t in toks}
    for t in toks:
        if t.head in by_id and t.head != t.i:
            by_id[t.head].kids.append(t)
    return toks


def _leaf(t: Token) -> str:
    word = t.form.replace("(", "-LRB-").replace(")", "-RRB-").replace(" ", "_") or "_"
    tag = t.tag.replace("(", "-LRB-").replace(")", "-RRB-")
    return f"({tag} {word})"


def _is_predicate(t: Token) -> bool:
    return t.upos in ("VERB", "AUX") or any(k.base == "cop" for k in t.kids)


def _nominal(t: Token, skip_cc: bool = False) -> str:
    """An NP (or a PP when a preposition precedes it) for a nominal head and its dependents."""
    conj = [k for k in t.kids if k.base == "conj"]
    pre_case = [k for k in t.kids if k.base == "case" and k.i < t.i and k.tag != "POS"]
    parts: list[tuple[int, str]] = [(t.i, _leaf(t))]
    for k in t.kids:
        if k in conj or k in pre_case or (k.base == "cc" and (skip_cc or conj)) or k.base == "punct" and k.i > t.i:
            continue
        parts.append((k.i, _build(k)))
    np = "(NP " + " ".join(p for _, p in sorted(parts)) + ")"
    if conj:
        np = "(NP " + _coordinate(t, np, conj) + ")"
    if pre_case:
        return "(PP " + " ".join(_leaf(c) for c in sorted(pre_case, key=lambda x: x.i)) + " " + np + ")"
    return np


def _coordinate(t: Token, first: str, conj: list[Token]) -> str:
    """The members of a coordination with their conjunctions, in sentence order.

    ``cc`` hangs on the following conjunct (UD v2) or on the first one (UD v1); both are read.
    """
    parts: list[tuple[int, str]] = [(t.i, first)]
    parts.extend((c.i, _build(c, skip_cc=True)) for c in conj)
    for owner in [t] + conj:
        parts.extend((k.i, _leaf(k)) for k in owner.kids if k.base == "cc")
    return " ".join(p for _, p in sorted(parts))


def _clause(t: Token, skip_cc: bool = False) -> str:
    """An S (or SBAR, VP) for a predicate and its dependents."""
    subj = [k for k in t.kids if k.base in SUBJECT]
    aux = sorted((k for k in t.kids if k.base in AUXILIARY), key=lambda x: x.i)
    marks = sorted((k for k in t.kids if k.base == "mark"), key=lambda x: x.i)
    to = [m for m in marks if m.tag == "TO"]
    marks = [m for m in marks if m not in to]
    neg = [k for k in t.kids if k.base == "advmod" and k.form.lower() in NEGATORS and aux]
    verb_conj = [k for k in t.kids if k.base == "conj" and _is_predicate(k)]
    used = set(map(id, subj + aux + marks + to + neg + verb_conj))
    rest = [(k.i, _build(k)) for k in t.kids
            if id(k) not in used and not (k.base == "cc" and (skip_cc or verb_conj)) and not (k.base == "punct")]
    vp = "(VP " + " ".join(p for _, p in sorted(rest + [(t.i, _leaf(t))])) + ")"
    for a in reversed(aux):
        negs = " ".join(_leaf(n) for n in neg if n.i > a.i and (a is aux[-1] or n.i < aux[aux.index(a) + 1].i))
        vp = f"(VP {_leaf(a)} {negs} {vp})"
    if to:
        vp = f"(VP {_leaf(to[0])} {vp})"
    if verb_conj:
        vp = "(VP " + _coordinate(t, vp, verb_conj) + ")"
    if not subj and not marks and t.base == "acl":
        return vp
    s = "(S " + " ".join(_build(k) for k in sorted(subj, key=lambda x: x.i)) + " " + vp + ")"
    if marks:
        return "(SBAR " + " ".join(_leaf(m) for m in marks) + " " + s + ")"
    return s


def _build(t: Token, skip_cc: bool = False) -> str:
    """The phrase headed by a token."""
    if _is_predicate(t) and (t.upos in ("VERB", "AUX") or t.base in CLAUSAL or t.head == 0):
        return _clause(t, skip_cc)
    if not t.kids and t.rel in MODIFIER:
        return _leaf(t)
    if t.upos in NOMINAL or t.base in ("nsubj", "obj", "iobj", "obl", "nmod", "conj", "appos"):
        if t.upos in NOMINAL or t.kids:
            return _nominal(t, skip_cc)
    if not t.kids:
        return _leaf(t)
    label = {"ADJ": "ADJP", "ADV": "ADVP", "ADP": "PP"}.get(t.upos, "XP")
    parts = [(t.i, _leaf(t))] + [(k.i, _build(k)) for k in t.kids if not (skip_cc and k.base == "cc")]
    return f"({label} " + " ".join(p for _, p in sorted(parts)) + ")"


def conllu_tree(block: str) -> Node:
    """A CoNLL-U sentence as a phrase tree the coder reads (raises ValueError when empty)."""
    toks = read_conllu(block)
    roots = [t for t in toks if t.head == 0]
    if not roots:
        raise ValueError("no root in CoNLL-U block")
    body = " ".join(_build(r) for r in roots)
    return parse_tree(f"(ROOT (S {body}))" if not body.startswith("(S ") else f"(ROOT {body})")


def conllu_bracketed(block: str) -> str:
    """The bracketed form of ``conllu_tree`` (for reading and debugging)."""
    toks = read_conllu(block)
    return " ".join(_build(r) for r in toks if r.head == 0)
