"""The web UI: server-rendered pages (Jinja2, autoescaping on) over the same ``Service``.

Pages: ``/`` (overview and search), ``/articles`` and ``/articles/{id}`` (text with every fact in
place), ``/entities/{id}`` (identity page), ``/events`` (explorer, timeline, map), ``/map``,
``/stories`` and ``/stories/{id}`` (members per language, provenance graph). Our own CSS and JS
come from ``/static``; nothing is loaded from anywhere else.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..api.errors import ApiError
from ..api.routes import Limit, Offset, Svc, Text, read_access
from ..api.service import MAX_LIMIT, event_filter
from ..render import is_rtl
from . import charts, geo
from .markup import article_html, entity_href

HERE = Path(__file__).resolve().parent
ENV = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                  autoescape=select_autoescape(default=True, default_for_string=True))
ENV.filters["dir"] = lambda text: "rtl" if is_rtl(str(text or "")) else "ltr"
ENV.globals["entity_href"] = entity_href
ENV.filters["web_url"] = lambda url: url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""

router = APIRouter(dependencies=[Depends(read_access)], include_in_schema=False)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered template."""
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=status)


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    """An error as a small HTML page (for paths outside /api)."""
    return page("error.html", status=status, status_code=status, code=code, message=message)


@router.get("/", response_class=HTMLResponse)
def home(svc: Svc) -> HTMLResponse:
    """Overview: counts, newest articles, latest stories, a search box."""
    return page("home.html", stats=svc.store.stats(), articles=svc.store.list_articles(limit=20),
                stories=svc.stories(10, 0))


@router.get("/search", response_class=HTMLResponse)
def search(svc: Svc, q: Annotated[str, Query(max_length=200)] = "", offset: Offset = 0) -> HTMLResponse:
    """Full-text search results."""
    hits = svc.store.search(q, limit=50, offset=offset) if q.strip() else []
    return page("articles.html", heading="Search", q=q, articles=hits, offset=offset, limit=50, filters={"q": q})


@router.get("/articles", response_class=HTMLResponse)
def articles(svc: Svc, language: Text = None, outlet: Text = None, offset: Offset = 0) -> HTMLResponse:
    """Stored articles, newest first, by language or outlet."""
    rows = svc.store.list_articles(language=language or None, outlet=outlet or None, limit=50, offset=offset)
    return page("articles.html", heading="Articles", q="", articles=rows, offset=offset, limit=50,
                filters={"language": language or "", "outlet": outlet or ""})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(article_id: str, svc: Svc) -> HTMLResponse:
    """One article with its facts highlighted in place, and lists of each kind of fact."""
    doc = svc.article(article_id)
    if doc is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    text = doc.get("text") or ""
    body_dir = "rtl" if is_rtl(doc.get("body") or text) else "ltr"
    return page("article.html", doc=doc, marked=article_html(doc), body_dir=body_dir,
                quotes=doc.get("quotes") or [], events=doc.get("events") or [],
                entities=_distinct_entities(doc), dates=doc.get("dates") or [], amounts=doc.get("amounts") or [])


def _distinct_entities(doc: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for e in doc.get("entities") or []:
        key = e.get("entity_id") or f"{e.get('type')}:{e.get('text')}"
        hit = seen.setdefault(key, {**e, "count": 0})
        hit["count"] += 1
    return sorted(seen.values(), key=lambda e: (-e["count"], str(e.get("name") or "")))


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity(entity_id: str, svc: Svc) -> HTMLResponse:
    """An identity: names in every script, roles with dates, quotes by and about, event timeline."""
    info = svc.entity(entity_id, limit=100)
    if info is None:
        raise ApiError(404, "not_found", f"no identity {entity_id!r}")
    ordered = sorted(info["events"], key=lambda ev: charts.event_day(ev) or "")
    return page("entity.html", e=info, events=ordered, timeline=charts.timeline_svg(ordered))


@router.get("/events", response_class=HTMLResponse)
def events(svc: Svc, actor: Text = None, code: Text = None, root: Text = None, place: Text = None,
           since: Text = None, until: Text = None, factuality: Text = None,
           offset: Offset = 0, limit: Limit = 100) -> HTMLResponse:
    """The events explorer: filters, a timeline, the matching events and their places."""
    values = {"actor": actor, "code": code, "root": root, "place": place, "since": since, "until": until,
              "factuality": factuality}
    flt = event_filter(**values)
    rows = svc.store.events(flt, limit=limit, offset=offset)
    charted = rows if offset == 0 and len(rows) < limit else svc.store.events(flt, limit=5 * MAX_LIMIT)
    return page("events.html", events=rows, filters={k: v or "" for k, v in values.items()},
                timeline=charts.timeline_svg(charted), places=geo.place_points(charted),
                offset=offset, limit=limit)


@router.get("/map", response_class=HTMLResponse)
def world_map(svc: Svc, actor: Text = None, root: Text = None, since: Text = None,
              until: Text = None) -> HTMLResponse:
    """Event places on a world map drawn from shipped country outlines."""
    values = {"actor": actor, "root": root, "since": since, "until": until}
    rows = svc.store.events(event_filter(**values), limit=5 * MAX_LIMIT)
    points = geo.place_points(rows)
    return page("map.html", svg=geo.map_svg(points), places=points, filters={k: v or "" for k, v in values.items()},
                outlines=bool(geo.countries()))


@router.get("/stories", response_class=HTMLResponse)
def stories(svc: Svc, offset: Offset = 0) -> HTMLResponse:
    """Stories, most recently updated first."""
    return page("stories.html", stories=svc.stories(50, offset), offset=offset, limit=50)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(story_id: str, svc: Svc) -> HTMLResponse:
    """A story: members per language, its provenance graph, independent sources, merged events."""
    found = svc.story(story_id)
    if found is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}")
    titles = {m.get("article_id"): m.get("title") or "" for m in found.get("members") or []}
    graph = charts.provenance_svg(found.get("lineage") or {}, titles)
    return page("story.html", s=found, graph=graph)


def install(app: FastAPI) -> None:
    """Add the pages and the static files to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
