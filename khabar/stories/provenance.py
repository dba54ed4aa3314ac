"""Provenance: who copied, translated or credited whom inside a story, and how many independent
sources the story rests on.

Nodes are the story's member articles (``article:<id>``) and outlets named by them that are not
members (``outlet:<name>``). Edges run from origin to the report that uses it, each with its
evidence (the signal, the article and the character span it was read from):

* ``translation`` / ``republication``: a source line (``Source:``, ``ماخذ:``) or source URL, or a
  "translated from" line. Translation when the article's ``original_language`` differs from its
  language. The origin is the member at that URL (canonical URLs compared), else the member from
  that outlet (not the article itself), else the outlet as an outside node;
* ``agency``: an agency named in the dateline ("PYONGYANG (Reuters) -");
* ``copy``: text reuse between two members in one language (``khabar.stories.reuse``), from the
  earlier-published member, with the label and the shared passages;
* ``photo``: a photo credit. A contributing source, listed, but not a report of its own: it does
  not join or split the textual lineage.

Independent sources: members linked by text edges (translation, republication, agency, copy,
directly or through an outside node) count once; the count is the number of such groups that hold
at least one member. Copies and translations of one report therefore count once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import canonical_url
from .reuse import Reuse, compare

RULE = "stories.provenance@1"
TEXT_KINDS = frozenset({"translation", "republication", "agency", "copy"})


@dataclass(frozen=True)
class Edge:
    """Origin -> user, of one ``kind``, with its evidence."""

    origin: str
    target: str
    kind: str
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"from": self.origin, "to": self.target, "kind": self.kind, "evidence": dict(self.evidence)}


def node(doc: dict[str, Any]) -> str:
    """The lineage node of a member article."""
    return f"article:{doc['id']}"


def _span_evidence(doc: dict[str, Any], signal: str, start: int | None, end: int | None) -> dict[str, Any]:
    ev: dict[str, Any] = {"signal": signal, "article": doc["id"], "rule": RULE}
    if start is not None and end is not None:
        ev.update(start=start, end=end, text=doc.get("text", "")[start:end])
    return ev


def _origin(name: str | None, url: str | None, doc: dict[str, Any], members: list[dict[str, Any]],
            language: str | None) -> str:
    """The member an article's cited source points at (URL first, then outlet), else an outlet node."""
    others = [m for m in members if m["id"] != doc["id"]]
    if url:
        key = canonical_url(url)
        for m in others:
            if m.get("url") and canonical_url(m["url"]) == key:
                return node(m)
    if name:
        same = [m for m in others if (m.get("outlet") or "").casefold() == name.casefold()]
        if language:
            same = [m for m in same if m.get("language") == language] or same
        if same:
            return node(min(same, key=lambda m: m.get("published") or "~"))
    return f"outlet:{name or url}"


def explicit_edges(doc: dict[str, Any], members: list[dict[str, Any]]) -> list[Edge]:
    """Edges read from one article's own statements: source lines, translated-from lines,
    agency datelines and photo credits."""
    edges: list[Edge] = []
    translated = bool(doc.get("original_language") and doc.get("language")
                      and doc["original_language"] != doc["language"])
    kind = "translation" if translated else "republication"
    seen: set[str] = set()
    for credit in doc.get("credits", []):
        role, name = credit.get("role"), credit.get("name") or credit.get("text")
        start, end = credit.get("start"), credit.get("end")
        if role in ("source", "translation"):
            url = doc.get("source_url") if role == "source" else None
            origin = _origin(name, url, doc, members, doc.get("original_language"))
            edges.append(Edge(origin, node(doc), kind, _span_evidence(doc, f"{role}-credit", start, end)))
            seen.add(origin)
        elif role == "agency":
            origin = _origin(name, None, doc, members, None)
            if origin not in seen:
                edges.append(Edge(origin, node(doc), "agency", _span_evidence(doc, "dateline-agency", start, end)))
                seen.add(origin)
        elif role == "photo":
            edges.append(Edge(f"outlet:{name}", node(doc), "photo", _span_evidence(doc, "photo-credit", start, end)))
    edges += _url_edges(doc, members, kind, seen)
    return edges


def _url_edges(doc: dict[str, Any], members: list[dict[str, Any]], kind: str, seen: set[str]) -> list[Edge]:
    """A source URL or translated-from line that no credit covered."""
    out = []
    ev = doc.get("evidence", {}).get("translated_from")
    if doc.get("source_url"):
        origin = _origin(None, doc["source_url"], doc, members, doc.get("original_language"))
        if origin not in seen and not origin.startswith("outlet:"):
            out.append(Edge(origin, node(doc), kind, _span_evidence(doc, "source-url", None, None)))
            seen.add(origin)
    if ev and not seen:  # "translated from X" with no source line: X as an outside origin
        read = str(ev.get("detail") or "").removeprefix("read=") or str(doc.get("original_language"))
        out.append(Edge(f"outlet:{read}", node(doc), "translation",
                        _span_evidence(doc, "translated-from", ev.get("start"), ev.get("end"))))
    return out


def copy_edge(a: dict[str, Any], b: dict[str, Any], reuse: Reuse | None = None) -> Edge | None:
    """A ``copy`` edge between two same-language members when one derives from the other: from
    the earlier-published one (ties: the one with fewer characters of text goes second)."""
    first, second = sorted((a, b), key=lambda d: (d.get("published") or "~", -len(d.get("body") or "")))
    found = reuse or compare(first.get("body") or "", second.get("body") or "")
    if not found.derived:
        return None
    ev = {"signal": "text-reuse", "article": second["id"], **found.to_dict()}
    return Edge(node(first), node(second), "copy", ev)


def groups(members: Iterable[str], edges: Iterable[Edge]) -> list[set[str]]:
    """Members joined by text edges (directly or through outside nodes), as sets of nodes."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    member_set = list(members)
    for m in member_set:
        find(m)
    for e in edges:
        if e.kind in TEXT_KINDS:
            parent[find(e.origin)] = find(e.target)
    out: dict[str, set[str]] = {}
    for m in member_set:
        out.setdefault(find(m), set()).add(m)
    return list(out.values())


def lineage(docs: list[dict[str, Any]], copies: Iterable[Edge] = ()) -> dict[str, Any]:
    """The lineage of a story's member articles: nodes, edges with evidence, contributing
    sources (photo credits, agencies), independent groups and their count."""
    edges: list[Edge] = []
    for doc in docs:
        edges += explicit_edges(doc, docs)
    edges += list(copies)
    members = [node(d) for d in docs]
    parts = groups(members, edges)
    outside = sorted({e.origin for e in edges if e.origin.startswith("outlet:")})
    contributing = sorted({e.origin.split(":", 1)[1] for e in edges if e.kind in ("photo", "agency")
                           and e.origin.startswith("outlet:")})
    return {
        "rule": RULE,
        "nodes": members + outside,
        "edges": [e.to_dict() for e in edges],
        "contributing": contributing,
        "groups": [sorted(g) for g in sorted(parts, key=lambda g: sorted(g))],
        "independent_sources": len(parts),
    }


def group_of(lineage_doc: dict[str, Any]) -> dict[str, int]:
    """Member node -> index of its independent group, from a ``lineage`` result."""
    return {m: i for i, g in enumerate(lineage_doc.get("groups", [])) for m in g}
