"""Syntax and named entities from khabar's own trained models (``khabar/langs/<code>/model``).

For each sentence the language's spaCy pipeline gives tokens with lemma, UPOS, features and a
dependency head, and entity mentions (PERSON, ORG, LOC, and MISC where the model has it). The
model is loaded lazily, once per language per process (``ctx.cached``), and runs over all the
sentences of an article in one ``nlp.pipe`` batch. Text is normalised with the model's own
``charmap.json`` (one character for one, so offsets never move) exactly as in training.

A language without a model is not an error: the stage records why it did nothing. A model that
is present but missing files or corrupt raises ``ModelError`` naming the command that rebuilds it.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import ModelError
from ..langs import pack
from ..model import Article, Entity, Token
from ..pipeline import Context, stage

log = logging.getLogger(__name__)

VERSION = "1"
RULE = f"analyse@{VERSION}"
MODEL_DIR = "model"
REQUIRED_FILES = ("config.cfg", "meta.json", "charmap.json")


@dataclass
class LoadedModel:
    """A loaded pipeline with the normaliser it was trained with."""

    nlp: Any  # spacy.language.Language (spaCy is imported lazily)
    norm: Callable[[str], str]
    path: Path


def _rebuild_hint(path: Path) -> str:
    return f"rebuild it with: python -m khabar.train {path.parent.name}"


def load_model_dir(path: Path) -> LoadedModel:
    """Load the model folder at ``path``; ``ModelError`` (one line, with the rebuild command) if broken."""
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelError(f"model is missing {', '.join(missing)}; {_rebuild_hint(path)}", source=str(path))
    try:
        import spacy

        nlp = spacy.load(path)
        charmap = json.loads((path / "charmap.json").read_text(encoding="utf-8"))["map"]
    except ImportError as err:
        raise ModelError("spaCy is not installed: pip install spacy", source=str(path)) from err
    except Exception as err:  # spaCy raises many kinds of errors on a damaged model
        raise ModelError(f"model is corrupt ({type(err).__name__}); {_rebuild_hint(path)}", source=str(path)) from err
    table = {ord(k): v for k, v in charmap.items() if len(k) == 1 and len(v) == 1}
    return LoadedModel(nlp, lambda text: text.translate(table), path)


def model_for(code: str | None, ctx: Context) -> LoadedModel | None:
    """The cached model of language ``code``; None when the language ships no model."""
    lp = pack(code)
    if not lp.exists or not lp.path(MODEL_DIR).is_dir():
        return None
    return ctx.cached(f"analyse.model.{lp.code}", lambda: load_model_dir(lp.path(MODEL_DIR)))


def _spans(article: Article) -> list[tuple[int, int]]:
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    return [(0, len(article.text))] if article.text.strip() else []


@stage("analyse", VERSION, requires={"text", "language", "sentences"}, assigns={"tokens", "entities"})
def ANALYSE(article: Article, ctx: Context) -> None:
    """Fill ``article.tokens`` with syntax and add the model's named entities to ``article.entities``."""
    model = model_for(article.language, ctx)
    if model is None:
        article.errors.append({"stage": "analyse", "code": ModelError.code,
                               "message": f"no trained model for language {article.language!r}: not analysed"})
        return
    spans = _spans(article)
    texts = [model.norm(article.text[a:b]) for a, b in spans]
    tokens: list[Token] = []
    found: list[Entity] = []
    for idx, ((start, _), doc) in enumerate(zip(spans, model.nlp.pipe(texts, batch_size=64))):
        index = _token_index(doc, len(tokens))
        tokens.extend(_token(t, start, index, idx) for t in doc if not t.is_space)
        found.extend(_entity(e, start, article.text) for e in doc.ents)
    article.tokens = tokens
    kept = [e for e in article.entities if not e.rule.startswith("analyse@")]
    article.entities = kept + [e for e in found if not _overlaps(e, kept)]


def _token_index(doc: Any, base: int) -> list[int]:
    """Position in ``article.tokens`` of each token of ``doc`` (white-space tokens are left out)."""
    index, n = [], base
    for t in doc:
        index.append(n)
        n += 0 if t.is_space else 1
    return index


def _token(t: Any, offset: int, index: list[int], sentence: int) -> Token:
    start = offset + t.idx
    return Token(start, start + len(t.text), RULE, sentence=sentence, lemma=t.lemma_ or None,
                 upos=t.pos_ or None, feats=str(t.morph) or None, head=index[t.head.i],
                 dep=("root" if t.dep_ == "ROOT" else t.dep_) or None)


def _entity(span: Any, offset: int, text: str) -> Entity:
    start, end = offset + span.start_char, offset + span.end_char
    return Entity(start, end, RULE, name=text[start:end], type=span.label_)


def _overlaps(e: Entity, others: list[Entity]) -> bool:
    return any(o.start < e.end and e.start < o.end for o in others)
