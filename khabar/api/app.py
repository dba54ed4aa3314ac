"""``create_app(settings, store_url)``: the FastAPI application behind ``khabar serve``.

One process serves the JSON API (``/api/v1``, khabar.api.routes), its OpenAPI spec
(``/openapi.json``, kept in docs/openapi.json) and the web UI (khabar.web). The interactive docs
pages FastAPI can serve are off: they load scripts from a CDN, and khabar serves nothing external.
"""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from .. import __version__
from ..settings import Settings, load_settings
from ..store.base import Store
from . import errors, routes
from .guard import Guard, RateLimiter
from .service import Service

DESCRIPTION = """khabar's HTTP API: submit news articles (text, HTML or a URL) and read the facts
extracted from them: entities, quotes, events, claims and stories, in every language stored.

Writes need `Authorization: Bearer <api_token>`. Reads are open unless the operator sets
`api_public_reads = false`. Errors are `{"error": {"code", "message"}}`."""


def create_app(settings: Settings | None = None, store_url: str | None = None, *,
               store: Store | None = None, pipeline: Any = None) -> FastAPI:
    """The app over ``store`` (or the store at ``store_url``, else ``settings.db``)."""
    settings = settings or load_settings()
    if store is None:
        from ..store import open_store

        store = open_store(store_url or settings.db)
    service = Service(settings=settings, store=store, pipeline=pipeline)
    app = FastAPI(title="khabar", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.service = service
    app.include_router(routes.router)
    from ..web import views

    views.install(app)
    errors.install(app, html=views.error_page)
    limiter = RateLimiter(settings.api_rate_per_minute)
    app.state.limiter = limiter
    app.add_middleware(Guard, max_body=settings.api_max_body_bytes, limiter=limiter)
    return app


def openapi_spec(app: FastAPI | None = None) -> dict[str, Any]:
    """The OpenAPI document of the app (of a fresh in-memory one by default)."""
    if app is None:
        app = create_app(Settings(), "memory:")
    return app.openapi()
