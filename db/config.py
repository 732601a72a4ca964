"""The venue configuration file (TOML): validation with located errors, idempotent loading."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import ConfigError
from db.events import record
from db.fees import implied_kind
from db.hours import check_hours
from db.ikm import IkmSection
from db.lookup import venue as venue_row
from db.models import Agency, Counter, EventKind, Operator, Role, Service
from db.web_settings import BookingSection, WebSection
from db.operators import add_operator, sign_off_everywhere
from db.priority import DEFAULT_CATEGORIES, icon_path

Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")]
HoursT = dict[str, list[list[str]]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _valid_hours(value: HoursT | None) -> HoursT | None:
    if value is not None:
        check_hours(value)
    return value


class PriorityCategorySection(_Strict):
    code: Code
    name: str = Field(min_length=1)
    name_en: str = ""
    icon: str = ""  # elderly, wheelchair, pregnant, child, or an image file next to the venue file


class VenueSection(_Strict):
    name: str = Field(min_length=1)
    address: str = ""
    timezone: str = "Asia/Jakarta"
    logo: str = ""
    languages: list[Literal["id", "en"]] = ["id", "en"]
    code_format: str = "{prefix}-{number:03d}"
    priority_ratio: tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]] = (1, 2)
    transfer_to_front: bool = True
    requeue_to_front: bool = False
    default_service_minutes: int = Field(8, ge=1, le=480)
    hours: HoursT | None = None
    ticker: str = ""
    ticket_footer: str = ""
    # A demo venue: its operators' PINs are public, so `antre init` loads it without them (only
    # `antre demo`, on a database it makes itself, signs in with them).
    demo: bool = False
    priority_categories: list[PriorityCategorySection] = Field(
        default_factory=lambda: [PriorityCategorySection(**c) for c in DEFAULT_CATEGORIES], min_length=1)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r} (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)") from None
        return v

    @field_validator("code_format")
    @classmethod
    def _fmt(cls, v: str) -> str:
        try:
            sample = v.format(prefix="AB", number=7)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"bad format {v!r}: use {{prefix}} and {{number}}, e.g. '{{prefix}}-{{number:03d}}' "
                             f"({exc})") from None
        if "7" not in sample or "AB" not in sample or len(sample) > 20:
            # Without the prefix, A-001 and B-001 would print alike and be confused when scanned.
            raise ValueError(f"format {v!r} must show both {{prefix}} and {{number}} and stay under 20 characters")
        return v

    _hours = field_validator("hours")(_valid_hours)


class AgencySection(_Strict):
    code: Code
    name: str = Field(min_length=1)
    name_en: str = ""
    color: str = Field("#1565C0", pattern=r"^#[0-9A-Fa-f]{6}$")
    icon: str = ""


class ServiceSection(_Strict):
    agency: str
    code: str = Field(pattern=r"^[A-Za-z]{1,3}$")
    name: str = Field(min_length=1)
    name_en: str = ""
    requirements: list[str] = []
    requirements_en: list[str] = []
    fee: int = Field(0, ge=0)
    # "free", "fixed" (fee is the amount) or "bill" (set by a bill or assessment: the note says which);
    # unset, it is implied: an amount is fixed, no amount with a note a bill, neither free.
    fee_kind: Literal["free", "fixed", "bill"] | None = None
    fee_note: str = Field("", max_length=200)
    fee_note_en: str = Field("", max_length=200)
    completion_minutes: int = Field(0, ge=0)
    expected_service_minutes: int | None = Field(None, ge=1, le=480)
    daily_quota: int | None = Field(None, ge=1)
    target_wait_minutes: int = Field(30, ge=1, le=600)  # reports: share called within this wait
    hours: HoursT | None = None
    allow_priority: bool = True
    active: bool = True

    _hours = field_validator("hours")(_valid_hours)


class CounterSection(_Strict):
    code: Code
    name: str = Field(min_length=1)
    agency: str | None = None
    services: list[str] = Field(min_length=1)
    zone: str = ""
    active: bool = True


class OperatorSection(_Strict):
    username: str = Field(pattern=r"^[A-Za-z0-9._-]{2,64}$")
    name: str = Field(min_length=1)
    agency: str | None = None
    role: Role = Role.OPERATOR
    pin: str | None = Field(None, pattern=r"^[A-Za-z0-9]{4,64}$")
    active: bool = True


class VenueConfig(_Strict):
    venue: VenueSection
    agencies: list[AgencySection] = Field(min_length=1)
    services: list[ServiceSection] = Field(min_length=1)
    counters: list[CounterSection] = []
    operators: list[OperatorSection] = []
    # Settings of the fronts, stored as given; each app validates its own section.
    kiosk: dict[str, Any] = {}
    display: dict[str, Any] = {}
    counter: dict[str, Any] = {}
    printer: dict[str, Any] = {}
    speech: dict[str, Any] = {}
    ikm: IkmSection = IkmSection()  # the satisfaction survey (PermenPAN-RB 14/2017 by default)
    web: WebSection = WebSection()
    booking: BookingSection = BookingSection()


def _loc(parts: Iterable[int | str]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _dupes(items: list[Any], attr: str, section: str, *, fold: bool = True) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        value = getattr(item, attr)
        key = value.upper() if fold else value.lower()
        if key in seen:
            problems.append(f"{section}[{i}].{attr} {value!r} is used twice (first at {section}[{seen[key]}])")
        seen.setdefault(key, i)
    return problems


def _fee_problems(s: ServiceSection) -> list[str]:
    """A fee that would say something else than it means (a wrong "Gratis" is the worst text on a kiosk)."""
    if s.fee_kind == "free" and s.fee:
        return [f"fee is {s.fee} but fee_kind is 'free' (use fee_kind = 'fixed', or fee = 0)"]
    if s.fee_kind == "fixed" and not s.fee:
        return ["fee_kind 'fixed' needs the amount in fee (fee = 0 is free: fee_kind = 'free')"]
    if s.fee_kind == "bill" and s.fee:
        return ["fee_kind 'bill' has no fixed amount: set fee = 0 and say in fee_note what is billed"]
    if s.fee_kind == "bill" and not s.fee_note:
        return ["fee_kind 'bill' needs a fee_note saying which bill or assessment sets the amount"]
    return []


def _cross_check(cfg: VenueConfig) -> list[str]:
    problems = _dupes(cfg.agencies, "code", "agencies") + _dupes(cfg.services, "code", "services")
    problems += _dupes(cfg.venue.priority_categories, "code", "venue.priority_categories")
    problems += _dupes(cfg.counters, "code", "counters") + _dupes(cfg.operators, "username", "operators", fold=False)
    agencies = {a.code.upper() for a in cfg.agencies}
    services = {s.code.upper() for s in cfg.services}
    for i, s in enumerate(cfg.services):
        if s.agency.upper() not in agencies:
            problems.append(f"services[{i}].agency {s.agency!r} is not an agency code in [[agencies]]")
        problems += [f"services[{i}].{p}" for p in _fee_problems(s)]
    for i, c in enumerate(cfg.counters):
        if c.agency and c.agency.upper() not in agencies:
            problems.append(f"counters[{i}].agency {c.agency!r} is not an agency code in [[agencies]]")
        for j, code in enumerate(c.services):
            if code.upper() not in services:
                problems.append(f"counters[{i}].services[{j}] {code!r} is not a service code in [[services]]")
    for i, o in enumerate(cfg.operators):
        if o.agency and o.agency.upper() not in agencies:
            problems.append(f"operators[{i}].agency {o.agency!r} is not an agency code in [[agencies]]")
    return problems


# An app section's name -> its check, returning "key: problem" lines (see db.venue_checks).
SectionChecks = Mapping[str, Callable[[dict[str, Any]], list[str]]]


def parse_config(path: Path, *, sections: SectionChecks | None = None) -> VenueConfig:
    """Read and validate a venue file; every problem is reported as 'file: key.path: problem'.

    `sections` validates app sections ([kiosk], [display], ...) with the apps' own checks: db cannot
    import an app, so the command line (which knows every part) passes them in. [speech] is checked here.
    """
    from db.venue_checks import MAX_DEPTH, MAX_FILE_BYTES, limit_problems, section_problems, shape_problems, speech_check

    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{name}: larger than {MAX_FILE_BYTES // 2**20} MB: not a venue file")
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{name}: nested too deeply (at most {MAX_DEPTH} levels)") from None
    if shape := shape_problems(raw):  # nothing else is safe to look at
        raise ConfigError("\n".join(f"{name}: {loc}: {why}" for loc, why in shape))
    found: list[tuple[str, str]] = []
    cfg = None
    try:
        cfg = VenueConfig.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling)"
            found.append((_loc(err["loc"]), msg))
    seen = {loc for loc, _ in found}
    checks = {"speech": speech_check, **(sections or {})}
    found += [(loc, why) for loc, why in limit_problems(raw) + section_problems(raw, checks) if loc not in seen]
    if found or cfg is None:
        raise ConfigError("\n".join(f"{name}: {loc}: {why}" for loc, why in found))
    if problems := _cross_check(cfg):
        raise ConfigError("\n".join(f"{name}: {p}" for p in problems))
    return cfg


def _by_code(session: Session, model: Any) -> dict[str, Any]:
    return {row.code: row for row in session.scalars(select(model))}


def apply_config(session: Session, cfg: VenueConfig, *, base: Path | None = None) -> dict[str, int]:
    """Load the config into the database: update what changed, add what is new, deactivate what is gone."""
    v = venue_row(session)
    vs = cfg.venue
    logo = str((base / vs.logo).resolve()) if base and vs.logo else vs.logo
    v.name, v.address, v.timezone, v.code_format = vs.name, vs.address, vs.timezone, vs.code_format
    v.priority_every, v.regular_every = vs.priority_ratio
    v.transfer_to_front, v.requeue_to_front = vs.transfer_to_front, vs.requeue_to_front
    v.default_service_minutes, v.hours = vs.default_service_minutes, vs.hours
    v.settings = {
        "logo": logo, "languages": vs.languages, "ticker": vs.ticker, "ticket_footer": vs.ticket_footer,
        "priority_categories": [c.model_dump() | {"icon": icon_path(c.icon, base)} for c in vs.priority_categories],
        "kiosk": cfg.kiosk, "display": cfg.display, "counter": cfg.counter, "printer": cfg.printer,
        "speech": cfg.speech, "ikm": cfg.ikm.model_dump(),
        "web": cfg.web.model_dump(), "booking": cfg.booking.model_dump(),
    }
    agencies = _by_code(session, Agency)
    for order, a in enumerate(cfg.agencies):
        row = agencies.get(a.code.upper()) or Agency(code=a.code.upper())
        row.name, row.name_en, row.color, row.icon = a.name, a.name_en, a.color, a.icon
        row.sort_order, row.active = order, True
        agencies[row.code] = row
        session.add(row)
    for code, row in agencies.items():
        row.active = row.active and code in {a.code.upper() for a in cfg.agencies}
    services = _by_code(session, Service)
    for order, s in enumerate(cfg.services):
        row = services.get(s.code.upper()) or Service(code=s.code.upper())
        row.agency = agencies[s.agency.upper()]
        row.target_wait_minutes = s.target_wait_minutes
        row.fee_kind = s.fee_kind or implied_kind(s.fee, s.fee_note)
        for field in ("name", "name_en", "requirements", "requirements_en", "fee", "fee_note", "fee_note_en",
                      "completion_minutes", "expected_service_minutes", "daily_quota", "hours",
                      "allow_priority", "active"):
            setattr(row, field, getattr(s, field))
        row.sort_order = order
        services[row.code] = row
        session.add(row)
    listed = {s.code.upper() for s in cfg.services}
    for code, row in services.items():
        if code not in listed:
            row.active = False
    counters = _by_code(session, Counter)
    for order, c in enumerate(cfg.counters):
        row = counters.get(c.code.upper()) or Counter(code=c.code.upper())
        row.name, row.zone, row.active, row.sort_order = c.name, c.zone, c.active, order
        row.agency = agencies[c.agency.upper()] if c.agency else None
        row.services = [services[x.upper()] for x in c.services]
        counters[row.code] = row
        session.add(row)
    for code, row in counters.items():
        if code not in {c.code.upper() for c in cfg.counters}:
            row.active = False
    session.flush()
    for o in cfg.operators:
        existing = session.scalar(select(Operator).where(Operator.username == o.username.lower()))
        # The initial PIN only seeds a new account: a PIN the operator changed is never reset.
        seed = o.pin if existing is None or existing.pin_hash is None else None
        row = add_operator(session, o.username, o.name, role=o.role, agency=o.agency, pin=seed, must_change_pin=True)
        row.active = o.active
        if not o.active:
            sign_off_everywhere(session, row)
    record(session, EventKind.CONFIG_LOADED, datetime.now(UTC), agencies=len(cfg.agencies),
           services=len(cfg.services), counters=len(cfg.counters), operators=len(cfg.operators))
    return {"agencies": len(cfg.agencies), "services": len(cfg.services), "counters": len(cfg.counters),
            "operators": len(cfg.operators)}


def load_config(session: Session, path: Path, *, sections: SectionChecks | None = None) -> dict[str, int]:
    """Validate the file and apply it; raises ConfigError naming file, key and problem."""
    cfg = parse_config(path, sections=sections)
    return apply_config(session, cfg, base=path.parent)


