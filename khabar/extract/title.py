"""The headline from a page title: the site's name split off (``Headline | Site``, ``Site - Headline``).

A part beside a separator is the site's name when it is one of the page's site names
(``og:site_name``, JSON-LD publisher, trafilatura's site name), the site's host written with or
without spaces (``The Capital Ledger`` = ``thecapitalledger.com``), or an outlet in the knowledge
base. The other part is the headline when it equals a heading of the page (``<h1>``). Failing
both, a short name-like tail after a pipe (`` | ``) is taken for the site's name: pipes are
seldom part of a headline, dashes often are.
"""
from __future__ import annotations

from ..kb import outlets as kb
from .cues import SENTENCE_END, words_key

SEPARATORS = (" | ", " ｜ ", " — ", " – ", " - ", " :: ", " · ", " » ", " • ")
PIPES = ("|", "｜")
MAX_SITE_WORDS = 5
MAX_SITE_CHARS = 40
MIN_HEADLINE_WORDS = 3


def strip_site_name(title: str, sites: list[str | None], headings: list[str]) -> str:
    """``title`` without a site name before or after a separator (see the module docstring);
    unchanged when no part can be told to be the site's name."""
    names = {k for k in (words_key(x) for x in sites if x) if k}
    names |= {k.replace(" ", "") for k in names}
    heads = {words_key(h) for h in headings if h}
    for _ in range(2):  # "Headline | Section | Site"
        shorter = _strip_once(title, names, heads)
        if shorter == title:
            break
        title = shorter
    return title


def _strip_once(title: str, names: set[str], heads: set[str]) -> str:
    if words_key(title) in heads:
        return title
    for sep in SEPARATORS:
        if sep not in title:
            continue
        head, tail = (x.strip() for x in title.rsplit(sep, 1))
        if head and (_is_site(tail, names) or words_key(head) in heads):
            return head
        lead, rest = (x.strip() for x in title.split(sep, 1))
        if rest and (_is_site(lead, names) or words_key(rest) in heads):
            return rest
        if sep.strip() in PIPES and _site_like(tail) and len(head.split()) >= MIN_HEADLINE_WORDS:
            return head
    return title


def _is_site(part: str, names: set[str]) -> bool:
    key = words_key(part)
    return bool(key) and (key in names or key.replace(" ", "") in names or kb.by_name(part) is not None)


def _site_like(part: str) -> bool:
    """A short name: a few words, no digits, no sentence punctuation."""
    return (0 < len(part.split()) <= MAX_SITE_WORDS and len(part) <= MAX_SITE_CHARS
            and not any(ch.isdigit() or ch in SENTENCE_END + ",،:;?" for ch in part))
