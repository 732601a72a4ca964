"""The citizen's pages: the ticket on the phone and the public status page, each one HTML response.

Everything is inlined (CSS, script, the first state as JSON), so a page is one request of a
few kilobytes: usable on a cheap phone over slow 3G, nothing downloaded from elsewhere.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

from db.public import PublicTicket
from web.texts import TEXTS

STATIC = Path(__file__).with_name("static")


@cache
def asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _json(value: Any) -> str:
    # Safe inside <script>: no "</" can close the element early.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _page(lang: str, title: str, venue: str, body: str, script: str | tuple[str, ...], data: dict[str, Any],
          nonce: str) -> str:
    e = html.escape
    scripts = (script,) if isinstance(script, str) else script
    assigns = "".join(f"window.{k}={_json(v)};" for k, v in data.items())
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex"><meta name="theme-color" content="#0d47a1">'
        f"<title>{e(title)}</title><style>{asset('base.css')}</style></head>"
        f"<body><header>{e(venue)}<small>{e(title)}</small></header>{body}"
        f'<script nonce="{nonce}">{assigns}</script>'
        + "".join(f'<script nonce="{nonce}">{asset(name)}</script>' for name in scripts)
        + "</body></html>"
    )


def ticket_page(state: PublicTicket, token: str, venue: str, lang: str, nonce: str,
                survey: dict[str, Any] | None = None) -> str:
    """The ticket page, rendered with its current state (the script keeps it live).

    With `survey` (web.survey.survey_form), a finished ticket's page asks the IKM survey.
    """
    t, e = TEXTS[lang], html.escape
    service = state.service_name_en if lang == "en" else state.service_name
    agency = state.agency_name_en if lang == "en" else state.agency_name
    body = (
        '<main id="ticket"><div class="card">'
        f'<div class="label">{e(t["title_ticket"])}</div>'
        f'<div class="code" id="code">{e(state.code)}</div>'
        f'<div class="service" id="service">{e(service)}</div><div class="agency" id="agency">{e(agency)}</div>'
        f'<div class="status" id="status" data-s="{e(state.status)}">{e(t.get("status_" + state.status, state.status))}</div>'
        '</div>'
        '<div class="card grid" id="waitbox">'
        f'<div><div class="label">{e(t["ahead"])}</div><div class="big"><span id="ahead">{state.ahead or 0}</span></div>'
        f'<div class="muted">{e(t["people"])}</div></div>'
        f'<div><div class="label">{e(t["wait"])}</div><div class="service" id="wait"></div></div></div>'
        '<div class="card msg" id="msg"></div>'
        '<section class="card" id="survey" hidden aria-live="polite"></section>'
        f'<button id="sound">{e(t["sound_on"])}</button>'
        f'<p class="hint" id="hint">{e(t["leave_hint"])}</p>'
        f'<p><a href="/?lang={lang}">{e(t["status_link"])}</a></p>'
        f'<div id="conn">{e(t["reconnecting"])}</div></main>'
        '<div id="overlay" hidden role="alertdialog" aria-live="assertive"><div>'
        f'<div class="t" id="ov-title">{e(t["your_number"])}</div><div class="c" id="ov-code"></div>'
        f'<div class="t">{e(t["go_to"])}</div><div class="to" id="ov-to"></div><div class="z" id="ov-zone"></div>'
        f'<button id="ov-ok">{e(t["ok"])}</button></div></div>'
    )
    data = {"T": t, "S": state.to_json(), "TOKEN": token}
    if survey is not None:
        data["V"] = survey
    scripts = ("ticket.js", "survey.js") if survey is not None else "ticket.js"
    return _page(lang, f"{state.code} · {t['title_ticket']}", venue, body, scripts, data, nonce)


def status_page(status: dict[str, Any], lang: str, nonce: str) -> str:
    """The public page: now calling and waiting per agency and service, live."""
    t, e = TEXTS[lang], html.escape
    body = (
        '<main id="status">'
        f'<div class="card"><div class="label">{e(t["now_calling"])}</div><div id="calls"></div></div>'
        f'<p class="muted"><b id="total"></b> {e(t["waiting_total"])} · <span id="updated"></span></p>'
        '<div id="agencies"></div>'
        f'<div id="conn">{e(t["reconnecting"])}</div></main>'
    )
    return _page(lang, t["title_status"], status["venue"], body, "status.js", {"T": t, "D": status}, nonce)


def message_page(lang: str, venue: str, title_key: str, body_key: str, nonce: str) -> str:
    """A plain page for a refused token (invalid, or not today)."""
    t, e = TEXTS[lang], html.escape
    body = (f'<main><div class="card"><h2>{e(t[title_key])}</h2><p>{e(t[body_key])}</p>'
            f'<p><a href="/?lang={lang}">{e(t["status_link"])}</a></p></div></main>')
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{e(t[title_key])}</title><style>{asset('base.css')}</style></head>"
            f"<body><header>{e(venue)}</header>{body}</body></html>")
