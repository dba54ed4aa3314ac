"""Extraction: the bytes of one document to an ``Article`` with zones, credits and metadata.

``extract(raw, settings)`` decodes the bytes (``decode``), reads HTML with trafilatura plus our
own metadata pass (``html``) or keeps plain text as it is (``text``), finds the furniture of a
news page (``furniture``) and settles outlet, publication time and URLs (``resolve``). Bad input
raises an ``InputError``; a readable page without an article raises ``NoArticle``.
"""
from __future__ import annotations

import re

from ..errors import NoArticle, TooLarge
from ..kb import outlets as kb
from ..model import Article, Credit, MetaEvidence, RawDocument
from ..settings import Settings
from .decode import decode
from .furniture import RULE as FURNITURE_RULE
from .furniture import Furniture
from .resolve import Found, resolve_outlet, resolve_published

RULE = "extract@2"
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|\?xml[^>]*>\s*<html)", re.I | re.S)
_HTML_TAGS = re.compile(r"<(?:p|div|br|a|span|meta|title|article|script)\b[^>]*>", re.I)

__all__ = ["extract", "is_html"]


def is_html(raw: RawDocument, text: str) -> bool:
    """HTML by content type, else by sniffing the start of the text."""
    ctype = (raw.content_type or "").lower()
    if "html" in ctype or ctype.endswith("+xml"):
        return True
    if ctype.startswith("text/") or ctype in ("application/json",):
        return False
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 5


def extract(raw: RawDocument, settings: Settings) -> Article:
    """The Article in ``raw``; raises EmptyInput, BinaryInput, EncodingError, TooLarge or NoArticle
    with a one-line reason naming ``raw.source``."""
    if len(raw.data) > settings.max_bytes:
        raise TooLarge(f"{len(raw.data)} bytes is more than max_bytes={settings.max_bytes}", source=raw.source)
    decoded = decode(raw.data, raw.source, raw.charset)
    if is_html(raw, decoded.text):
        from .html import extract_html

        art, furn, found = extract_html(decoded.text, raw)
    else:
        from .text import extract_text

        art, furn = extract_text(decoded.text, raw)
        found = Found()
    finish(art, furn, found, raw, settings)
    art.stages["extract"] = RULE.split("@")[1]
    art.evidence["encoding"] = MetaEvidence(decoded.how, "extract.decode@1", None, None,
                                            f"encoding={decoded.encoding}")
    return art


def finish(art: Article, furn: Furniture, found: Found, raw: RawDocument, settings: Settings) -> None:
    """Copy the furniture into the article, settle outlet and publication time, check the body."""
    art.zones = sorted(furn.zones, key=lambda z: (z.start, -z.end))
    art.credits = sorted(furn.credits, key=lambda c: c.start)
    art.comment_count = furn.comment_count
    art.source_url = furn.source_url
    _dateline_credit(art, furn)
    if furn.translated_from is not None:
        s, e = furn.translated_from
        art.evidence["translated_from"] = MetaEvidence("translation-line", FURNITURE_RULE, s, e,
                                                       f"read={' '.join(art.text[s:e].split())}")
    outlet = resolve_outlet(art, furn, found)
    outlet = outlet or kb.by_url(art.url) or kb.by_url(art.source_url)
    resolve_published(art, furn, found, raw, settings, outlet)
    body = art.body
    if len(body.strip()) < settings.min_body_chars:
        size = len(body.strip())
        what = f"the article body is too short ({size} characters)" if size else "no article text found"
        raise NoArticle(f"{what}; need at least min_body_chars={settings.min_body_chars}", source=raw.source)


def _dateline_credit(art: Article, furn: Furniture) -> None:
    """An agency named in the dateline is credited as the agency of the story."""
    line = furn.dateline
    if line is None or line.outlet is None or line.outlet_span is None or line.outlet.kind != "agency":
        return
    s, e = line.outlet_span
    art.credits.append(Credit(s, e, FURNITURE_RULE, "agency", line.outlet.name))
    art.credits.sort(key=lambda c: c.start)
