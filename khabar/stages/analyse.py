"""Syntax and named entities from khabar's own trained models (``khabar/langs/<code>/model``).

For each sentence the language's spaCy pipeline gives tokens with lemma, UPOS, features and a
dependency head, and entity mentions (PERSON, ORG, LOC, and MISC where the model has it). The
model is loaded lazily, once per language per process (``ctx.cached``), and runs over all the
sentences of an article in one ``nlp.pipe`` batch. Text is normalised with the model's own
``charmap.json`` (one character for one, so offsets never move) exactly as in training.

A language without a model is not an error: the stage records why it did nothing in
``article.evidence["analyse"]`` (the article's status stays ``ok``). A model that
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
from ..model import Article, Entity, MetaEvidence, Token
from ..pipeline import Context, stage

log = logging.getLogger(__name__)

VERSION = "1"
RULE = f"analyse@{VERSION}"
MODEL_DIR = "model"
REQUIRED_FILES = ("config.cfg", "meta.json", "charmap.json")
# spaCy adds every new token string to the model's vocabulary (StringStore and lexemes) and never
# drops it, so a long-running process (``khabar serve``) grows with every new word it reads. After
# this many strings more than it was loaded with, the model is dropped and loaded again (a second
# or two) and the string cache below is emptied: memory stays bounded, the analysis is unchanged.
MAX_NEW_STRINGS = 100_000


@dataclass
class LoadedModel:
    """A loaded pipeline with the normaliser it was trained with.

    ``norm_map(text)`` gives the normalised text and, when the normalisation removed or added
    characters, its map to offsets in ``text`` (``to_orig``, one entry more than the text)."""

    nlp: Any  # spacy.language.Language (spaCy is imported lazily)
    norm: Callable[[str], str]
    path: Path
    norm_map: Callable[[str], tuple[str, list[int] | None]] | None = None
    base_strings: int = 0  # strings in the vocabulary when loaded

    def __post_init__(self) -> None:
        self.base_strings = len(self.nlp.vocab.strings) if hasattr(self.nlp, "vocab") else 0

    @property
    def grown(self) -> int:
        """Strings added to the vocabulary since the model was loaded."""
        return len(self.nlp.vocab.strings) - self.base_strings if hasattr(self.nlp, "vocab") else 0

    def normalised(self, text: str) -> tuple[str, list[int] | None]:
        """``text`` as the model saw its training text, with the map back (None: same offsets)."""
        return self.norm_map(text) if self.norm_map else (self.norm(text), None)


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
        spec = json.loads((path / "charmap.json").read_text(encoding="utf-8"))
        charmap, norm_lang = spec["map"], spec.get("table")
    except ImportError as err:
        raise ModelError("spaCy is not installed: pip install spacy", source=str(path)) from err
    except Exception as err:  # spaCy raises many kinds of errors on a damaged model
        raise ModelError(f"model is corrupt ({type(err).__name__}); {_rebuild_hint(path)}", source=str(path)) from err
    table = _table(charmap)  # built once per model, not once per sentence
    if norm_lang:  # the model was trained on text normalised like the normalise stage does
        def norm_map(text: str) -> tuple[str, list[int] | None]:
            return _normalise_with(norm_lang, table, text)

        return LoadedModel(nlp, lambda text: norm_map(text)[0], path, norm_map)
    return LoadedModel(nlp, lambda text: text.translate(table) if table else text, path)


def _table(charmap: dict[str, str]) -> dict[int, str]:
    return {ord(k): v for k, v in charmap.items() if len(k) == 1 and len(v) == 1}


def normalise_for_model(lang: str, charmap: dict[str, str], text: str) -> tuple[str, list[int] | None]:
    """``text`` normalised as the normalise stage does for ``lang`` (``khabar.text.normalise``),
    then mapped one character for one through ``charmap``; with the map to offsets in ``text``
    (None when no character was removed or added). Training and run time both call this."""
    return _normalise_with(lang, _table(charmap), text)


def _normalise_with(lang: str, table: dict[int, str], text: str) -> tuple[str, list[int] | None]:
    from ..text.normalise import norm_table, normalise

    nt = normalise(text, norm_table(lang))
    out = nt.text.translate(table) if table else nt.text
    same = len(nt.to_orig) == len(text) + 1 and nt.to_orig == list(range(len(text) + 1))
    return out, (None if same else list(nt.to_orig))


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
    if model is None:  # not an error: the language-independent stages still run
        article.evidence["analyse"] = MetaEvidence(
            "no-model", RULE, detail=f"no trained model for language {article.language!r}: not analysed")
        return
    article.evidence.pop("analyse", None)
    spans = _spans(article)
    normed = [model.normalised(article.text[a:b]) for a, b in spans]
    tokens: list[Token] = []
    found: list[Entity] = []
    docs = model.nlp.pipe((text for text, _ in normed), batch_size=64)
    names: dict[int, str | None] = ctx.cached(f"analyse.strings.{model.path}", dict)
    for idx, ((start, _), (_, to_orig), doc) in enumerate(zip(spans, normed, docs)):
        where = Offsets(start, to_orig)
        tokens.extend(doc_tokens(doc, where, len(tokens), idx, names))
        found.extend(_entity(e, where, article.text) for e in doc.ents)
    article.tokens = tokens
    kept = [e for e in article.entities if not e.rule.startswith("analyse@")]
    article.entities = kept + [e for e in found if not _overlaps(e, kept)]
    if model.grown > MAX_NEW_STRINGS:
        recycle(article.language, ctx)


def recycle(code: str | None, ctx: Context) -> None:
    """Drop language ``code``'s cached model and string cache (loaded again on next use), so the
    strings its vocabulary gathered from the texts read are freed."""
    lp = pack(code)
    model = ctx.cache.pop(f"analyse.model.{lp.code}", None)
    if model is not None:
        ctx.cache.pop(f"analyse.strings.{model.path}", None)
        log.info("analyse: model %s reloaded after %d new strings", lp.code, model.grown)


ATTRS = ("IS_SPACE", "POS", "LEMMA", "MORPH", "DEP", "HEAD", "IDX", "LENGTH")
_WRAP = 1 << 64


def doc_tokens(doc: Any, where: "Offsets", base: int, sentence: int, names: dict[int, str | None]) -> list[Token]:
    """The ``Token`` records of one analysed sentence (white-space tokens left out), read from
    ``doc.to_array`` in one pass: no spaCy ``Token`` objects, each string looked up once per
    process through ``names`` (hash -> string or None). ``base`` is the position of the first
    one in ``article.tokens``; heads point into ``article.tokens``."""
    rows = doc.to_array(list(ATTRS)).tolist()
    index, n = [], base
    for row in rows:
        index.append(n)
        n += 0 if row[0] else 1
    strings = doc.vocab.strings

    def name(key: int) -> str | None:
        if key not in names:
            text = strings[key] if key else ""
            names[key] = None if text in ("", "_") else text
        return names[key]

    out = []
    for i, (space, pos, lemma, morph, dep, head, idx, length) in enumerate(rows):
        if space:
            continue
        start, end = where.span(idx, idx + length)
        rel = head - _WRAP if head >= _WRAP >> 1 else head  # HEAD is a signed offset stored unsigned
        label = name(dep)
        out.append(Token(start, end, RULE, sentence=sentence, lemma=name(lemma), upos=name(pos),
                         feats=name(morph), head=index[i + rel], dep="root" if label == "ROOT" else label))
    return out


@dataclass(frozen=True)
class Offsets:
    """Maps offsets in a normalised sentence to ``Article.text``: the sentence's start there and
    the normalisation map (None when the normalisation kept every offset)."""

    start: int
    to_orig: list[int] | None

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original (start, end) of normalised characters ``[a, b)``."""
        if self.to_orig is None:
            return self.start + a, self.start + b
        return self.start + self.to_orig[a], self.start + self.to_orig[b]


def _entity(span: Any, where: Offsets, text: str) -> Entity:
    start, end = where.span(span.start_char, span.end_char)
    return Entity(start, end, RULE, name=text[start:end], type=span.label_)


def _overlaps(e: Entity, others: list[Entity]) -> bool:
    return any(o.start < e.end and e.start < o.end for o in others)
