"""``khabar eval reuse``: text-reuse labels against the COUNTER Urdu pairs (development half).

Each pair is an APP agency story ``NNNN.xml`` and a newspaper's version ``NNNNp.xml`` whose
``classification`` is WD (wholly derived), PD (partly derived) or ND (non-derived). We compare the
headline and body of the newspaper text against the agency text with ``khabar.stories.reuse.compare``
and report derived-vs-not accuracy and the three-way macro-F1 (with per-class F1 and a confusion
table).

The shipped reuse model was fitted on these very pairs, so the plain figure is an in-sample one.
``--cv K`` gives the honest estimate: stratified K-fold cross-validation, repeated ``--reps`` times,
refitting both logistic models on each training part with the fixed feature lists below.
``--fit`` refits on all pairs and writes ``khabar/stories/reuse_model.json`` (numpy is needed
only here).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import click

from ..errors import InputError, KhabarError
from ..shared import shared_dir

DEFAULT_SUBDIR = Path("data") / "reuse" / "ur" / "counter-dev"
LABELS = {"WD": "wholly", "PD": "partly", "ND": "none"}
ORDER = ("wholly", "partly", "none")


@dataclass(frozen=True)
class Pair:
    """One COUNTER pair: the agency text, the newspaper text and the gold label."""

    name: str
    source: str
    derived: str
    gold: str


def _read(path: Path) -> tuple[dict[str, str], str]:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as err:
        raise InputError(f"cannot read COUNTER file: {err}", source=str(path)) from err
    text = (root.findtext("headline") or "").strip() + "\n" + (root.findtext("body") or "").strip()
    return dict(root.attrib), text


def load_pairs(folder: Path) -> list[Pair]:
    """The pairs in ``folder`` (``NNNN.xml`` with ``NNNNp.xml``), in name order."""
    if not folder.is_dir():
        raise InputError(f"no COUNTER folder at {folder}", source=str(folder))
    pairs = []
    for derived_path in sorted(folder.glob("*p.xml")):
        source_path = derived_path.with_name(derived_path.name[:-5] + ".xml")
        if not source_path.exists():
            continue
        attrs, derived = _read(derived_path)
        _, source = _read(source_path)
        gold = LABELS.get(attrs.get("classification", ""))
        if gold is not None:
            pairs.append(Pair(derived_path.stem[:-1], source, derived, gold))
    if not pairs:
        raise InputError(f"no labelled pairs in {folder}", source=str(folder))
    return pairs


def score(golds: list[str], preds: list[str]) -> dict[str, Any]:
    """Binary accuracy (derived = wholly or partly), macro-F1 over the three labels, per-class F1
    and the confusion counts (gold -> predicted -> n)."""
    n = len(golds)
    binary = sum((g != "none") == (p != "none") for g, p in zip(golds, preds)) / n if n else 0.0
    per_class = {}
    for c in ORDER:
        tp = sum(g == p == c for g, p in zip(golds, preds))
        denom = golds.count(c) + preds.count(c)
        per_class[c] = round(2 * tp / denom, 4) if denom else 0.0
    confusion = {g: {p: sum(1 for a, b in zip(golds, preds) if a == g and b == p) for p in ORDER} for g in ORDER}
    return {"pairs": n, "derived_accuracy": round(binary, 4),
            "three_way_accuracy": round(sum(g == p for g, p in zip(golds, preds)) / n, 4) if n else 0.0,
            "macro_f1": round(sum(per_class.values()) / len(ORDER), 4), "f1": per_class, "confusion": confusion}


# the features the wholly-or-partly model reads; the derived-or-not model's set is chosen among
# CANDIDATES by grouped cross-validation (``select``)
WHOLLY_FEATURES = ("stems", "aligned", "tiled")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "chars": ("chars",),
    "overlap": ("chars", "source_tiled", "figures", "longest"),
    "containment": ("chars", "chars6", "words1", "words2", "words3", "content1"),
    "tiling": ("tiled2", "tiled", "tiled5", "source_tiled", "longest", "source_longest"),
    "both_ways": ("chars", "source_chars", "words2", "source_words2", "length_ratio"),
    "alignment": ("chars", "aligned", "aligned5", "aligned7", "figures"),
    "all": ("chars", "chars6", "source_chars", "length_ratio", "source_longest", "longest", "figures", "stems",
            "aligned", "aligned5", "aligned7", "tiled", "tiled2", "tiled5", "tiled8", "source_tiled",
            "source_tiled2", "source_tiled5", "words1", "words2", "words3", "words4", "words5",
            "source_words1", "source_words2", "content1", "content2", "source_content1"),
}
DERIVED_FEATURES = CANDIDATES["overlap"]  # the default before selection (rule stories.reuse@2)
L2 = 1.0  # ridge penalty on the standardised weights
GROUP_JACCARD = 0.5  # sources sharing more of their word types than this are one group in the folds
MODEL_SOURCE = ("COUNTER Urdu text-reuse corpus, development half (odd-numbered pairs), "
                "UCREL Lancaster via GitHub mirfan899/Urdu at c5cf1ea")
MODEL_LICENCE = "CC BY-NC-SA 4.0 (weights fitted on COUNTER; its non-commercial share-alike terms apply)"


def pair_features(pairs: list[Pair]) -> list[dict[str, float]]:
    """All reuse features of every pair (newspaper text against agency text)."""
    from ..stories.reuse import measure, measure_more, prepare

    rows = []
    for p in pairs:
        src, der = prepare(p.source), prepare(p.derived)
        rows.append(measure_more(src, der, measure(src, der)[0]))
    return rows


def source_groups(pairs: list[Pair]) -> list[int]:
    """A group number per pair: pairs whose agency texts share more than ``GROUP_JACCARD`` of
    their word types (the same story, or a repeat of it) are one group, so cross-validation never
    puts one source on both sides."""
    from ..kb.places import tokens

    types = [{t.text for t in tokens(p.source)} for p in pairs]
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            union = len(types[i] | types[j])
            if union and len(types[i] & types[j]) / union > GROUP_JACCARD:
                parent[find(j)] = find(i)
    return [find(i) for i in range(len(pairs))]


def fit_logistic(rows: list[dict[str, float]], targets: list[int], names: tuple[str, ...],
                 l2: float = L2) -> Any:
    """A ridge-penalised logistic regression on standardised features (Newton's method)."""
    import numpy as np

    from ..stories.reuse import Logistic

    x = np.array([[r[n] for n in names] for r in rows], dtype=float)
    t = np.array(targets, dtype=float)
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = np.c_[(x - mean) / scale, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    penalty = np.diag([l2] * len(names) + [0.0])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -60, 60)))
        grad = z.T @ (p - t) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return Logistic(names, tuple(map(float, mean)), tuple(map(float, scale)),
                    tuple(float(v) for v in w[:-1]), float(w[-1]))


def fit_model(rows: list[dict[str, float]], golds: list[str], l2: float = L2,
              derived_features: tuple[str, ...] = DERIVED_FEATURES) -> Any:
    """Both reuse models fitted on ``rows``: derived-or-not on all pairs (reading
    ``derived_features``), wholly-or-partly on the derived pairs only."""
    from ..stories.reuse import ReuseModel

    derived = fit_logistic(rows, [int(g != "none") for g in golds], derived_features, l2)
    kept = [(r, g) for r, g in zip(rows, golds) if g != "none"]
    wholly = fit_logistic([r for r, _ in kept], [int(g == "wholly") for _, g in kept], WHOLLY_FEATURES, l2)
    return ReuseModel(derived, wholly)


def folds(golds: list[str], k: int, seed: int, groups: list[int] | None = None) -> list[int]:
    """A fold number for each pair, seeded: whole groups (``source_groups``; each pair its own
    group without them) are dealt to the ``k`` folds, label by label (a group counts under its
    first pair's label) so that each label is spread evenly."""
    import random

    rng = random.Random(seed)
    grp = groups if groups is not None else list(range(len(golds)))
    first: dict[int, str] = {}
    for g, label in zip(grp, golds):
        first.setdefault(g, label)
    fold_of: dict[int, int] = {}
    n = 0
    for label in ORDER:
        ids = sorted(g for g, lab in first.items() if lab == label)
        rng.shuffle(ids)
        for g in ids:
            fold_of[g] = n % k
            n += 1
    return [fold_of[g] for g in grp]


def _oof(rows: list[dict[str, float]], golds: list[str], fold: list[int], k: int,
         pick: Any, l2: float = L2) -> list[str]:
    """Out-of-fold labels: for each fold, ``pick(train_indices)`` names the derived features, a
    model is fitted on the other folds and labels this one."""
    preds = [""] * len(golds)
    for f in range(k):
        train = [i for i in range(len(golds)) if fold[i] != f]
        if len(train) == len(golds):
            continue
        model = fit_model([rows[i] for i in train], [golds[i] for i in train], l2, pick(train))
        for i in range(len(golds)):
            if fold[i] == f:
                preds[i] = model.label(rows[i])[0]
    return preds


def cross_validate(rows: list[dict[str, float]], golds: list[str], k: int = 10, reps: int = 5,
                   l2: float = L2, groups: list[int] | None = None,
                   derived_features: tuple[str, ...] = DERIVED_FEATURES) -> dict[str, Any]:
    """Repeated k-fold cross-validation of ``fit_model`` (folds by ``folds``, seeds 0..reps-1):
    the mean of each measure over the repetitions, and its range."""
    if k < 2 or k > len(golds):
        raise InputError(f"cross-validation needs 2 to {len(golds)} folds, not {k}")
    runs = [score(golds, _oof(rows, golds, folds(golds, k, rep, groups), k, lambda _: derived_features, l2))
            for rep in range(reps)]
    return _summarise(runs, k, reps)


def _summarise(runs: list[dict[str, Any]], k: int, reps: int) -> dict[str, Any]:
    keys = ("derived_accuracy", "macro_f1", "three_way_accuracy")
    return {"folds": k, "reps": reps, **{key: round(sum(r[key] for r in runs) / reps, 4) for key in keys},
            "range": {key: [min(r[key] for r in runs), max(r[key] for r in runs)] for key in keys}}


def select(rows: list[dict[str, float]], golds: list[str], groups: list[int], k: int = 5,
           reps: int = 2) -> tuple[str, dict[str, float]]:
    """The name of the ``CANDIDATES`` set with the best cross-validated derived accuracy on these
    pairs (ties: the smaller set), and every candidate's figure."""
    figures = {name: cross_validate(rows, golds, k, reps, groups=groups, derived_features=feats)["derived_accuracy"]
               for name, feats in CANDIDATES.items()}
    best = max(CANDIDATES, key=lambda n: (figures[n], -len(CANDIDATES[n])))
    return best, figures


def nested_cross_validate(rows: list[dict[str, float]], golds: list[str], groups: list[int], k: int = 10,
                          reps: int = 2) -> dict[str, Any]:
    """The honest figure for the whole recipe: in each outer fold, ``select`` runs on the
    training part only (inner grouped 5-fold), then the chosen set is fitted and scored on the
    held-out fold. Also counts how often each candidate was chosen."""
    chosen: dict[str, int] = {}

    def pick(train: list[int]) -> tuple[str, ...]:
        name, _ = select([rows[i] for i in train], [golds[i] for i in train], [groups[i] for i in train], 5, 1)
        chosen[name] = chosen.get(name, 0) + 1
        return CANDIDATES[name]

    runs = [score(golds, _oof(rows, golds, folds(golds, k, 100 + rep, groups), k, pick)) for rep in range(reps)]
    return {**_summarise(runs, k, reps), "chosen": chosen}


def baselines(golds: list[str], rows: list[dict[str, float]], groups: list[int], k: int,
              reps: int) -> dict[str, Any]:
    """Reference figures: every pair called partly derived (the majority label), and a model on
    character 5-gram containment alone (cross-validated)."""
    return {"majority": score(golds, ["partly"] * len(golds)),
            "chars_only": cross_validate(rows, golds, k, reps, groups=groups, derived_features=("chars",))}


def evaluate(folder: Path, model: Any = None) -> dict[str, Any]:
    """Compare every pair with the shipped model (or ``model``) and score the labels."""
    from ..stories.reuse import load_model

    pairs = load_pairs(folder)
    use = model or load_model()
    preds = [use.label(f)[0] for f in pair_features(pairs)]
    return score([p.gold for p in pairs], preds)


def write_model(folder: Path, out: Path, k: int = 10, reps: int = 5) -> dict[str, Any]:
    """Choose the derived feature set by grouped cross-validation (``select``), fit both models
    on all pairs in ``folder`` and write them with their figures to ``out``."""
    from ..stories.reuse import RULE

    pairs = load_pairs(folder)
    rows, golds, groups = pair_features(pairs), [p.gold for p in pairs], source_groups(pairs)
    chosen, candidates = select(rows, golds, groups)
    model = fit_model(rows, golds, derived_features=CANDIDATES[chosen])
    fitted = score(golds, [model.label(r)[0] for r in rows])
    cv = cross_validate(rows, golds, k, reps, groups=groups, derived_features=CANDIDATES[chosen])
    nested = nested_cross_validate(rows, golds, groups, k)
    data = {"_source": MODEL_SOURCE, "_licence": MODEL_LICENCE, "_card": "reuse_model.md",
            "rule": RULE, "derived": model.derived.to_dict(), "wholly": model.wholly.to_dict(),
            "trained": {"pairs": len(pairs), "l2": L2, "labels": {g: golds.count(g) for g in ORDER},
                        "derived_set": chosen, "candidates_cv": candidates,
                        "in_sample": {k2: fitted[k2] for k2 in ("derived_accuracy", "macro_f1", "three_way_accuracy")},
                        "cross_validated": cv, "nested_cross_validated": nested}}
    try:
        out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write the reuse model: {err}", source=str(out)) from err
    return data


def _print(data: dict[str, Any], title: str) -> None:
    click.echo(title)
    click.echo(f"pairs: {data['pairs']}")
    click.echo(f"derived vs not-derived accuracy: {data['derived_accuracy']:.4f}")
    click.echo(f"three-way (wholly/partly/none) macro-F1: {data['macro_f1']:.4f}  "
               f"accuracy: {data['three_way_accuracy']:.4f}")
    click.echo("F1 " + "  ".join(f"{c}={v:.3f}" for c, v in data["f1"].items()))
    click.echo("gold \\ predicted   " + "  ".join(f"{c:>7}" for c in ORDER))
    for g in ORDER:
        click.echo(f"{g:18} " + "  ".join(f"{data['confusion'][g][p]:7}" for p in ORDER))


def _cv_line(name: str, cv: dict[str, Any]) -> str:
    extra = f"  chosen {cv['chosen']}" if "chosen" in cv else ""
    return (f"{name} ({cv['folds']}-fold x {cv['reps']}, grouped by source): derived accuracy "
            f"{cv['derived_accuracy']:.4f} ({cv['range']['derived_accuracy'][0]:.3f}-"
            f"{cv['range']['derived_accuracy'][1]:.3f})  macro-F1 {cv['macro_f1']:.4f}  "
            f"three-way accuracy {cv['three_way_accuracy']:.4f}{extra}")


def run(folder: Path, k: int, reps: int, nested: bool) -> dict[str, Any]:
    """In-sample figures of the shipped model, and (``k`` > 0) grouped cross-validated figures of
    its recipe, the baselines and, with ``nested``, the nested figure of the selection."""
    from ..stories.reuse import load_model

    pairs = load_pairs(folder)
    rows, golds = pair_features(pairs), [p.gold for p in pairs]
    shipped = load_model()
    data = score(golds, [shipped.label(r)[0] for r in rows])
    if k:
        groups = source_groups(pairs)
        data["cross_validated"] = cross_validate(rows, golds, k, reps, groups=groups,
                                                 derived_features=shipped.derived.features)
        data["baselines"] = baselines(golds, rows, groups, k, reps)
        if nested:
            data["nested_cross_validated"] = nested_cross_validate(rows, golds, groups, k)
    return data


@click.command()
@click.option("--path", "path", type=click.Path(path_type=Path), default=None,
              help="COUNTER folder (default: <shared>/data/reuse/ur/counter-dev).")
@click.option("--cv", "k", type=int, default=10, show_default=True,
              help="Cross-validate with K folds grouped by source (0: in-sample figures only).")
@click.option("--reps", type=int, default=5, show_default=True, help="Repetitions of the cross-validation.")
@click.option("--nested", is_flag=True, help="Also the nested figure: feature-set selection redone in each fold.")
@click.option("--fit", "fit_out", type=click.Path(path_type=Path), default=None,
              help="Refit the model on these pairs and write it to this JSON file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def command(path: Path | None, k: int, reps: int, nested: bool, fit_out: Path | None, as_json: bool) -> None:
    """Score text-reuse labels on COUNTER pairs: derived-vs-not accuracy and three-way macro-F1,
    in-sample and cross-validated (folds grouped by source), with baselines.

    The shipped model was fitted on the dev pairs: the plain figures are in-sample; the
    cross-validated ones refit its recipe on nine tenths and are the honest estimate.

    Example: khabar eval reuse --cv 10 --reps 5
    """
    try:
        folder = path or (shared_dir() or Path(".")) / DEFAULT_SUBDIR
        if fit_out is not None:
            written = write_model(folder, fit_out, k or 10, reps)
            click.echo(f"wrote {fit_out}: " + json.dumps(written["trained"]))
            return
        data = run(folder, k, reps, nested)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    _print(data, "shipped model, in-sample (fitted on these COUNTER dev pairs)")
    if "cross_validated" in data:
        click.echo(_cv_line("cross-validated", data["cross_validated"]))
        if "nested_cross_validated" in data:
            click.echo(_cv_line("nested (set chosen inside each fold)", data["nested_cross_validated"]))
        base = data["baselines"]
        click.echo(f"baseline, all 'partly' (majority): derived accuracy {base['majority']['derived_accuracy']:.4f}  "
                   f"macro-F1 {base['majority']['macro_f1']:.4f}")
        click.echo(_cv_line("baseline, chars only", base["chars_only"]))
