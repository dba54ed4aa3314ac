"""Word sets for the feature columns of the word vectors: names and titles a language knows.

A recipe's ``vectors.features`` lists sources, each giving one feature label (``PERSON``,
``LOC``, ``ORG``, ``TITLE``…) to the words of its entries:

* ``{"label": "PERSON", "path": "gazetteers/ur/persons.txt"}``: one entry per line, a file
  under the shared data folder (``#`` lines skipped);
* ``{"label": "LOC", "kb": "places"}`` or ``{"label": "PERSON", "kb": "actors", "kinds": ["person"]}``:
  names of khabar's knowledge base (``khabar/kb/data/<kb>.json``) in the recipe's language, plus
  the script-neutral ``und`` names that match ``pattern`` (a regular expression) if given;
* ``{"label": "TITLE", "pack": "roles", "types": ["TITLE", "HEAD"]}``: first-column entries of
  the language pack's ``roles.tsv`` whose type (fourth column) is listed.

Every entry is tokenised like the model's text (same tokenizer, same normalisation), so the
words match what the model sees. Only words go into the vectors, never the lists themselves.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import ConfigError
from ..langs import pack

if TYPE_CHECKING:
    from .recipe import Recipe

KB_DIR = Path(__file__).resolve().parents[1] / "kb" / "data"


def feature_words(recipe: "Recipe", sources: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Label -> the normalised words of every entry its sources list."""
    nlp = recipe.blank()
    out: dict[str, set[str]] = {}
    for src in sources:
        entries = list(_entries(recipe, src))
        words = out.setdefault(src["label"], set())
        for doc in nlp.tokenizer.pipe(recipe.norm(e) for e in entries):
            words.update(t.text for t in doc if not (t.is_space or t.is_punct or t.is_digit))
    return out


def _entries(recipe: "Recipe", src: dict[str, Any]) -> Iterator[str]:
    if "path" in src:
        lines = recipe.path(src["path"]).read_text(encoding="utf-8-sig").splitlines()
        yield from (ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))
    elif "kb" in src:
        yield from kb_names(src["kb"], recipe.lang, src.get("kinds"), src.get("pattern"))
    elif "pack" in src:
        types = set(src.get("types", []))
        for row in pack(recipe.lang).tsv(src["pack"]):
            if row and (not types or (len(row) > 3 and row[3] in types)):
                yield row[0]
    else:
        raise ConfigError(f"vector feature source needs path, kb or pack: {src}")


def kb_names(kb: str, lang: str, kinds: Iterable[str] | None = None, pattern: str | None = None) -> Iterator[str]:
    """Names in ``lang`` (and matching ``und`` names) of the entries of ``khabar/kb/data/<kb>.json``."""
    path = KB_DIR / f"{kb}.json"
    if not path.is_file():
        raise ConfigError(f"knowledge-base file not found: {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    keep = set(kinds) if kinds else None
    script = re.compile(pattern) if pattern else None
    for entry in data.get("entries", []):
        if keep is not None and entry.get("kind") not in keep:
            continue
        names = entry.get("names", {})
        yield from names.get(lang, [])
        if script is not None:
            yield from (n for n in names.get("und", []) if script.search(n))
