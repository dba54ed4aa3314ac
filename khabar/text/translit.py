"""Latin spellings and matching keys for names in any script: one key for بیلوسوف, Белоусов, Belousov.

Two functions matter:

- ``romanise(name)``: a rough, readable Latin spelling ("آندرے بیلوسوف" -> "Andre Bilosof",
  "Андрей Белоусов" -> "Andrey Belousov"). Arabic-script and Cyrillic words go through our own
  ordered rewrite rules (``khabar/langs/_common/translit.json``: Urdu vowels and letter variants,
  vav and ye as consonant or vowel by context); other scripts through the ICU transform the same
  file names (PyICU), else they are only folded. Latin text loses its accents (Vietnamese too).
- ``match_key(name)``: the consonant skeleton of that spelling ("andr blsf" for all three
  spellings above): digraphs become one symbol, h and semivowels drop, vowels drop except a first
  one, doubled symbols collapse (rules in the same file). Arabic script writes no short vowels,
  so the skeleton is where spellings in different scripts meet.

``similarity(a, b)`` compares two keys (0..1) with rapidfuzz, with and without word spaces
("Kim Jong-un" vs "Kim Jong Un", "Pyongyang" vs "پیانگ یانگ"). Every result is cached per word.
"""
from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from typing import Any, Callable

from ..langs import pack
from .fold import fold_for_matching
from .script import char_script

log = logging.getLogger(__name__)

VERSION = "2"
SPELLED = 0.15  # share of the romanised spelling in name_score
SPELLED_SHORT = 0.4  # ... when a key is short
SHORT_KEY = 3  # symbols (without spaces) of a short key
# A word: letters and the combining marks of its script (Devanagari vowel signs, Arabic harakat,
# Latin accents), with inner apostrophes.
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u09d7])"
_WORD = re.compile(f"{_LETTER}+(?:['’]{_LETTER}+)*")
Rules = list[tuple[re.Pattern[str], str]]


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return pack("_common").json("translit")


def _compile(rows: list[list[str]]) -> Rules:
    return [(re.compile(row[0]), row[1]) for row in rows]


@functools.lru_cache(maxsize=None)
def _script_rules(script: str) -> Rules | None:
    rows = _data()["scripts"].get(script)
    return _compile(rows) if rows else None


@functools.lru_cache(maxsize=None)
def _post_rules(script: str) -> Rules:
    return _compile(_data().get("icu_post", {}).get(script, []))


@functools.lru_cache(maxsize=1)
def _key_rules() -> Rules:
    return _compile(_data()["latin_key"])


@functools.lru_cache(maxsize=None)
def _icu(script: str) -> Callable[[str], str] | None:
    """The ICU transliterator for ``script`` (or the catch-all), None without PyICU."""
    spec = _data()["icu"].get(script) or _data()["icu"]["other"]
    try:
        import icu  # type: ignore[import-not-found]
    except ImportError:
        log.info("PyICU is not installed: %s names are only folded, not transliterated", script)
        return None
    return icu.Transliterator.createInstance(spec).transliterate  # type: ignore[no-any-return]


def _apply(rules: Rules, word: str) -> str:
    for pattern, repl in rules:
        word = pattern.sub(repl, word)
    return word


def _ascii(word: str) -> str:
    """Accents off, lower case, ASCII letters only (đ -> d, ø -> o)."""
    out = unicodedata.normalize("NFKD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in out if c.isascii() and c.isalpha()).lower()


@functools.lru_cache(maxsize=65536)
def romanise_word(word: str) -> str:
    """A lower-case ASCII spelling of one word of any script ('' when nothing is left)."""
    script = next((s for s in map(char_script, word) if s), None)
    if script in (None, "Latn"):
        return _ascii(word)
    folded = fold_for_matching(word)
    rules = _script_rules(script)
    if rules is not None:
        return _apply(rules, folded)
    translit = _icu(script)
    return _ascii(_apply(_post_rules(script), unicodedata.normalize("NFC", translit(word).lower()))) if translit else ""


def words(name: str) -> list[str]:
    """The words of ``name`` (letters, with inner apostrophes; hyphens and dots split)."""
    return _WORD.findall(name)


def romanise(name: str) -> str:
    """A readable Latin spelling of ``name``, each word capitalised ("Andre Bilosof")."""
    out = [romanise_word(w) for w in words(name)]
    return " ".join(w[:1].upper() + w[1:] for w in out if w)


@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The consonant skeleton of one word of any script ("Belousov", "بیلوسوف" -> "blsf")."""
    return _apply(_key_rules(), romanise_word(word))


def match_key(name: str) -> str:
    """The matching key of a name: its words' skeletons joined by spaces, empty ones left out."""
    return " ".join(k for k in (word_key(w) for w in words(name)) if k)


@functools.lru_cache(maxsize=None)
def _variant_rules(script: str) -> Rules:
    return _compile(_data().get("variants", {}).get(script, []))


@functools.lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, ...]:
    """The key of one word and, for scripts with ``variants`` rules (Russian х written for both
    kh and h, Korean чх), the key of its variant spelling: one or two keys, base first."""
    base = word_key(word)
    script = next((s for s in map(char_script, word) if s), None)
    rules = _variant_rules(script) if script and script != "Latn" else []
    if not rules:
        return (base,)
    folded = fold_for_matching(word)
    variant = _apply(rules, folded)
    if variant == folded:
        return (base,)
    script_rules = _script_rules(script)
    latin = _apply(script_rules, variant) if script_rules is not None else ""
    other = _apply(_key_rules(), latin)
    return (base, other) if other and other != base else (base,)


def match_keys(name: str) -> tuple[str, ...]:
    """The matching key of ``name`` and its variant (every word's variant at once), base first."""
    per_word = [word_keys(w) for w in words(name)]
    base = " ".join(k[0] for k in per_word if k[0])
    other = " ".join(k[-1] for k in per_word if k[-1])
    return (base, other) if other != base else (base,)


def similarity(a: str, b: str) -> float:
    """How alike two matching keys are, 0..1: the better of the rapidfuzz ratio with spaces and
    without them (names split differently across scripts)."""
    from rapidfuzz.fuzz import ratio

    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    spaced = ratio(a, b)
    joined = ratio(a.replace(" ", ""), b.replace(" ", ""))
    return max(spaced, joined) / 100.0


def name_score_parts(key_a: str, spelled_a: str, key_b: str, spelled_b: str) -> float:
    """``name_score`` from precomputed parts: a key and a lower-case romanised spelling of each.
    Spellings are ``spelling``'s. The spelling (vowels kept) weighs ``SPELLED`` of the score, ``SPELLED_SHORT`` when either key
    has at most ``SHORT_KEY`` symbols: short skeletons collide (Vienna and Havana are both "fn"
    in Arabic script, Latvia/Lithuania in Russian), so their vowels must agree too."""
    from rapidfuzz.fuzz import ratio

    keys = similarity(key_a, key_b)
    if keys == 0.0:
        return 0.0
    spelled = ratio(spelled_a, spelled_b) / 100.0
    short = min(len(key_a.replace(" ", "")), len(key_b.replace(" ", ""))) <= SHORT_KEY
    w = SPELLED_SHORT if short else SPELLED
    return (1 - w) * keys + w * spelled


@functools.lru_cache(maxsize=1)
def _spelling_rules() -> Rules:
    return _compile(_data().get("spelling", []))


@functools.lru_cache(maxsize=65536)
def spelling(name: str) -> str:
    """The vowel-bearing spelling ``name_score`` compares: romanised, lower case, with the
    ``spelling`` rules applied (y/i, w/v, c/q/k meet; doubled letters collapse)."""
    return _apply(_spelling_rules(), romanise(name).lower())


def name_score(a: str, b: str) -> float:
    """How alike two names in any scripts are, 0..1: mostly their matching keys' similarity (the
    best of their variants), with their romanised spellings (vowels kept) deciding between names
    of one skeleton; see ``name_score_parts``."""
    sa, sb = spelling(a), spelling(b)
    best = max(name_score_parts(ka, sa, kb, sb) for ka in match_keys(a) for kb in match_keys(b))
    return round(best, 4)


# ----- the learned table (khabar/kb/build_translit.py) ------------------------------------------
MAX_OUT = 4  # Latin letters one source letter may write
FLOOR = -10.0  # log probability of an output for a letter the table does not know
Table = dict[str, dict[str, Any]]


def latin_word(word: str) -> str:
    """A Latin word as the learned table's outputs are written: ASCII lower-case letters."""
    return _ascii(word)


def learned_units(word: str) -> list[str]:
    """The units of one word for the learned table: its folded letters, the first tagged ``^x``,
    the last ``x$`` (a one-letter word: ``^x``)."""
    letters = [c for c in fold_for_matching(word) if not c.isspace()]
    units = list(letters)
    if units:
        if len(units) > 1:
            units[-1] = units[-1] + "$"
        units[0] = "^" + letters[0]
    return units


def _emissions(table: Table, unit: str) -> tuple[dict[str, Any], float]:
    """A unit's row (back-off to the untagged letter) and the log probability of an unseen output."""
    row = table.get(unit)
    if row is None:
        row = table.get(unit.strip("^$"))
    if row is None:
        return {}, FLOOR
    n = row.get("_n")
    unseen = math.log(0.5 / (n + 0.5 * len(row))) - 1.0 if n else FLOOR + 2.0
    return row, unseen


def _viterbi(units: list[str], latin: str, table: Table) -> tuple[float, list[list[tuple[int, int]]]]:
    """Best log probability of writing ``latin`` from ``units``, and back-pointers (previous j, k)."""
    n, m = len(units), len(latin)
    neg = -math.inf
    dp = [[neg] * (m + 1) for _ in range(n + 1)]
    back = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i, u in enumerate(units):
        row, unseen = _emissions(table, u)
        here, nxt, bk = dp[i], dp[i + 1], back[i + 1]
        for j in range(m + 1):
            v = here[j]
            if v == neg:
                continue
            for k in range(min(MAX_OUT, m - j) + 1):
                t = latin[j : j + k]
                lp = row.get(t)
                s = v + (lp if lp is not None else unseen - k)
                if s > nxt[j + k]:
                    nxt[j + k] = s
                    bk[j + k] = (j, k)
    return dp[n][m], back


def learned_align(units: list[str], latin: str, table: Table) -> list[tuple[str, str]]:
    """The most probable alignment: (unit, the Latin letters it writes) for every unit."""
    score, back = _viterbi(units, latin, table)
    if score == -math.inf:
        return []
    out = []
    j = len(latin)
    for i in range(len(units), 0, -1):
        pj, k = back[i][j]
        out.append((units[i - 1], latin[pj : pj + k]))
        j = pj
    return out[::-1]


def learned_logp(units: list[str], latin: str, table: Table) -> float:
    """Log probability of the best alignment of ``latin`` with ``units`` (-inf when none)."""
    return _viterbi(units, latin, table)[0]


_ACTIVE: list[dict[str, Table]] = []  # a table set by ``set_learned_table`` (the build's own)


@functools.lru_cache(maxsize=1)
def _shipped_table() -> dict[str, Table]:
    return pack("_common").json("translit_learned")["scripts"]  # type: ignore[no-any-return]


def learned_table() -> dict[str, Table]:
    """The learned tables per script (``khabar/langs/_common/translit_learned.json``, or the one
    ``set_learned_table`` set)."""
    return _ACTIVE[0] if _ACTIVE else _shipped_table()


def set_learned_table(tables: dict[str, Table] | None) -> None:
    """Use ``tables`` instead of the shipped file (None: the file again); for the table's build,
    which scores the train split with the table it has just learned."""
    _ACTIVE.clear()
    if tables is not None:
        _ACTIVE.append(tables)
    _name_units.cache_clear()


@functools.lru_cache(maxsize=65536)
def _name_units(name: str) -> tuple[str, tuple[str, ...], float]:
    """(script, units of every word, the best log probability any Latin spelling could reach)."""
    script = next((s for s in map(char_script, name) if s), "")
    table = learned_table().get(script)
    if not table:
        return script, (), 0.0
    units = tuple(u for w in words(name) for u in learned_units(w))
    best = 0.0
    for u in units:
        row, unseen = _emissions(table, u)
        best += max((v for t, v in row.items() if t != "_n"), default=unseen)
    return script, units, best


@functools.lru_cache(maxsize=None)
def _query_rules(script: str) -> Rules:
    return _compile(_data().get("query_variants", {}).get(script, []))


def query_variant(name: str) -> str:
    """``name`` with each word rewritten by its script's ``query_variants`` rules (the Arabic
    article dropped: "الرياض" -> "رياض"); ``name`` itself when no rule applies."""
    out = []
    for w in name.split():
        script = next((s for s in map(char_script, w) if s), "")
        out.append(_apply(_query_rules(script), w) if script and script != "Latn" else w)
    return " ".join(w for w in out if w) or name


def has_learned(name: str) -> bool:
    """Whether ``name``'s script has a learned table (so ``learned_score`` is not None)."""
    return bool(_name_units(name)[1])


def learned_score(name: str, latin: str) -> float | None:
    """How likely ``latin`` (a Latin-script name) is a spelling of ``name`` under the learned table,
    0..1: the best alignment's probability relative to the most probable spelling, per source letter
    (the geometric mean). None when ``name``'s script has no learned table."""
    script, units, best = _name_units(name)
    if not units:
        return None
    target = "".join(latin_word(w) for w in words(latin))
    if not target:
        return 0.0
    lp = learned_logp(list(units), target, learned_table()[script])
    if lp == -math.inf:
        return 0.0
    return math.exp((lp - best) / len(units))
