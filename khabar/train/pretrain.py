"""Pretraining a tok2vec on raw text before the tagger/parser learn from the small treebank.

spaCy's ``pretrain`` teaches the tok2vec of a config to predict the first and last characters
of each word from its context (``spacy.PretrainCharacters.v1``) over unlabelled text; the
weights then initialise the tok2vec of the real training run (``paths.init_tok2vec``). The raw
text is the recipe's ``pretrain.texts`` (paragraphs, read like the vector texts) plus the
training sentences, normalised exactly as the model's input; it is written as JSONL under the
git-ignored build folder, never into the repository. No held-out sentence is ever used.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from .corpora import Sent
from .recipe import Recipe
from . import vectors

PRETRAIN_DEFAULTS = "default_config_pretraining.cfg"


def raw_text_file(recipe: Recipe, texts: list[str], sents: Iterable[Sent], out: Path,
                  limit: int | None = None) -> Path:
    """Write the normalised paragraphs of ``texts`` (paths under the data folder) and the words
    of ``sents`` as spaCy JSONL (``{"text": ...}`` per line); ``limit`` caps the paragraphs."""
    norm = recipe.norm
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for para in _paragraphs(recipe, texts, sents):
            text = norm(para).strip()
            if text:
                fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                n += 1
                if limit is not None and n >= limit:
                    break
    return out


def _paragraphs(recipe: Recipe, texts: list[str], sents: Iterable[Sent]) -> Iterable[str]:
    for rel in texts:
        yield from vectors.raw_texts(recipe.path(rel))
    for s in sents:
        yield " ".join(s.words)


def pretrain_config(config_path: Path, overrides: dict[str, Any], pretrain: dict[str, Any], raw: Path,
                    out: Path) -> Any:
    """The training config at ``config_path`` with ``overrides`` (the training run's, without its
    ``training.*`` schedule), filled with spaCy's defaults, spaCy's default ``[pretraining]`` block
    merged in and ``pretrain["overrides"]`` (dotted keys) applied."""
    import spacy
    from spacy import util

    allowed = {k: v for k, v in overrides.items() if not k.startswith("training.")}
    base = util.load_config(config_path, overrides=allowed, interpolate=False)
    filled = util.load_model_from_config(base, auto_fill=True, validate=False).config
    defaults = util.load_config(Path(spacy.__file__).parent / PRETRAIN_DEFAULTS, interpolate=False)
    merged = defaults.merge(filled)
    merged["paths"]["raw_text"] = str(raw)
    for key, value in pretrain.get("overrides", {}).items():
        *parents, last = key.split(".")
        node = merged
        for part in parents:
            node = node[part]
        node[last] = value
    out.mkdir(parents=True, exist_ok=True)
    merged.to_disk(out / "pretrain.cfg")
    return merged


def run_pretraining(recipe: Recipe, config_path: Path, overrides: dict[str, Any], sents: list[Sent],
                    work: Path, echo: Callable[[str], None], smoke: bool = False) -> Path:
    """Pretrain the tok2vec of ``config_path``; returns the weights file for ``paths.init_tok2vec``."""
    from spacy.training.pretrain import pretrain

    spec = recipe.spec["ud"]["pretrain"]
    out = work / "pretrain"
    raw = raw_text_file(recipe, list(spec.get("texts", [])), sents, work / "pretrain-text.jsonl",
                        limit=200 if smoke else None)
    config = pretrain_config(config_path, overrides, spec, raw, out)
    if smoke:
        config["pretraining"]["max_epochs"] = 1
    epochs = int(config["pretraining"]["max_epochs"])
    echo(f"[{recipe.lang}] pretraining the tok2vec on {raw.name} for {epochs} epochs")
    pretrain(config.interpolate(), out, silent=False)
    return out / "model-last.bin"
