"""Folding for matching: one key for the spellings of a name, with a map back to the input.

``fold_for_matching("Dân Trí")`` is ``"dan tri"``; ``fold_for_matching("مُحَمَّد")`` is ``"محمد"``;
Arabic-script letter variants meet (``ي ى ی`` -> ``ی``, ``ك`` -> ``ک``, ``ه ة ھ`` -> ``ہ``, ``أ إ آ``
-> ``ا``). ``fold_with_map`` returns the same text as a ``NormText`` whose ``to_orig`` points into
its input, so a match found in folded text maps back (compose it with ``article.norm`` through
``khabar.text.normalise.compose`` to reach ``Article.text``). Never show folded text to a user.

Steps: the language-independent normalisation (``normalise`` with the common table: NFC, digits,
spaces, invisible characters), then per character: NFD, combining marks of
``_common/fold.json``'s ``drop_marks`` removed, case-folded, marks removed again, letter variants
folded, NFC. Per-character results are cached, so a text costs one ``str.translate`` unless some
character folds to nothing or to several characters.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from ..langs import pack
from ..model import NormText
from .normalise import COMMON, code_point, compose, expand_with_map, nfc_with_map, normalise

VERSION = "1"


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    data = pack(COMMON).json("fold")
    drop: set[str] = set()
    for first, last, *_ in data["drop_marks"]:
        drop.update(chr(cp) for cp in range(ord(code_point(first)), ord(code_point(last)) + 1))
    letters = {code_point(k): v for k, v in data["letters"].items()}
    return frozenset(drop), letters, frozenset(data.get("keep", []))


_FOLDED: dict[int, str] = {}


def fold_char(ch: str) -> str:
    """The folded form of one (NFC) character: possibly empty or several characters."""
    hit = _FOLDED.get(ord(ch))
    if hit is not None:
        return hit
    drop, letters, keep = _rules()
    if ch in keep:
        out = ch.casefold()
    else:
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if c not in drop).casefold()
        bare = "".join(c for c in unicodedata.normalize("NFD", bare) if c not in drop)
        out = unicodedata.normalize("NFC", "".join(letters.get(c, c) for c in bare))
    if len(_FOLDED) < 100_000:
        _FOLDED[ord(ch)] = out
    return out


def _fold_table(text: str) -> dict[int, str]:
    for ch in set(text):
        fold_char(ch)
    return _FOLDED


def fold_with_map(s: str) -> NormText:
    """``s`` folded for matching, with ``to_orig`` mapping folded offsets into ``s``."""
    base = normalise(s)
    text = base.text
    table = _fold_table(text)
    odd = {ch: table[ord(ch)] for ch in set(text) if len(table[ord(ch)]) != 1}
    folded = text.translate(table)  # str.translate takes empty and longer replacements too
    mapping: list[int] | None = None
    if odd:  # only the offsets need work: the 1:1 characters keep theirs
        pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(odd)) + "]")
        _, mapping = expand_with_map(text, pattern, odd)
    final, nfc_map = nfc_with_map(folded)
    if nfc_map is not None:
        mapping = nfc_map if mapping is None else [mapping[j] for j in nfc_map]
    inner = NormText(final, mapping if mapping is not None else list(range(len(text) + 1)), f"fold{VERSION}")
    return compose(base, inner)


def fold_for_matching(s: str) -> str:
    """``s`` folded for matching (diacritics off, case-folded, letter variants merged)."""
    return fold_with_map(s).text


def fold_norm(norm: NormText) -> NormText:
    """``norm.text`` folded, mapped straight to ``norm``'s original (``Article.text`` for
    ``article.norm``): ``fold_norm(article.norm).orig_span(s, e)`` gives article offsets."""
    return compose(norm, fold_with_map(norm.text))
