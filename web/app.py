"""The Starlette application: pages, live streams, the API, and the error and limit policy."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from db import AntreError, DatabaseUnavailable, NotFound, Refused, read_only, unit_of_work
from db.errors import AuthError
from db.lookup import venue
from db.public import PublicTicket, ticket_state, venue_status
from db.tokens import venue_secret, verify
from db.web_settings import web_settings
from web import api, survey
from web.hub import Hub
from web.limits import ApiError, RateLimit, error_response
from web.openapi import docs_page
from web.pages import message_page, status_page, ticket_page
from web.texts import choose_language

log = logging.getLogger("antre.web")
R = TypeVar("R")
HEARTBEAT_SECONDS = 20.0


class Database:
    """Runs engine work off the event loop, one unit of work per request."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.reader = read_only(sessions)

    async def read(self, work: Callable[[Session], R]) -> R:
        return await run_in_threadpool(self._run, self.reader, work)

    async def write(self, work: Callable[[Session], R]) -> R:
        return await run_in_threadpool(self._run, self.sessions, work)

    @staticmethod
    def _run(maker: sessionmaker[Session], work: Callable[[Session], R]) -> R:
        with unit_of_work(maker) as session:
            return work(session)


def _lang(request: Request) -> str:
    return choose_language(request.headers.get("accept-language"), request.query_params.get("lang"))


def _html(body: str, nonce: str, status: int = 200) -> HTMLResponse:
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
           "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": csp,
                                                           "Cache-Control": "no-store"})


async def _ticket_or_refusal(request: Request) -> tuple[PublicTicket, str] | Response:
    token = request.path_params["token"]
    db: Database = request.app.state.db
    lang, nonce = _lang(request), secrets.token_urlsafe(12)
    try:
        return await db.read(lambda s: (ticket_state(s, verify(s, token).id), venue(s).name))
    except Refused as exc:
        name = await db.read(lambda s: venue(s).name)
        keys = ("old_title", "old_body") if exc.reason == "token_other_day" else ("invalid_title", "invalid_body")
        return _html(message_page(lang, name, *keys, nonce), nonce, 410 if exc.reason == "token_other_day" else 404)


async def ticket_html(request: Request) -> Response:
    found = await _ticket_or_refusal(request)
    if isinstance(found, Response):
        return found
    state, name = found
    nonce = secrets.token_urlsafe(12)
    form = await request.app.state.db.read(lambda s: survey.survey_form(s, state.ticket_id))
    return _html(ticket_page(state, request.path_params["token"], name, _lang(request), nonce, form), nonce)


async def ticket_events(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    token = request.path_params["token"]
    db: Database = request.app.state.db
    try:
        ticket_id, day, tz = await db.read(lambda s: (*_claim(s, token), venue(s).timezone))
    except Refused as exc:
        return error_response(410 if exc.reason == "token_other_day" else 404, exc.reason, str(exc))
    # Subscribe first, then read: a change committed in between reaches the page either way.
    sub = hub.subscribe(ticket_id)
    try:
        state = await db.read(lambda s: ticket_state(s, ticket_id))
    except BaseException:
        hub.unsubscribe(sub)
        raise
    if sub.latest is None and sub.sent is None:
        sub.offer(json.dumps(state.to_json(), separators=(",", ":")))
    hub.service_of.setdefault(ticket_id, state.service_id)  # later batches skip it unless its service moves
    return _stream(hub, sub, valid_until=(day, ZoneInfo(tz)))


async def status_html(request: Request) -> Response:
    status = await request.app.state.db.read(venue_status)
    nonce = secrets.token_urlsafe(12)
    return _html(status_page(status, _lang(request), nonce), nonce)


async def status_events(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    sub = hub.subscribe(None)
    try:
        status = await request.app.state.db.read(venue_status)
    except BaseException:
        hub.unsubscribe(sub)
        raise
    if sub.latest is None and sub.sent is None:
        sub.offer(json.dumps(status, separators=(",", ":")))
    return _stream(hub, sub)


def _claim(session: Session, token: str) -> tuple[int, date]:
    ticket = verify(session, token)
    return ticket.id, ticket.business_date


def _stream(hub: Hub, sub: Any, valid_until: tuple[date, ZoneInfo] | None = None) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        try:
            yield "retry: 1000\n\n"  # reconnect after 1 s when the connection drops
            while True:
                try:
                    await asyncio.wait_for(sub.wake.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    if valid_until and datetime.now(valid_until[1]).date() != valid_until[0]:
                        yield "event: gone\ndata: {}\n\n"  # the ticket's day is over: the page reloads
                        return
                    yield ": ping\n\n"  # keeps proxies and phone networks from closing an idle stream
                    continue
                message = sub.take()
                if message is not None:
                    yield f"data: {message}\n\n"
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def api_docs(request: Request) -> Response:
    return HTMLResponse(docs_page())


async def health(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    return JSONResponse({"ok": hub.healthy, "connections": hub.connections, "batches": hub.batches})


# -- errors: JSON for the API, a page for people; never a traceback ---------------------------
def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.endswith("/events")


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def on_antre_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DatabaseUnavailable):
        log.warning("database unavailable: %s", exc)
        status, code, message = 503, "unavailable", "the service is temporarily unavailable; try again shortly"
    elif isinstance(exc, NotFound):
        status, code, message = 404, "not_found", str(exc)
    elif isinstance(exc, AuthError):
        status, code, message = 401, "unauthorized", str(exc)
    elif isinstance(exc, Refused):
        status = 404 if exc.reason == "token_invalid" else 410 if exc.reason == "token_other_day" else 409
        code, message = exc.reason, str(exc)
    else:
        status, code, message = 400, "bad_request", str(exc)
    if _is_api(request):
        return error_response(status, code, message)
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{status}: layanan sementara tidak tersedia / "
                        "service temporarily unavailable</p>", status_code=status)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    if _is_api(request) or exc.status_code != 404:
        return error_response(exc.status_code, codes.get(exc.status_code, "error"), str(exc.detail),
                              dict(exc.headers or {}))
    nonce = secrets.token_urlsafe(12)
    return _html(message_page(_lang(request), "Antre", "invalid_title", "invalid_body", nonce), nonce, 404)


async def on_crash(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal", "internal error; it has been logged")


def create_app(sessions: sessionmaker[Session], *, rate_limit: int | None = None,
               poll_seconds: float = 0.2) -> Starlette:
    """The web application over an open database; `rate_limit` overrides the venue's [web] setting."""
    hub = Hub(sessions, poll_seconds=poll_seconds)
    db = Database(sessions)
    with unit_of_work(sessions) as session:
        venue_secret(session)  # the token key exists before the first ticket asks for it
        limit = web_settings(session).rate_limit_per_minute if rate_limit is None else rate_limit

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()

    routes = [
        Route("/", status_html, methods=["GET"]),
        Route("/events", status_events, methods=["GET"]),
        Route("/t/{token}", ticket_html, methods=["GET"]),
        Route("/t/{token}/events", ticket_events, methods=["GET"]),
        Route("/api/docs", api_docs, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        *api.routes,
        *survey.routes,
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={ApiError: on_api_error, AntreError: on_antre_error, HTTPException: on_http_error,
                            Exception: on_crash},
    )
    app.state.db = db
    app.state.hub = hub
    app.state.read = db.read
    app.state.write = db.write
    app.add_middleware(SecurityHeaders)
    # Pages shrink to a quarter over slow 3G; live streams are left alone (text/event-stream is excluded).
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(RateLimit, per_minute=limit)
    return app


class SecurityHeaders:
    """Headers every response carries: the token in a ticket address must not leak by Referer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY")]
            await send(message)

        await self.app(scope, receive, send_with_headers)
