"""The IKM survey (Indeks Kepuasan Masyarakat, PermenPAN-RB No. 14/2017): answers and the index.

The regulation's method: each respondent scores nine elements from 1 to 4; an element's value
(NRR) is the mean of its scores; the index is the weighted sum of the element values (equal weights
1/9), times 25 to give 25..100; the index is graded by fixed intervals. The elements, weights,
answer scale and intervals are venue configuration (`[ikm]`), so a newer regulation replaces them
without code. A survey answers either every element or none (a one-touch overall rating only), so
each element value rests on the same respondents, as the regulation's formula assumes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import lookup
from db.errors import NotFound, Refused
from db.models import Agency, Service, SurveyAnswer, SurveyResponse, Ticket, TicketStatus

ELEMENTS_14_2017 = [
    ("U1", "Persyaratan", "Requirements"),
    ("U2", "Sistem, mekanisme, dan prosedur", "Systems, mechanisms and procedures"),
    ("U3", "Waktu penyelesaian", "Completion time"),
    ("U4", "Biaya/tarif", "Fees"),
    ("U5", "Produk spesifikasi jenis pelayanan", "What the service delivers"),
    ("U6", "Kompetensi pelaksana", "Staff competence"),
    ("U7", "Perilaku pelaksana", "Staff conduct"),
    ("U8", "Penanganan pengaduan, saran, dan masukan", "Handling of complaints and suggestions"),
    ("U9", "Sarana dan prasarana", "Facilities"),
]
GRADES_14_2017 = [
    (88.31, 100.00, "A", "Sangat Baik", "Very good"),
    (76.61, 88.30, "B", "Baik", "Good"),
    (65.00, 76.60, "C", "Kurang Baik", "Fair"),
    (25.00, 64.99, "D", "Tidak Baik", "Poor"),
]
ANSWERS_ID = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
ANSWERS_EN = ("Poor", "Fair", "Good", "Very good")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IkmElement(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_]{1,10}$")
    name: str = Field(min_length=1)
    name_en: str = ""
    weight: float | None = Field(None, gt=0)  # unset: equal weights


class IkmGrade(_Strict):
    min: float
    max: float
    grade: str = Field(min_length=1, max_length=2)
    label: str = Field(min_length=1)
    label_en: str = ""


class IkmSection(_Strict):
    """The `[ikm]` section of the venue file; its defaults are PermenPAN-RB No. 14/2017."""

    regulation: str = "PermenPAN-RB No. 14 Tahun 2017"
    scale: int = Field(4, ge=2, le=10)  # answers 1..scale
    factor: float = Field(25.0, gt=0)  # index = weighted mean x factor
    elements: list[IkmElement] = Field(
        default_factory=lambda: [IkmElement(code=c, name=n, name_en=e) for c, n, e in ELEMENTS_14_2017],
        min_length=1)
    grades: list[IkmGrade] = Field(
        default_factory=lambda: [IkmGrade(min=a, max=b, grade=g, label=lab, label_en=en)
                                 for a, b, g, lab, en in GRADES_14_2017], min_length=1)

    @model_validator(mode="after")
    def _check(self) -> IkmSection:
        codes = [e.code.upper() for e in self.elements]
        if len(set(codes)) != len(codes):
            raise ValueError("elements: an element code is used twice")
        for g in self.grades:
            if g.min > g.max:
                raise ValueError(f"grades: {g.grade} has min {g.min} above max {g.max}")
        return self

    def weights(self) -> dict[str, float]:
        """Each element's weight, normalised to sum to 1 (equal when none is given)."""
        raw = {e.code.upper(): e.weight if e.weight is not None else 1.0 for e in self.elements}
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}

    def grade_of(self, index: float) -> IkmGrade | None:
        """The interval holding the index (rounded to two decimals, as the intervals are written)."""
        value = round(index, 2)
        return next((g for g in self.grades if g.min <= value <= g.max), None)


def ikm_settings(session: Session) -> IkmSection:
    """The venue's IKM settings (the regulation's when the venue file has no [ikm])."""
    raw = lookup.venue(session).settings.get("ikm") or {}
    return IkmSection.model_validate(raw)


@dataclass(frozen=True, slots=True)
class SurveyView:
    id: int
    ticket_code: str | None
    service: str
    agency: str
    counter: str | None
    operator: str | None
    overall: int | None
    answers: dict[str, int]


def record_response(session: Session, ticket_id: int, *, overall: int | None = None,
                    answers: dict[str, int] | None = None, now: datetime | None = None) -> SurveyView:
    """Save a citizen's survey for a finished ticket: an overall rating, all elements, or both."""
    now = lookup.utc(now)
    cfg = ikm_settings(session)
    answers = {k.strip().upper(): v for k, v in (answers or {}).items()}
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"unknown ticket id {ticket_id}")
    if ticket.status != TicketStatus.DONE:
        raise Refused(f"{ticket.code} is {ticket.status.value}: only a finished ticket is surveyed", reason="state")
    if overall is None and not answers:
        raise Refused("an empty survey: give the overall rating or the elements", reason="empty_survey")
    for name, value in ([("overall", overall)] if overall is not None else []) + list(answers.items()):
        if not isinstance(value, int) or not 1 <= value <= cfg.scale:
            raise Refused(f"{name}: answers are whole numbers 1 to {cfg.scale}", reason="bad_answer")
    wanted = set(cfg.weights())
    if answers and set(answers) != wanted:
        missing, unknown = sorted(wanted - set(answers)), sorted(set(answers) - wanted)
        raise Refused(f"answer every element or none (missing {missing or '-'}, unknown {unknown or '-'})",
                      reason="partial_survey")
    if session.scalar(select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket.id)) is not None:
        raise Refused(f"{ticket.code} was already surveyed", reason="surveyed")
    response = SurveyResponse(
        at=now, business_date=ticket.business_date, ticket_id=ticket.id, service_id=ticket.service_id,
        agency_id=ticket.service.agency_id, counter_id=ticket.counter_id, operator_id=ticket.operator_id,
        overall=overall,
    )
    session.add(response)
    try:
        session.flush()  # a second console racing on the same ticket hits the unique ticket_id
    except IntegrityError:
        raise Refused(f"{ticket.code} was already surveyed", reason="surveyed") from None
    session.add_all(SurveyAnswer(response_id=response.id, element=k, score=v) for k, v in answers.items())
    session.flush()
    return SurveyView(response.id, ticket.code, ticket.service.code, ticket.service.agency.code,
                      ticket.counter.code if ticket.counter else None,
                      ticket.operator.username if ticket.operator else None, overall, dict(answers))


def surveyed(session: Session, ticket_id: int) -> bool:
    """Whether the ticket's survey was already answered (one survey per ticket)."""
    return session.scalar(select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket_id)) is not None


@dataclass(frozen=True, slots=True)
class IkmRow:
    """The index of one service or agency (or the whole venue) over a period."""

    key: str
    name: str
    respondents: int  # surveys with every element answered
    elements: dict[str, float]  # NRR per element: the mean score
    index: float | None  # 25..100
    grade: str | None
    label: str | None
    label_en: str | None
    overall_count: int
    overall_mean: float | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class IkmReport:
    start: date
    end: date
    by: str
    regulation: str
    elements: tuple[tuple[str, str], ...]
    total: IkmRow
    rows: tuple[IkmRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by,
                "regulation": self.regulation, "elements": [list(e) for e in self.elements],
                "total": self.total.to_json(), "rows": [r.to_json() for r in self.rows]}


def ikm_index(cfg: IkmSection, element_means: dict[str, float]) -> float | None:
    """The regulation's formula: sum of element mean x weight, times the factor (25)."""
    weights = cfg.weights()
    if not element_means or set(element_means) != set(weights):
        return None
    return sum(element_means[k] * w for k, w in weights.items()) * cfg.factor


def ikm_report(session: Session, start: date, end: date, *, by: str = "service",
               agency: str | None = None) -> IkmReport:
    """The index and grade per service or agency (and overall) for the business days start..end."""
    if by not in ("service", "agency"):
        raise ValueError("by is 'service' or 'agency'")
    cfg = ikm_settings(session)
    r = SurveyResponse
    where = [r.business_date >= start, r.business_date <= end]
    if agency:
        found = session.scalar(select(Agency.id).where(Agency.code == agency.strip().upper()))
        if found is None:
            raise NotFound(f"unknown agency {agency!r}")
        where.append(r.agency_id == found)
    key_col = Service.code if by == "service" else Agency.code
    name_col = Service.name if by == "service" else Agency.name
    join_on = (Service.id == r.service_id) if by == "service" else (Agency.id == r.agency_id)
    target = Service if by == "service" else Agency
    element_rows = session.execute(
        select(key_col, SurveyAnswer.element, func.avg(SurveyAnswer.score), func.count())
        .select_from(r).join(SurveyAnswer, SurveyAnswer.response_id == r.id).join(target, join_on)
        .where(*where).group_by(key_col, SurveyAnswer.element)
    ).all()
    overall_rows = session.execute(
        select(key_col, name_col, func.count(r.overall), func.avg(r.overall))
        .select_from(r).join(target, join_on).where(*where).group_by(key_col, name_col)
    ).all()
    totals = session.execute(
        select(SurveyAnswer.element, func.avg(SurveyAnswer.score), func.count())
        .select_from(r).join(SurveyAnswer, SurveyAnswer.response_id == r.id).where(*where)
        .group_by(SurveyAnswer.element)
    ).all()
    total_overall = session.execute(select(func.count(r.overall), func.avg(r.overall)).where(*where)).one()
    per_key: dict[str, dict[str, tuple[float, int]]] = {}
    for key, element, mean, n in element_rows:
        per_key.setdefault(key, {})[element] = (float(mean), int(n))
    rows = tuple(
        _row(cfg, key, name, per_key.get(key, {}), n_overall, mean_overall)
        for key, name, n_overall, mean_overall in sorted(overall_rows, key=lambda x: x[0])
    )
    total = _row(cfg, "total", "", {e: (float(m), int(n)) for e, m, n in totals}, *total_overall)
    return IkmReport(start, end, by, cfg.regulation, tuple((e.code.upper(), e.name) for e in cfg.elements),
                     total, rows)


def _row(cfg: IkmSection, key: str, name: str, elements: dict[str, tuple[float, int]],
         overall_count: int | None, overall_mean: Any) -> IkmRow:
    means = {k: m for k, (m, _n) in elements.items() if k in cfg.weights()}
    index = ikm_index(cfg, means)
    grade = cfg.grade_of(index) if index is not None else None
    respondents = min((n for _m, n in elements.values()), default=0)
    return IkmRow(
        key=key, name=name, respondents=respondents, elements={k: round(v, 4) for k, v in means.items()},
        index=round(index, 2) if index is not None else None,
        grade=grade.grade if grade else None, label=grade.label if grade else None,
        label_en=grade.label_en if grade else None,
        overall_count=int(overall_count or 0),
        overall_mean=round(float(overall_mean), 2) if overall_mean is not None else None,
    )

