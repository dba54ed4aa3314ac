"""News outlets and agencies known across scripts (``outlets.json``), looked up by name or domain.

A name matches case-insensitively after Unicode NFC and white-space folding; a host matches an
outlet whose home domain it equals or ends with (``urdu.geo.tv`` -> Geo News). A domain entry
with a path names a language service of a larger outlet (``bbc.com/urdu`` -> BBC Urdu): only
``by_url`` sees those, and there the longest match wins.
"""
from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ModelError

OUTLETS_FILE = Path(__file__).resolve().parent / "outlets.json"


@dataclass(frozen=True)
class Outlet:
    """One outlet: canonical ``name`` plus every known spelling, domains, country and language."""

    id: str
    name: str
    kind: str
    names: tuple[str, ...]
    domains: tuple[str, ...]
    country: str
    language: str
    parent: str | None = None  # id of the outlet whose language service this is


def fold(name: str) -> str:
    """The key a name is matched by: NFC, case-folded, white space folded, edge punctuation off."""
    text = " ".join(unicodedata.normalize("NFC", name).split()).casefold()
    return text.strip(" .,:;-–—'\"")


@functools.lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """Every outlet in the knowledge base, in file order."""
    try:
        data = json.loads(OUTLETS_FILE.read_text(encoding="utf-8"))
        return tuple(
            Outlet(o["id"], o["name"], o["kind"], tuple(o["names"]) + (o["name"],),
                   tuple(d.lower() for d in o["domains"]), o["country"], o["language"], o.get("parent"))
            for o in data["outlets"]
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelError(f"outlet knowledge base is corrupt: {err}", source=str(OUTLETS_FILE)) from err


@functools.lru_cache(maxsize=1)
def _name_index() -> dict[str, Outlet]:
    index: dict[str, Outlet] = {}
    for outlet in outlets():
        for name in outlet.names:
            index.setdefault(fold(name), outlet)
    return index


def by_name(name: str) -> Outlet | None:
    """The outlet called ``name`` in any script we know, else None."""
    return _name_index().get(fold(name))


def by_host(host: str | None) -> Outlet | None:
    """The outlet whose home domain is ``host`` or a parent of it (``www.`` ignored), else None.
    Domain entries with a path (language services) are not considered: use ``by_url``."""
    if not host:
        return None
    return _best_domain(host.lower().rstrip("."), "")


def by_url(url: str | None) -> Outlet | None:
    """The outlet of ``url``: a language service whose domain and path start the URL
    (``https://www.bbc.com/urdu/world/...`` -> BBC Urdu), else the outlet of its host."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return _best_domain(host, parts.path.lower()) if host else None


def _best_domain(host: str, path: str) -> Outlet | None:
    """The outlet with the longest domain entry matching ``host`` (and, for entries with a path,
    the start of ``path`` at a segment boundary)."""
    best: tuple[int, Outlet] | None = None
    for outlet in outlets():
        for dom in outlet.domains:
            dom_host, _, dom_path = dom.partition("/")
            if not (host == dom_host or host.endswith("." + dom_host)):
                continue
            if dom_path and not (path + "/").startswith("/" + dom_path.rstrip("/") + "/"):
                continue
            if best is None or len(dom) > best[0]:
                best = (len(dom), outlet)
    return best[1] if best else None


def longest_name_in(text: str) -> tuple[int, int, Outlet] | None:
    """The longest known outlet name that makes up all of ``text`` or a word-bounded part of it.

    Returns (start, end, outlet) relative to ``text``; used on short strings (a dateline's
    parenthesis, a credit), never on running text.
    """
    whole = by_name(text)
    if whole is not None:
        lead = len(text) - len(text.lstrip())
        return lead, len(text.rstrip()), whole
    low = "".join(c.casefold() if len(c.casefold()) == 1 else c for c in text)
    best: tuple[int, int, Outlet] | None = None
    for key, outlet in _name_index().items():
        pos = low.find(key)
        while pos >= 0:
            end = pos + len(key)
            if _bounded(low, pos, end) and (best is None or end - pos > best[1] - best[0]):
                best = (pos, end, outlet)
            pos = low.find(key, pos + 1)
    return best


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())
