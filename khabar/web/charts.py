"""Charts drawn on the server as SVG: the events timeline and a story's provenance graph.

Every label passes through ``markupsafe`` (``Markup.format`` escapes its arguments); the SVG uses
presentation attributes and CSS classes only (no ``style=`` attributes, which the page's
Content-Security-Policy would refuse).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup

# The CAMEO quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
QUAD_CLASS = {1: "verbal-coop", 2: "material-coop", 3: "verbal-conflict", 4: "material-conflict"}


def event_day(ev: dict[str, Any]) -> str | None:
    """An event's date as YYYY-MM-DD, YYYY-MM or YYYY (None without one)."""
    d = ev.get("date")
    value = d.get("value") if isinstance(d, dict) else None
    if not isinstance(value, str) or len(value) < 4 or not value[:4].isdigit():
        return None
    return value[:10]


def timeline_svg(events: list[dict[str, Any]], width: int = 760, height: int = 220) -> Markup:
    """Bars of events per month (per day when they all fall in one month), stacked by quad class."""
    days = [d for d in (event_day(e) for e in events) if d]
    if not days:
        return Markup('<p class="empty">No dated events to chart.</p>')
    by_day = len({d[:7] for d in days}) == 1
    keyer = (lambda d: d) if by_day else (lambda d: d[:7])
    counts: dict[str, Counter[int]] = {}
    for ev in events:
        day = event_day(ev)
        if day:
            quad = ev.get("quad_class")
            q = quad if isinstance(quad, int) and quad in QUAD_CLASS else 0
            counts.setdefault(keyer(day), Counter())[q] += 1
    keys = sorted(counts)
    top = max(sum(c.values()) for c in counts.values())
    pad, base = 30, height - 40
    step = min((width - 2 * pad) / max(len(keys), 1), 80.0)
    parts = [Markup('<svg class="timeline" viewBox="0 0 {} {}" role="img" aria-label="events over time">')
             .format(width, height),
             Markup('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(pad, base, width - pad, base)]
    for i, key in enumerate(keys):
        x, y = pad + i * step, float(base)
        for q in sorted(counts[key]):
            h = counts[key][q] / top * (base - 20)
            y -= h
            parts.append(Markup('<rect class="bar q{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                                '<title>{}: {} events ({})</title></rect>')
                         .format(q, x + 1, y, max(step - 2, 1), h, key, counts[key][q], QUAD_CLASS.get(q, "other")))
        if len(keys) <= 16 or i % max(1, len(keys) // 12) == 0:
            parts.append(Markup('<text class="tick" x="{:.1f}" y="{}">{}</text>').format(x + step / 2, base + 16, key))
    parts.append(Markup('<text class="tick" x="4" y="24">{}</text>').format(top))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _columns(nodes: list[str], edges: list[dict[str, Any]]) -> dict[str, int]:
    """Each node's column: the length of the longest chain of edges leading to it."""
    col = {n: 0 for n in nodes}
    for _ in range(len(nodes)):
        changed = False
        for e in edges:
            a, b = e.get("from"), e.get("to")
            if a in col and b in col and col[b] < col[a] + 1 <= len(nodes):
                col[b] = col[a] + 1
                changed = True
        if not changed:
            break
    return col


def _label(node: str, titles: dict[str, str]) -> str:
    kind, _, rest = node.partition(":")
    if kind == "article":
        title = titles.get(rest) or ""
        return f"{rest[:8]} {title[:28]}".strip()
    return rest[:36]


def provenance_svg(lineage: dict[str, Any], titles: dict[str, str], width: int = 760) -> Markup:
    """The story's lineage: outlets and articles as boxes in columns, edges as labelled arrows."""
    nodes = [str(n) for n in lineage.get("nodes") or []]
    edges = [e for e in lineage.get("edges") or [] if isinstance(e, dict)]
    if not nodes:
        return Markup('<p class="empty">No lineage recorded.</p>')
    col = _columns(nodes, edges)
    ncols = max(col.values()) + 1
    rows: dict[int, int] = {}
    pos: dict[str, tuple[float, float]] = {}
    colw = (width - 40) / ncols
    for n in nodes:
        r = rows.get(col[n], 0)
        rows[col[n]] = r + 1
        pos[n] = (20 + col[n] * colw, 20 + r * 56)
    height = 40 + max(rows.values()) * 56
    boxw = min(colw - 30, 260)
    parts = [Markup('<svg class="provenance" viewBox="0 0 {} {}" role="img" aria-label="provenance graph">'
                    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                    'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>')
             .format(width, height)]
    for e in edges:
        a, b = pos.get(str(e.get("from"))), pos.get(str(e.get("to")))
        if a is None or b is None:
            continue
        ev: dict[str, Any] = e["evidence"] if isinstance(e.get("evidence"), dict) else {}
        parts.append(Markup('<g class="edge k-{}"><line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" '
                            'marker-end="url(#arrow)"/><text x="{:.1f}" y="{:.1f}">{}</text>'
                            '<title>{} ({}): {}</title></g>')
                     .format(_css(str(e.get("kind"))), a[0] + boxw, a[1] + 18, b[0], b[1] + 18,
                             (a[0] + boxw + b[0]) / 2, (a[1] + b[1]) / 2 + 12, e.get("kind") or "",
                             e.get("kind") or "", ev.get("signal") or "", ev.get("text") or ""))
    for n, (x, y) in pos.items():
        kind = n.partition(":")[0]
        parts.append(Markup('<g class="node n-{}"><rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="36" rx="4"/>'
                            '<text x="{:.1f}" y="{:.1f}">{}</text><title>{}</title></g>')
                     .format(_css(kind), x, y, boxw, x + 6, y + 23, _label(n, titles), n))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _css(word: str) -> str:
    """A word safe as part of a CSS class name."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in word)[:32]
