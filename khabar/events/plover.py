"""CAMEO -> PLOVER event type and mode.

The mapping is ``khabar/events/data/plover.json``, derived by our script from PLOVER's
CAMEO2PLOVER-2021 table (openeventdata/PLOVER, CC BY-SA 4.0, Philip Schrodt; share-alike).
A code missing from the table falls back to its three-digit base. CAMEO roots 01 (statements)
and 02 (appeals) have no PLOVER type in that table: ``from_cameo`` returns ``(None, None)``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "plover.json"

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, mode); mode is ``""`` when the table gives none."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))["map"]
    return {k: (v[0], v[1]) for k, v in raw.items()}


def from_cameo(code: str) -> tuple[str | None, str | None]:
    """PLOVER ``(type, mode)`` for a CAMEO code; mode ``None`` when unspecified, ``(None, None)`` if unmapped."""
    key = str(code).strip()
    for cand in (key, key[:3]):
        hit = table().get(cand)
        if hit:
            return hit[0], (hit[1] or None)
    if len(key) >= 2 and key[:2] + "0" in table():
        return table()[key[:2] + "0"][0], None
    return None, None
