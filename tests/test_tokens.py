"""Signed ticket tokens: short, bound to their day, refused when forged, altered or for another day."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from db import Refused, unit_of_work
from db.lookup import venue
from db.queue import issue_ticket
from db.tokens import TOKEN_CHARS, read, sign, ticket_token, ticket_url, token_of_scan, venue_secret, verify


def _issue(sessions, now):
    with unit_of_work(sessions) as s:
        issued = issue_ticket(s, "A", now=now)
        return issued.ticket, ticket_token(s, issued.ticket.id)


def test_token_is_short_and_opens_its_ticket(sessions, now):
    ticket, token = _issue(sessions, now)
    assert len(token) == TOKEN_CHARS
    with unit_of_work(sessions) as s:
        assert verify(s, token, now=now).id == ticket.id
        assert ticket_token(s, ticket.id) == token  # stable: the reprinted QR is the same


def test_secret_is_made_once_and_kept(sessions):
    with unit_of_work(sessions) as s:
        first = venue_secret(s)
    with unit_of_work(sessions) as s:
        assert venue_secret(s) == first
    assert len(first) == 32


def test_every_altered_character_is_refused(sessions, now):
    _, token = _issue(sessions, now)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    with unit_of_work(sessions) as s:
        for i in range(len(token)):
            for repl in {alphabet[(alphabet.index(token[i]) + k) % 64] for k in (1, 17, 40)}:
                altered = token[:i] + repl + token[i + 1:]
                with pytest.raises(Refused) as err:
                    verify(s, altered, now=now)
                assert err.value.reason == "token_invalid"


def test_forged_token_for_another_ticket_is_refused(sessions, now):
    ticket, token = _issue(sessions, now)
    with unit_of_work(sessions) as s:
        day = verify(s, token, now=now).business_date
        forged = sign(b"x" * 32, ticket.id + 1, day)  # right shape, wrong key
        with pytest.raises(Refused):
            verify(s, forged, now=now)
        # Same tag, next id in the body: the id is covered by the tag.
        raw = bytearray(base64.urlsafe_b64decode(token + "="))
        raw[4] ^= 1
        with pytest.raises(Refused):
            verify(s, base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("="), now=now)
        for junk in ("", "x", token + "A", token[:-1], "../../etc/passwd", "é" * TOKEN_CHARS, token.upper()):
            with pytest.raises(Refused):
                verify(s, junk, now=now)


def test_token_is_refused_on_another_day(sessions, now):
    _, token = _issue(sessions, now)
    with unit_of_work(sessions) as s:
        with pytest.raises(Refused) as err:
            verify(s, token, now=now + timedelta(days=1))
        assert err.value.reason == "token_other_day"
        # Signed with the real key for another day, pointing at today's ticket: refused too.
        claim = read(venue_secret(s), token)
        moved = sign(venue_secret(s), claim.ticket_id, claim.business_date - timedelta(days=1))
        with pytest.raises(Refused):
            verify(s, moved, now=now)
        with pytest.raises(Refused):
            verify(s, moved, now=now - timedelta(days=1))  # that day it names no ticket of that day


def test_qr_text_and_scan_round_trip(sessions, now):
    ticket, token = _issue(sessions, now)
    with unit_of_work(sessions) as s:
        bare = ticket_url(s, ticket.id)
        venue(s).settings = {**venue(s).settings, "web": {"public_url": "https://antre.example.go.id/"}}
    with unit_of_work(sessions) as s:
        url = ticket_url(s, ticket.id)
    assert bare == f"ANTRE:T:{token}"
    assert url == f"https://antre.example.go.id/t/{token}"
    assert token_of_scan(url) == token and token_of_scan(bare) == token
    assert token_of_scan("https://evil.example/x/" + token) is None
    assert token_of_scan("ANTRE:12:A-001") is None


def test_kiosk_rescan_of_a_signed_qr_requeues_only_a_valid_no_show_of_today(sessions, now):
    from db.queue import call_next, no_show
    from db.tokens import rescan_scanned

    ticket, token = _issue(sessions, now)
    with unit_of_work(sessions) as s:
        call_next(s, "L1", now=now)
        no_show(s, "L1", now=now)
        qr = ticket_url(s, ticket.id)
    altered = qr[:-3] + ("AAA" if not qr.endswith("AAA") else "BBB")
    with unit_of_work(sessions) as s:
        assert rescan_scanned(s, altered, now=now).outcome == "unknown"
        assert rescan_scanned(s, f"ANTRE:{ticket.id}:{ticket.code}", now=now).outcome == "unknown"  # old unsigned form
        assert rescan_scanned(s, qr, now=now + timedelta(days=1)).outcome == "old"
    with unit_of_work(sessions) as s:
        result = rescan_scanned(s, qr, now=now)
    assert result.outcome == "requeued" and result.code == ticket.code
