"""Printing results for people (plain lines) or for scripts (--json)."""

from __future__ import annotations

import json
import sys
from typing import Any

from db.views import CounterView, IssuedTicket, ServiceQueue, TicketView


def emit(args: Any, value: Any, text: str) -> None:
    """Print `value` as JSON with --json, else the human text."""
    if args.json:
        json.dump(_plain(value), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)


def _plain(value: Any) -> Any:
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def ticket_line(t: TicketView) -> str:
    where = f" at {t.counter_name}" if t.counter_name and t.status in ("called", "serving", "held") else ""
    prio = f" [priority{': ' + t.priority_category if t.priority_category else ''}]" if t.priority else ""
    return f"{t.code}  {t.service_name}  {t.status}{where}{prio}"


def issued_line(issued: IssuedTicket) -> str:
    wait = f", about {issued.estimated_wait_minutes} min" if issued.estimated_wait_minutes is not None else ""
    return f"{ticket_line(issued.ticket)}  ({issued.ahead} ahead{wait})"


def status_text(services: list[ServiceQueue], counters: list[CounterView]) -> str:
    lines = ["Waiting per service:"]
    for s in services:
        note = f"  ({s.unavailable_reason_en})" if not s.available else ""
        lines.append(f"  {s.code:<4}{s.waiting:>4}  {s.name}{note}")
    lines.append("Counters:")
    for c in counters:
        state = "open  " if c.is_open else "closed"
        held = f"{c.ticket.code} ({c.ticket.status})" if c.ticket else "-"
        lines.append(f"  {c.code:<5}{state} {held:<18} {c.name}  [{', '.join(c.services)}]")
    return "\n".join(lines)
