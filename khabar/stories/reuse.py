"""Text reuse within one language: near-duplicate candidates by MinHash/LSH, then a finer
comparison that says how much of a derived text comes from a source.

``compare(source, derived)`` scores the derived text by how much of it is contained in the source:

* ``chars``: the share of the derived text's character 4-grams (letters and digits only, folded
  with ``khabar.kb.places.fold``, spaces dropped) found in the source. Robust to the spacing and
  joining slips of Urdu newspaper text (``کےآ خری``, ``کیلئے``/``کے لیے`` partly);
* ``words``: the share of the derived text's word bigrams found in the source.

``score = WEIGHT_CHARS * chars + (1 - WEIGHT_CHARS) * words``; ``wholly`` derived at
``WHOLLY_AT`` or more, ``partly`` at ``DERIVED_AT`` or more, else ``none``. The weight and the two
thresholds were chosen on the COUNTER development pairs (docs/stories.md gives the figures).
The shared passages (the evidence) come from greedy string tiling over folded word tokens: the
longest common runs first, each token used once, runs of at least ``TILE_MIN`` tokens.

``ReuseIndex`` finds candidate sources for a text among many with MinHash signatures over word
3-gram shingles and datasketch's LSH; ``band_keys`` gives the same LSH bands as strings so a
store can index them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..kb.places import Tok, fold, tokens

RULE = "stories.reuse@1"
CHAR_N = 4
WORD_N = 2
SHINGLE_N = 3
WEIGHT_CHARS = 0.55
DERIVED_AT = 0.145
WHOLLY_AT = 0.45
TILE_MIN = 4
NUM_PERM = 64
LSH_BANDS = 16  # 16 bands of 4 rows: candidates from about 0.4 Jaccard up
_NON_WORD = re.compile(r"\W+")

Label = Literal["wholly", "partly", "none"]


@dataclass(frozen=True)
class Passage:
    """A run of words shared by the two texts: character offsets into each text."""

    source_start: int
    source_end: int
    derived_start: int
    derived_end: int
    words: int


@dataclass(frozen=True)
class Reuse:
    """How much of ``derived`` comes from ``source``, with the shared passages as evidence."""

    label: Label
    score: float
    chars: float
    words: float
    passages: tuple[Passage, ...] = ()
    rule: str = RULE

    @property
    def derived(self) -> bool:
        """Wholly or partly derived."""
        return self.label != "none"

    def to_dict(self, limit: int = 5) -> dict[str, Any]:
        """JSON: label, scores and the ``limit`` longest passages."""
        longest = sorted(self.passages, key=lambda p: -p.words)[:limit]
        return {"label": self.label, "score": round(self.score, 4), "chars": round(self.chars, 4),
                "words": round(self.words, 4), "rule": self.rule,
                "passages": [[p.source_start, p.source_end, p.derived_start, p.derived_end] for p in longest]}


@dataclass
class Prepared:
    """A text cut up once for comparisons: folded tokens, word bigrams, character grams."""

    toks: list[Tok]
    bigrams: set[tuple[str, ...]] = field(default_factory=set)
    grams: set[str] = field(default_factory=set)


def prepare(text: str) -> Prepared:
    """Tokens and n-gram sets of ``text`` for ``compare_prepared``."""
    toks = tokens(text)
    words = [t.text for t in toks]
    flat = _NON_WORD.sub("", fold(text)[0])
    return Prepared(toks, ngrams(words, WORD_N), {flat[i : i + CHAR_N] for i in range(len(flat) - CHAR_N + 1)})


def ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams of ``words``."""
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def containment(source: set[Any], derived: set[Any]) -> float:
    """Share of ``derived`` found in ``source`` (0 for an empty ``derived``)."""
    return len(source & derived) / len(derived) if derived else 0.0


def label_for(score: float) -> Label:
    """The three-way label of a reuse score."""
    if score >= WHOLLY_AT:
        return "wholly"
    return "partly" if score >= DERIVED_AT else "none"


def compare(source: str, derived: str) -> Reuse:
    """How much of ``derived`` is taken from ``source`` (see the module docstring)."""
    return compare_prepared(prepare(source), prepare(derived))


def compare_prepared(src: Prepared, der: Prepared) -> Reuse:
    """``compare`` on prepared texts (prepare each text once when comparing it many times)."""
    chars = containment(src.grams, der.grams)
    words = containment(src.bigrams, der.bigrams)
    score = WEIGHT_CHARS * chars + (1 - WEIGHT_CHARS) * words
    label = label_for(score)
    passages = tuple(tile(src.toks, der.toks)) if label != "none" else ()
    return Reuse(label, score, chars, words, passages)


def tile(src: list[Tok], der: list[Tok], min_len: int = TILE_MIN) -> list[Passage]:
    """Greedy string tiling: the longest common token runs first, each token in one run only;
    runs shorter than ``min_len`` are not passages. Sorted by position in the derived text."""
    s_words = [t.text for t in src]
    d_words = [t.text for t in der]
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(s_words) - min_len + 1):
        index.setdefault(tuple(s_words[i : i + min_len]), []).append(i)
    s_used = [False] * len(s_words)
    d_used = [False] * len(d_words)
    found: list[tuple[int, int, int]] = []
    while True:
        best = _longest_runs(s_words, d_words, index, s_used, d_used, min_len)
        if not best:
            break
        for i, j, k in best:
            if any(s_used[i : i + k]) or any(d_used[j : j + k]):
                continue
            s_used[i : i + k] = [True] * k
            d_used[j : j + k] = [True] * k
            found.append((i, j, k))
    found.sort(key=lambda r: r[1])
    return [Passage(src[i].start, src[i + k - 1].end, der[j].start, der[j + k - 1].end, k) for i, j, k in found]


def _longest_runs(s: list[str], d: list[str], index: dict[tuple[str, ...], list[int]],
                  s_used: list[bool], d_used: list[bool], min_len: int) -> list[tuple[int, int, int]]:
    """All unmarked common runs of the greatest length (at least ``min_len``)."""
    best: list[tuple[int, int, int]] = []
    top = min_len - 1
    for j in range(len(d) - min_len + 1):
        if d_used[j]:
            continue
        for i in index.get(tuple(d[j : j + min_len]), ()):
            k = 0
            while (i + k < len(s) and j + k < len(d) and s[i + k] == d[j + k]
                   and not s_used[i + k] and not d_used[j + k]):
                k += 1
            if k > top:
                best, top = [(i, j, k)], k
            elif k == top and k >= min_len:
                best.append((i, j, k))
    return best


# ----- candidates by MinHash/LSH -----------------------------------------------------------------
def shingles(text: str, n: int = SHINGLE_N) -> set[bytes]:
    """Word n-gram shingles of ``text`` (folded), as bytes for MinHash."""
    words = [t.text for t in tokens(text)]
    if len(words) < n:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


def minhash(text: str) -> Any:
    """A datasketch ``MinHash`` of the text's shingles (seeded, so signatures are comparable)."""
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=7)
    for sh in shingles(text):
        mh.update(sh)
    return mh


def band_keys(text: str, bands: int = LSH_BANDS) -> list[str]:
    """The text's LSH band hashes as strings (``lsh:<band>:<hash>``) for an inverted index:
    two texts share a band key with high probability when their shingle Jaccard is high."""
    if not shingles(text):
        return []
    values = minhash(text).hashvalues
    rows = len(values) // bands
    out = []
    for b in range(bands):
        chunk = ",".join(str(int(v)) for v in values[b * rows : (b + 1) * rows])
        out.append(f"lsh:{b}:{hashlib.blake2b(chunk.encode(), digest_size=6).hexdigest()}")
    return out


class ReuseIndex:
    """Candidate sources among many texts: datasketch MinHashLSH over word 3-gram shingles."""

    def __init__(self, threshold: float = 0.3) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.texts: dict[str, Prepared] = {}

    def add(self, key: str, text: str) -> None:
        """Index ``text`` under ``key``."""
        self.lsh.insert(key, minhash(text))
        self.texts[key] = prepare(text)

    def candidates(self, text: str) -> list[str]:
        """Keys of indexed texts likely to share much of ``text``."""
        return sorted(self.lsh.query(minhash(text)))

    def sources_of(self, text: str) -> list[tuple[str, Reuse]]:
        """Indexed texts ``text`` derives from, by the fine comparison, best first."""
        der = prepare(text)
        hits = [(k, compare_prepared(self.texts[k], der)) for k in self.candidates(text)]
        return sorted([h for h in hits if h[1].derived], key=lambda h: -h[1].score)
