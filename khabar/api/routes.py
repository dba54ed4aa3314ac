"""The JSON API under ``/api/v1``: thin routes over ``khabar.api.service.Service``.

Every list is paged with ``limit`` (1..200) and ``offset`` (0..100000) and answers
``{"items": [...], "limit", "offset", "next_offset"}`` (``next_offset`` null on the last page).
Reads are open unless ``api_public_reads`` is false; ``POST /articles`` needs the bearer token.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from . import export
from .errors import ApiError
from .guard import check_token
from .service import MAX_EXPORT, MAX_LIMIT, MAX_OFFSET, Service, Submission, event_filter

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
Text = Annotated[str | None, Query(max_length=200)]


def service(request: Request) -> Service:
    """The app's Service."""
    svc: Service = request.app.state.service
    return svc


def read_access(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let a read through when reads are public, else only with the bearer token."""
    svc = service(request)
    if not svc.settings.api_public_reads:
        check_token(authorization, svc.settings.api_token, what="reads")


def write_access(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let a write through only with the operator's bearer token."""
    check_token(authorization, service(request).settings.api_token, what="writes")


Svc = Annotated[Service, Depends(service)]
router = APIRouter(prefix="/api/v1", dependencies=[Depends(read_access)])


class SubmitBody(BaseModel):
    """An article to analyse: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, description="the article as plain text")
    html: str | None = Field(None, description="the article's web page as HTML")
    url: str | None = Field(None, max_length=2000, description="an http(s) URL for khabar to fetch")
    source_url: str | None = Field(None, max_length=2000, description="where the text or HTML came from")
    store: bool = Field(True, description="store the article (false: only return its facts)")


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """One page of a list."""
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}


@router.post("/articles", status_code=201, dependencies=[Depends(write_access)],
             summary="Submit an article (text, HTML or URL) and get its facts")
def submit(body: SubmitBody, svc: Svc, response: Response) -> dict[str, Any]:
    """Run khabar on the article and store it; answers the article JSON (docs/json.md) with
    ``stored`` (added, updated, unchanged; null when ``store`` is false) and ``story_id``."""
    result = svc.submit(Submission(**body.model_dump()))
    if result["stored"] != "added":
        response.status_code = 200
    return result


@router.get("/articles", summary="List stored articles, newest first")
def list_articles(svc: Svc, language: Text = None, outlet: Text = None,
                  limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Article summaries, optionally of one language (``ur``) or outlet."""
    return page(svc.store.list_articles(language=language, outlet=outlet, limit=limit, offset=offset),
                limit, offset)


@router.get("/articles/{article_id}", summary="One article with all its facts")
def get_article(article_id: str, svc: Svc) -> dict[str, Any]:
    """The article JSON (docs/json.md) by id or unambiguous prefix, plus ``story_id``."""
    doc = svc.article(article_id)
    if doc is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    return doc


@router.get("/search", summary="Full-text search over titles and bodies in every script")
def search(svc: Svc, q: Annotated[str, Query(min_length=1, max_length=200)],
           limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Summaries of articles holding every word of ``q``, newest first."""
    return page(svc.store.search(q, limit=limit, offset=offset), limit, offset)


@router.get("/entities", summary="Identities a name (any script) may stand for")
def find_entities(svc: Svc, q: Annotated[str, Query(min_length=1, max_length=200)],
                  limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    """Knowledge-base candidates for a name, best first, with a score."""
    return {"items": svc.find_entities(q, limit=limit)}


@router.get("/entities/{entity_id:path}", summary="One identity: names, roles, mentions, quotes, events")
def get_entity(entity_id: str, svc: Svc, limit: Limit = 50) -> dict[str, Any]:
    """Names in every script, roles with dates, mentions, quotes by and about, events, claims."""
    info = svc.entity(entity_id, limit=limit)
    if info is None:
        raise ApiError(404, "not_found", f"no identity {entity_id!r}")
    return info


@router.get("/quotes", summary="Quotes by a speaker and/or about an identity")
def quotes(svc: Svc, speaker: Text = None, about: Text = None,
           limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Quotes with their article, newest first."""
    return page(svc.store.quotes(speaker=speaker, about=about, limit=limit, offset=offset), limit, offset)


@router.get("/events", summary="Coded events with filters")
def events(svc: Svc, actor: Text = None, code: Text = None, root: Text = None, place: Text = None,
           since: Text = None, until: Text = None, factuality: Text = None,
           limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Events matching every filter: actor (name, id or CAMEO code), CAMEO code prefix, two-digit
    root, place, date range (``since``/``until`` as YYYY, YYYY-MM or YYYY-MM-DD), factuality."""
    flt = event_filter(actor=actor, code=code, root=root, place=place, since=since, until=until,
                       factuality=factuality)
    return page(svc.store.events(flt, limit=limit, offset=offset), limit, offset)


@router.get("/claims", summary="Claims, optionally those an identity asserts or denies")
def claims(svc: Svc, entity: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Claims with their article."""
    return page(svc.store.claims(entity=entity, limit=limit, offset=offset), limit, offset)


@router.get("/stories", summary="Stories, most recently updated first")
def stories(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Story summaries: members, languages, independent sources, events."""
    return page(svc.stories(limit, offset), limit, offset)


@router.get("/stories/{story_id}", summary="One story: members per language, lineage, sources")
def story(story_id: str, svc: Svc) -> dict[str, Any]:
    """The story JSON (by id, prefix or a member article's id) with ``by_language``."""
    found = svc.story(story_id)
    if found is None:
        raise ApiError(404, "not_found", f"no story {story_id!r}")
    return found


@router.get("/stats", summary="Counts by language, outlet and status")
def stats(svc: Svc) -> dict[str, Any]:
    """What the store holds."""
    return svc.store.stats()


@router.get("/download/{kind}", summary="Download a list as JSON, CSV or Parquet",
            responses={200: {"content": {t: {} for t in export.FORMATS.values()}}})
def download(kind: str, svc: Svc, format: Annotated[str, Query(pattern="^(json|csv|parquet)$")] = "json",
             language: Text = None, speaker: Text = None, about: Text = None, entity: Text = None,
             actor: Text = None, code: Text = None, root: Text = None, since: Text = None,
             until: Text = None, limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 1000) -> Response:
    """``kind`` is articles, quotes, events, claims or mentions (the last needs ``entity``)."""
    records = _records(svc, kind, limit, language=language, speaker=speaker, about=about, entity=entity,
                       actor=actor, code=code, root=root, since=since, until=until)
    body = export.render(kind, format, records)
    name = f"khabar-{kind}.{format}"
    return Response(body, media_type=export.FORMATS[format],
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _records(svc: Service, kind: str, limit: int, **f: str | None) -> list[dict[str, Any]]:
    store = svc.store
    if kind == "articles":
        return store.list_articles(language=f["language"], limit=limit)
    if kind == "quotes":
        return store.quotes(speaker=f["speaker"], about=f["about"], limit=limit)
    if kind == "events":
        flt = event_filter(actor=f["actor"], code=f["code"], root=f["root"], since=f["since"], until=f["until"])
        return store.events(flt, limit=limit)
    if kind == "claims":
        return store.claims(entity=f["entity"], limit=limit)
    if kind == "mentions":
        if not f["entity"]:
            raise ApiError(400, "bad_request", "mentions need entity=<id>")
        return store.mentions(f["entity"], limit=limit)
    raise ApiError(404, "not_found", f"no download {kind!r}; try one of {', '.join(export.COLUMNS)}")
