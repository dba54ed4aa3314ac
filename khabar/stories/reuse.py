"""Text reuse within one language: near-duplicate candidates by MinHash/LSH, then a finer
comparison that says how much of a derived text comes from a source.

``compare(source, derived)`` measures seven overlap features on folded tokens
(``khabar.kb.places.tokens``: Arabic-script letter variants and diacritics folded, digits made
ASCII) and reads them with two small logistic models shipped as data in ``reuse_model.json``:

* ``chars``: share of the derived text's character 5-grams (tokens joined without spaces) found
  in the source; robust to the joining and splitting slips of Urdu newspaper text (``نےکہا``);
* ``source_tiled``: share of the source's tokens inside shared runs of at least ``TILE_MIN``
  tokens (greedy string tiling): how much of the source was used;
* ``tiled``: the same share of the derived text's tokens;
* ``longest``: the longest shared run, as a share of the derived text's tokens;
* ``figures``: share of the derived text's numbers (digit tokens) found in the source, 0 when it
  has none: a rewrite keeps the figures of the text it rewrites;
* ``stems``: share of the derived text's distinct stems (first ``STEM_LEN`` letters of a token:
  tolerant of inflection and spelling) found in the source;
* ``aligned``: sentence alignment: share of the derived sentences whose best-matching source
  sentence contains at least ``ALIGN_AT`` of its words and word bigrams.

The ``derived`` model (chars, source_tiled, figures, longest) gives ``score``, the probability
that the text derives from the source at all; the ``wholly`` model (stems, aligned, tiled),
trained on derived pairs only, says whether it is wholly or partly derived. Both were fitted on
the COUNTER Urdu development pairs (``khabar eval reuse --fit``; the model card is
``reuse_model.md``, and the weights carry the corpus's CC BY-NC-SA 4.0 terms). The shared passages
(the evidence) are the tiles of at least ``PASSAGE_MIN`` tokens, with offsets into both texts.

``ReuseIndex`` finds candidate sources for a text among many with MinHash signatures over word
3-gram shingles and datasketch's LSH; ``band_keys`` gives the same LSH bands as strings so a
store can index them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ModelError
from ..kb.places import Tok, tokens

RULE = "stories.reuse@2"
MODEL_PATH = Path(__file__).resolve().parent / "reuse_model.json"
CHAR_N = 5
STEM_LEN = 4
ALIGN_AT = 0.3
MIN_SENTENCE = 3  # tokens; shorter pieces (bylines, stray numbers) are not aligned
SHINGLE_N = 3
TILE_MIN = 3
PASSAGE_MIN = 4
NUM_PERM = 64
LSH_BANDS = 16  # 16 bands of 4 rows: candidates from about 0.4 Jaccard up
FEATURES = ("chars", "source_tiled", "tiled", "longest", "figures", "stems", "aligned")
# more alignment measures, for model selection (``khabar eval reuse`` tries them by cross-validation)
TILE_LENGTHS = (2, 5, 8)
WORD_NS = (1, 2, 3, 4, 5)
CONTENT_MIN = 4  # letters: shorter tokens (most function words) are left out of the content overlaps
ALIGN_LEVELS = (0.5, 0.7)
EXTRA_FEATURES = (("chars6", "source_chars", "length_ratio", "source_longest")
                  + tuple(f"tiled{m}" for m in TILE_LENGTHS) + tuple(f"source_tiled{m}" for m in TILE_LENGTHS)
                  + tuple(f"words{n}" for n in WORD_NS) + tuple(f"source_words{n}" for n in WORD_NS)
                  + ("content1", "content2", "source_content1")
                  + tuple(f"aligned{int(a * 10)}" for a in ALIGN_LEVELS))
# sentence ends: Latin, Arabic and Urdu full stops and question marks, danda, line breaks
# (a full stop before a digit is a decimal point)
_SENT_END = re.compile(r"[\n!?\u061f\u06d4\u0964]+|\.(?!\d)")

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
    """How much of ``derived`` comes from ``source``, with the shared passages as evidence.

    ``score`` is the probability that ``derived`` derives from ``source``; ``wholly`` the
    probability that a derived text is wholly derived; ``features`` the measured overlaps."""

    label: Label
    score: float
    wholly: float
    features: dict[str, float]
    passages: tuple[Passage, ...] = ()
    rule: str = RULE

    @property
    def derived(self) -> bool:
        """Wholly or partly derived."""
        return self.label != "none"

    @property
    def chars(self) -> float:
        """Share of the derived text's character 5-grams found in the source."""
        return self.features.get("chars", 0.0)

    def to_dict(self, limit: int = 5) -> dict[str, Any]:
        """JSON: label, probabilities, features and the ``limit`` longest passages."""
        longest = sorted(self.passages, key=lambda p: -p.words)[:limit]
        return {"label": self.label, "score": round(self.score, 4), "wholly": round(self.wholly, 4),
                "features": {k: round(v, 4) for k, v in self.features.items()}, "rule": self.rule,
                "passages": [[p.source_start, p.source_end, p.derived_start, p.derived_end] for p in longest]}


@dataclass
class Prepared:
    """A text cut up once for comparisons: folded tokens, character grams, stems, numbers and
    per-sentence word sets."""

    toks: list[Tok]
    grams: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    figures: set[str] = field(default_factory=set)
    sentences: list[set[tuple[str, ...]]] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The folded words."""
        return [t.text for t in self.toks]


def prepare(text: str) -> Prepared:
    """Tokens and the sets ``compare_prepared`` needs, for ``text``."""
    toks = tokens(text)
    words = [t.text for t in toks]
    flat = "".join(words)
    return Prepared(toks, _grams(flat, CHAR_N),
                    {w[:STEM_LEN] for w in words}, {w for w in words if w.isdigit()},
                    [ngrams(s, 1) | ngrams(s, 2) for s in sentences(text, toks)])


def sentences(text: str, toks: list[Tok]) -> list[list[str]]:
    """The folded words of each sentence of ``text`` with at least ``MIN_SENTENCE`` tokens."""
    cuts = [m.start() for m in _SENT_END.finditer(text)]
    out: list[list[str]] = [[]]
    k = 0
    for t in toks:
        while k < len(cuts) and cuts[k] < t.start:
            k += 1
            out.append([])
        out[-1].append(t.text)
    return [s for s in out if len(s) >= MIN_SENTENCE]


def ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams of ``words``."""
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def containment(source: set[Any], derived: set[Any]) -> float:
    """Share of ``derived`` found in ``source`` (0 for an empty ``derived``)."""
    return len(source & derived) / len(derived) if derived else 0.0


def aligned_share(src: list[set[tuple[str, ...]]], der: list[set[tuple[str, ...]]],
                  level: float = ALIGN_AT) -> float:
    """Share of the derived sentences whose best source sentence holds at least ``level`` of
    their words and word bigrams."""
    if not der or not src:
        return 0.0
    hits = sum(1 for d in der if max(containment(s, d) for s in src) >= level)
    return hits / len(der)


def measure(src: Prepared, der: Prepared) -> tuple[dict[str, float], list[Passage]]:
    """The overlap features of ``der`` against ``src`` (see the module docstring) and the tiles."""
    tiles = tile(src.toks, der.toks, TILE_MIN)
    covered = sum(p.words for p in tiles)
    n_src, n_der = max(1, len(src.toks)), max(1, len(der.toks))
    feats = {
        "chars": containment(src.grams, der.grams),
        "source_tiled": covered / n_src,
        "tiled": covered / n_der,
        "longest": max((p.words for p in tiles), default=0) / n_der,
        "figures": containment(src.figures, der.figures),
        "stems": containment(src.stems, der.stems),
        "aligned": aligned_share(src.sentences, der.sentences),
    }
    return feats, tiles


def measure_more(src: Prepared, der: Prepared, base: dict[str, float]) -> dict[str, float]:
    """``base`` (the ``measure`` features) plus ``EXTRA_FEATURES``: character 6-gram containment,
    containment of the source in the derived text, the length ratio (derived over source,
    capped at 1), greedy string tiling coverage at other minimum match lengths (both ways), word
    n-gram containment for n = 1..5 (both ways), overlaps of content words (at least
    ``CONTENT_MIN`` letters) and sentence alignment shares at stricter levels. All in [0, 1]."""
    sw, dw = src.words, der.words
    n_src, n_der = max(1, len(sw)), max(1, len(dw))
    out = dict(base)
    flat_s, flat_d = "".join(sw), "".join(dw)
    out["chars6"] = containment(_grams(flat_s, 6), _grams(flat_d, 6))
    out["source_chars"] = containment(der.grams, src.grams)
    out["length_ratio"] = min(1.0, n_der / n_src)
    out["source_longest"] = base["longest"] * n_der / n_src
    for m in TILE_LENGTHS:
        covered = sum(p.words for p in tile(src.toks, der.toks, m))
        out[f"tiled{m}"], out[f"source_tiled{m}"] = covered / n_der, covered / n_src
    for n in WORD_NS:
        a, b = ngrams(sw, n), ngrams(dw, n)
        out[f"words{n}"], out[f"source_words{n}"] = containment(a, b), containment(b, a)
    cs, cd = [w for w in sw if len(w) >= CONTENT_MIN], [w for w in dw if len(w) >= CONTENT_MIN]
    out["content1"], out["source_content1"] = containment(set(cs), set(cd)), containment(set(cd), set(cs))
    out["content2"] = containment(ngrams(cs, 2), ngrams(cd, 2))
    for level in ALIGN_LEVELS:
        out[f"aligned{int(level * 10)}"] = aligned_share(src.sentences, der.sentences, level)
    return out


def _grams(flat: str, n: int) -> set[str]:
    return {flat[i : i + n] for i in range(len(flat) - n + 1)}


@dataclass(frozen=True)
class Logistic:
    """A logistic model over named features: standardised inputs, weights and a bias."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def probability(self, feats: dict[str, float]) -> float:
        """P(positive) for a feature dict (missing features count as their mean)."""
        z = self.bias
        for name, m, s, w in zip(self.features, self.mean, self.scale, self.weights):
            z += w * (feats.get(name, m) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_dict(self) -> dict[str, Any]:
        """JSON form (as stored in ``reuse_model.json``)."""
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Logistic":
        """Read the JSON form; a ``ModelError`` when it is malformed."""
        try:
            parts = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "weights")]
            names = tuple(str(n) for n in data["features"])
            model = cls(names, parts[0], parts[1], parts[2], float(data["bias"]), float(data.get("threshold", 0.5)))
        except (KeyError, TypeError, ValueError) as err:
            raise ModelError(f"malformed reuse model: {err}") from err
        if not all(len(p) == len(names) for p in parts) or any(s <= 0 for s in model.scale):
            raise ModelError("malformed reuse model: feature, weight and scale lists differ")
        return model


@dataclass(frozen=True)
class ReuseModel:
    """The two models: derived or not, and (for derived texts) wholly or partly."""

    derived: Logistic
    wholly: Logistic

    def label(self, feats: dict[str, float]) -> tuple[Label, float, float]:
        """The label with P(derived) and P(wholly | derived)."""
        p = self.derived.probability(feats)
        q = self.wholly.probability(feats)
        if p < self.derived.threshold:
            return "none", p, q
        return ("wholly" if q >= self.wholly.threshold else "partly"), p, q


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> ReuseModel:
    """The shipped model (``reuse_model.json``), read once."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot read the reuse model {path.name}: {err}") from err
    if not isinstance(data, dict) or "derived" not in data or "wholly" not in data:
        raise ModelError(f"malformed reuse model {path.name}: needs 'derived' and 'wholly'")
    return ReuseModel(Logistic.from_dict(data["derived"]), Logistic.from_dict(data["wholly"]))


def compare(source: str, derived: str, model: ReuseModel | None = None) -> Reuse:
    """How much of ``derived`` is taken from ``source`` (see the module docstring)."""
    return compare_prepared(prepare(source), prepare(derived), model)


def compare_prepared(src: Prepared, der: Prepared, model: ReuseModel | None = None) -> Reuse:
    """``compare`` on prepared texts (prepare each text once when comparing it many times)."""
    use = model or load_model()
    feats, tiles = measure(src, der)
    if not set(use.derived.features + use.wholly.features) <= set(feats):
        feats = measure_more(src, der, feats)
    label, p, q = use.label(feats)
    passages = tuple(t for t in tiles if t.words >= PASSAGE_MIN) if label != "none" else ()
    return Reuse(label, p, q, feats, passages)


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
