"""Which writing system a text is in, from Unicode's Script property.

``char_script("ک")`` is ``"Arab"``; ``script_counts(text)`` counts the letters (and combining marks,
so Devanagari vowel signs count) of each script; ``dominant_script(text)`` gives the script most
letters belong to and its share. Codes are ISO 15924 (``Latn``, ``Arab``, ``Cyrl``, ``Deva``...).
Digits, punctuation and spaces belong to no script here. Counting goes through a per-character
cache, so a 3 KB text costs one ``Counter`` and a few dozen look-ups.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

import regex

# ISO 15924 code -> Unicode script name understood by ``regex`` (\p{sc=...}).
SCRIPTS: dict[str, str] = {
    "Latn": "Latin",
    "Arab": "Arabic",
    "Cyrl": "Cyrillic",
    "Deva": "Devanagari",
    "Beng": "Bengali",
    "Guru": "Gurmukhi",
    "Gujr": "Gujarati",
    "Orya": "Oriya",
    "Taml": "Tamil",
    "Telu": "Telugu",
    "Knda": "Kannada",
    "Mlym": "Malayalam",
    "Sinh": "Sinhala",
    "Thai": "Thai",
    "Laoo": "Lao",
    "Khmr": "Khmer",
    "Mymr": "Myanmar",
    "Tibt": "Tibetan",
    "Grek": "Greek",
    "Armn": "Armenian",
    "Geor": "Georgian",
    "Hebr": "Hebrew",
    "Syrc": "Syriac",
    "Thaa": "Thaana",
    "Ethi": "Ethiopic",
    "Hani": "Han",
    "Hira": "Hiragana",
    "Kana": "Katakana",
    "Hang": "Hangul",
}

_PATTERNS = {code: regex.compile(rf"\p{{sc={name}}}") for code, name in SCRIPTS.items()}
_CACHE: dict[str, str | None] = {}
_CACHE_LIMIT = 50_000


def _is_letter_or_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "M")


def char_script(ch: str) -> str | None:
    """ISO 15924 code of the script of letter or mark ``ch``; ``"Zyyy"`` for a letter of another
    script, None for digits, punctuation, spaces and marks shared by all scripts."""
    hit = _CACHE.get(ch, "")
    if hit != "":
        return hit
    found: str | None = None
    if _is_letter_or_mark(ch):
        found = next((code for code, pat in _PATTERNS.items() if pat.match(ch)), None)
        if found is None and unicodedata.category(ch)[0] == "L":
            found = "Zyyy"
    if len(_CACHE) < _CACHE_LIMIT:
        _CACHE[ch] = found
    return found


def script_counts(text: str) -> Counter[str]:
    """Number of letters and marks of each script in ``text``."""
    out: Counter[str] = Counter()
    for ch, n in Counter(text).items():
        code = char_script(ch)
        if code is not None:
            out[code] += n
    return out


def dominant_script(text: str) -> tuple[str | None, float, int]:
    """(script, share of the letters it holds, number of letters); (None, 0.0, 0) without letters."""
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return None, 0.0, 0
    code, n = counts.most_common(1)[0]
    return code, n / total, total
