"""XML sitemaps: ``urlset`` (page URLs with lastmod) and ``sitemapindex`` (nested sitemaps).

Parsed with lxml, with entity resolution, network access and huge trees all off, so an XML bomb or
an external entity gets nowhere. Google News sitemap fields (``news:title``,
``news:publication_date``) are passed on as hints when present.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from ..errors import MalformedInput

MAX_DEPTH = 3  # a sitemap index inside an index inside an index, no deeper


@dataclass
class Sitemap:
    """What one sitemap file lists: ``kind`` is ``urlset`` or ``sitemapindex``."""

    kind: str
    pages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, remove_comments=True, remove_pis=True)


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el: Any, name: str) -> Any:
    """The first direct child of ``el`` named ``name`` (any namespace), or None."""
    for child in el:
        if _local(child) == name:
            return child
    return None


def _child_text(el: Any, name: str) -> str | None:
    child = _child(el, name) if el is not None else None
    if child is None or not child.text or not child.text.strip():
        return None
    return str(child.text.strip())


def parse_sitemap(data: bytes, source: str, base_url: str | None = None) -> Sitemap:
    """Parse a sitemap; raise MalformedInput if it is not XML or not a urlset/sitemapindex."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise MalformedInput(f"sitemap is not well-formed XML ({err})") from err
    if root is None or _local(root) not in ("urlset", "sitemapindex"):
        raise MalformedInput("XML root is neither urlset nor sitemapindex")
    found = Sitemap(_local(root))
    item_tag = "url" if found.kind == "urlset" else "sitemap"
    for el in root:
        if _local(el) != item_tag:
            continue
        loc = _child_text(el, "loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc) if base_url else loc
        if found.kind == "sitemapindex":
            found.children.append(loc)
            continue
        news = _child(el, "news")
        hints = {"sitemap": source, "lastmod": _child_text(el, "lastmod"),
                 "title": _child_text(news, "title"),
                 "published": _child_text(news, "publication_date")}
        found.pages.append((loc, {k: v for k, v in hints.items() if v}))
    return found
