"""Every held-out evaluation of one language, ours and UDPipe's, in one call.

Used at the end of ``python -m khabar.train LANG`` (the numbers go into the model card) and by
``khabar eval models``. UD sets are scored on gold tokens; NER sets on the corpus tokens. A recipe with ``ud.raw_text``
is also scored from raw text (the model's own word segmentation, aligned with the gold words).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Callable

import spacy
from spacy.language import Language

from . import scoring
from .corpora import Sent
from .recipe import Recipe


def evaluate_language(recipe: Recipe, model_dir: Path, udpipe_model: Path | None, *, smoke: bool = False,
                      echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Scores of the model at ``model_dir`` (and of ``udpipe_model``) on every held-out set."""
    from ..stages.analyse import load_model_dir

    loaded = load_model_dir(model_dir)
    nlp, norm = loaded.nlp, loaded.norm
    limit = 30 if smoke else None
    ud_scores: dict[str, Any] = {}
    raw_scores: dict[str, Any] = {}
    for name, gold in recipe.ud_tests().items():
        gold = gold[:limit] if limit else gold
        entry = {"ours": scoring.score_syntax(gold, scoring.parse_gold_tokens(nlp, gold, norm), norm)}
        if udpipe_model is not None and udpipe_model.is_file():
            from . import udpipe

            entry["udpipe"] = scoring.score_syntax(gold, udpipe.predict(udpipe_model, gold), norm)
        ud_scores[name] = entry
        echo(f"[{recipe.lang}] {name}: {_fmt(entry)}")
        if recipe.spec["ud"].get("raw_text"):
            raw_scores[name] = score_raw_text(nlp, norm, gold, udpipe_model)
            echo(f"[{recipe.lang}] {name}, from raw text: {_fmt_raw(raw_scores[name])}")
    ner_scores: dict[str, Any] = {}
    ner_tests = recipe.ner_tests(recipe.blank()) if nlp.has_pipe("ner") and "ner" in recipe.spec else {}
    labels = nlp.get_pipe("ner").labels if ner_tests else ()
    with nlp.select_pipes(enable=["ner"] if ner_tests else []):
        for name, gold in ner_tests.items():
            gold = gold[:limit] if limit else gold
            pred = scoring.parse_gold_tokens(nlp, gold, norm)
            ner_scores[name] = {"ours": scoring.score_ner(gold, pred, labels)}
            echo(f"[{recipe.lang}] {name}: NER F1 {ner_scores[name]['ours']['f1']:.3f}")
    texts = [" ".join(s.words) for g in recipe.ud_tests().values() for s in g][: 60 if smoke else 1500]
    wps = scoring.words_per_second(nlp, texts, repeats=1 if smoke else 2)
    card = _card(recipe, ud_scores, ner_scores, wps, model_dir)
    if raw_scores:
        first = next(iter(raw_scores.values()))["ours"]
        card |= {"seg_f1": first["seg_f1"], "upos_raw": first["upos"], "las_raw": first["las"],
                 "ud_raw_scores": raw_scores}
    return card


def score_raw_text(nlp: Language, norm: Callable[[str], str], gold: list[Sent],
                   udpipe_model: Path | None) -> dict[str, Any]:
    """Scores from each sentence's raw text (the model's own word segmentation, then tagging and
    parsing, aligned with the gold words), ours and, if its model has a tokenizer, UDPipe's."""
    entry: dict[str, Any] = {"ours": scoring.score_raw(gold, scoring.parse_raw(nlp, gold, norm))}
    if udpipe_model is not None and udpipe_model.is_file():
        from . import udpipe

        pred = udpipe.predict_raw(udpipe_model, gold)
        if pred is not None:
            entry["udpipe"] = scoring.score_raw(gold, pred)
    return entry


def _fmt_raw(entry: dict[str, Any]) -> str:
    return "; ".join(f"{who} words F1 {s['seg_f1']:.2f} UPOS {s['upos']:.2f} UAS {s['uas']:.2f} LAS {s['las']:.2f}"
                     for who, s in entry.items())


def _fmt(entry: dict[str, Any]) -> str:
    parts = []
    for who, s in entry.items():
        parts.append(f"{who} UPOS {s['upos']:.2f} UFeats {s['feats']:.2f} UAS {s['uas']:.2f} LAS {s['las']:.2f}")
    return "; ".join(parts)


def _card(recipe: Recipe, ud: dict[str, Any], ner: dict[str, Any], wps: float, model_dir: Path) -> dict[str, Any]:
    first_ud = next(iter(ud.values()))["ours"] if ud else {}
    first_ner = next(iter(ner.values()))["ours"] if ner else {}
    size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    return {
        "language": recipe.lang,
        "upos": first_ud.get("upos"),
        "las": first_ud.get("las"),
        "ner_f1": first_ner.get("f1"),
        "words_per_second": wps,
        "training_data": recipe.spec.get("training_data", []),
        "licence": recipe.spec.get("licence", ""),
        "licence_note": recipe.spec.get("licence_note", ""),
        "ud_scores": ud,
        "ner_scores": ner,
        "targets": recipe.spec.get("targets", {}),
        "command": f"python -m khabar.train {recipe.lang}",
        "seed": recipe.seed,
        "spacy_version": spacy.__version__,
        "python": sys.version.split()[0],
        "size_mb": round(size / 1e6, 2),
        "built": dt.date.today().isoformat(),
        "evaluation": "UD on gold tokens, all words incl. punctuation, LAS with full labels; NER exact spans",
    }
