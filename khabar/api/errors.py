"""Every failure as one line of JSON, ``{"error": {"code", "message"}}``, with its HTTP status.

Khabar's own errors keep their ``K`` codes (``K205`` for a refused URL); HTTP-level failures get
words (``not_found``, ``bad_json``, ``too_large``, ``unauthorized``, ``rate_limited``). No traceback
ever reaches a client: an unexpected exception is logged and answered ``internal`` with 500.
Web pages (paths outside ``/api``) get the same message as a small HTML page instead.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (ConfigError, ExtractionError, FetchError, InputError, KhabarError, StoreError,
                      TooLarge, UnsafeURL)
from .guard import AuthFailed, BodyTooLarge, error_body

log = logging.getLogger(__name__)

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
              422: "invalid", 429: "rate_limited", 500: "internal", 502: "bad_gateway", 503: "unavailable"}


class ApiError(Exception):
    """An HTTP failure raised by a route: status, code word and one-line message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def khabar_status(err: KhabarError) -> int:
    """The HTTP status for a khabar error."""
    if isinstance(err, TooLarge):
        return 413
    if isinstance(err, (UnsafeURL, InputError)):
        return 400
    if isinstance(err, FetchError):
        return 502
    if isinstance(err, ExtractionError):
        return 422
    if isinstance(err, StoreError):
        return 503
    if isinstance(err, ConfigError):
        return 500
    return 500


Renderer = Callable[[Request, int, str, str], Response]


def json_error(request: Request, status: int, code: str, message: str) -> Response:
    """The JSON error response."""
    return Response(error_body(code, message), status_code=status, media_type="application/json")


def install(app: FastAPI, html: Renderer | None = None) -> None:
    """Register the handlers; ``html`` renders errors of web pages (paths outside /api)."""

    def answer(request: Request, status: int, code: str, message: str,
               headers: dict[str, str] | None = None) -> Response:
        wants_html = html is not None and not request.url.path.startswith(("/api", "/openapi"))
        resp = (html or json_error)(request, status, code, message) if wants_html else \
            json_error(request, status, code, message)
        resp.headers.update(headers or {})
        return resp

    async def on_api(request: Request, exc: Exception) -> Response:
        e: Any = exc
        return answer(request, e.status, e.code, e.message)

    async def on_auth(request: Request, exc: Exception) -> Response:
        e: Any = exc
        extra = {"www-authenticate": "Bearer"} if e.status == 401 else None
        return answer(request, e.status, HTTP_CODES[e.status], e.message, extra)

    async def on_khabar(request: Request, exc: Exception) -> Response:
        e: Any = exc
        return answer(request, khabar_status(e), e.code, e.message)

    async def on_validation(request: Request, exc: Exception) -> Response:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        if any(err.get("type") == "json_invalid" for err in errors):
            return answer(request, 400, "bad_json", "the request body is not valid JSON")
        return answer(request, 422, "invalid", _validation_line(errors))

    async def on_http(request: Request, exc: Exception) -> Response:
        e: Any = exc
        status = int(getattr(e, "status_code", 500))
        detail = e.detail if isinstance(getattr(e, "detail", None), str) else "request failed"
        if status == 404:
            detail = f"nothing at {request.url.path}"
        return answer(request, status, HTTP_CODES.get(status, f"http_{status}"), detail)

    async def on_too_large(request: Request, exc: Exception) -> Response:
        return answer(request, 413, "too_large", str(exc))

    async def on_any(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return answer(request, 500, "internal", "internal error; the server log has the details")

    app.add_exception_handler(ApiError, on_api)
    app.add_exception_handler(AuthFailed, on_auth)
    app.add_exception_handler(KhabarError, on_khabar)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(BodyTooLarge, on_too_large)
    app.add_exception_handler(Exception, on_any)


def _validation_line(errors: Sequence[Any]) -> str:
    if not errors:
        return "the request is not valid"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"
