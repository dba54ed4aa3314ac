"""An article's text as HTML with its facts marked in place, built from stand-off offsets.

Every fact (entity, quote, speaker, date, amount, event predicate) is a span ``[start, end)`` of
``Article.text``. The spans are nested into a tree (a span crossing its parent's end is cut in
two) and the tree is written out with every piece of text and every attribute value escaped by
``markupsafe``: nothing from the article ever reaches the page as markup.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import quote as url_quote

from markupsafe import Markup, escape

# Which kind wins as the outer element when two spans cover the same characters.
RANK = {"quote": 0, "event": 1, "speaker": 2, "entity": 3, "date": 4, "amount": 5}


@dataclass(order=True)
class Span:
    """One fact's span and how to draw it."""

    start: int
    neg_end: int
    rank: int
    tag: str = field(compare=False)
    attrs: tuple[tuple[str, str], ...] = field(compare=False, default=())

    @property
    def end(self) -> int:
        """The span's end offset (exclusive)."""
        return -self.neg_end


@dataclass
class _Node:
    span: Span | None
    start: int
    end: int
    children: list["_Node"] = field(default_factory=list)


def entity_href(entity_id: str) -> str:
    """The web page of an identity (the id is quoted for the URL path)."""
    return "/entities/" + url_quote(entity_id, safe=":")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def make_span(kind: str, start: Any, end: Any, n: int, tag: str = "span",
              **attrs: Any) -> Span | None:
    """A span of kind ``kind`` over ``[start, end)`` clipped to the text, or None if invalid."""
    s, e = _int(start), _int(end)
    if s is None or e is None:
        return None
    s, e = max(0, s), min(n, e)
    if s >= e:
        return None
    classes = f"fact {kind} {attrs.pop('extra_class', '')}".strip()
    pairs = (("class", classes),) + tuple((k.replace("_", "-"), str(v)) for k, v in attrs.items() if v not in (None, ""))
    return Span(s, -e, RANK[kind], tag, pairs)


def fact_spans(doc: dict[str, Any]) -> list[Span]:
    """Spans for every fact of a stored article's JSON."""
    n = len(doc.get("text") or "")
    out: list[Span | None] = []
    for i, q in enumerate(doc.get("quotes") or []):
        sp = q.get("speaker") or {}
        who = sp.get("name") or "unknown speaker"
        out.append(make_span("quote", q.get("start"), q.get("end"), n, id=f"q{i}", data_speaker=who,
                             data_speaker_id=sp.get("entity_id"), title=f"quote — {who}",
                             extra_class="" if q.get("direct", True) else "indirect"))
        out.append(make_span("speaker", sp.get("start"), sp.get("end"), n, data_quote=f"q{i}",
                             title=f"speaker of quote {i + 1}"))
    for e in doc.get("entities") or []:
        eid = e.get("entity_id")
        label = f"{e.get('canonical_name') or e.get('name') or ''} ({e.get('type') or '?'})"
        if eid:
            out.append(make_span("entity", e.get("start"), e.get("end"), n, tag="a", href=entity_href(eid),
                                 title=label, extra_class=f"t-{e.get('type') or 'X'}", data_entity=eid))
        else:
            out.append(make_span("entity", e.get("start"), e.get("end"), n, title=label,
                                 extra_class=f"t-{e.get('type') or 'X'}"))
    for d in doc.get("dates") or []:
        out.append(make_span("date", d.get("start"), d.get("end"), n, tag="time",
                             title=f"{d.get('value')} ({d.get('granularity')})", data_value=d.get("value")))
    for a in doc.get("amounts") or []:
        out.append(make_span("amount", a.get("start"), a.get("end"), n, title=_amount_title(a)))
    for ev in doc.get("events") or []:
        pred = (ev.get("evidence") or {}).get("predicate") or [None, None]
        if isinstance(pred, list) and len(pred) == 2:
            out.append(make_span("event", pred[0], pred[1], n, title=_event_title(ev), data_cameo=ev.get("cameo")))
    return [s for s in out if s is not None]


def _amount_title(a: dict[str, Any]) -> str:
    parts = [str(a.get("qualifier") or "").replace("_", " "), str(a.get("value")), str(a.get("unit") or ""),
             str(a.get("object") or "")]
    return " ".join(p for p in parts if p and p != "None")


def _event_title(ev: dict[str, Any]) -> str:
    def who(ref: Any) -> str:
        return str(ref.get("name") or "-") if isinstance(ref, dict) else "-"
    plover: dict[str, Any] = ev["plover"] if isinstance(ev.get("plover"), dict) else {}
    return (f"event {ev.get('cameo') or ''} {plover.get('type') or ''}: {who(ev.get('source'))} → "
            f"{who(ev.get('target'))} [{ev.get('factuality') or ''}]")


def nest(spans: Iterable[Span], n: int) -> _Node:
    """The spans as a tree under a root covering ``[0, n)``; crossing spans are cut in two."""
    root = _Node(None, 0, n)
    heap = list(spans)
    heapq.heapify(heap)
    stack = [root]
    while heap:
        s = heapq.heappop(heap)
        while len(stack) > 1 and s.start >= stack[-1].end:
            stack.pop()
        parent = stack[-1]
        end = s.end
        if end > parent.end:  # crosses the parent's end: the rest starts again after it
            rest = tuple(kv for kv in s.attrs if kv[0] != "id")  # ids stay unique
            heapq.heappush(heap, Span(parent.end, s.neg_end, s.rank, s.tag, rest))
            end = parent.end
        node = _Node(s, s.start, end)
        parent.children.append(node)
        stack.append(node)
    return root


def _tag(span: Span, in_link: bool) -> str:
    return "span" if span.tag == "a" and in_link else span.tag  # no link inside a link


def _open(span: Span, tag: str) -> Markup:
    pairs = [(k, v) for k, v in span.attrs if not (k == "href" and tag != "a")]
    attrs = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in pairs)
    return Markup("<{}{}>").format(Markup(tag), attrs)


def _write(node: _Node, text: str, out: list[Markup], in_link: bool = False) -> None:
    pos = node.start
    for child in node.children:
        out.append(escape(text[pos:child.start]))
        if child.span is None:  # pragma: no cover - only the root has no span
            continue
        tag = _tag(child.span, in_link)
        out.append(_open(child.span, tag))
        _write(child, text, out, in_link or tag == "a")
        out.append(Markup("</{}>").format(Markup(tag)))
        pos = child.end
    out.append(escape(text[pos:node.end]))


def article_html(doc: dict[str, Any]) -> Markup:
    """The article's ``text`` with every fact marked, safe to put in a page as it is."""
    text = doc.get("text") or ""
    root = nest(fact_spans(doc), len(text))
    out: list[Markup] = []
    _write(root, text, out)
    return Markup("").join(out)
