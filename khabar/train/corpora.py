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
    text: str = ""  # the raw sentence (CoNLL-U ``# text``), where the corpus gives it

    def raw_text(self) -> str:
        """The sentence as raw text: ``# text`` if known, else the words joined by their spaces."""
        if self.text:
            return self.text
        return "".join(w + (" " if sp else "") for w, sp in zip(self.words, self.spaces)).strip()


# ----- CoNLL-U ------------------------------------------------------------------------------
def read_conllu(path: Path) -> Iterator[Sent]:
    """Sentences of a CoNLL-U file (gold words; multiword ranges and empty nodes skipped)."""
    sid, text, rows = "", "", []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# sent_id"):
                sid = line.split("=", 1)[1].strip()
            elif re.match(r"# text\s*=", line):
                text = line.split("=", 1)[1].strip()
            elif not line:
                if rows:
                    yield _conllu_sent(sid or f"{path.stem}-{id(rows)}", rows, text)
                sid, text, rows = "", "", []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    rows.append(cols)
    if rows:
        yield _conllu_sent(sid, rows, text)


def _conllu_sent(sid: str, rows: list[list[str]], text: str = "") -> Sent:
    s = Sent(sid, [], [], text=text)
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
# An opening tag ``<TYPE>``, a closing tag ``</TYPE>``, or the typo ``/<TYPE>`` some corpora use
# for a closing tag (taken as closing only when ``TYPE`` is open).
_TAG_RE = re.compile(r"<(/?)([A-Z]+)>|/<([A-Z]+)>")
# Characters that are no text inside a line: a byte order mark there is where files were joined.
_JOINS = str.maketrans({"\ufeff": " "})
Tokenizer = Callable[[str], list[tuple[str, bool, int]]]


def read_inline_tagged(path: Path, tokenize: Tokenizer, labels: dict[str, str],
                       sentence_ends: str = "") -> Iterator[Sent]:
    """UNER-style lines with inline ``<TYPE>…</TYPE>`` tags; ``sid`` is the 1-based line number.

    ``tokenize(text)`` gives ``(word, space_after, start_char)`` with ``start_char`` in ``text``;
    entity character spans are widened to whole words, and a tag between two letters is a word
    boundary. Types not in ``labels`` are dropped (their words stay). With ``sentence_ends``, a
    line holding several sentences is split after each token made only of those characters
    (never inside an entity): the parts are ``line-N#1``, ``line-N#2``… so a split by line
    (``group_id``) keeps them together.
    """
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            text, spans = _strip_tags(line.strip().translate(_JOINS))
            if not text.strip():
                continue
            toks = tokenize(text)
            sent = Sent(f"line-{n}", [t[0] for t in toks], [t[1] for t in toks])
            starts = [t[2] for t in toks]
            for a, b, typ in spans:
                if typ in labels and starts:
                    first = max((i for i, st in enumerate(starts) if st <= a), default=0)
                    last = max((i for i, st in enumerate(starts) if st < b), default=0)
                    sent.ents.append((first, last + 1, labels[typ]))
            sent.ents = _drop_overlaps(sent.ents)
            yield from split_sentences(sent, sentence_ends)


def group_id(sid: str) -> str:
    """The id of the line or document a (possibly split) sentence comes from."""
    return sid.partition("#")[0]


def split_sentences(sent: Sent, ends: str) -> list[Sent]:
    """``sent`` cut after every token made only of characters in ``ends`` that is not inside an
    entity; one part keeps ``sent`` as it is."""
    if not ends:
        return [sent]
    inside = {i for a, b, _ in sent.ents for i in range(a, b - 1)}
    cuts = [i + 1 for i, w in enumerate(sent.words[:-1]) if w and all(c in ends for c in w) and i not in inside]
    if not cuts:
        return [sent]
    parts: list[Sent] = []
    for k, (a, b) in enumerate(zip([0] + cuts, cuts + [len(sent.words)]), 1):
        part = Sent(f"{sent.sid}#{k}", sent.words[a:b], sent.spaces[a:b])
        part.ents = [(x - a, y - a, lab) for x, y, lab in sent.ents if a <= x and y <= b]
        parts.append(part)
    return parts


def _strip_tags(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    text: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_at: dict[str, int] = {}
    pos, length = 0, 0
    for m in _TAG_RE.finditer(line):
        typo = m.group(3)
        if typo and typo not in open_at:
            continue  # a literal slash before an opening tag: the tag is read on its own below
        chunk = line[pos : m.start()]
        if chunk and _glued(_last_char(text), chunk[0]):
            chunk = " " + chunk  # a tag between two letters separates two words
        text.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, typ = bool(typo) or m.group(1) == "/", typo or m.group(2)
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
    rest = line[pos:]
    if rest and _glued(_last_char(text), rest[0]):
        rest = " " + rest
    text.append(rest)
    return "".join(text), spans


def _last_char(chunks: list[str]) -> str:
    return next((c[-1] for c in reversed(chunks) if c), "")


def _glued(before: str, after: str) -> bool:
    return bool(before) and before.isalnum() and after.isalnum()


def read_token_tag(path: Path, labels: dict[str, str], scheme: str = "plain",
                   sep: str | None = "\t", sentence_ends: str = "") -> Iterator[Sent]:
    """Token-per-line NER files; ``scheme`` is ``plain`` (no BIO), ``bio`` or ``iob1``.

    Blank lines end sentences; ``-DOCSTART-`` lines are skipped; the tag is the last column.
    With ``sentence_ends`` a block is split like ``read_inline_tagged`` splits a line.
    """
    for sent in _read_token_tag(path, labels, scheme, sep):
        yield from split_sentences(sent, sentence_ends)


def _read_token_tag(path: Path, labels: dict[str, str], scheme: str, sep: str | None) -> Iterator[Sent]:
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
    words = [norm(w) or w for w in s.words]  # a word of removed characters only stays as it is
    kw: dict[str, object] = {}
    if syntax and s.upos:
        kw = {"pos": s.upos, "morphs": s.feats, "lemmas": [norm(x) or x for x in s.lemmas],
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
