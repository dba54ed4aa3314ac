"""A training recipe: what one language's model is built from (``configs/<lang>.json``).

The recipe names the corpora (relative to ``KHABAR_SHARED/data``), the held-out sets, the seed,
the spaCy config file and its overrides, the character map applied to text before the model sees
it, and the licence that follows from the data. Code never branches on a language: everything
that differs between languages is in the recipe.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import spacy
from spacy.language import Language

from ..errors import ConfigError
from . import corpora
from .corpora import Sent

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build" / "models"


def char_normaliser(charmap: dict[str, str]) -> Callable[[str], str]:
    """A function mapping each character through ``charmap`` (one for one: offsets never move)."""
    table = {ord(k): v for k, v in charmap.items() if len(k) == 1 and len(v) == 1}
    return lambda text: text.translate(table)


def table_normalise_with_map(table: str, charmap: dict[str, str], text: str) -> tuple[str, list[int] | None]:
    """khabar's normalisation of ``text`` with language ``table``, then ``charmap`` (see
    ``khabar.stages.analyse.normalise_for_model``, which the analyse stage uses at run time)."""
    from ..stages.analyse import normalise_for_model

    return normalise_for_model(table, charmap, text)


def table_normaliser(table: str, charmap: dict[str, str]) -> Callable[[str], str]:
    """A ``str -> str`` function: ``table_normalise_with_map`` without the map."""
    return lambda text: table_normalise_with_map(table, charmap, text)[0]


@dataclass
class Recipe:
    """One language's recipe, with its data folder resolved."""

    lang: str
    spec: dict[str, Any]
    data: Path

    @property
    def seed(self) -> int:
        """The seed used for splits and for spaCy."""
        return int(self.spec.get("seed", 0))

    @property
    def charmap(self) -> dict[str, str]:
        """The character map (without ``_``-keys)."""
        return {k: v for k, v in self.spec.get("charmap", {}).items() if not k.startswith("_")}

    @property
    def norm_table(self) -> str | None:
        """The language whose khabar normalisation table (``khabar.text.normalise``) the model
        uses, as the rule stages do; None: only ``charmap``."""
        return self.spec.get("normalise_table") or None

    @property
    def norm(self) -> Callable[[str], str]:
        """The normaliser applied to training and runtime text alike."""
        if self.norm_table:
            return table_normaliser(self.norm_table, self.charmap)
        return char_normaliser(self.charmap)

    def norm_map(self, text: str) -> tuple[str, list[int] | None]:
        """``text`` normalised and, when lengths change, the map to original offsets."""
        if self.norm_table:
            return table_normalise_with_map(self.norm_table, self.charmap, text)
        return self.norm(text), None

    def path(self, rel: str) -> Path:
        """A corpus path under the shared data folder; a one-line error if it is missing."""
        p = self.data / rel
        if not p.exists():
            raise ConfigError(f"training data not found: {p} (is KHABAR_SHARED right?)")
        return p

    def blank(self) -> Language:
        """An empty spaCy pipeline for the language (tokenizer only)."""
        return spacy.blank(self.lang)

    def ud_train(self) -> list[Sent]:
        """All UD training sentences, in file order."""
        return [s for rel in self.spec["ud"]["train"] for s in corpora.read_conllu(self.path(rel))]

    def ud_tests(self) -> dict[str, list[Sent]]:
        """Held-out UD test sets by display name."""
        return {name: list(corpora.read_conllu(self.path(rel)))
                for name, rel in self.spec["ud"]["test"].items()}

    def ner_source(self, src: dict[str, Any], nlp: Language, held: bool | None = None) -> Iterator[Sent]:
        """Sentences of one NER source. With a ``holdout`` fraction, ``held`` picks the held-out
        part (True), the rest (False) or everything (None)."""
        labels = self.spec["ner"]["labels"]
        path = self.path(src["path"])
        ends = self.spec["ner"].get("sentence_ends", "") if src.get("split_sentences") else ""
        if src["format"] == "inline":
            sents = list(corpora.read_inline_tagged(path, _tokenizer(nlp, self.norm_map), labels, ends))
        else:
            sents = list(corpora.read_token_tag(path, labels, src["format"], src.get("sep", "\t"), ends))
        frac = src.get("holdout")
        if not frac or held is None:
            return iter(sents)
        out = corpora.held_out(dict.fromkeys(corpora.group_id(s.sid) for s in sents), float(frac), self.seed)
        return iter(s for s in sents if (corpora.group_id(s.sid) in out) == held)

    def ner_train(self, nlp: Language) -> list[Sent]:
        """All NER training sentences (held-out parts removed)."""
        return [s for src in self.spec["ner"]["train"] for s in self.ner_source(src, nlp, held=False)]

    def ner_tests(self, nlp: Language) -> dict[str, list[Sent]]:
        """Held-out NER test sets by display name."""
        return {name: list(self.ner_source(src, nlp, held=True))
                for name, src in self.spec["ner"]["test"].items()}


def _tokenizer(nlp: Language, norm: Callable[[str], Any]) -> Callable[[str], list[tuple[str, bool, int]]]:
    """Tokens of the normalised text as ``(word, space_after, start in the original text)``;
    ``norm`` gives the text, or the text and its map to the original (``Recipe.norm_map``)."""
    def tok(text: str) -> list[tuple[str, bool, int]]:
        done = norm(text)
        normed, to_orig = done if isinstance(done, tuple) else (done, None)
        doc = nlp.make_doc(normed)
        return [(t.text, bool(t.whitespace_), to_orig[t.idx] if to_orig else t.idx)
                for t in doc if not t.is_space]

    return tok


def load_recipe(lang: str, data: Path | None = None) -> Recipe:
    """The recipe ``configs/<lang>.json``; ``data`` defaults to ``shared_dir()/data``."""
    path = CONFIG_DIR / f"{lang}.json"
    if not path.is_file():
        known = sorted(p.stem for p in CONFIG_DIR.glob("*.json"))
        raise ConfigError(f"no training recipe for {lang!r} (known: {', '.join(known)})")
    if data is None:
        from ..shared import shared_dir

        base = shared_dir()
        data = (base / "data") if base else Path("data")
    return Recipe(lang, json.loads(path.read_text(encoding="utf-8")), data)
