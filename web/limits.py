"""Per-client rate limiting and bounded request bodies; every refusal is a small JSON error."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODY = 16 * 1024  # the largest API request (a booking) is a few hundred bytes


class ApiError(Exception):
    """An error for an API client: HTTP status, a stable code and a one-line message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    def response(self) -> JSONResponse:
        return error_response(self.status, self.code, self.message, self.headers)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class TokenBuckets:
    """A token bucket per client: `per_minute` requests a minute, bursts up to that many."""

    def __init__(self, per_minute: int, *, clock: Any = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.last_sweep = clock()

    def take(self, client: str) -> float:
        """0 when the request may go on, else the seconds to wait."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        tokens, at = self.buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        if now - self.last_sweep > 60:  # forget clients whose bucket is full again
            self.buckets = {k: v for k, v in self.buckets.items() if v[0] + (now - v[1]) * self.rate < self.capacity}
            self.last_sweep = now
        if tokens < 1.0:
            self.buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate
        self.buckets[client] = (tokens - 1.0, now)
        return 0.0


class RateLimit:
    """ASGI middleware: API calls and page loads each get a bucket per client address.

    The client address is the peer, or with uvicorn's proxy headers (trusted proxies only) the
    address the reverse proxy saw. Pages get four times the API's allowance: a phone reloads,
    and citizens on one public Wi-Fi may share an address.
    """

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.api = TokenBuckets(per_minute)
        self.pages = TokenBuckets(per_minute * 4)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        path: str = scope.get("path", "")
        wait = (self.api if path.startswith("/api/") else self.pages).take(client)
        if wait > 0:
            response = error_response(429, "rate_limited", "too many requests; try again later",
                                      {"Retry-After": str(max(1, math.ceil(wait)))})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def read_json(request: Request) -> dict[str, Any]:
    """The request's JSON object, refusing oversized, non-JSON and non-object bodies with 4xx."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "bad_request", "invalid Content-Length")
        if int(declared) > MAX_BODY:
            raise ApiError(413, "too_large", f"the body is larger than {MAX_BODY} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ApiError(413, "too_large", f"the body is larger than {MAX_BODY} bytes")
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "malformed_json", "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "malformed_json", "the body must be a JSON object")
    return value
