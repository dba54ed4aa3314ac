"""CoNLL-U of the analysed sentences, and a small reader for it.

With tokens from the ``analyse`` stage (the Spark job's ``tokens`` table) every column is filled:
LEMMA, UPOS, FEATS, HEAD (sentence-local, 0 for the root) and DEPREL. Articles without a parse
(a store keeps no tokens; a language without a model) are cut into words at white space and
punctuation, with ``_`` in every column the parser would fill. ``MISC`` holds
``TokenRange=start:end``, offsets into the article's original text, and ``SpaceAfter=No`` where
the next token follows at once. Comments: ``newdoc id``, ``sent_id``, ``text`` (line breaks as spaces).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


@dataclass
class Sentence:
    """One CoNLL-U sentence: comment lines (key -> value) and token rows of 10 columns."""

    comments: dict[str, str] = field(default_factory=dict)
    rows: list[list[str]] = field(default_factory=list)


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def split_words(text: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each word and punctuation mark of ``text``, offsets shifted by ``offset``."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        a, b = i, j
        while a < b and _is_punct(text[a]):
            out.append((offset + a, offset + a + 1))
            a += 1
        tail = []
        while b > a and _is_punct(text[b - 1]):
            tail.append((offset + b - 1, offset + b))
            b -= 1
        if a < b:
            out.append((offset + a, offset + b))
        out.extend(reversed(tail))
        i = j
    return out


def _cell(value: Any) -> str:
    text = "_" if value in (None, "") else str(value)
    return " ".join(text.split()) or "_"


def _misc(text: str, start: int, end: int, nxt: int | None) -> str:
    misc = f"TokenRange={start}:{end}"
    return misc + ("|SpaceAfter=No" if nxt is not None and nxt == end else "")


def sentences(doc: dict[str, Any], tokens: list[dict[str, Any]] | None = None) -> Iterator[Sentence]:
    """CoNLL-U sentences of one article JSON; ``tokens`` are its rows of the ``tokens`` table."""
    text = doc.get("text") or ""
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for t in sorted(tokens or [], key=lambda t: t["idx"]):
        by_sentence.setdefault(int(t["sentence"]), []).append(t)
    spans = doc.get("sentences") or ([[0, len(text)]] if text.strip() else [])
    for n, (s, e) in enumerate(spans):
        sent = Sentence({"sent_id": f"{doc['id']}-{n + 1}", "text": " ".join(text[s:e].split())})
        if n == 0:
            sent.comments = {"newdoc id": doc["id"], **sent.comments}
        parsed = by_sentence.get(n)
        sent.rows = _parsed_rows(text, parsed) if parsed else _plain_rows(text, split_words(text[s:e], s))
        if sent.rows:
            yield sent


def _plain_rows(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    rows = []
    for i, (a, b) in enumerate(spans):
        nxt = spans[i + 1][0] if i + 1 < len(spans) else None
        rows.append([str(i + 1), _cell(text[a:b]), "_", "_", "_", "_", "_", "_", "_", _misc(text, a, b, nxt)])
    return rows


def _parsed_rows(text: str, toks: list[dict[str, Any]]) -> list[list[str]]:
    first = int(toks[0]["idx"])
    rows = []
    for i, t in enumerate(toks):
        head = t.get("head")
        if head is None or not 0 <= int(head) - first < len(toks):
            head_s = "_"
        else:
            head_s = "0" if int(head) == int(t["idx"]) else str(int(head) - first + 1)
        dep = t.get("dep")
        nxt = int(toks[i + 1]["start"]) if i + 1 < len(toks) else None
        rows.append([str(i + 1), _cell(text[t["start"]:t["end"]]), _cell(t.get("lemma")), _cell(t.get("upos")),
                     "_", _cell(t.get("feats")), head_s, "root" if head_s == "0" else _cell(dep), "_",
                     _misc(text, int(t["start"]), int(t["end"]), nxt)])
    return rows


def write(sents: Iterable[Sentence], out: Any) -> int:
    """Write sentences as CoNLL-U to a text stream; returns the number of sentences."""
    n = 0
    for sent in sents:
        for key, value in sent.comments.items():
            out.write(f"# {key} = {value}\n")
        for row in sent.rows:
            out.write("\t".join(row) + "\n")
        out.write("\n")
        n += 1
    return n


def read(text: str) -> list[Sentence]:
    """Parse CoNLL-U text; raises ValueError on a token line without 10 columns."""
    out: list[Sentence] = []
    cur = Sentence()
    for line in text.split("\n"):
        if not line.strip():
            if cur.rows or cur.comments:
                out.append(cur)
            cur = Sentence()
        elif line.startswith("#"):
            key, _, value = line[1:].strip().partition(" = ")
            cur.comments[key] = value
        else:
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"CoNLL-U line with {len(cols)} columns: {line[:60]!r}")
            cur.rows.append(cols)
    if cur.rows or cur.comments:
        out.append(cur)
    return out
