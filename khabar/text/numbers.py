"""Numbers in running text: digits in any script, separators and number words from language data.

``find_numbers(text, lang)`` returns every number it can read, with offsets: ``10,000``,
``۱۰٬۰۰۰``, ``1.2 billion``, ``twenty-five``, ``a dozen``, ``تین کروڑ 50 لاکھ``. The words,
scale words (``thousand``, ``لاکھ``) and separators come from ``khabar/langs/<code>/numbers.json``;
a language without that file still gets digit numbers with ``,`` grouping and ``.`` decimals.
Python's ``int``/``float`` read every Unicode decimal digit, so Urdu digits need no table.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from ..langs import pack

# Characters that continue a word: letters, digits and the combining marks of Arabic script.
WORD_CHARS = r"\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
LEFT = rf"(?<![{WORD_CHARS}])"
RIGHT = rf"(?![{WORD_CHARS}])"


@dataclass(frozen=True)
class NumberSpec:
    """The compiled number data of one language."""

    words: dict[str, float]
    tens: frozenset[str]
    hundreds: dict[str, float]
    scales: dict[str, float]
    one_before_scale: frozenset[str]
    joiners: frozenset[str]
    ambiguous: frozenset[str]
    group: str
    decimal: str
    digit_re: re.Pattern[str]
    token_re: re.Pattern[str]


@dataclass(frozen=True)
class NumberMatch:
    """A number read from the text: ``text[start:end]`` means ``value``.

    ``scaled`` says a scale or hundred word took part (``5 million``); ``weak`` marks a number made
    of one ambiguous word only (Urdu ``نو`` is also a name), which callers accept only with support.
    """

    start: int
    end: int
    value: float
    has_words: bool = False
    scaled: bool = False
    weak: bool = False


def alternation(forms: list[str]) -> str:
    """A regex alternation of literal ``forms``, longest first (so ``Sept.`` wins over ``Sep``)."""
    uniq = sorted({f for f in forms if f}, key=lambda f: (-len(f), f))
    return "|".join(re.escape(f) for f in uniq) if uniq else r"(?!x)x"


def _digit_pattern(group: str, decimal: str, lakh: bool) -> str:
    g, d = f"[{re.escape(group)}]", f"[{re.escape(decimal)}]"
    grouped = rf"\d{{1,3}}(?:{g}\d{{3}})+"
    if lakh:
        grouped = rf"\d{{1,2}}(?:{g}\d{{2}})+{g}\d{{3}}|" + grouped
    seps = re.escape(group + decimal)
    return rf"(?<!\w)(?<!\d[{seps}])(?:{grouped}|\d+)(?:{d}\d+)?(?!\d)(?![{seps}]\d)"


def _lower_keys(d: dict[str, Any]) -> dict[str, float]:
    return {str(k).lower(): float(v) for k, v in d.items()}


@functools.lru_cache(maxsize=None)
def number_spec(lang: str | None) -> NumberSpec:
    """The number data of ``lang`` compiled once (digits only when the pack has no numbers.json)."""
    p = pack(lang)
    data: dict[str, Any] = p.json("numbers") if p.has("numbers.json") else {}
    group = "".join(data.get("group_separators", [","]))
    decimal = "".join(data.get("decimal_separators", ["."]))
    words = _lower_keys(data.get("words", {}))
    hundreds = _lower_keys(data.get("hundreds", {}))
    scales = _lower_keys(data.get("scales", {}))
    ones = frozenset(w.lower() for w in data.get("one_before_scale", []))
    joiners = frozenset(w.lower() for w in data.get("joiners", []) if w != "-")
    digit = _digit_pattern(group, decimal, bool(data.get("lakh_grouping")))
    vocab = list(words) + list(hundreds) + list(scales) + list(ones) + list(joiners)
    token = rf"(?P<d>{digit})|{LEFT}(?P<w>{alternation(vocab)}){RIGHT}"
    return NumberSpec(
        words=words,
        tens=frozenset(w.lower() for w in data.get("tens", [])),
        hundreds=hundreds,
        scales=scales,
        one_before_scale=ones,
        joiners=joiners,
        ambiguous=frozenset(w.lower() for w in data.get("ambiguous", [])),
        group=group,
        decimal=decimal,
        digit_re=re.compile(digit),
        token_re=re.compile(token, re.IGNORECASE),
    )


def parse_digits(s: str, spec: NumberSpec) -> float | None:
    """Value of a digit string such as ``10,000`` or ``۱۲٫۵`` under ``spec``'s separators."""
    out = []
    for ch in s:
        if ch in spec.group:
            continue
        out.append("." if ch in spec.decimal else ch)
    try:
        value = float("".join(out))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass
class _Tok:
    kind: str  # num, tens, hundred, scale, one, join
    value: float
    start: int
    end: int
    word: bool
    ambiguous: bool


def _tokens(text: str, spec: NumberSpec) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in spec.token_re.finditer(text):
        if m.group("d"):
            val = parse_digits(m.group("d"), spec)
            if val is not None:
                toks.append(_Tok("num", val, m.start(), m.end(), False, False))
            continue
        w = m.group("w").lower()
        amb = w in spec.ambiguous
        if w in spec.scales:
            toks.append(_Tok("scale", spec.scales[w], m.start(), m.end(), True, amb))
        elif w in spec.hundreds:
            toks.append(_Tok("hundred", spec.hundreds[w], m.start(), m.end(), True, amb))
        elif w in spec.words:
            kind = "tens" if w in spec.tens else "num"
            toks.append(_Tok(kind, spec.words[w], m.start(), m.end(), True, amb))
        elif w in spec.one_before_scale:
            toks.append(_Tok("one", 1.0, m.start(), m.end(), True, False))
        else:
            toks.append(_Tok("join", 0.0, m.start(), m.end(), True, False))
    return toks


_GAP = re.compile(r"[ \t\u00a0\u200c\-]{0,3}")


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    gap = text[a.end : b.start]
    return bool(_GAP.fullmatch(gap)) and (a.kind != "num" or a.word or "-" not in gap)


class _Builder:
    """Reads one number from a run of adjacent tokens (``two hundred fifty thousand``)."""

    def __init__(self) -> None:
        self.total = 0.0
        self.cur: float | None = None
        self.add_below = 0.0  # a following number word below this adds to cur (twenty five)
        self.last_scale = math.inf
        self.used: list[_Tok] = []

    def take(self, t: _Tok, nxt: _Tok | None) -> bool:
        """Consume ``t`` if it continues the number; False ends the number before ``t``."""
        if t.kind in ("num", "tens"):
            if self.cur is None:
                self.cur, self.add_below = t.value, (10.0 if t.kind == "tens" else 0.0)
            elif t.word and t.value < self.add_below and t.value == int(t.value):
                self.cur, self.add_below = self.cur + t.value, (10.0 if t.kind == "tens" else 0.0)
            else:
                return False
        elif t.kind == "one":
            if self.cur is not None or nxt is None or nxt.kind not in ("hundred", "scale"):
                return False
            self.cur, self.add_below = 1.0, 0.0
        elif t.kind == "hundred":
            self.cur, self.add_below = (self.cur if self.cur is not None else 1.0) * t.value, t.value
        elif t.kind == "scale":
            if self.cur is None or t.value >= self.last_scale:
                return False
            self.total += self.cur * t.value
            self.cur, self.add_below, self.last_scale = None, 0.0, t.value
        else:  # a joiner ("and") only inside a number, before a smaller part
            return bool(self.used) and nxt is not None and nxt.kind in ("num", "tens")
        self.used.append(t)
        return True

    def result(self) -> NumberMatch | None:
        if not self.used:
            return None
        value = self.total + (self.cur or 0.0)
        scaled = any(t.kind in ("hundred", "scale") for t in self.used)
        weak = len(self.used) == 1 and (self.used[0].ambiguous or self.used[0].kind == "hundred")
        has_words = any(t.word for t in self.used)
        return NumberMatch(self.used[0].start, self.used[-1].end, value, has_words, scaled, weak)


def _read_run(text: str, toks: list[_Tok]) -> list[NumberMatch]:
    out: list[NumberMatch] = []
    i = 0
    while i < len(toks):
        b = _Builder()
        j = i
        while j < len(toks):
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if not b.take(toks[j], nxt):
                break
            j += 1
        m = b.result()
        if m is not None:
            out.append(m)
        i = max(j, i + 1)
    return out


def find_numbers(text: str, lang: str | None) -> list[NumberMatch]:
    """Every number in ``text`` (digits, words, scales), in text order, non-overlapping."""
    spec = number_spec(lang)
    toks = _tokens(text, spec)
    out: list[NumberMatch] = []
    run: list[_Tok] = []
    for t in toks:
        if run and not _adjacent(text, run[-1], t):
            out.extend(_read_run(text, run))
            run = []
        run.append(t)
    if run:
        out.extend(_read_run(text, run))
    return out


def parse_number(s: str, lang: str | None) -> float | None:
    """The value of ``s`` when the whole string is one number (``"twenty-five"``), else None."""
    found = find_numbers(s, lang)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(s.strip()) and s == s.strip():
        return found[0].value
    return None
