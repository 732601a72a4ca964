"""The kiosk's own venue settings ([kiosk] and [printer]), validated with readable errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from db.errors import ConfigError

PRINTER_KINDS = ("net", "usb", "serial", "cups", "win", "file", "none")
DEFAULT_PROFILES = {80: "TM-T88V", 58: "RP-F10-58mm"}


class KioskSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    orientation: Literal["portrait", "landscape"] = "portrait"
    fullscreen: bool = True
    language: Literal["id", "en"] = "id"
    idle_seconds: int = Field(45, ge=5, le=600)
    # The warning before an idle reset that would lose a choice; touching anything extends it.
    idle_warning_seconds: int = Field(20, ge=20, le=120)
    ticket_seconds: int = Field(7, ge=2, le=60)
    fallback_seconds: int = Field(60, ge=10, le=600)
    message_seconds: int = Field(8, ge=2, le=60)
    retry_seconds: int = Field(3, ge=1, le=120)
    staff_taps: int = Field(5, ge=3, le=10)
    ticket_requirements: int = Field(5, ge=0, le=20)
    # Codes of the venue's [[venue.priority_categories]] this kiosk offers; unset: all of them.
    priority_categories: list[str] | None = None
    # "Punya kode booking?" on Home (and booking QRs read by the scanner); off where the venue takes no bookings.
    bookings: bool = True


class PrinterSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device: str = "none"
    paper_mm: Literal[58, 80] = 80
    profile: str = ""
    qr: Literal["native", "image"] = "native"
    status: Literal["auto", "on", "off"] = "auto"
    status_seconds: int = Field(15, ge=2, le=600)
    timeout_seconds: float = Field(5, gt=0, le=60)
    cut: Literal["full", "partial"] = "partial"

    @field_validator("device")
    @classmethod
    def _device(cls, v: str) -> str:
        parse_printer_spec(v)
        return v


@dataclass(frozen=True, slots=True)
class PrinterSpec:
    """A parsed `--printer` value: kind plus its arguments."""

    kind: str
    target: str = ""
    port: int = 9100
    vendor: int = 0
    product: int = 0

    def __str__(self) -> str:
        if self.kind == "net":
            return f"net:{self.target}:{self.port}"
        if self.kind == "usb":
            return f"usb:{self.vendor:04x}:{self.product:04x}"
        return self.kind if self.kind == "none" else f"{self.kind}:{self.target}"


def parse_printer_spec(spec: str) -> PrinterSpec:
    """'net:HOST:PORT', 'usb:VID:PID', 'serial:DEV', 'cups:NAME', 'win:NAME', 'file:DIR' or 'none'."""
    spec = (spec or "none").strip()
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "none" and not rest:
        return PrinterSpec("none")
    if kind not in PRINTER_KINDS or not rest:
        raise ValueError(f"printer {spec!r}: use net:HOST:PORT, usb:VID:PID, serial:DEVICE, cups:NAME, "
                         "win:NAME, file:FOLDER or none")
    if kind == "net":
        host, _, port = rest.rpartition(":")
        if not host:
            host, port = rest, "9100"
        try:
            number = int(port)
        except ValueError:
            raise ValueError(f"printer {spec!r}: port {port!r} is not a number") from None
        if not 0 < number < 65536:
            raise ValueError(f"printer {spec!r}: port must be 1-65535")
        return PrinterSpec("net", host.strip("[]"), number)
    if kind == "usb":
        vid, _, pid = rest.partition(":")
        try:
            return PrinterSpec("usb", vendor=int(vid, 16), product=int(pid, 16))
        except ValueError:
            raise ValueError(f"printer {spec!r}: give vendor and product id in hex, e.g. usb:04b8:0202") from None
    return PrinterSpec(kind, rest)


@dataclass(frozen=True, slots=True)
class KioskSettings:
    kiosk: KioskSection
    printer: PrinterSection

    @property
    def profile(self) -> str:
        return self.printer.profile or DEFAULT_PROFILES[self.printer.paper_mm]

    @property
    def printer_spec(self) -> PrinterSpec:
        return parse_printer_spec(self.printer.device)


def _problem(section: str, exc: ValidationError) -> ConfigError:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling)"
        lines.append(f"venue settings [{section}].{key}: {msg}")
    return ConfigError("\n".join(lines))


def kiosk_settings(kiosk: dict[str, Any] | None = None, printer: dict[str, Any] | None = None) -> KioskSettings:
    """Validate the venue's [kiosk] and [printer] sections; every key has a sane default."""
    try:
        k = KioskSection.model_validate(kiosk or {})
    except ValidationError as exc:
        raise _problem("kiosk", exc) from None
    try:
        p = PrinterSection.model_validate(printer or {})
    except ValidationError as exc:
        raise _problem("printer", exc) from None
    return KioskSettings(k, p)
