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


# the features each model reads (chosen by cross-validation on the dev pairs, docs/stories.md)
DERIVED_FEATURES = ("chars", "source_tiled", "figures", "longest")
WHOLLY_FEATURES = ("stems", "aligned", "tiled")
L2 = 1.0  # ridge penalty on the standardised weights
MODEL_SOURCE = ("COUNTER Urdu text-reuse corpus, development half (odd-numbered pairs), "
                "UCREL Lancaster via GitHub mirfan899/Urdu at c5cf1ea")
MODEL_LICENCE = "CC BY-NC-SA 4.0 (weights fitted on COUNTER; its non-commercial share-alike terms apply)"


def pair_features(pairs: list[Pair]) -> list[dict[str, float]]:
    """The reuse features of every pair (newspaper text against agency text)."""
    from ..stories.reuse import measure, prepare

    return [measure(prepare(p.source), prepare(p.derived))[0] for p in pairs]


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


def fit_model(rows: list[dict[str, float]], golds: list[str], l2: float = L2) -> Any:
    """Both reuse models fitted on ``rows``: derived-or-not on all pairs, wholly-or-partly on the
    derived pairs only."""
    from ..stories.reuse import ReuseModel

    derived = fit_logistic(rows, [int(g != "none") for g in golds], DERIVED_FEATURES, l2)
    kept = [(r, g) for r, g in zip(rows, golds) if g != "none"]
    wholly = fit_logistic([r for r, _ in kept], [int(g == "wholly") for _, g in kept], WHOLLY_FEATURES, l2)
    return ReuseModel(derived, wholly)


def folds(golds: list[str], k: int, seed: int) -> list[int]:
    """A stratified fold number for each pair (each label spread evenly over the ``k`` folds)."""
    import random

    rng = random.Random(seed)
    out = [0] * len(golds)
    for label in ORDER:
        idx = [i for i, g in enumerate(golds) if g == label]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            out[i] = n % k
    return out


def cross_validate(rows: list[dict[str, float]], golds: list[str], k: int = 10, reps: int = 5,
                   l2: float = L2) -> dict[str, Any]:
    """Repeated stratified k-fold cross-validation of ``fit_model``: the mean of each measure
    over the repetitions, and its range."""
    if k < 2 or k > len(golds):
        raise InputError(f"cross-validation needs 2 to {len(golds)} folds, not {k}")
    runs = []
    for rep in range(reps):
        fold = folds(golds, k, seed=rep)
        preds = [""] * len(golds)
        for f in range(k):
            train = [i for i in range(len(golds)) if fold[i] != f]
            model = fit_model([rows[i] for i in train], [golds[i] for i in train], l2)
            for i in range(len(golds)):
                if fold[i] == f:
                    preds[i] = model.label(rows[i])[0]
        runs.append(score(golds, preds))
    keys = ("derived_accuracy", "macro_f1", "three_way_accuracy")
    return {"folds": k, "reps": reps, **{key: round(sum(r[key] for r in runs) / reps, 4) for key in keys},
            "range": {key: [min(r[key] for r in runs), max(r[key] for r in runs)] for key in keys}}


def evaluate(folder: Path, model: Any = None) -> dict[str, Any]:
    """Compare every pair with the shipped model (or ``model``) and score the labels."""
    from ..stories.reuse import load_model

    pairs = load_pairs(folder)
    use = model or load_model()
    preds = [use.label(f)[0] for f in pair_features(pairs)]
    return score([p.gold for p in pairs], preds)


def write_model(folder: Path, out: Path, k: int = 10, reps: int = 5) -> dict[str, Any]:
    """Fit both models on all pairs in ``folder`` and write them with their figures to ``out``."""
    pairs = load_pairs(folder)
    rows, golds = pair_features(pairs), [p.gold for p in pairs]
    model = fit_model(rows, golds)
    fitted = score(golds, [model.label(r)[0] for r in rows])
    cv = cross_validate(rows, golds, k, reps)
    data = {"_source": MODEL_SOURCE, "_licence": MODEL_LICENCE, "_card": "reuse_model.md",
            "rule": "stories.reuse@2", "derived": model.derived.to_dict(), "wholly": model.wholly.to_dict(),
            "trained": {"pairs": len(pairs), "l2": L2, "labels": {g: golds.count(g) for g in ORDER},
                        "in_sample": {k2: fitted[k2] for k2 in ("derived_accuracy", "macro_f1", "three_way_accuracy")},
                        "cross_validated": cv}}
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


@click.command()
@click.option("--path", "path", type=click.Path(path_type=Path), default=None,
              help="COUNTER folder (default: <shared>/data/reuse/ur/counter-dev).")
@click.option("--cv", "k", type=int, default=0, show_default=True,
              help="Also cross-validate: refit on K-1 folds, label the held-out fold (0: off).")
@click.option("--reps", type=int, default=5, show_default=True, help="Repetitions of the cross-validation.")
@click.option("--fit", "fit_out", type=click.Path(path_type=Path), default=None,
              help="Refit the model on these pairs and write it to this JSON file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def command(path: Path | None, k: int, reps: int, fit_out: Path | None, as_json: bool) -> None:
    """Score text-reuse labels on COUNTER pairs: derived-vs-not accuracy and three-way macro-F1.

    The shipped model was fitted on the dev pairs: the plain figures are in-sample; --cv 10
    adds the cross-validated (honest) figures.

    Example: khabar eval reuse --cv 10
    """
    try:
        folder = path or (shared_dir() or Path(".")) / DEFAULT_SUBDIR
        if fit_out is not None:
            written = write_model(folder, fit_out, k or 10, reps)
            click.echo(f"wrote {fit_out}: " + json.dumps(written["trained"]))
            return
        data = evaluate(folder)
        if k:
            pairs = load_pairs(folder)
            data["cross_validated"] = cross_validate(pair_features(pairs), [p.gold for p in pairs], k, reps)
    except KhabarError as err:
        raise click.ClickException(err.one_line()) from err
    if as_json:
        click.echo(json.dumps(data, indent=1))
        return
    _print(data, "shipped model (fitted on the COUNTER dev pairs: in-sample on them)")
    if "cross_validated" in data:
        cv = data["cross_validated"]
        click.echo(f"cross-validated ({cv['folds']}-fold x {cv['reps']}): derived accuracy "
                   f"{cv['derived_accuracy']:.4f}  macro-F1 {cv['macro_f1']:.4f}  "
                   f"three-way accuracy {cv['three_way_accuracy']:.4f}  (range {cv['range']})")
