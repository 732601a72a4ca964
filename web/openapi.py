"""The API's OpenAPI 3.1 description and a self-contained page that shows it (no CDN)."""

from __future__ import annotations

import html
import json
from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}


def _resp(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"description": description}
    if schema is not None:
        body["content"] = {"application/json": {"schema": schema}}
    return body


def _errors(*codes: int) -> dict[str, Any]:
    names = {400: "malformed request", 401: "no or invalid API key", 404: "not found",
             409: "refused by the queue rules", 413: "body too large", 415: "not application/json",
             410: "a token of another day", 422: "invalid field", 429: "rate limited (see Retry-After)",
             503: "database unavailable"}
    return {str(c): _resp(names[c], _ERROR) for c in codes}


def spec() -> dict[str, Any]:
    """The OpenAPI document of /api/v1."""
    secured = [{"apiKey": []}]
    ticket = {"$ref": "#/components/schemas/PublicTicket"}
    booking = {"$ref": "#/components/schemas/Booking"}
    code_param = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Antre API", "version": "1",
                 "description": "Queue status, a ticket's status by its QR token, issuing tickets and bookings "
                                "for an MPP's portal, a WhatsApp bot or an SP4N-LAPOR integration. Errors are "
                                "JSON {\"error\": {\"code\": ..., \"message\": ...}}. Requests are rate-limited per client."},
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer",
                                           "description": "A key made by `antre apikey add NAME`."}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}}}}},
                "PublicTicket": {"type": "object", "properties": {
                    "code": {"type": "string", "example": "A-007"}, "service": {"type": "string"},
                    "service_name": {"type": "string"}, "service_name_en": {"type": "string"},
                    "agency_name": {"type": "string"}, "agency_name_en": {"type": "string"},
                    "status": {"type": "string", "enum": ["waiting", "called", "serving", "held", "done", "no_show",
                                                          "cancelled"]},
                    "ahead": {"type": ["integer", "null"]}, "estimated_wait_minutes": {"type": ["integer", "null"]},
                    "counter_name": {"type": ["string", "null"]}, "zone": {"type": ["string", "null"]},
                    "called_at": {"type": ["string", "null"], "format": "date-time"},
                    "recall_count": {"type": "integer"}, "call_key": {"type": ["string", "null"]},
                    "business_date": {"type": "string", "format": "date"}}},
                "Survey": {"type": "object", "properties": {
                    "overall": {"type": "integer", "minimum": 1, "maximum": 4, "example": 4},
                    "answers": {"type": "object", "additionalProperties": {"type": "integer"},
                                "example": {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 3, "U6": 4, "U7": 4,
                                            "U8": 3, "U9": 4}}}},
                "Booking": {"type": "object", "properties": {
                    "code": {"type": "string"}, "service": {"type": "string"}, "date": {"type": "string",
                                                                                      "format": "date"},
                    "slot": {"type": "string", "example": "09:30"}, "slot_at": {"type": "string",
                                                                               "format": "date-time"},
                    "status": {"type": "string", "enum": ["pending", "used", "cancelled"]},
                    "source": {"type": "string"}}},
                "NewBooking": {"type": "object", "required": ["service", "date", "time"],
                               "additionalProperties": False, "properties": {
                                   "service": {"type": "string", "example": "A"},
                                   "date": {"type": "string", "format": "date"},
                                   "time": {"type": "string", "example": "09:30"},
                                   "code": {"type": "string", "description": "4-32 letters/digits; "
                                            "generated when left out"},
                                   "name": {"type": "string", "maxLength": 200}}},
                "NewTicket": {"type": "object", "required": ["service"], "additionalProperties": False,
                              "properties": {"service": {"type": "string"}, "priority": {"type": "boolean"},
                                             "category": {"type": "string"}}},
                "IssuedTicket": {"type": "object", "properties": {
                    "code": {"type": "string"}, "service": {"type": "string"}, "status": {"type": "string"},
                    "priority": {"type": "boolean"}, "ahead": {"type": "integer"},
                    "estimated_wait_minutes": {"type": ["integer", "null"]},
                    "token": {"type": "string"}, "url": {"type": "string",
                                                         "description": "what the ticket's QR holds"}}},
            },
        },
        "paths": {
            "/api/v1/status": {"get": {
                "summary": "Waiting per agency and service, and the latest calls (public)",
                "responses": {"200": _resp("the venue's queues", {"type": "object"}), **_errors(429, 503)}}},
            "/api/v1/tickets/{token}": {"get": {
                "summary": "A ticket's status by the token in its QR (public; today's tickets only)",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _resp("the ticket", ticket), **_errors(404, 429, 503)}}},
            "/api/v1/tickets/{token}/survey": {"post": {
                "summary": "The IKM survey of a finished ticket, once (public; the QR token is the credential): "
                           "an overall rating 1-4 and/or every element of the venue's [ikm]",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Survey"}}}},
                "responses": {"201": _resp("recorded", {"type": "object"}),
                              **_errors(400, 404, 409, 410, 413, 415, 422, 429, 503)}}},
            "/api/v1/tickets": {"post": {
                "summary": "Issue a ticket (API key)", "security": secured,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewTicket"}}}},
                "responses": {"201": _resp("issued", {"$ref": "#/components/schemas/IssuedTicket"}),
                              **_errors(400, 401, 404, 409, 413, 415, 422, 429, 503)}}},
            "/api/v1/bookings": {"post": {
                "summary": "Create a booking (API key)", "security": secured,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewBooking"}}}},
                "responses": {"201": _resp("created", booking),
                              **_errors(400, 401, 404, 409, 413, 415, 422, 429, 503)}}},
            "/api/v1/bookings/{code}": {
                "get": {"summary": "A booking by code (API key)", "security": secured, "parameters": [code_param],
                        "responses": {"200": _resp("the booking", booking), **_errors(401, 404, 429)}},
                "delete": {"summary": "Cancel an unused booking (API key)", "security": secured,
                           "parameters": [code_param],
                           "responses": {"200": _resp("cancelled", booking), **_errors(401, 404, 409, 429)}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document",
                                             "responses": {"200": _resp("OpenAPI 3.1", {"type": "object"})}}},
        },
    }


def docs_page() -> str:
    """A readable rendering of the spec, served by the server itself."""
    doc, e = spec(), html.escape
    rows = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            lock = " <span class=key>API key</span>" if op.get("security") else ""
            codes = ", ".join(op["responses"])
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            example = ""
            if ref:
                props = doc["components"]["schemas"][ref]["properties"]
                example = f"<pre>{e(json.dumps({k: v.get('example', v.get('type')) for k, v in props.items()}))}</pre>"
            rows.append(f"<h3><code>{method.upper()} {e(path)}</code>{lock}</h3><p>{e(op['summary'])}</p>"
                        f"{example}<p class=muted>responses: {e(codes)}</p>")
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'><title>Antre API</title>"
            "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:auto;padding:16px}"
            "pre,code{background:#f3f5f8;padding:2px 4px;border-radius:4px}pre{padding:8px;overflow:auto}"
            ".muted{color:#667}.key{font-size:12px;background:#0d47a1;color:#fff;border-radius:4px;padding:2px 6px;"
            "vertical-align:middle}</style></head><body>"
            f"<h1>Antre API v1</h1><p>{e(doc['info']['description'])}</p>"
            "<p><span class=key>API key</span>: send <code>Authorization: Bearer KEY</code> (a key from <code>antre apikey add NAME</code>). "
            "Machine-readable: <a href='/api/v1/openapi.json'>/api/v1/openapi.json</a>.</p>"
            + "".join(rows) + "</body></html>")
