"""The stages, in the order the default pipeline runs them. Each module holds one stage.

The list is written out here, not built by import-time registration, so the order is readable
and a new stage is one line.
"""
from __future__ import annotations

from ..pipeline import Stage
from .amounts import AMOUNTS
from .analyse import ANALYSE
from .claims import CLAIMS
from .dates import DATES
from .entities import ENTITIES
from .events import EVENTS
from .langid import LANGID
from .link import LINK
from .normalise import NORMALISE
from .quotes import QUOTES
from .segment import SEGMENT

DEFAULT_STAGES: list[Stage] = [
    LANGID,
    NORMALISE,
    SEGMENT,
    DATES,
    AMOUNTS,
    ANALYSE,
    ENTITIES,
    QUOTES,
    LINK,
    EVENTS,
    CLAIMS,
]

__all__ = ["DEFAULT_STAGES"]
