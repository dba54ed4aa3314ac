"""What the words around a predicate make of its CAMEO code: intentions, refusals, demands.

The CAMEO codebook codes a stated intention to cooperate as root 03 ("will provide aid" is 033,
not 070), a refusal to cooperate as root 12 ("will not meet" is 125), a stated intention to act
against someone as a threat, root 13 ("will impose a curfew" is 132), and "X said Y must ..." as a
demand (100) by X on Y. The tables below are CAMEO structure, the same for every language; the
cue words come from the language pack's ``events.json`` (``intent_cues``, ``refusal_cues``,
``demand_modals``), searched before the predicate in preposition languages and after it in
postposition ones (Urdu ``کرے گا``).
"""
from __future__ import annotations

from typing import Any

# Intention to do a cooperative act (roots 04-08): the 03 code of that act.
INTENT_ROOT = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}
INTENT_CODE = {"061": "0311", "062": "0312", "063": "0313", "064": "0314", "071": "0331", "072": "0332",
               "073": "0333", "074": "0334", "081": "0351", "0841": "0353", "085": "0354", "086": "0355",
               "087": "0356", "0871": "0356", "0872": "0356", "0873": "0356", "0874": "0356", "045": "039"}
# Intention to do a hostile act (roots 14-20): the 13 threat.
THREAT_ROOT = {"14": "133", "16": "131", "17": "132", "18": "138", "19": "138", "20": "138"}
# Refusal of a cooperative act: the 12 rejection.
REFUSE_ROOT = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
DEMAND = "100"
WINDOW = 4  # tokens searched for a cue next to the predicate


def cue_window(n: int, i: int, j: int, a: int, b: int, after: bool) -> tuple[int, int]:
    """Token range searched for cues of a predicate over ``[i, j)`` in clause ``[a, b)`` (the
    predicate's own words included: a pattern may hold its cue, "will support")."""
    if after:
        return i, min(b, n, j + WINDOW)
    return max(a, i - WINDOW), j


def recode(code: str, refusal: bool, intent: bool) -> tuple[str, str | None]:
    """The CAMEO code once a refusal or intention cue is read, and the kind of change (or None)."""
    root = code[:2]
    if refusal and root in REFUSE_ROOT:
        return REFUSE_ROOT[root], "refusal"
    if intent and root in INTENT_ROOT:
        fine = next((INTENT_CODE[k] for k in (code, code[:3]) if k in INTENT_CODE), None)
        return fine or INTENT_ROOT[root], "intent"
    if intent and root in THREAT_ROOT:
        return THREAT_ROOT[root], "threat"
    return code, None


def demand_target(groups: list[Any], lo: int, hi: int) -> Any | None:
    """The first actor group in tokens ``[lo, hi)``: who a "must" demand is made of."""
    return next((g for g in groups if lo <= g.i < hi and not g.place and g.actors and g.marker != "modifier"), None)
