"""The CAMEO event vocabulary: every code with its name, root, base, QuadClass and Goldstein score.

Codes are strings with leading zeros kept (``"042"``, ``"0211"``). The table is our own data file
``khabar/events/data/cameo.json`` (built by ``khabar/events/build_data.py``).

    >>> info("042").name
    'Make a visit'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "cameo.json"
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_CODE = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code: ``root`` is the two-digit cue category, ``base`` the three-digit code."""

    code: str
    name: str
    root: str
    base: str
    quad_class: int
    goldstein: float

    @property
    def quad_name(self) -> str:
        """QuadClass in words (``"verbal cooperation"`` …)."""
        return QUAD_NAMES[self.quad_class]


@lru_cache(maxsize=1)
def table() -> dict[str, CameoCode]:
    """Every CAMEO code, keyed by its string."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    return {code: CameoCode(code=code, **fields) for code, fields in raw.items()}


def normalise(code: str | int) -> str:
    """A code as CAMEO writes it: ``42`` or ``"42"`` read as an int becomes ``"042"`` only when given as int.

    Strings are taken as written (``"10"`` is the root Demand, ``"010"`` Make statement); an int
    is zero-padded to three digits, since the ambiguity is the caller's (ints lose the zero).
    """
    if isinstance(code, int):
        return f"{code:03d}"
    return str(code).strip()


def info(code: str | int) -> CameoCode:
    """The record for a CAMEO code; raises ``InputError`` (K100) for anything else."""
    key = normalise(code)
    rec = table().get(key)
    if rec is None:
        raise InputError(f"not a CAMEO event code: {key!r}")
    return rec


def lookup(code: str) -> CameoCode | None:
    """Like ``info`` but ``None`` for unknown codes; a longer code falls back to its base, then root
    (dictionaries carry local extensions such as ``"0871A"`` or test codes like ``"903"``)."""
    key = normalise(code)
    if not _CODE.match(key):
        key = re.sub(r"\D.*$", "", key)
    for cand in (key, key[:3], key[:2]):
        if cand in table():
            return table()[cand]
    return None


def is_code(code: str) -> bool:
    """True for a code in the CAMEO table."""
    return normalise(code) in table()


def children(code: str) -> list[CameoCode]:
    """The codes directly below ``code`` (a root's three-digit codes, a base's four-digit ones)."""
    key = normalise(code)
    width = 3 if len(key) == 2 else 4
    return [c for k, c in table().items() if len(k) == width and k.startswith(key)]
