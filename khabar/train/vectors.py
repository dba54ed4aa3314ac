"""Static word vectors made by our own code: PPMI + truncated SVD over raw text, with numpy only.

1. Tokenise the raw texts with the language's spaCy tokenizer, after the recipe's normalisation.
2. Keep the ``vocab`` most frequent words (``min_count`` or more) as targets and the ``contexts``
   most frequent as contexts; count co-occurrences in a symmetric window weighted by 1/distance.
3. Positive PMI with context-distribution smoothing (alpha 0.75), then the top ``dims`` singular
   vectors of the (targets x contexts) matrix, via the eigen-decomposition of its Gram matrix.
4. Rows are scaled to unit length and stored as spaCy ``Vectors`` keyed by the word's ORTH.

The vectors are numbers learnt from the text, not the text; the texts' licences still apply to
the model they are shipped in (see the model card).
"""
from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
from spacy.language import Language
from spacy.vectors import Vectors

log = logging.getLogger(__name__)
_XML_TEXT = re.compile(r"<(headline|body)>(.*?)</\1>", re.S)


def raw_texts(path: Path) -> Iterator[str]:
    """Paragraphs of a raw-text source: a CSV (first column), a folder of XML files
    (``<headline>``/``<body>`` elements) or a plain-text file (one paragraph per line)."""
    if path.is_dir():
        for f in sorted(path.glob("*.xml")):
            for m in _XML_TEXT.finditer(f.read_text(encoding="utf-8", errors="replace")):
                yield from (p for p in m.group(2).splitlines() if p.strip())
    elif path.suffix == ".csv":
        csv.field_size_limit(1 << 24)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                if row and row[0] != "news":
                    yield row[0]
    else:
        with path.open(encoding="utf-8") as fh:
            yield from (line for line in fh if line.strip())


def column_sentences(path: Path, strip_prefix: str = "") -> Iterator[list[str]]:
    """Sentences of a token-per-line corpus (first column; blank lines end a sentence;
    ``-DOCSTART-`` lines skipped), each token without ``strip_prefix`` (WikiANN's ``en:``)."""
    words: list[str] = []
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            cols = line.split()
            if not cols or cols[0] == "-DOCSTART-":
                if words:
                    yield words
                words = []
                continue
            word = cols[0][len(strip_prefix):] if strip_prefix and cols[0].startswith(strip_prefix) else cols[0]
            words.append(word)
    if words:
        yield words


def tokenised(nlp: Language, texts: Iterable[str], norm: Callable[[str], str]) -> Iterator[list[str]]:
    """Token strings of each text, normalised, using only the tokenizer."""
    for doc in nlp.tokenizer.pipe((norm(t) for t in texts), batch_size=500):
        yield [t.text for t in doc if not t.is_space]


def ppmi_svd(sentences: list[list[str]], vocab: int, contexts: int, dims: int, window: int,
             min_count: int) -> tuple[list[str], np.ndarray]:
    """Words and their ``dims``-dimensional PPMI-SVD vectors (unit rows, float32)."""
    counts = Counter(w for s in sentences for w in s)
    words = [w for w, c in counts.most_common(vocab) if c >= min_count]
    t_index = {w: i for i, w in enumerate(words)}
    n_ctx = min(contexts, len(words))
    cooc = np.zeros((len(words), n_ctx), dtype=np.float32)
    for s in sentences:
        ids = np.array([t_index.get(w, -1) for w in s], dtype=np.int64)
        for d in range(1, window + 1):
            a, b = ids[:-d], ids[d:]
            for x, y in ((a, b), (b, a)):
                ok = (x >= 0) & (y >= 0) & (y < n_ctx)
                np.add.at(cooc, (x[ok], y[ok]), 1.0 / d)
    return words, _ppmi_svd_matrix(cooc, dims)


def _ppmi_svd_matrix(cooc: np.ndarray, dims: int) -> np.ndarray:
    total = cooc.sum()
    row = cooc.sum(axis=1, keepdims=True)
    ctx = cooc.sum(axis=0) ** 0.75
    ctx_p = ctx / ctx.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((cooc / total) / ((row / total) * ctx_p[None, :]))
    m = np.nan_to_num(np.maximum(pmi, 0.0), nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)
    gram = m.T @ m
    vals, vecs = np.linalg.eigh(gram.astype(np.float64))
    top = np.argsort(vals)[::-1][:dims]
    sing = np.sqrt(np.maximum(vals[top], 1e-12))
    emb = (m @ vecs[:, top].astype(np.float32)) / np.sqrt(sing).astype(np.float32)  # U * S^0.5
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    return (emb / np.maximum(norms, 1e-8)).astype(np.float32)


def with_features(words: list[str], table: np.ndarray, features: dict[str, set[str]], weight: float,
                  common: set[str], extra_keep: set[str] | None = None) -> tuple[list[str], np.ndarray]:
    """``table`` with one more column per feature (sorted by name): ``weight`` where the word is
    in the feature's word set, else 0. Feature words without a vector get a row of zeros plus
    their features, so a name known only from a gazetteer still carries its feature (only those
    in ``extra_keep`` when it is given, to bound the table's size). Words in ``common`` (the most
    frequent words of the text) never get a feature: function words occur inside many multi-word
    names."""
    names = sorted(features)
    extra = sorted({w for ws in features.values() for w in ws} - set(words) - common)
    if extra_keep is not None:
        extra = [w for w in extra if w in extra_keep]
    words = words + extra
    base = np.vstack([table, np.zeros((len(extra), table.shape[1]), dtype=np.float32)])
    index = {w: i for i, w in enumerate(words)}
    feats = np.zeros((len(words), len(names)), dtype=np.float32)
    for j, name in enumerate(names):
        rows = [index[w] for w in features[name] if w in index and w not in common]
        feats[rows, j] = weight
    return words, np.hstack([base, feats]).astype(np.float32)


def build_vectors(nlp: Language, sentences: list[list[str]], out: Path, *, vocab: int = 20000,
                  contexts: int = 3000, dims: int = 96, window: int = 4, min_count: int = 3,
                  features: dict[str, set[str]] | None = None, feature_weight: float = 0.5,
                  common_words: int = 200) -> Path:
    """Compute vectors (plus feature columns, see ``with_features``) and save a blank pipeline
    holding them at ``out`` (for ``initialize.vectors``)."""
    words, table = ppmi_svd(sentences, vocab, contexts, dims, window, min_count)
    if features:
        common = set(words[:common_words])
        words, table = with_features(words, table, features, feature_weight, common)
    log.info("vectors: %d words x %d dims from %d sentences", len(words), table.shape[1], len(sentences))
    return save_vectors(nlp, words, table, out)


def save_vectors(nlp: Language, words: list[str], table: np.ndarray, out: Path) -> Path:
    """Put ``table`` (row i = ``words[i]``) into ``nlp``'s vocab and save the pipeline at ``out``."""
    set_vectors(nlp, words, table)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def set_vectors(nlp: Language, words: list[str], table: np.ndarray) -> None:
    """Replace ``nlp``'s static vectors by ``table`` (row i = ``words[i]``)."""
    nlp.vocab.vectors = Vectors(data=table, keys=[nlp.vocab.strings.add(w) for w in words])
    for w in words:
        nlp.vocab[w]


def load_vectors(path: Path) -> tuple[list[str], np.ndarray]:
    """Words (in row order) and table of the vectors saved at ``path`` by ``save_vectors``."""
    import spacy

    vocab = spacy.load(path).vocab
    rows = sorted(vocab.vectors.key2row.items(), key=lambda kv: kv[1])
    table = np.asarray(vocab.vectors.data, dtype=np.float32)
    return [vocab.strings[key] for key, _ in rows], table[[r for _, r in rows]]
