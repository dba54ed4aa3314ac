"""Build one language's model from scratch: corpora -> vectors -> tagger/parser -> NER -> package.

``build(lang)`` runs every step with the recipe's fixed seed, prints progress, evaluates on every
held-out set at the end and writes the model, ``charmap.json`` and the model card into
``khabar/langs/<lang>/model/`` (or ``out``). Intermediate files (DocBins, vectors, the separately
trained pipelines, the UDPipe baseline) go under ``build/models/<lang>/``, which git ignores.
"""
from __future__ import annotations

import json
import logging
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokens import DocBin

from . import corpora, prune, scoring, vectors
from .corpora import Sent
from .recipe import BUILD, Recipe, load_recipe

log = logging.getLogger(__name__)
PACKAGE_LANGS = Path(__file__).resolve().parents[1] / "langs"
NER_CORE = ("PERSON", "LOC", "ORG")


@dataclass
class Options:
    """How to run a build: ``smoke`` trains a toy model on a few dozen sentences in seconds."""

    smoke: bool = False
    smoke_sentences: int = 40
    out: Path | None = None
    build_dir: Path | None = None
    baseline: bool = True
    reuse: bool = False  # keep a component already trained in the build folder
    echo: Callable[[str], None] = print
    data: Path | None = None


@dataclass
class Split:
    """Training and selection sentences of one task."""

    train: list[Sent] = field(default_factory=list)
    dev: list[Sent] = field(default_factory=list)


def build(lang: str, opts: Options | None = None) -> dict[str, Any]:
    """Train, package and evaluate the model for ``lang``; returns the model card."""
    opts = opts or Options()
    recipe = load_recipe(lang, opts.data)
    work = opts.build_dir or (BUILD / lang / ("smoke" if opts.smoke else "full"))
    out = opts.out or PACKAGE_LANGS / lang / "model"
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    blank = recipe.blank()
    ud = _ud_split(recipe, opts)
    ner = _ner_split(recipe, blank, opts) if "ner" in recipe.spec else Split()  # a recipe may have no NER
    opts.echo(f"[{lang}] UD train {len(ud.train)} / dev {len(ud.dev)} sentences; "
              f"NER train {len(ner.train)} / dev {len(ner.dev)}")
    vec = _vectors(recipe, ud, ner, work, opts)
    raw = ud.train + [s for s in ner.train if not s.sid.endswith("-aug")]  # for pretraining (recipe ``pretrain``)
    ud_model = _train(recipe, "ud", ud, work, vec.base, opts, raw)
    ner_model = _train(recipe, "ner", ner, work, vec.full, opts, raw) if ner.train else None
    nlp = assemble(recipe, ud_model, ner_model, ud.train, vec.full if vec.full != vec.base else None)
    _save(nlp, recipe, out)
    card = evaluate_build(recipe, out, ud, work, opts)
    card["training_seconds"] = round(time.time() - t0)
    from .card import write_card

    write_card(out, card)
    opts.echo(f"[{lang}] model written to {out} in {card['training_seconds']} s")
    return card


def _ud_split(recipe: Recipe, opts: Options) -> Split:
    sents = recipe.ud_train()
    if opts.smoke:
        sents = sents[: opts.smoke_sentences]
    if recipe.spec["ud"].get("dev"):  # a treebank's own dev split selects the best step
        dev_sents = [s for rel in recipe.spec["ud"]["dev"] for s in corpora.read_conllu(recipe.path(rel))]
        return Split(sents, dev_sents[: max(opts.smoke_sentences // 4, 5)] if opts.smoke else dev_sents)
    dev = corpora.held_out([s.sid for s in sents], float(recipe.spec["ud"].get("dev_fraction", 0.1)), recipe.seed)
    return Split([s for s in sents if s.sid not in dev], [s for s in sents if s.sid in dev])


def _ner_split(recipe: Recipe, nlp: Language, opts: Options) -> Split:
    spec = recipe.spec["ner"]
    sents = recipe.ner_train(nlp)
    if "dev" in spec:
        dev_sents = list(recipe.ner_source(spec["dev"], nlp))
        split = Split(sents, dev_sents)
    else:
        ids = [f"{i}:{s.sid}" for i, s in enumerate(sents)]
        dev = corpora.held_out(ids, float(spec.get("dev_fraction", 0.1)), recipe.seed)
        split = Split([s for i, s in zip(ids, sents) if i not in dev], [s for i, s in zip(ids, sents) if i in dev])
    if opts.smoke:
        split = Split(split.train[: opts.smoke_sentences], split.dev[: max(opts.smoke_sentences // 4, 5)])
    if spec.get("augment"):
        extra = augment(split.train, recipe, spec["augment"])
        opts.echo(f"[{recipe.lang}] NER augmentation: {len(extra)} sentences with gazetteer names swapped in")
        split.train = split.train + extra
    return split


def augment(sents: list[Sent], recipe: Recipe, spec: dict[str, Any]) -> list[Sent]:
    """Copies of the sentences with entities whose names are replaced by random gazetteer entries
    (mention replacement), so the model learns names from their context and not only by heart."""
    import random

    rng = random.Random(recipe.seed)
    names = {lab: [ln.split() for ln in recipe.path(rel).read_text(encoding="utf-8").splitlines()
                   if ln.strip() and not ln.startswith("#")] for lab, rel in spec["gazetteers"].items()}
    out: list[Sent] = []
    for s in sents:
        if not s.ents or rng.random() > float(spec.get("fraction", 1.0)):
            continue
        words, ents, pos = [], [], 0
        for a, b, lab in s.ents:
            words += s.words[pos:a]
            new = _gazetteer_name(rng, names.get(lab), lab, s.words[a:b], int(spec.get("max_parts", 3)))
            ents.append((len(words), len(words) + len(new), lab))
            words += new
            pos = b
        words += s.words[pos:]
        out.append(Sent(s.sid + "-aug", words, [True] * len(words), ents=ents))
    return out


def _gazetteer_name(rng: Any, pool: list[list[str]] | None, label: str, old: list[str], max_parts: int) -> list[str]:
    if not pool:
        return old
    if label == "PERSON":
        parts = [w for _ in range(rng.randint(1, max_parts)) for w in rng.choice(pool)]
        return parts or old
    return rng.choice(pool) or old


@dataclass
class VectorPaths:
    """Saved vectors: ``base`` (PPMI-SVD, what the tagger/parser learn from) and ``full`` (base
    plus the feature columns, what the NER learns from and the model ships; ``base`` without
    features). The tagger/parser ignore the feature columns: ``assemble`` widens their input
    with zero weights, so they compute exactly what they learnt."""

    base: Path | None = None
    full: Path | None = None


def _vectors(recipe: Recipe, ud: Split, ner: Split, work: Path, opts: Options) -> VectorPaths:
    spec = recipe.spec.get("vectors")
    if not spec:
        return VectorPaths()
    base = work / "vectors"
    if opts.reuse and (base / "vocab" / "vectors").is_file():
        opts.echo(f"[{recipe.lang}] reusing {base}")
    else:
        _base_vectors(recipe, spec, ud, ner, base, opts)
    if not spec.get("features"):
        return VectorPaths(base, base)
    from .features import feature_words

    feats = feature_words(recipe, spec["features"])
    opts.echo(f"[{recipe.lang}] vector features: " + ", ".join(f"{k} {len(v)} words" for k, v in sorted(feats.items())))
    words, table = vectors.load_vectors(base)
    common = set(words[: int(spec.get("common_words", 200))])  # rows are in frequency order
    keep = _extra_keep(spec, feats, work / "vectors-seen.txt")
    words, table = vectors.with_features(words, table, feats, float(spec.get("feature_weight", 0.5)), common, keep)
    full = vectors.save_vectors(recipe.blank(), words, table, work / "vectors-features")
    opts.echo(f"[{recipe.lang}] vectors with features: {len(words)} words x {table.shape[1]} dims")
    return VectorPaths(base, full)


def _extra_keep(spec: dict[str, Any], feats: dict[str, set[str]], seen_file: Path) -> set[str] | None:
    """Feature words allowed a row of their own without a vector (recipe ``feature_extra``):
    ``"seen"``: words the vector texts hold (too rarely for a vector) plus every word of the
    labels in ``feature_extra_labels``; absent: all of them."""
    if spec.get("feature_extra") != "seen":
        return None
    keep = set(seen_file.read_text(encoding="utf-8").split("\n")) if seen_file.is_file() else set()
    for label in spec.get("feature_extra_labels", []):
        keep |= feats.get(label, set())
    return keep


def _base_vectors(recipe: Recipe, spec: dict[str, Any], ud: Split, ner: Split, out: Path, opts: Options) -> Path:
    nlp = recipe.blank()
    texts: list[str] = []
    columns: list[list[str]] = []  # already-tokenised corpora (``{"path": ..., "columns": true}``)
    for src in spec["texts"]:
        if isinstance(src, dict):
            found = vectors.column_sentences(recipe.path(src["path"]), src.get("strip_prefix", ""))
            columns.extend([recipe.norm(w) for w in s] for s in found)
            columns = columns[:200] if opts.smoke else columns
            continue
        texts.extend(vectors.raw_texts(recipe.path(src)))
        if opts.smoke:
            texts = texts[:200]
    sents = list(vectors.tokenised(nlp, texts, recipe.norm)) + columns
    if spec.get("add_training_words", True):
        sents += [[recipe.norm(w) for w in s.words] for s in ud.train + ner.train if not s.sid.endswith("-aug")]
    opts.echo(f"[{recipe.lang}] word vectors from {len(sents)} paragraphs / {sum(map(len, sents))} tokens")
    seen = sorted({w for s in sents for w in s})  # for ``feature_extra: seen`` (build folder only)
    (out.parent / "vectors-seen.txt").write_text("\n".join(seen), encoding="utf-8")
    scale = 20 if opts.smoke else 1
    return vectors.build_vectors(nlp, sents, out, vocab=spec["vocab"] // scale,
                                 contexts=spec["contexts"] // scale, dims=min(spec["dims"], 16 if opts.smoke else 999),
                                 window=spec["window"], min_count=1 if opts.smoke else spec["min_count"])


def widen_static_vectors(nlp: Language, width: int) -> None:
    """Let every static-vectors layer of ``nlp`` take ``width``-wide vectors: the new input
    columns get zero weights, so each layer's output is unchanged."""
    import numpy as np

    for _, proc in nlp.components:
        model = getattr(proc, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if node.name == "static_vectors" and node.has_param("W") and node.get_param("W").shape[1] < width:
                old = node.get_param("W")
                new = np.zeros((old.shape[0], width), dtype=old.dtype)
                new[:, : old.shape[1]] = old
                node.set_param("W", None)  # thinc lets a dimension change only without parameters
                node.set_dim("nM", width, force=True)
                node.set_param("W", new)


def _docbin(recipe: Recipe, sents: list[Sent], path: Path, syntax: bool) -> Path:
    vocab = recipe.blank().vocab
    db = DocBin(store_user_data=False)
    for s in sents:
        db.add(corpora.to_doc(vocab, s, recipe.norm, syntax=syntax))
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return path


def _pretrain(recipe: Recipe, task: str, sents: list[Sent], work: Path, vec: Path | None,
              opts: Options) -> Path | None:
    """Tok2vec weights pretrained on raw text for ``task``'s tok2vec (recipe ``<task>.pretrain``), or None."""
    if not recipe.spec[task].get("pretrain"):
        return None
    from .pretrain import run_pretraining, weights_path

    weights = weights_path(work, task)
    if opts.reuse and weights.is_file():
        opts.echo(f"[{recipe.lang}] reusing {weights}")
        return weights
    return run_pretraining(recipe, task, recipe_config(recipe.spec[task]["config"]), _base_overrides(recipe, task, vec),
                           sents, work, opts.echo, smoke=opts.smoke)


def _base_overrides(recipe: Recipe, task: str, vec: Path | None) -> dict[str, Any]:
    overrides: dict[str, Any] = {"nlp.lang": recipe.lang, "system.seed": recipe.seed}
    overrides.update(recipe.spec[task].get("overrides", {}))
    if vec is not None:
        key = "components.tok2vec.model.embed" if task == "ud" else "components.ner.model.tok2vec.embed"
        overrides.update({"paths.vectors": str(vec), f"{key}.include_static_vectors": True})
    return overrides


def _train(recipe: Recipe, task: str, split: Split, work: Path, vec: Path | None, opts: Options,
           raw: list[Sent] | None = None) -> Path:
    """Train ``task`` (``ud``: tagger + parser; ``ner``), first pretraining its tok2vec on the
    recipe's raw text plus the words of ``raw`` if the recipe asks for it."""
    from spacy.cli.train import train as spacy_train

    spec = recipe.spec[task]
    syntax = task == "ud"
    train_path = _docbin(recipe, split.train, work / f"{task}-train.spacy", syntax)
    dev_path = _docbin(recipe, split.dev, work / f"{task}-dev.spacy", syntax)
    overrides = _base_overrides(recipe, task, vec) | {"paths.train": str(train_path), "paths.dev": str(dev_path)}
    if opts.smoke:
        overrides.update({"training.max_steps": 20, "training.eval_frequency": 10, "training.patience": 0})
    out = work / task
    if opts.reuse and (out / "model-best" / "meta.json").is_file():
        opts.echo(f"[{recipe.lang}] reusing {out / 'model-best'}")
        return out / "model-best"
    opts.echo(f"[{recipe.lang}] training {task} ({spec['config']}), up to {overrides.get('training.max_steps')} steps")
    config = recipe_config(spec["config"])
    init_tok2vec = _pretrain(recipe, task, raw or [], work, vec, opts)
    if init_tok2vec is not None:  # the training config with a loader of the pretrained weights
        from .pretrain import training_config

        opts.echo(f"[{recipe.lang}] starting from the pretrained tok2vec {init_tok2vec}")
        config = training_config(config, overrides, init_tok2vec, work / f"{task}-train.cfg")
        overrides = {}
    spacy_train(config, out, use_gpu=-1, overrides=overrides)
    return out / "model-best"


def recipe_config(name: str) -> Path:
    """Path of a spaCy config shipped in ``khabar/train/configs``."""
    return Path(__file__).resolve().parent / "configs" / name


def lemma_table(sents: list[Sent], norm: Callable[[str], str]) -> dict[str, str]:
    """Form -> its most frequent lemma in the training sentences (only where the two differ)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sents:
        for w, lem in zip(s.words, s.lemmas):
            if lem and lem != "_":
                seen[norm(w)][norm(lem)] += 1
    table = {w: c.most_common(1)[0][0] for w, c in seen.items()}
    return {w: lem for w, lem in sorted(table.items()) if lem != w}


def assemble(recipe: Recipe, ud_model: Path, ner_model: Path | None, ud_train: list[Sent],
             vectors_path: Path | None = None) -> Language:
    """The tagger/parser pipeline with the NER sourced in (if any) and a lookup lemmatizer added.
    With ``vectors_path`` (wider vectors the NER learnt from), the pipeline gets those vectors and
    the tagger/parser ignore the extra columns (``widen_static_vectors``)."""
    nlp = spacy.load(ud_model)
    nlp.config["initialize"]["after_init"] = None  # the training run's loader of pretrained weights
    if vectors_path is not None:
        words, table = vectors.load_vectors(vectors_path)
        vectors.set_vectors(nlp, words, table)
        widen_static_vectors(nlp, table.shape[1])
    if ner_model is not None:
        nlp.add_pipe("ner", source=spacy.load(ner_model))
    lookups = Lookups()
    lookups.add_table("lemma_lookup", lemma_table(ud_train, recipe.norm))
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": True})
    lemmatizer.initialize(lookups=lookups)
    nlp.meta.update({"name": "khabar", "version": "1.0.0", "license": recipe.spec.get("licence", ""),
                     "description": f"khabar's own {recipe.lang} model: morphologizer, parser, lookup lemmatizer, NER",
                     "sources": [{"name": d} for d in recipe.spec.get("training_data", [])]})
    return nlp


def _save(nlp: Language, recipe: Recipe, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    prune.prune(out)  # the corpora's words out of the string table: the model runs without them
    charmap: dict[str, Any] = {"_source": "khabar.train recipe configs/" + recipe.lang + ".json (MIT); one character for one",
                               "map": recipe.charmap}
    if recipe.norm_table:  # khabar's normalisation table first (as the normalise stage), then the map
        charmap["table"] = recipe.norm_table
    (out / "charmap.json").write_text(json.dumps(charmap, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def udpipe_tokenizer(recipe: Recipe) -> str:
    """UDPipe tokenizer options for the baseline: ``none`` unless the recipe scores raw text
    (``ud.raw_text``); then ``ud.udpipe_tokenizer`` (default: UDPipe's own defaults)."""
    return str(recipe.spec["ud"].get("udpipe_tokenizer", "")) if recipe.spec["ud"].get("raw_text") else "none"


def evaluate_build(recipe: Recipe, model_dir: Path, ud: Split, work: Path, opts: Options) -> dict[str, Any]:
    """Scores of the saved model (and of UDPipe on the same data) on every held-out set."""
    from .evaluation import evaluate_language

    baseline = None
    if opts.baseline and not opts.smoke:
        from . import udpipe

        opts.echo(f"[{recipe.lang}] training the UDPipe 1 baseline on the same sentences")
        baseline = work / "udpipe.model"
        if not (opts.reuse and baseline.is_file()):
            udpipe.train(ud.train, ud.dev, baseline, tokenizer=udpipe_tokenizer(recipe))
    return evaluate_language(recipe, model_dir, baseline, smoke=opts.smoke, echo=opts.echo)
