"""Readers for the treebanks and NER corpora in ``../shared/data``, turning them into spaCy ``Doc``s.

Every reader yields plain records first (``Sent``: words, spaces, annotations), so the same
sentences can become spaCy docs, CoNLL-U for UDPipe, or evaluation gold without re-reading.
Nothing read here is ever written into the repository: derived ``.spacy``/``.conllu`` files go
under the git-ignored ``build/`` folder.

Formats handled:

* CoNLL-U (UD): multiword-token ranges and empty nodes are skipped (gold words are kept).
* UNER: one sentence per line, entities as inline tags ``<PERSON>…</PERSON>`` in running text.
* IJCNLP-2008 and Jahangir: ``token<TAB>TAG`` without BIO; adjacent equal tags form one entity.
* IL-NER: ``token<TAB>B-NEP`` BIO tags in the ILCI tagset.
* CoNLL-2003: ``token POS chunk IOB1-tag`` with ``-DOCSTART-`` lines.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

Normaliser = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass
class Sent:
    """One sentence: gold words and, where the corpus has them, syntax or entity spans.

    ``ents`` holds ``(first_word, end_word, label)`` with ``end_word`` exclusive.
    """

    sid: str
    words: list[str]
    spaces: list[bool]
    upos: list[str] = field(default_factory=list)
    xpos: list[str] = field(default_factory=list)
    feats: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)  # 0-based absolute; a root points to itself
    deps: list[str] = field(default_factory=list)
    ents: list[tuple[int, int, str]] = field(default_factory=list)


# ----- CoNLL-U ------------------------------------------------------------------------------
def read_conllu(path: Path) -> Iterator[Sent]:
    """Sentences of a CoNLL-U file (gold words; multiword ranges and empty nodes skipped)."""
    sid, rows = "", []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif not line:
                if rows:
                    yield _conllu_sent(sid or f"{path.stem}-{id(rows)}", rows)
                sid, rows = "", []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    rows.append(cols)
    if rows:
        yield _conllu_sent(sid, rows)


def _conllu_sent(sid: str, rows: list[list[str]]) -> Sent:
    s = Sent(sid, [], [])
    for cols in rows:
        s.words.append(cols[1])
        s.spaces.append("SpaceAfter=No" not in cols[9])
        s.lemmas.append(cols[2])
        s.upos.append(cols[3])
        s.xpos.append(cols[4])
        s.feats.append("" if cols[5] == "_" else cols[5])
        head = int(cols[6])
        s.heads.append(head - 1 if head > 0 else int(cols[0]) - 1)
        s.deps.append("ROOT" if cols[7] == "root" else cols[7])
    return s


def to_conllu(sents: Iterable[Sent]) -> str:
    """Sentences back as CoNLL-U (for UDPipe training and evaluation)."""
    out: list[str] = []
    for s in sents:
        out.append(f"# sent_id = {s.sid}")
        for i, w in enumerate(s.words):
            head = 0 if s.heads[i] == i else s.heads[i] + 1
            dep = "root" if s.deps[i] == "ROOT" else s.deps[i]
            misc = "_" if s.spaces[i] else "SpaceAfter=No"
            out.append("\t".join([str(i + 1), w, s.lemmas[i] or "_", s.upos[i], s.xpos[i] or "_",
                                  s.feats[i] or "_", str(head), dep, "_", misc]))
        out.append("")
    return "\n".join(out) + "\n"


# ----- NER formats --------------------------------------------------------------------------
_TAG_RE = re.compile(r"<(/?)([A-Z]+)>")


def read_inline_tagged(path: Path, tokenize: Callable[[str], list[tuple[str, bool, int]]],
                       labels: dict[str, str]) -> Iterator[Sent]:
    """UNER-style lines with inline ``<TYPE>…</TYPE>`` tags; ``sid`` is the 1-based line number.

    ``tokenize(text)`` gives ``(word, space_after, start_char)``; entity character spans are
    widened to whole words. Types not in ``labels`` are dropped (their words stay).
    """
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            text, spans = _strip_tags(line.strip())
            if not text:
                continue
            toks = tokenize(text)
            sent = Sent(f"line-{n}", [t[0] for t in toks], [t[1] for t in toks])
            starts = [t[2] for t in toks]
            for a, b, typ in spans:
                if typ in labels:
                    first = max(i for i, st in enumerate(starts) if st <= a) if starts and starts[0] <= a else 0
                    last = max(i for i, st in enumerate(starts) if st < b) if starts else 0
                    sent.ents.append((first, last + 1, labels[typ]))
            sent.ents = _drop_overlaps(sent.ents)
            yield sent


def _strip_tags(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    text: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_at: dict[str, int] = {}
    pos, length = 0, 0
    for m in _TAG_RE.finditer(line):
        chunk = line[pos : m.start()]
        text.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, typ = m.group(1) == "/", m.group(2)
        if not closing:
            open_at[typ] = length
        elif typ in open_at:
            a = open_at.pop(typ)
            plain = "".join(text)
            while a < length and plain[a].isspace():
                a += 1
            b = length
            while b > a and plain[b - 1].isspace():
                b -= 1
            if b > a:
                spans.append((a, b, typ))
    text.append(line[pos:])
    return "".join(text), spans


def read_token_tag(path: Path, labels: dict[str, str], scheme: str = "plain",
                   sep: str | None = "\t") -> Iterator[Sent]:
    """Token-per-line NER files; ``scheme`` is ``plain`` (no BIO), ``bio`` or ``iob1``.

    Blank lines end sentences; ``-DOCSTART-`` lines are skipped; the tag is the last column.
    """
    words: list[str] = []
    tags: list[str] = []
    n = 0
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            cols = line.strip().split(sep)
            if not line.strip() or cols[0] == "-DOCSTART-":
                if words:
                    n += 1
                    yield _tagged_sent(f"{path.stem}-{n}", words, tags, labels, scheme)
                words, tags = [], []
                continue
            words.append(cols[0])
            tags.append(cols[-1].strip() if len(cols) > 1 else "O")
    if words:
        yield _tagged_sent(f"{path.stem}-{n + 1}", words, tags, labels, scheme)


def _tagged_sent(sid: str, words: list[str], tags: list[str], labels: dict[str, str],
                 scheme: str) -> Sent:
    sent = Sent(sid, list(words), [True] * len(words))
    start, cur = -1, ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, typ = tag.rpartition("-") if "-" in tag else ("", "", tag)
        typ = "" if typ == "O" or not typ else typ
        begins = bool(typ) and (
            typ != cur or (scheme == "bio" and prefix != "I") or (scheme == "iob1" and prefix == "B")
        )
        if cur and (typ != cur or begins):
            if cur in labels:
                sent.ents.append((start, i, labels[cur]))
            cur = ""
        if begins:
            start, cur = i, typ
    return sent


def _drop_overlaps(ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for e in sorted(ents, key=lambda e: (e[0], -(e[1] - e[0]))):
        if not kept or e[0] >= kept[-1][1]:
            kept.append(e)
    return kept


# ----- conversion and splits -----------------------------------------------------------------
def to_doc(vocab: Vocab, s: Sent, norm: Normaliser = _same, syntax: bool = True) -> Doc:
    """A spaCy ``Doc`` for one sentence (words normalised by ``norm``, one char for one char)."""
    words = [norm(w) for w in s.words]
    kw: dict[str, object] = {}
    if syntax and s.upos:
        kw = {"pos": s.upos, "morphs": s.feats, "lemmas": [norm(x) for x in s.lemmas],
              "heads": s.heads, "deps": s.deps, "sent_starts": [True] + [False] * (len(words) - 1)}
    doc = Doc(vocab, words=words, spaces=s.spaces, **kw)  # type: ignore[arg-type]
    if s.ents:
        doc.ents = [Span(doc, a, b, label=lab) for a, b, lab in s.ents]
    return doc


def held_out(ids: Iterable[str], fraction: float, seed: int) -> set[str]:
    """A fixed, seeded ``fraction`` of ``ids``: those with the smallest sha256(f"{seed}:{id}").

    Independent of file order and of Python's ``random`` implementation, so it is documentable
    and reproducible anywhere.
    """
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return set(ranked[: round(len(ranked) * fraction)])
