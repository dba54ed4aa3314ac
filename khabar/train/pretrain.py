"""Pretraining a tok2vec on raw text before the tagger/parser learn from the small treebank.

spaCy's ``pretrain`` teaches the tok2vec of a config to predict the first and last characters
of each word from its context (``spacy.PretrainCharacters.v1``) over unlabelled text; the
weights then initialise the tok2vec of the real training run, through an ``after_init``
callback (``training_config``): the tagger/parser's shared tok2vec, or the one inside the NER. The raw
text is the recipe's ``pretrain.texts`` (paragraphs, read like the vector texts) plus the
training sentences, normalised exactly as the model's input; it is written as JSONL under the
git-ignored build folder, never into the repository. No held-out sentence is ever used.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.util import registry

from .corpora import Sent
from .recipe import Recipe
from . import vectors

PRETRAIN_DEFAULTS = "default_config_pretraining.cfg"
LOAD_CALLBACK = "khabar.load_tok2vec.v1"


def tok2vec_component(config: Any) -> str:
    """The component of a training config that holds the tok2vec: a shared ``tok2vec``
    component, else the first component (an NER keeps its own tok2vec inside)."""
    pipeline = config["nlp"]["pipeline"]
    return "tok2vec" if "tok2vec" in pipeline else pipeline[0]


def weights_path(work: Path, task: str) -> Path:
    """Where the pretrained weights of ``task`` go under the build folder ``work``."""
    return work / ("pretrain" if task == "ud" else f"pretrain-{task}") / "model-last.bin"


def task_tok2vec(nlp: Any, component: str) -> Any:
    """The tok2vec network of ``component``: a ``tok2vec`` component's model, or the one inside
    a parser or NER (whose ``tok2vec`` reference is ``chain(tok2vec, list2array, Linear)``)."""
    model = nlp.get_pipe(component).model
    return model.get_ref("tok2vec").layers[0] if model.has_ref("tok2vec") else model


@registry.callbacks(LOAD_CALLBACK)
def make_loader(path: str, component: str) -> Callable[[Any], Any]:
    """``[initialize.after_init]``: put pretrained weights into ``component``'s tok2vec once the
    pipeline is initialised. (spaCy's own ``init_tok2vec`` needs a ``[pretraining]`` block and
    cannot reach the tok2vec inside an NER, so khabar loads them itself.)"""

    def load(nlp: Any) -> Any:
        task_tok2vec(nlp, component).from_bytes(Path(path).read_bytes())
        return nlp

    return load


def training_config(config_path: Path, overrides: dict[str, Any], weights: Path, out: Path) -> Path:
    """The training config at ``config_path`` with ``overrides`` applied and the loader of the
    pretrained ``weights`` as its ``after_init``, written to ``out``."""
    from spacy import util

    config = util.load_config(config_path, overrides=overrides, interpolate=False)
    config["initialize"]["after_init"] = {"@callbacks": LOAD_CALLBACK, "path": str(weights),
                                          "component": tok2vec_component(config)}
    out.parent.mkdir(parents=True, exist_ok=True)
    config.to_disk(out)
    return out


def raw_text_file(recipe: Recipe, texts: list[Any], sents: Iterable[Sent], out: Path,
                  limit: int | None = None) -> Path:
    """Write the normalised paragraphs of ``texts`` (paths under the data folder, or
    ``{"path": ..., "columns": true}`` for a token-per-line corpus) and the words
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


def _paragraphs(recipe: Recipe, texts: list[Any], sents: Iterable[Sent]) -> Iterable[str]:
    for src in texts:
        if isinstance(src, dict):  # a token-per-line corpus, as in the recipe's vector texts
            found = vectors.column_sentences(recipe.path(src["path"]), src.get("strip_prefix", ""))
            yield from (" ".join(words) for words in found)
        else:
            yield from vectors.raw_texts(recipe.path(src))
    for s in sents:
        yield " ".join(s.words)


def pretrain_config(config_path: Path, overrides: dict[str, Any], pretrain: dict[str, Any], raw: Path,
                    out: Path) -> Any:
    """A pretraining config for the tok2vec of the training config at ``config_path`` (with
    ``overrides``, the training run's, without its ``training.*`` schedule): one ``tok2vec``
    component of the same architecture (for an NER, the network inside it), filled with spaCy's
    defaults, spaCy's default ``[pretraining]`` block merged in, ``pretrain["overrides"]``
    (dotted keys) applied."""
    import spacy
    from spacy import util

    allowed = {k: v for k, v in overrides.items() if not k.startswith("training.")}
    base = util.load_config(config_path, overrides=allowed, interpolate=False)
    component = tok2vec_component(base)
    if component != "tok2vec":  # the tok2vec lives inside the task's component
        inner = base["components"][component]["model"]["tok2vec"]
        base["components"] = {"tok2vec": {"factory": "tok2vec", "model": inner}}
        base["nlp"]["pipeline"] = ["tok2vec"]
    filled = util.load_model_from_config(base, auto_fill=True, validate=False).config
    defaults = util.load_config(Path(spacy.__file__).parent / PRETRAIN_DEFAULTS, interpolate=False)
    merged = defaults.merge(filled)
    merged["paths"]["raw_text"] = str(raw)
    merged["pretraining"]["component"], merged["pretraining"]["layer"] = "tok2vec", ""
    for key, value in pretrain.get("overrides", {}).items():
        *parents, last = key.split(".")
        node = merged
        for part in parents:
            node = node[part]
        node[last] = value
    out.mkdir(parents=True, exist_ok=True)
    merged.to_disk(out / "pretrain.cfg")
    return merged


def run_pretraining(recipe: Recipe, task: str, config_path: Path, overrides: dict[str, Any], sents: list[Sent],
                    work: Path, echo: Callable[[str], None], smoke: bool = False) -> Path:
    """Pretrain the tok2vec of ``task`` (``ud``: the shared tok2vec; ``ner``: the NER's own) in the
    config at ``config_path``; returns the weights file for ``training_config``."""
    from spacy.training.pretrain import pretrain

    spec = recipe.spec[task]["pretrain"]
    out = weights_path(work, task).parent
    raw = raw_text_file(recipe, list(spec.get("texts", [])), sents, out.parent / f"{out.name}-text.jsonl",
                        limit=200 if smoke else None)
    config = pretrain_config(config_path, overrides, spec, raw, out)
    if smoke:
        config["pretraining"]["max_epochs"] = 1
    epochs = int(config["pretraining"]["max_epochs"])
    echo(f"[{recipe.lang}] pretraining the {task} tok2vec on {raw.name} for {epochs} epochs")
    pretrain(config.interpolate(), out, silent=False)
    return out / "model-last.bin"
