"""The IKM survey on the citizen's phone: the ticket page offers it once the ticket is finished.

`POST /api/v1/tickets/{token}/survey` with `{"overall": 1..4}` and/or `{"answers": {"U1": 1..4, ...}}`
(every element of the venue's `[ikm]` or none) records one response through
`db.ikm.record_response`, tied to the ticket, its service, agency, counter and officer. The signed
token is the only credential: it names one ticket of today, and a ticket is surveyed once.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db.errors import Refused
from db.ikm import ANSWERS_EN, ANSWERS_ID, ikm_settings, record_response, surveyed
from db.public import live_ticket_id
from db.tokens import verify
from web.api import _parse
from web.limits import ApiError, read_json

# Engine refusal reason -> (HTTP status, error code) for the phone.
_REFUSALS = {
    "state": (409, "not_finished"),
    "surveyed": (409, "surveyed"),
    "empty_survey": (422, "invalid"),
    "bad_answer": (422, "invalid"),
    "partial_survey": (422, "invalid"),
}


class SurveyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    overall: StrictInt | None = None
    answers: dict[str, StrictInt] | None = Field(None, max_length=50)


def survey_form(session: Session, ticket_id: int) -> dict[str, Any]:
    """What the ticket page needs to ask the survey: the scale's words, the elements, and whether it is done."""
    cfg = ikm_settings(session)
    words = (list(ANSWERS_ID), list(ANSWERS_EN)) if cfg.scale == 4 else (
        [str(n) for n in range(1, cfg.scale + 1)],) * 2
    return {"scale": cfg.scale, "answers": words[0], "answers_en": words[1],
            "elements": [{"code": e.code, "name": e.name, "name_en": e.name_en or e.name} for e in cfg.elements],
            "done": surveyed(session, live_ticket_id(session, ticket_id))}


async def post_survey(request: Request) -> JSONResponse:
    token = request.path_params["token"]
    body = _parse(SurveyBody, await read_json(request))

    def work(s: Session) -> dict[str, Any]:
        ticket = verify(s, token)  # forged, altered or other-day tokens are refused (404 / 410)
        try:
            view = record_response(s, live_ticket_id(s, ticket.id), overall=body.overall, answers=body.answers)
        except Refused as exc:
            if exc.reason not in _REFUSALS:
                raise
            status, code = _REFUSALS[exc.reason]
            raise ApiError(status, code, str(exc)) from None
        return {"ticket": view.ticket_code, "overall": view.overall, "answers": len(view.answers)}

    return JSONResponse(await request.app.state.write(work), status_code=201)


routes = [Route("/api/v1/tickets/{token}/survey", post_survey, methods=["POST"])]
