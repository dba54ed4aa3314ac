"""HTML to an Article: trafilatura for the body, our metadata pass for what it drops.

``Article.text`` is built as: the title line, a blank line, the body paragraphs one per line,
then (after a blank line) the captions, bylines and comment counters found on the page that are
not already in the body, each on its own line, so that every zone has real offsets into the text.
The furniture rules then run over the body lines, as they do for plain text.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from lxml import etree

from ..model import Article, RawDocument, Zone
from . import furniture as fu
from . import published as pub
from .depth import MAX_DEPTH, flatten_deep
from .meta import PageMeta, fold, parse_html, read_meta
from .resolve import Found, host_of
from .title import strip_site_name

log = logging.getLogger(__name__)

RULE = "extract.html@2"
# Trafilatura runs with include_comments=False, include_tables=True and favor_precision=True, which
# scored best on the benchmark (F1 0.9655 against 0.9623 balanced and 0.9616 favor_recall); a page
# where it finds almost nothing is read again favouring recall.
RETRY_BELOW = 250  # characters of body under which the recall-favouring pass is tried
# The recall pass keeps link lists (menus, tag clouds) of a page without an article: its body is
# refused when more than this share of its characters is lines that are the text of a link.
MAX_LINK_SHARE = 0.5


@dataclass
class _Builder:
    """Appends lines to a growing text and remembers their spans."""

    parts: list[str] = field(default_factory=list)
    length: int = 0

    def line(self, text: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def blank(self) -> None:
        if self.parts:
            self.parts.append("\n")
            self.length += 1

    @property
    def text(self) -> str:
        return "".join(self.parts)


def run_trafilatura(html: str, url: str | None,
                    links: frozenset[str] = frozenset()) -> tuple[str, dict[str, str | None]]:
    """Body text and metadata (title, author, date, sitename) from trafilatura; ('', {}) if none.
    Precision first; when that finds (almost) no body, the recall-favouring pass is kept if longer
    and not mostly ``links`` (the folded texts of the page's links: navigation, not an article)."""
    body, meta = _trafilatura(html, url, precision=True)
    if len(body) < RETRY_BELOW:
        again, _ = _trafilatura(html, url, precision=False)
        if len(again) > len(body) and link_share(again, links) <= MAX_LINK_SHARE:
            body = again
    return body, meta


def link_texts(tree: etree._Element | None) -> frozenset[str]:
    """The folded, non-empty texts of the page's links."""
    if tree is None:
        return frozenset()
    return frozenset(t for t in (fold(a.text_content()) for a in tree.iter("a")) if t)


def link_share(body: str, links: frozenset[str]) -> float:
    """The share of ``body``'s non-space characters in lines that are the whole text of a link."""
    total = linked = 0
    for line in body.split("\n"):
        text = fold(line)
        total += len(text)
        if text in links:
            linked += len(text)
    return linked / total if total else 0.0


def _trafilatura(html: str, url: str | None, precision: bool) -> tuple[str, dict[str, str | None]]:
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(html, url=url, with_metadata=precision, include_comments=False,
                              include_tables=True, favor_precision=precision, favor_recall=not precision)
    except Exception as err:  # trafilatura can fail on odd pages; we fall back to our own pass
        log.debug("trafilatura failed on %s: %s", url, err)
        return "", {}
    if doc is None or isinstance(doc, dict):
        return "", {}
    return doc.text or "", {k: getattr(doc, k, None) for k in ("title", "author", "date", "sitename")}


def extract_html(html: str, raw: RawDocument) -> tuple[Article, fu.Furniture, Found]:
    """An Article from an HTML page, with its furniture and metadata evidence. Elements nested
    deeper than the parsers go are flattened first, so their text is read, not lost."""
    html, flattened = flatten_deep(html)
    if flattened:
        log.info("%s: %d elements nested deeper than %d levels flattened", raw.source, flattened, MAX_DEPTH)
    tree = parse_html(html)
    meta = read_meta(tree) if tree is not None else PageMeta()
    body, tmeta = run_trafilatura(html, raw.url, link_texts(tree))
    title = meta.title or fold(tmeta.get("title")) or None
    if title:
        title = strip_site_name(title, _site_names(meta, tmeta, raw), meta.headings)
    build, furn = _Builder(), fu.Furniture()
    if title:
        s, e = build.line(title)
        furn.zones.append(Zone(s, e, RULE, "title"))
        build.blank()
    paragraphs = [p for p in (fold(x) for x in body.split("\n")) if p]
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the body
    body_lines = [build.line(p) for p in paragraphs]
    extras = _extras(build, meta, tmeta, {fold(x) for x in body.split("\n")})
    text = build.text
    marked = {c.casefold(): "caption" for c in meta.captions}
    marked.update({c.casefold(): "credit" for c in meta.photo_credits})
    plain = [(s, e) for s, e in body_lines if text[s:e].casefold() not in marked]
    for s, e in body_lines:
        if (s, e) not in plain:
            _force(text, s, e, marked[text[s:e].casefold()], furn, meta)
    fu.classify(text, plain, furn)
    for s, e, kind in extras:
        _force(text, s, e, kind, furn, meta)
    art = Article(text=text, source=raw.source, url=raw.url or meta.canonical, format="html",
                  fetched_at=raw.fetched_at, title=title)
    return art, furn, _found(meta, tmeta, html, raw)


def _site_names(meta: PageMeta, tmeta: dict[str, str | None], raw: RawDocument) -> list[str | None]:
    """Names the page gives its site: og:site_name, JSON-LD publisher, trafilatura's site name and
    the first label of the page's host (``thecapitalledger`` of thecapitalledger.com)."""
    hosts = [host_of(u) for u in (raw.url, meta.canonical)]
    labels = [h.split(".")[0] for h in hosts if h and "." in h]
    return [meta.site_name, meta.publisher, tmeta.get("sitename"), *labels]


def _extras(build: _Builder, meta: PageMeta, tmeta: dict[str, str | None],
            in_body: set[str]) -> list[tuple[int, int, str]]:
    """Append captions, bylines and comment counters not already in the body."""
    lines: list[tuple[str, str]] = [(c, "caption") for c in meta.captions if c not in in_body]
    lines += [(c, "credit") for c in meta.photo_credits if c not in in_body]
    bylines = meta.bylines or meta.authors or [a.strip() for a in (tmeta.get("author") or "").split(";")]
    lines += [(b, "byline") for b in bylines if b and b not in in_body]
    lines += [(c, "comments") for c in meta.comments[:1] if c not in in_body]
    if lines:
        build.blank()
    return [(*build.line(t), kind) for t, kind in lines]


def _force(text: str, s: int, e: int, kind: str, furn: fu.Furniture, meta: PageMeta) -> None:
    """A line whose kind the page's markup tells us; the furniture rules still read its credit,
    byline names or count. A caption's credit element (``span.credit``) and a credit element of
    its own (``div.credit``) credit the photo even without a cue word."""
    if kind == "caption":
        if not fu.caption_credit(text, s, e, furn):
            _marked_credit(text, s, e, meta.caption_credits.get(text[s:e]), furn)
    elif kind == "credit":
        if not fu.caption_credit(text, s, e, furn):
            _marked_credit(text, s, e, text[s:e], furn)
        kind = "caption"
    elif kind == "byline":
        if not fu.byline_credit(text, s, e, furn):
            fu.author_credits(text, s, e, furn)
    elif kind == "comments":
        fu.comment_count(text, s, e, furn)
    furn.zones.append(Zone(s, e, RULE, kind))


def _marked_credit(text: str, s: int, e: int, credit: str | None, furn: fu.Furniture) -> None:
    """Credit the photo to ``credit``, the text of a credit element, found at the end of the
    line text[s:e] (the whole line when it is the credit)."""
    if not credit:
        return
    at = text.rfind(credit, s, e)
    if at < 0:
        return
    furn.zones.append(Zone(at, at + len(credit), RULE, "credit"))
    fu.add_credit(text, at, at + len(credit), "photo", furn)


def _found(meta: PageMeta, tmeta: dict[str, str | None], html: str, raw: RawDocument) -> Found:
    found = Found(site_name=meta.site_name or tmeta.get("sitename"), publisher=meta.publisher)
    for value, where in meta.dates:
        when = pub.parse_when(value)
        if when is not None:
            found.dates.append(pub.When(when, "html-meta", detail=f"from={where}"))
            break
    # htmldate on its own page scored one page better than trafilatura's (also htmldate-made) date
    date = _htmldate(html, raw.url) or pub.parse_when(tmeta.get("date"))
    if date is not None:
        found.dates.append(pub.When(date, "htmldate"))
    return found


def _htmldate(html: str, url: str | None) -> dt.date | None:
    from htmldate import find_date

    try:
        return pub.parse_when(find_date(html, url=url, extensive_search=True, original_date=True))
    except Exception as err:  # htmldate is best effort
        log.debug("htmldate failed on %s: %s", url, err)
        return None
