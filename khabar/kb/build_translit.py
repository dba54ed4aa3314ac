"""Build the learned transliteration table: which Latin letters each Arabic-script, Cyrillic and
Devanagari letter is written as in names, with probabilities, learned from name pairs.

    python -m khabar.kb.build_translit            # writes khabar/langs/_common/translit_learned.json
    python -m khabar.kb.build_translit --check    # rebuilds in memory, compares with the file

Data: the **train** split of ``khabar.kb.name_pairs`` only (CLDR state and city names through Babel,
Unicode License v3, in the evaluation's languages and ``TRAIN_LANGS``: more languages of the same
scripts; our curated actors, MIT); dev and test identities are never read. A pair is used
when its name has as many words as the English one and our rule-based ``name_score`` is at least
``MIN_SCORE`` (translations such as ألمانيا/Germany teach nothing about letters).

Method (our own code): each word pair is aligned monotonically, every source letter writing 0 to
``MAX_OUT`` Latin letters; the alignment of highest probability is found by dynamic programming
(``khabar.text.translit.learned_logp``) and the table re-estimated from its counts (hard EM,
``ROUNDS`` rounds). The first round's costs come from our hand-written rules (``translit.json``):
an output near the rule's letter is cheap. A letter's unit is tagged by position (``^x`` first,
``x$`` last, ``x`` inside a word); each unit keeps the Latin strings it wrote with smoothed
probabilities and its count (``_n``), from which unseen strings get a low probability.

The file also holds ``calibration``: per regime (``learned``: a script with a table, scores blended;
``keys``: rule keys alone, e.g. Vietnamese) the weights of a logistic model that turns a ranking
(best score, its lead, short key, length) into the probability that the best candidate is right
(``khabar.kb.names.confidence``), fitted on how the matcher ranks the train split.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..langs import LANGS_DIR

OUT = LANGS_DIR / "_common" / "translit_learned.json"
SCRIPTS = ("Arab", "Cyrl", "Deva")
MIN_SCORE = 0.5
ROUNDS = 4
ALPHA = 0.5  # add-alpha smoothing of a unit's emissions
FIT_STEPS = 5000  # gradient steps of the confidence model
KEEP = 2  # emissions seen fewer times than this are not stored (unless they are a unit's only one)


def _lev(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def prior_table(word_pairs: list[tuple[list[str], str]], script: str) -> dict[str, dict[str, float]]:
    """First-round log probabilities: for each unit and each Latin string of up to MAX_OUT letters
    seen in the pairs, a cost by edit distance from our rule's romanisation of the letter."""
    from ..text.translit import MAX_OUT, romanise_word

    outs: set[str] = set()
    units: set[str] = set()
    for us, latin in word_pairs:
        units.update(us)
        for k in range(1, MAX_OUT + 1):
            outs.update(latin[j : j + k] for j in range(len(latin) - k + 1))
    table: dict[str, dict[str, float]] = {}
    for u in units:
        ch = u.strip("^$")
        rule = romanise_word(ch) if ch else ""
        row = {"": -2.0 - (1.0 if rule else 0.0)}
        for t in outs:
            extra = t[len(rule):] if t.startswith(rule) else None
            if extra is not None and all(c in "aeiou" for c in extra):
                row[t] = -0.5 * len(extra)
            else:
                row[t] = -1.5 * _lev(t, rule) - 0.5
        table[u] = row
    return table


def training_words(script: str) -> list[tuple[list[str], str]]:
    """(units of a word, its Latin word) from the train split's pairs of ``script``."""
    from ..text.script import char_script
    from ..text.translit import latin_word, learned_units, name_score, words
    from .name_pairs import TRAIN_LANGS, all_pairs

    pairs, english = all_pairs(TRAIN_LANGS)
    out = []
    for p in pairs:
        if p.split != "train" or not p.query or next((s for s in map(char_script, p.query) if s), "") != script:
            continue
        latin = english[p.category][p.gold]
        qw, lw = words(p.query), words(latin)
        if len(qw) != len(lw) or name_score(p.query, latin) < MIN_SCORE:
            continue
        for q, l in zip(qw, lw):
            units, target = learned_units(q), latin_word(l)
            if units and target and len(target) <= 4 * len(units):
                out.append((units, target))
    return out


def estimate(word_pairs: list[tuple[list[str], str]], table: dict[str, dict[str, float]]) -> dict[str, Any]:
    """One round of hard EM: align every pair with ``table``, count, smooth."""
    from ..text.translit import learned_align

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for units, latin in word_pairs:
        for u, t in learned_align(units, latin, table):
            counts[u][t] += 1
            if u[0] == "^" or u[-1] == "$":
                counts[u.strip("^$")][t] += 1  # the plain unit pools every position (back-off)
    out: dict[str, Any] = {}
    for u, c in sorted(counts.items()):
        n = sum(c.values())
        kept = {t: k for t, k in c.items() if k >= KEEP} or dict(c.most_common(1))
        denom = n + ALPHA * (len(kept) + 1)
        row: dict[str, Any] = {t: round(math.log((k + ALPHA) / denom), 3) for t, k in sorted(kept.items())}
        row["_n"] = n
        out[u] = row
    return out


def fit_logistic(x: list[list[float]], y: list[bool]) -> list[float]:
    """Logistic regression weights by full-batch gradient ascent from zeros (deterministic), with
    a little L2 shrinkage; rounded to 4 decimals."""
    import numpy as np

    xa, ya = np.array(x, dtype=float), np.array(y, dtype=float)
    w = np.zeros(xa.shape[1])
    for _ in range(FIT_STEPS):
        p = 1.0 / (1.0 + np.exp(-(xa @ w)))
        w += 0.5 * xa.T @ (ya - p) / len(ya) - 1e-4 * w
    return [round(float(v), 4) for v in w]


def calibrate(scripts: dict[str, Any]) -> dict[str, list[float]]:
    """Confidence weights per regime (``khabar.kb.names.confidence``), fitted on how the matcher
    (with ``scripts`` as its learned table) ranks the train split's pairs."""
    from ..text.translit import set_learned_table
    from .name_pairs import all_pairs
    from .names import KeyMatcher, features, regime

    pairs, english = all_pairs()
    matchers = {c: KeyMatcher({i: [n] for i, n in names.items()}) for c, names in english.items()}
    data: dict[str, tuple[list[list[float]], list[bool]]] = {"learned": ([], []), "keys": ([], [])}
    set_learned_table(scripts)
    try:
        for p in pairs:
            if p.split != "train":
                continue
            scored = matchers[p.category].rank(p.query, limit=2)
            x, y = data[regime(p.query)]
            x.append(features(p.query, scored))
            y.append(bool(scored) and scored[0][0] == p.gold)
    finally:
        set_learned_table(None)
    return {r: fit_logistic(x, y) for r, (x, y) in data.items() if x}


def build() -> dict[str, Any]:
    """The whole table (every script) and the confidence weights, as written to ``OUT``."""
    import babel

    from .name_pairs import DEV_PCT, SEED, TEST_PCT

    scripts: dict[str, Any] = {}
    sizes: dict[str, int] = {}
    for script in SCRIPTS:
        wp = training_words(script)
        sizes[script] = len(wp)
        table: dict[str, Any] = prior_table(wp, script)
        for _ in range(ROUNDS):
            table = estimate(wp, table)
        scripts[script] = table
    calibration = calibrate(scripts)
    return {"_source": "Learned by khabar (khabar/kb/build_translit.py, our code, MIT) from the train split of "
                       "name pairs: Unicode CLDR state and exemplar-city names via Babel "
                       f"{babel.__version__} (Unicode License v3) and khabar's curated actors (MIT). "
                       "Only letter-to-Latin probabilities are stored, no names.",
            "_build": "python -m khabar.kb.build_translit",
            "_split": {"seed": SEED, "test_pct": TEST_PCT, "dev_pct": DEV_PCT, "used": "train"},
            "_babel": babel.__version__,
            "_words": sizes, "_calibration_features": "bias, best score, lead over the runner-up, short key, "
                                                      "letters (capped at 15) / 15",
            "calibration": calibration, "scripts": scripts}


def main(argv: list[str] | None = None) -> int:
    """Write the table, or with ``--check`` compare a fresh build with the committed file."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare a fresh build with the file")
    args = ap.parse_args(argv)
    data = build()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    if args.check:
        same = Path(OUT).read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from a fresh build")
        return 0 if same else 1
    Path(OUT).write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {data['_words']} training words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
