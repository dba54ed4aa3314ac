"""What stands in front of every route: security headers, body size cap, per-client rate limit,
bearer-token checks.

``Guard`` is a plain ASGI middleware (no request object built, nothing buffered): it refuses a
request whose declared ``Content-Length`` is over the cap, counts the bytes of a streamed body and
stops reading past the cap (``BodyTooLarge``, turned into 413 by the app), refuses a client over
its rate with 429, and adds the security headers to every response.
"""
from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, MutableMapping

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


class BodyTooLarge(Exception):
    """A request body went past ``api_max_body_bytes`` while it was read."""


class AuthFailed(Exception):
    """A request lacks the bearer token it needs (``status`` 401) or sent a wrong one (403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class RateLimiter:
    """A token bucket per client key: ``per_minute`` requests a minute, bursts up to the same.

    Keeps at most ``max_clients`` buckets (least recently seen dropped first); ``per_minute`` 0
    lets everything through. Thread-safe; ``clock`` is injectable for tests.
    """

    per_minute: int
    max_clients: int = 10_000
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> float:
        """0.0 when a request from ``key`` may go ahead (and count it), else seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            tokens, seen = self._buckets.pop(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - seen) * rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


def error_body(code: str, message: str) -> bytes:
    """The one-line JSON error every failure answers with."""
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()


class Guard:
    """ASGI middleware: rate limit, body cap and security headers around ``app``."""

    def __init__(self, app: ASGIApp, *, max_body: int, limiter: RateLimiter,
                 exempt_prefixes: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.max_body = max_body
        self.limiter = limiter
        self.exempt = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = {"too_large": False}
        send = self._with_headers(send, state)
        path = str(scope.get("path") or "")
        client = scope.get("client")
        key = str(client[0]) if client else "unknown"
        wait = 0.0 if path.startswith(self.exempt) else self.limiter.allow(key)
        if wait > 0:
            await _refuse(send, 429, "rate_limited", f"too many requests; retry in {wait:.0f} s",
                          [(b"retry-after", str(max(1, round(wait))).encode())])
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _refuse(send, 413, "too_large", f"request body over {self.max_body} bytes")
            return
        await self.app(scope, self._counting(receive, state), send)

    def _with_headers(self, send: Send, state: dict[str, bool]) -> Send:
        replaced = False

        async def wrapped(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the app's own answer to a body cut short is dropped
                return
            if message["type"] == "http.response.start" and state["too_large"]:
                replaced = True  # whatever the app made of the cut body, the answer is 413
                await _refuse(wrapped_send, 413, "too_large", f"request body over {self.max_body} bytes")
                return
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"server"]
                names = {h[0].lower() for h in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                message["headers"] = headers
            await send(message)

        async def wrapped_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)
        return wrapped

    def _counting(self, receive: Receive, state: dict[str, bool]) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    state["too_large"] = True
                    raise BodyTooLarge(f"request body over {self.max_body} bytes")
            return message
        return wrapped


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, status: int, code: str, message: str,
                  extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = error_body(code, message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def check_token(authorization: str | None, token: str, *, what: str) -> None:
    """Raise ``AuthFailed`` unless ``authorization`` is ``Bearer <token>`` (constant-time check).

    An empty ``token`` means the operator configured none: every such request is refused."""
    if not token:
        raise AuthFailed(403, f"{what} are disabled: the operator has not set api_token")
    if not authorization:
        raise AuthFailed(401, f"{what} need a bearer token (Authorization: Bearer …)")
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise AuthFailed(403, "the bearer token is wrong")
