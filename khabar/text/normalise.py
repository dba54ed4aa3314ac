"""Normalised text with a map back to the original characters.

``normalise(text, table)`` returns a ``NormText``: the text in NFC, with the characters of the
table replaced (digits of every script to ASCII, NBSP and other spaces to a space, Arabic
presentation forms and full-width ASCII to their plain letters, the language's letter variants to
its standard letters) and the invisible ones removed (tatweel, zero-width characters, bidi
controls), plus ``to_orig``: ``to_orig[i]`` is the original offset where normalised character
``i`` starts and ``to_orig[len(text)] == len(original)``.

How offsets work:
* a removed character belongs to the normalised character before it (``"a\u200fb"``: ``a`` covers
  original ``[0, 2)``); removed characters at the very start belong to nothing, so ``to_orig[0]``
  may be > 0;
* one character becoming several (``ﻻ`` -> ``لا``) gives each the same start, so the first has an
  empty original range and the group together covers the character;
* NFC works on clusters (a starter and the marks that combine with it): a cluster NFC changes is
  one group whose characters all start at the cluster's start.
Every rule is context-free within such a group, so the original slice of a group always
normalises to exactly that group (the property tests check it).

The tables are data: ``khabar/langs/_common/normalise.json`` (every language) and
``khabar/langs/<code>/normalise.json`` (a language's letter variants and the invisible characters
it keeps, e.g. Persian keeps ZERO WIDTH NON-JOINER).
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import ModelError
from ..langs import pack
from ..model import NormText

VERSION = "1"
COMMON = "_common"

CharMap = list[int] | None  # None: identity (character i comes from character i)


@dataclass(frozen=True)
class NormTable:
    """A compiled normalisation table: 1:1 replacements (done by ``str.translate``) and the rest
    (deletions and expansions), found with one character-class regex."""

    name: str
    single: dict[int, str]
    other: dict[str, str]
    other_re: re.Pattern[str] | None
    removed_re: re.Pattern[str] | None

    @property
    def version(self) -> str:
        """What ``NormText.version`` records: code version and table name."""
        return f"norm{VERSION}/{self.name}"


def code_point(key: str) -> str:
    """``"U+200C"`` -> the character; a one-character string stays as it is."""
    if key.upper().startswith("U+"):
        try:
            return chr(int(key[2:], 16))
        except ValueError as err:
            raise ModelError(f"bad code point {key!r} in a normalisation table") from err
    if len(key) != 1:
        raise ModelError(f"normalisation table key {key!r} is not one character")
    return key


def _common_rules(data: dict[str, Any]) -> dict[str, str]:
    rules: dict[str, str] = {code_point(k): "" for k in data.get("delete", {})}
    rules.update({code_point(k): v for k, v in data.get("replace", {}).items()})
    for zero_key in data.get("digit_zeros", {}):
        zero = ord(code_point(zero_key))
        rules.update({chr(zero + d): str(d) for d in range(10)})
    for first, last, *_ in data.get("compatibility_ranges", []):
        for cp in range(ord(code_point(first)), ord(code_point(last)) + 1):
            ch = chr(cp)
            plain = unicodedata.normalize("NFKC", ch)
            if plain != ch and unicodedata.category(ch) != "Cn":
                rules[ch] = plain
    return rules


def _compile(name: str, rules: dict[str, str]) -> NormTable:
    single = {ord(k): v for k, v in rules.items() if len(v) == 1}
    other = {k: v for k, v in rules.items() if len(v) != 1}
    pattern = re.compile("[" + "".join(re.escape(k) for k in sorted(other)) + "]") if other else None
    gone = sorted(k for k, v in other.items() if not v)
    removed = re.compile("[" + "".join(re.escape(k) for k in gone) + "]+") if gone else None
    return NormTable(name, single, other, pattern, removed)


@functools.lru_cache(maxsize=None)
def norm_table(lang: str | None = None) -> NormTable:
    """The table for ``lang``: the common rules plus the language's ``normalise.json`` if it has
    one (``lang=None`` or a language without the file: the common rules only)."""
    rules = _common_rules(pack(COMMON).json("normalise"))
    name = "und"
    lp = pack(lang)
    if lang and lp.has("normalise.json"):
        data = lp.json("normalise")
        name = lang
        for key in data.get("keep", []):
            rules.pop(code_point(key), None)
        letters = {code_point(k): v for k, v in data.get("letters", {}).items()}
        # letters apply to what the common rules produce too (presentation forms of ي -> ی)
        rules = {k: "".join(letters.get(c, c) for c in v) for k, v in rules.items()}
        rules.update({k: v for k, v in letters.items() if k not in rules})
    return _compile(name, {k: v for k, v in rules.items() if k != v})


# ----- NFC with a map ---------------------------------------------------------------------------

def _char_class(cps: set[int]) -> str:
    ranges: list[list[int]] = []
    for cp in sorted(cps):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    esc = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return f"[{esc}]"


@functools.lru_cache(maxsize=1)
def _cluster_re() -> re.Pattern[str]:
    """A regex for the spans NFC may change: a character followed by characters that combine with
    what precedes them (non-zero combining class, second halves of canonical pairs such as Indic
    length marks and Hangul vowels), or a character NFC replaces on its own (singletons,
    composition exclusions like DEVANAGARI LETTER QA). Built once, on the first non-NFC text."""
    marks: set[int] = set()
    unstable: set[int] = set()
    for cp in range(0x30000):
        ch = chr(cp)
        if unicodedata.combining(ch):
            marks.add(cp)
        dec = unicodedata.decomposition(ch)
        if dec and not dec.startswith("<"):
            unstable.add(cp)
            parts = dec.split()
            if len(parts) == 2:
                marks.add(int(parts[1], 16))
    marks.update(range(0x1161, 0x1176))  # Hangul vowel jamo (algorithmic composition)
    marks.update(range(0x11A8, 0x11C3))  # Hangul final jamo
    unstable = {cp for cp in unstable if unicodedata.normalize("NFC", chr(cp)) != chr(cp)}
    m, u = _char_class(marks), _char_class(unstable)
    return re.compile(f"{u}{m}*|.{m}+", re.DOTALL)


def _nfc_atomic_words(text: str) -> tuple[str, list[int]]:
    """Fallback: each white-space-separated word NFC changes becomes one group."""
    parts: list[str] = []
    to: list[int] = []
    for m in re.finditer(r"\S+|\s+", text):
        word = m.group()
        done = unicodedata.normalize("NFC", word)
        parts.append(done)
        to.extend(range(m.start(), m.end()) if done == word else [m.start()] * len(done))
    to.append(len(text))
    return "".join(parts), to


def nfc_with_map(text: str) -> tuple[str, CharMap]:
    """``text`` in NFC and its map (None when ``text`` already is NFC)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    to: list[int] = []
    last = 0
    for m in _cluster_re().finditer(text):
        chunk = m.group()
        done = unicodedata.normalize("NFC", chunk)
        if done == chunk:
            continue
        a, b = m.span()
        parts.append(text[last:a])
        to.extend(range(last, a))
        parts.append(done)
        to.extend([a] * len(done))
        last = b
    parts.append(text[last:])
    to.extend(range(last, len(text) + 1))
    out = "".join(parts)
    if out != unicodedata.normalize("NFC", text):  # a composition the cluster regex did not see
        return _nfc_atomic_words(text)
    return out, to


# ----- character tables with a map -------------------------------------------------------------

def apply_table(text: str, table: NormTable) -> tuple[str, CharMap]:
    """Apply ``table`` to ``text``: 1:1 replacements keep offsets; deletions and expansions build
    the map."""
    text = text.translate(table.single) if table.single else text
    if table.other_re is None or table.other_re.search(text) is None:
        return text, None
    return expand_with_map(text, table.other_re, table.other)


def expand_with_map(text: str, pattern: re.Pattern[str], repl: dict[str, str]) -> tuple[str, list[int]]:
    """Replace each single character ``pattern`` finds by ``repl[char]`` (any length), with a map.
    A removed character belongs to the character before it."""
    parts: list[str] = []
    to: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        i = m.start()
        if i > last:
            parts.append(text[last:i])
            to.extend(range(last, i))
        rep = repl[m.group()]
        parts.append(rep)
        to.extend([i] * len(rep))
        last = i + 1
    parts.append(text[last:])
    to.extend(range(last, len(text) + 1))
    return "".join(parts), to


_OUTSIDE: dict[str, bool] = {}


def _outside(ch: str) -> bool:
    """White space, punctuation or a symbol: where removed characters rather belong."""
    hit = _OUTSIDE.get(ch)
    if hit is None:
        hit = ch.isspace() or unicodedata.category(ch)[0] in "PSZ"
        if len(_OUTSIDE) < 10_000:
            _OUTSIDE[ch] = hit
    return hit


def tighten(original: str, text: str, to: list[int], removed: re.Pattern[str]) -> None:
    """Give a run of removed characters between a word and white space or punctuation to what
    follows, so a word's span does not end with an invisible mark (``Putin`` + RLM + space: the
    RLM goes with the space). ``removed`` finds runs of removed characters in ``original``;
    ``to`` is changed in place and stays a valid map (whole groups move)."""
    for m in removed.finditer(original):
        s, q = m.span()
        i = bisect.bisect_left(to, q)
        if i == 0 or i >= len(text) or to[i] != q or to[i - 1] >= s:
            continue
        if _outside(text[i]) and not _outside(text[i - 1]):
            while i < len(text) and to[i] == q:
                to[i] = s
                i += 1


def compose_maps(outer: CharMap, inner: CharMap) -> CharMap:
    """The map of two steps: ``inner`` maps step-2 text into step-1 text, ``outer`` step-1 text
    into the original (each with its end entry)."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[j] for j in inner]


def normalise(text: str, table: NormTable | None = None) -> NormText:
    """Normalise ``text`` with ``table`` (default: the language-independent table)."""
    table = table or norm_table(None)
    step1, map1 = nfc_with_map(text)
    step2, map2 = apply_table(step1, table)
    mapping = compose_maps(map1, map2)
    step3, map3 = nfc_with_map(step2)  # a removed joiner can bring a base and a mark together
    mapping = compose_maps(mapping, map3)
    if mapping is None:
        return NormText(step3, list(range(len(text) + 1)), table.version)
    if map2 is not None and table.removed_re is not None:
        tighten(text, step3, mapping, table.removed_re)
    return NormText(step3, mapping, table.version)


def compose(outer: NormText, inner: NormText) -> NormText:
    """``inner`` was made from ``outer.text``: the same text, mapped to ``outer``'s original."""
    return NormText(inner.text, [outer.to_orig[j] for j in inner.to_orig], f"{outer.version}+{inner.version}")
