"""Our own pass over an HTML page for what article extractors drop: JSON-LD and meta-tag
metadata, the canonical link, figure captions, bylines and comment counters."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree
from lxml import html as lxml_html

from .furniture import cues

log = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "livebligposting", "liveblogposting",
                 "report", "webpage", "socialmediaposting", "posting"}
DATE_META = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
             "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dcterms.issued",
             "dc.date", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
             "article.published", "article_date_original", "original-publish-date", "date", "og:pubdate",
             "rnews:datepublished", "cxenseparse:recs:publishtime", "article.created", "dc.date.created")
MAX_SHORT = 120  # longest text we take for a byline or comment counter


@dataclass
class PageMeta:
    """What our pass found; every value as written on the page."""

    title: str | None = None
    site_name: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)  # (value, where)
    canonical: str | None = None
    captions: list[str] = field(default_factory=list)
    caption_credits: dict[str, str] = field(default_factory=dict)  # caption -> credit element inside it
    photo_credits: list[str] = field(default_factory=list)  # credit elements outside captions
    headings: list[str] = field(default_factory=list)  # <h1> and headline elements
    bylines: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def parse_html(html: str) -> etree._Element | None:
    """The page as an lxml tree (an XML declaration is dropped first); None if unparseable."""
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as err:
        log.debug("unparseable HTML: %s", err)
        return None


def fold(text: str | None) -> str:
    """White space folded to single spaces."""
    return " ".join((text or "").split())


def read_meta(tree: etree._Element) -> PageMeta:
    """Read every metadata source of the page into a ``PageMeta``."""
    meta = PageMeta()
    _read_jsonld(tree, meta)
    _read_meta_tags(tree, meta)
    meta.bylines = _short_texts(tree, "//*[contains(@class,'byline') or @rel='author' or @itemprop='author']")
    _captions(tree, meta)
    meta.headings = _short_texts(tree, HEADINGS, MAX_HEADING)
    meta.comments = _comment_counters(tree)
    return meta


def _jsonld_objects(tree: etree._Element) -> Iterator[dict[str, Any]]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type", [])
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return fold(value) if isinstance(value, str) and fold(value) else None


def _read_jsonld(tree: etree._Element, meta: PageMeta) -> None:
    objects = [o for o in _jsonld_objects(tree) if _types(o) & ARTICLE_TYPES]
    objects.sort(key=lambda o: "webpage" in _types(o))  # articles before plain web pages
    for obj in objects:
        if isinstance(obj.get("datePublished"), str):
            meta.dates.append((obj["datePublished"], "json-ld datePublished"))
        meta.publisher = meta.publisher or _name(obj.get("publisher"))
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = _name(author)
            if name and name not in meta.authors:
                meta.authors.append(name)
        if not meta.title and isinstance(obj.get("headline"), str):
            meta.title = fold(obj["headline"]) or None


def _read_meta_tags(tree: etree._Element, meta: PageMeta) -> None:
    tags: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in tags and el.get("content", "").strip():
            tags[key] = el.get("content").strip()
    for key in DATE_META:
        if key in tags:
            meta.dates.append((tags[key], f"meta {key}"))
    for el in tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate]"):
        meta.dates.append((el.get("datetime"), "time datePublished"))
    meta.site_name = fold(tags.get("og:site_name")) or None
    if not meta.authors and tags.get("author") and "://" not in tags["author"]:
        meta.authors.append(fold(tags["author"]))
    links = tree.xpath("//link[@rel='canonical']/@href")
    meta.canonical = (links[0].strip() if links else None) or tags.get("og:url")
    titles = tree.xpath("//title/text()")
    meta.title = meta.title or fold(tags.get("og:title")) or (fold(titles[0]) if titles else None) or None


def _has_class(word: str) -> str:
    return f"contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{word}')"


CAPTIONS = f"//figcaption | //*[{_has_class('caption')}]"
CREDITS = f"//*[{_has_class('credit')}]"
HEADINGS = "//h1 | //*[@itemprop='headline'] | //*[contains(concat(' ', normalize-space(@class), ' '), ' headline ')]"
MAX_CAPTION = 600
MAX_HEADING = 300


def _captions(tree: etree._Element, meta: PageMeta) -> None:
    """Captions (``figcaption``, any element with ``caption`` in its class), the credit elements
    inside them (``credit`` in the class), and credit elements outside any caption: a byline when
    a byline cue starts it (``div.credit`` = ``By NAME``), else a photo credit."""
    captions = tree.xpath(CAPTIONS)
    credits = [el for el in tree.xpath(CREDITS) if el.tag not in ("meta", "link", "script", "style")]
    in_caption, is_credit = set(captions), set(credits)
    outer = [el for el in captions if not in_caption.intersection(el.iterancestors())]
    for el in outer:
        text = fold(el.text_content())
        if text and len(text) < MAX_CAPTION and text not in meta.captions:
            meta.captions.append(text)
            inner = [fold(c.text_content()) for c in el.iterdescendants() if c in is_credit]
            if inner and inner[-1]:
                meta.caption_credits[text] = inner[-1]
    byline = cues().byline
    for el in credits:
        text = fold(el.text_content())
        if in_caption.intersection(el.iterancestors()) or not text or len(text) > MAX_SHORT or text in meta.captions:
            continue
        target = meta.bylines if byline.fullmatch(text) else meta.photo_credits
        if text not in target:
            target.append(text)


def _short_texts(tree: etree._Element, xpath: str, longest: int = MAX_SHORT) -> list[str]:
    out: list[str] = []
    for el in tree.xpath(xpath):
        if el.tag in ("meta", "link", "script", "style"):
            continue
        text = fold(el.text_content())
        if 0 < len(text) <= longest and text not in out:
            out.append(text)
    return out


def _comment_counters(tree: etree._Element) -> list[str]:
    patterns = cues().comments
    out: list[str] = []
    for el in tree.iter("a", "span", "div", "button", "h2", "h3", "h4", "p", "li", "strong", "b"):
        if len(el) > 3:
            continue
        text = fold(el.text_content())
        if 0 < len(text) <= 40 and any(p.fullmatch(text) for p in patterns) and text not in out:
            out.append(text)
    return out
