"""Which writing system a text is in, from the Unicode names of its letters.

``char_script("ک")`` is ``"Arab"``; ``script_counts(text)`` counts the letters (and combining marks,
so Devanagari vowel signs count) of each script; ``dominant_script(text)`` gives the script most
letters belong to and its share. Codes are ISO 15924 (``Latn``, ``Arab``, ``Cyrl``, ``Deva``...).
Digits, punctuation and spaces belong to no script here. The script is read from the first word
of the character's Unicode name (``ARABIC LETTER KEHEH``), through a per-character cache, so a
3 KB text costs one ``Counter`` and a few dozen look-ups.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

# First word of a character's Unicode name -> ISO 15924 code. The name's first word is its
# script for letters and script-specific marks (ARABIC FATHA counts as Arabic here, though
# Unicode's Script property says Inherited: harakat only appear in Arabic-script text).
SCRIPTS: dict[str, str] = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "GUJARATI": "Gujr",
    "ORIYA": "Orya",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "THAI": "Thai",
    "LAO": "Laoo",
    "KHMER": "Khmr",
    "MYANMAR": "Mymr",
    "TIBETAN": "Tibt",
    "GREEK": "Grek",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "HEBREW": "Hebr",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "ETHIOPIC": "Ethi",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
}

_CACHE: dict[str, str | None] = {}
_CACHE_LIMIT = 50_000


def char_script(ch: str) -> str | None:
    """ISO 15924 code of the script of letter or mark ``ch``; ``"Zyyy"`` for a letter of another
    script, None for digits, punctuation, spaces and marks shared by all scripts."""
    hit = _CACHE.get(ch, "")
    if hit != "":
        return hit
    found: str | None = None
    kind = unicodedata.category(ch)[0]
    if kind in ("L", "M"):
        first = unicodedata.name(ch, "").split(" ", 1)[0]
        found = SCRIPTS.get(first, "Zyyy" if kind == "L" else None)
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
