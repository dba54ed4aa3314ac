"""``khabar eval linking``: cross-script name matching, precision and recall on held-out identities.

Pairs (a name in Urdu, Arabic, Persian, Hindi, Russian or Vietnamese; the English name of its
identity) and their split come from ``khabar.kb.name_pairs``: CLDR state and exemplar-city names
(Babel) and our curated actors; identities (not pairs) are split by a seeded hash into train
(60%), dev (15%) and test (25%), so every spelling of a test identity is test.

**The honest matcher** never sees a held-out identity's non-Latin spelling:

1. the knowledge base's own spellings (places KB: CLDR and GeoNames names per language; actors'
   names) are looked up first, in an index from which every dev and test identity's spellings are
   removed (a query may still hit another identity's spelling, which counts as wrong);
2. else every English name of the pair's category is scored by ``khabar.kb.names.KeyMatcher``:
   our rule-based keys, then (``learned``) the best ``RESCORE`` candidates blended with the learned
   transliteration table (``khabar/langs/_common/translit_learned.json``, built from the train
   split only by ``python -m khabar.kb.build_translit``).

The answer is the top candidate when its score reaches the threshold and beats the runner-up by
``MARGIN`` (``SHORT_MARGIN`` for a short key). The threshold is the lowest (step 0.01) whose
precision on **dev** reaches ``TARGET_P``; test only reports. Precision = right answers / answers,
recall = right answers / queries. The learned matcher's score is its calibrated ``confidence``
(``khabar.kb.names.confidence``: a logistic model of the ranking, fitted on train). Figures: per
script group and overall, the precision-recall points by confidence threshold, the rule keys alone
(before the learned table, on their own score with the margin rule; also at the pipeline's
``LINK_AT``, since the link stage still scores people by ``name_score``) and, apart and labelled,
the old in-KB figure (the full KB, which holds the test names' own spellings: not a measure of
cross-script matching).

CLDR names include translations (ألمانيا for Germany, Vietnamese Đức, القدس for Jerusalem), which
no transliteration can match; they stay in the test split and count as misses.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

import click

from ..kb.name_pairs import Pair, all_pairs, split_of
from ..kb.names import FoldedIndex, KeyMatcher, confidence, short_key

TARGET_P = 0.95
MARGIN = 0.01  # the best candidate must beat the next by this much
SHORT_MARGIN = 0.05  # ... by this much when the query's key is short (Vienna/Havana: "fn")
CURVE = [round(0.3 + 0.05 * i, 2) for i in range(14)]  # thresholds of the precision-recall points


@dataclass(frozen=True)
class Ranked:
    """A pair's answer (a candidate id), its score and whether the KB index answered it."""

    pair: Pair
    answer: str
    score: float
    in_kb: bool


def kb_indexes(keep: Callable[[str, str], bool]) -> dict[str, FoldedIndex]:
    """The knowledge base's own spellings per category, folded: state names (-> ISO code), city
    names (-> the city's English names, joined by tabs), actors' names (-> id); only spellings of
    identities for which ``keep(category, id)`` holds (a city is dropped when any English name of
    it is an identity not kept)."""
    from ..kb.actors import load_actors
    from ..kb.places import load_places

    out = {"state": FoldedIndex(), "city": FoldedIndex(), "actor": FoldedIndex()}
    for p in load_places().places:
        if p.kind not in ("state", "city"):
            continue
        ids = [p.iso2] if p.kind == "state" else [p.name, *p.names.get("en", [])]
        if not all(keep(p.kind, i) for i in ids):
            continue
        target = "\t".join(ids)
        for lang, names in p.names.items():
            if lang != "en":
                for n in names:
                    out[p.kind].add(n, target)
    for ident, names in load_actors().all_name_lists():
        if keep("actor", ident):
            for n in names:
                out["actor"].add(n, ident)
    return out


def kb_answer(p: Pair, index: FoldedIndex, english: dict[str, str]) -> tuple[bool, str | None]:
    """Whether the KB index holds the query's spelling, and the candidate it names (None when it
    names none or several)."""
    hits = index.lookup(p.query)
    if not hits:
        return False, None
    found = {n: None for h in hits for n in h.split("\t") if n in english}
    return True, next(iter(found)) if len(found) == 1 else None


def rank(pairs: list[Pair], english: dict[str, dict[str, str]], indexes: dict[str, FoldedIndex] | None,
         learned: bool) -> list[Ranked]:
    """Each pair's answer and score: the KB index first (1.0, when ``indexes`` are given), else the
    best candidate of its category by ``KeyMatcher``. With ``learned``: the learned table's
    blended scores and, as the score, the calibrated ``confidence`` (a probability). Without it
    (the matcher before the learned table): rule keys, and a candidate within MARGIN
    (SHORT_MARGIN for a short key) of the runner-up scores 0."""
    matchers = {cat: KeyMatcher({i: [n] for i, n in names.items()}) for cat, names in english.items()}
    out = []
    for p in pairs:
        in_kb, hit = kb_answer(p, indexes[p.category], english[p.category]) if indexes else (False, None)
        if hit is not None:
            out.append(Ranked(p, hit, 1.0, True))
            continue
        scored = matchers[p.category].rank(p.query, limit=2, learned=learned)
        best, score = scored[0] if scored else ("", 0.0)
        if learned:
            score = confidence(p.query, scored)
        elif len(scored) > 1 and scored[1][1] > score - (SHORT_MARGIN if short_key(p.query) else MARGIN):
            score = 0.0
        out.append(Ranked(p, best, score, in_kb))
    return out


def measure(ranked: list[Ranked], threshold: float) -> dict[str, Any]:
    """Precision, recall and counts at ``threshold``."""
    answered = [r for r in ranked if r.score >= threshold]
    right = sum(1 for r in answered if r.answer == r.pair.gold)
    return {"pairs": len(ranked), "answered": len(answered), "right": right,
            "precision": round(right / len(answered), 4) if answered else 0.0,
            "recall": round(right / len(ranked), 4) if ranked else 0.0}


def choose_threshold(ranked: list[Ranked]) -> float:
    """The lowest threshold (step 0.01) whose precision on ``ranked`` reaches TARGET_P."""
    for step in range(30, 101):
        t = step / 100
        if measure(ranked, t)["precision"] >= TARGET_P:
            return t
    return 1.0


def by_group(ranked: list[Ranked], t: float) -> dict[str, dict[str, Any]]:
    """``measure`` per script group (Arabic script, Cyrillic, Devanagari, Vietnamese) and per language."""
    groups: dict[str, list[Ranked]] = defaultdict(list)
    for r in ranked:
        groups[r.pair.group].append(r)
        groups[f"{r.pair.group}/{r.pair.lang}"].append(r)
    return {k: measure(v, t) for k, v in sorted(groups.items())}


def evaluate() -> dict[str, Any]:
    """The whole evaluation (see the module's docstring): threshold on dev, figures on test."""
    from ..stages.link import LINK_AT

    pairs, english = all_pairs()
    held = [p for p in pairs if p.split != "train"]
    honest_kb = kb_indexes(lambda cat, ident: split_of(cat, ident) == "train")
    runs = {"learned": rank(held, english, honest_kb, learned=True),
            "keys": rank(held, english, honest_kb, learned=False),
            "learned_no_kb": rank(held, english, None, learned=True),
            "keys_no_kb": rank(held, english, None, learned=False)}
    dev = {k: [r for r in v if r.pair.split == "dev"] for k, v in runs.items()}
    test = {k: [r for r in v if r.pair.split == "test"] for k, v in runs.items()}
    t = choose_threshold(dev["learned"])
    t_keys = choose_threshold(dev["keys"])
    full_kb = rank([p for p in held if p.split == "test"], english, kb_indexes(lambda c, i: True), learned=False)
    return {
        "split": {s: sum(1 for p in pairs if p.split == s) for s in ("train", "dev", "test")},
        "identities": {s: len({(p.category, p.gold) for p in pairs if p.split == s}) for s in ("train", "dev", "test")},
        "target_precision": TARGET_P, "threshold": t, "threshold_keys": t_keys, "pipeline_threshold": LINK_AT,
        "dev": measure(dev["learned"], t),
        "test": measure(test["learned"], t), "test_by_group": by_group(test["learned"], t),
        "test_no_kb": measure(test["learned_no_kb"], t), "test_no_kb_by_group": by_group(test["learned_no_kb"], t),
        "test_keys_at_pipeline_threshold": measure(test["keys"], LINK_AT),
        "before_keys": measure(test["keys"], t_keys), "before_keys_by_group": by_group(test["keys"], t_keys),
        "before_keys_no_kb": measure(test["keys_no_kb"], t_keys),
        "curve": [{"threshold": c, **measure(test["learned"], c)} for c in CURVE],
        "old_in_kb_not_honest": measure(full_kb, t_keys),
    }


def _row(name: str, m: dict[str, Any]) -> str:
    return f"{name:<42}{m['pairs']:>6}{m['answered']:>9}{m['precision']:>8.3f}{m['recall']:>8.3f}"


def table(res: dict[str, Any]) -> str:
    """The figures as a text table."""
    lines = [f"identities train/dev/test {res['identities']}; pairs {res['split']}",
             f"threshold {res['threshold']} on the calibrated confidence (chosen on dev for precision >= "
             f"{res['target_precision']}; keys alone, on their score: {res['threshold_keys']}); "
             f"pipeline link threshold {res['pipeline_threshold']} (on name_score)",
             f"{'test split':<42}{'pairs':>6}{'answered':>9}{'P':>8}{'R':>8}",
             _row("honest: KB minus held-out, keys + learned", res["test"])]
    lines += [_row(f"  {k}", m) for k, m in res["test_by_group"].items()]
    lines += [_row("keys + learned, no KB", res["test_no_kb"])]
    lines += [_row(f"  {k}", m) for k, m in res["test_no_kb_by_group"].items() if "/" not in k]
    lines += [_row("before: KB minus held-out, keys only", res["before_keys"])]
    lines += [_row(f"  {k}", m) for k, m in res["before_keys_by_group"].items() if "/" not in k]
    lines += [_row("before: keys only, no KB", res["before_keys_no_kb"]),
              _row(f"keys (the pipeline's scoring) at its {res['pipeline_threshold']}",
                   res["test_keys_at_pipeline_threshold"]),
              _row("old in-KB figure (KB holds test spellings)", res["old_in_kb_not_honest"]),
              "precision-recall by confidence threshold (honest, test):"]
    lines += [f"  {c['threshold']:.2f}  P {c['precision']:.3f}  R {c['recall']:.3f}" for c in res["curve"]]
    return "\n".join(lines)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def command(as_json: bool) -> None:
    """Cross-script name matching: precision and recall on held-out identities (CLDR, actors).

    Example: khabar eval linking --json
    """
    res = evaluate()
    click.echo(json.dumps(res, indent=2) if as_json else table(res))
