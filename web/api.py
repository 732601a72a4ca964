"""/api/v1: status and ticket by token (public); issuing and bookings (API key)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db.apikeys import check_key
from db.bookings import add_booking, cancel, find
from db.errors import AuthError
from db.public import ticket_state, venue_status
from db.queue import issue_ticket
from db.tokens import ticket_token, ticket_url, verify
from web.limits import ApiError, read_json
from web.openapi import spec


class IssueBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    service: str = Field(min_length=1, max_length=3)
    priority: bool = False
    category: str | None = Field(None, max_length=40)


class BookingBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    service: str = Field(min_length=1, max_length=3)
    date: date
    time: time
    code: str | None = Field(None, min_length=4, max_length=40)
    name: str = Field("", max_length=200)


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ApiError(422, "invalid", f"{where}: {first['msg']}") from None


async def _client(request: Request) -> str:
    """The name of the API key's client; 401 without a valid key."""
    header = request.headers.get("authorization", "")
    key = header[7:].strip() if header[:7].lower() == "bearer " else request.headers.get("x-api-key", "")
    if not key:
        raise ApiError(401, "unauthorized", "an API key is required (Authorization: Bearer KEY)",
                       {"WWW-Authenticate": "Bearer"})
    try:
        return await request.app.state.read(lambda s: check_key(s, key))
    except AuthError:
        raise ApiError(401, "unauthorized", "invalid API key", {"WWW-Authenticate": "Bearer"}) from None


async def get_status(request: Request) -> JSONResponse:
    return JSONResponse(await request.app.state.read(venue_status))


async def get_ticket(request: Request) -> JSONResponse:
    token = request.path_params["token"]
    state = await request.app.state.read(lambda s: ticket_state(s, verify(s, token).id))
    return JSONResponse(state.to_json())


async def post_ticket(request: Request) -> JSONResponse:
    await _client(request)
    body = _parse(IssueBody, await read_json(request))

    def work(s: Any) -> dict[str, Any]:
        issued = issue_ticket(s, body.service, priority=body.priority, priority_category=body.category)
        t = issued.ticket
        return {"code": t.code, "service": t.service, "status": t.status, "priority": t.priority,
                "ahead": issued.ahead, "estimated_wait_minutes": issued.estimated_wait_minutes,
                "token": ticket_token(s, t.id), "url": ticket_url(s, t.id)}

    return JSONResponse(await request.app.state.write(work), status_code=201)


async def post_booking(request: Request) -> JSONResponse:
    client = await _client(request)
    body = _parse(BookingBody, await read_json(request))
    view = await request.app.state.write(
        lambda s: add_booking(s, body.service, body.date, body.time, code=body.code, name=body.name,
                              source=f"api:{client}"[:20]))
    return JSONResponse(view.to_json(), status_code=201)


async def get_booking(request: Request) -> JSONResponse:
    await _client(request)
    code = request.path_params["code"]
    return JSONResponse((await request.app.state.read(lambda s: find(s, code))).to_json())


async def delete_booking(request: Request) -> JSONResponse:
    await _client(request)
    code = request.path_params["code"]
    return JSONResponse((await request.app.state.write(lambda s: cancel(s, code))).to_json())


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(spec())


routes = [
    Route("/api/v1/status", get_status, methods=["GET"]),
    Route("/api/v1/tickets/{token}", get_ticket, methods=["GET"]),
    Route("/api/v1/tickets", post_ticket, methods=["POST"]),
    Route("/api/v1/bookings", post_booking, methods=["POST"]),
    Route("/api/v1/bookings/{code}", get_booking, methods=["GET"]),
    Route("/api/v1/bookings/{code}", delete_booking, methods=["DELETE"]),
    Route("/api/v1/openapi.json", openapi, methods=["GET"]),
]
