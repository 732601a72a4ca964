"""PostgreSQL roles per kind of PC (`antre db roles`, db/roles.py), on the real throwaway server.

Each engine function a PC's app calls is run as that PC's own login role: what the app needs works,
what the kind of PC may not do is refused by the server and reported as Refused(reason="role").
"""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Callable, Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Table, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from antre.cli import main
from db import AntreError, Refused, open_database, unit_of_work
from db.config import load_config
from db.models import Base, Counter, Operator, Service, Ticket
from db.roles import POLICY, check_policy, default_sequence, scram_verifier

pytestmark = pytest.mark.postgres

_made = iter(range(10**6))


@pytest.fixture
def pg_db(pg_server: Any, venue_file: Path) -> Iterator[str]:
    """A fresh PostgreSQL database at head with the small venue, as the server's superuser."""
    name = f"antre_roles_{os.getpid()}_{next(_made)}"
    pg_server.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    maker = open_database(url, create=True)
    with unit_of_work(maker) as session:
        load_config(session, venue_file)
    maker.kw["bind"].dispose()
    yield url
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pcs(pg_db: str, pg_server: Any, tmp_path: Path, capsys: Any) -> Iterator[dict[str, sessionmaker[Session]]]:
    """`antre db roles` then one PC per kind; each kind's sessions connect as that PC's login role."""
    assert main(["db", "roles", "--db", pg_db]) == 0
    makers: dict[str, sessionmaker[Session]] = {}
    for kind in ("display", "kiosk", "counter", "admin"):
        pw = tmp_path / f"t{kind}.password"
        assert main(["db", "roles", "add-pc", f"t{kind}", "--kind", kind, "--db", pg_db, "--password-file", str(pw)]) == 0
        url = make_url(pg_db).set(username=f"antre_pc_t{kind}", password=pw.read_text().strip())
        makers[kind] = open_database(url.render_as_string(hide_password=False))
    capsys.readouterr()
    yield makers
    for kind, maker in makers.items():
        maker.kw["bind"].dispose()
        pg_server.execute(f"DROP ROLE IF EXISTS antre_pc_t{kind}")  # roles outlive the database


@pytest.fixture
def changed_venue(venue_file: Path) -> Path:
    """The venue file with one service renamed: loading it must update the configuration."""
    venue_file.write_text(venue_file.read_text().replace('"Perekaman KTP-el"', '"Perekaman KTP elektronik"'))
    return venue_file


def ok(maker: sessionmaker[Session], op: Callable[[Session], Any]) -> Any:
    with unit_of_work(maker) as session:
        return op(session)


def refused(maker: sessionmaker[Session], op: Callable[[Session], Any]) -> Refused:
    with pytest.raises(Refused) as caught:
        with unit_of_work(maker) as session:
            op(session)
    assert caught.value.reason == "role", caught.value
    assert "permission denied" in str(caught.value)
    return caught.value


# --- the policy itself ------------------------------------------------------------------------


def test_policy_names_every_table_of_the_models() -> None:
    check_policy()
    assert set(POLICY) >= set(Base.metadata.tables)
    extra = Table("new_feature", Base.metadata)
    try:
        with pytest.raises(AntreError, match="new_feature"):
            check_policy()
    finally:
        Base.metadata.remove(extra)
    check_policy()


def test_policy_names_only_real_columns(monkeypatch: Any) -> None:
    from db.roles import Access

    monkeypatch.setitem(POLICY, "venue", {"kiosk": Access(update=("staff_failed_attempt",))})
    with pytest.raises(AntreError, match="venue has no column staff_failed_attempt"):
        check_policy()


def test_sequence_names_are_the_servers(pg_db: str) -> None:
    engine = open_database(pg_db).kw["bind"]
    with engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            if table.autoincrement_column is not None:
                col = table.autoincrement_column.name
                found = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": col}).scalar()
                assert found == f"public.{default_sequence(name, col)}"
    engine.dispose()


def test_scram_verifier_is_the_one_libpq_makes(pg_server: Any) -> None:
    # libpq's PQencryptPasswordConn picks its own salt: recompute ours with that salt and compare.
    with psycopg.connect(pg_server.admin_url.replace("+psycopg", "")) as conn:
        theirs = conn.pgconn.encrypt_password("s3cret-Pässword".encode(), b"antre_pc_x", b"scram-sha-256").decode()
    iterations, rest = theirs.removeprefix("SCRAM-SHA-256$").split(":", 1)
    salt = base64.b64decode(rest.split("$", 1)[0])
    assert scram_verifier("s3cret-Pässword", salt=salt, iterations=int(iterations)) == theirs
    assert scram_verifier("s3cret-Pässword", salt=salt, iterations=int(iterations)) != scram_verifier("other", salt=salt)


# --- each kind of PC ---------------------------------------------------------------------------


def test_display_reads_what_it_shows_and_changes_nothing(pcs: dict[str, sessionmaker[Session]], now: Any) -> None:
    from db import catalog, events, stats
    from db.operators import open_counter, set_pin, sign_in
    from db.queue import call_next, issue_ticket

    admin, display = pcs["admin"], pcs["display"]
    ok(admin, lambda s: issue_ticket(s, "A", now=now))
    ok(admin, lambda s: set_pin(s, "siti", "5793"))  # a permanent PIN: the venue file's must be changed first
    assert ok(admin, lambda s: sign_in(s, "L1", "siti", "5793", now=now)).ok
    ok(admin, lambda s: open_counter(s, "L1", now=now))
    ok(admin, lambda s: call_next(s, "L1", now=now))
    counters = {c.code: c for c in ok(display, stats.counter_views)}  # loads the operator at the counter
    assert counters["L1"].ticket.code == "A-001" and counters["L1"].is_open
    # No operator row, so no PIN hash, ever reaches a TV in the lobby: to it every counter is unmanned.
    assert counters["L1"].operator is None and counters["L1"].ticket.operator is None
    assert {c.code: c for c in ok(admin, stats.counter_views)}["L1"].operator == "siti"
    assert ok(display, lambda s: s.scalars(select(Operator.username)).all()) == []
    assert {q.code: q.waiting for q in ok(display, lambda s: stats.service_queues(s, now=now))}["A"] == 0
    assert ok(display, catalog.venue_view).name == "MPP Uji Coba"
    assert ok(display, catalog.agencies)
    _, seen, _ = ok(display, lambda s: events.follow(s, events.Cursor()))
    assert seen[-1].kind == "called"
    assert [c.code for c in ok(display, lambda s: catalog.calls(s, [seen[-1].id]))] == ["A-001"]
    refused(display, lambda s: issue_ticket(s, "A", now=now))
    refused(display, lambda s: call_next(s, "L2", now=now))
    refused(display, lambda s: open_counter(s, "L2", now=now))
    # The watcher's LISTEN needs no privilege; the ticket-token key is none of the TV's business.
    with display.kw["bind"].connect() as conn:
        conn.exec_driver_sql("LISTEN antre_events")
    refused(display, lambda s: s.execute(text("SELECT value FROM secrets")).all())


def test_kiosk_issues_and_requeues_but_calls_nothing(pcs: dict[str, sessionmaker[Session]], now: Any,
                                                     changed_venue: Path) -> None:
    from db import bookings, tokens
    from db.moves import mark_print_failed, requeue
    from db.operators import add_operator, open_counter, sign_in, staff_pin_ok
    from db.queue import call_next, finish, issue_ticket, no_show
    from db.rescan import rescan
    from db.ticket_layout import ticket_content

    admin, kiosk = pcs["admin"], pcs["kiosk"]
    first = ok(kiosk, lambda s: issue_ticket(s, "A", now=now))
    second = ok(kiosk, lambda s: issue_ticket(s, "A", priority=True, priority_category="lansia", now=now))
    assert (first.ticket.code, second.ticket.code, second.ahead) == ("A-001", "A-002", 0)
    paper = ok(kiosk, lambda s: ticket_content(s, first.ticket.id))  # what the printer prints
    ok(admin, lambda s: s.execute(text("INSERT INTO secrets (name, value, created_at) VALUES "
                                       "('web_session_key', 'x', now())")))
    assert ok(kiosk, lambda s: s.scalars(text("SELECT name FROM secrets")).all()) == ["ticket_token_key"]
    assert paper.ticket.code == "A-001" and ok(kiosk, lambda s: tokens.ticket_url(s, first.ticket.id))
    assert ok(kiosk, lambda s: mark_print_failed(s, first.ticket.id, error="paper out", now=now)).print_failed
    # A no-show comes back: by code at the kiosk's staff menu, or by scanning the QR.
    ok(admin, lambda s: open_counter(s, "L1", now=now))
    ok(admin, lambda s: call_next(s, "L1", now=now))
    ok(admin, lambda s: no_show(s, "L1", now=now))
    back = ok(kiosk, lambda s: requeue(s, second.ticket.code, now=now))
    assert back.status == "waiting"
    ok(admin, lambda s: call_next(s, "L1", now=now))
    gone = ok(admin, lambda s: no_show(s, "L1", now=now))
    assert ok(kiosk, lambda s: rescan(s, gone.id, gone.code, now=now)).outcome == "requeued"
    # A booking redeemed at the kiosk becomes a ticket.
    ok(admin, lambda s: bookings.add_booking(s, "A", (now + timedelta(hours=7)).date(), time(9, 0), code="BOOK1"))
    redeemed = ok(kiosk, lambda s: bookings.redeem(s, "BOOK1", now=now))
    assert redeemed.issued.ticket.code == "A-003" and redeemed.booking.status == "used"
    # Leaving the lockdown: the staff PIN, with its lockout count on the venue row.
    assert ok(kiosk, lambda s: staff_pin_ok(s, "0000", now=now)) is False
    assert ok(kiosk, lambda s: staff_pin_ok(s, "2468", now=now)) is True
    # ...which is all it sees of the operators: the staff whose PIN opens it, no officer's.
    assert ok(kiosk, lambda s: s.scalars(select(Operator.username)).all()) == ["admin"]
    # Never a counter's action, an operator account, the configuration or the event history.
    refused(kiosk, lambda s: call_next(s, "L2", now=now))
    refused(kiosk, lambda s: open_counter(s, "L2", now=now))
    refused(kiosk, lambda s: sign_in(s, "L2", "siti", "1234", now=now))
    refused(kiosk, lambda s: add_operator(s, "eve", "Eve"))
    refused(kiosk, lambda s: load_config(s, changed_venue))
    refused(kiosk, lambda s: s.execute(text("UPDATE services SET daily_quota = 1")))
    refused(kiosk, lambda s: s.execute(text("UPDATE operators SET role = 'admin'")))
    refused(kiosk, lambda s: s.execute(text("DELETE FROM events")))
    ok(admin, lambda s: call_next(s, "L1", now=now))
    refused(kiosk, lambda s: finish(s, "L1", now=now))


def test_counter_acts_on_tickets_and_signs_in_but_changes_no_config(
        pcs: dict[str, sessionmaker[Session]], now: Any, changed_venue: Path) -> None:
    from db import stats
    from db.ikm import ikm_settings, record_response
    from db.moves import hold, resume, transfer
    from db.operators import add_operator, close_counter, open_counter, set_pin, sign_in, sign_out
    from db.pins import change_pin
    from db.queue import call_next, call_ticket, finish, issue_ticket, no_show, recall, start_serving

    admin, counter = pcs["admin"], pcs["counter"]
    for _ in range(4):
        ok(pcs["kiosk"], lambda s: issue_ticket(s, "A", now=now))
    ok(admin, lambda s: set_pin(s, "siti", "5793"))  # a permanent PIN: the venue file's must be changed first
    assert ok(counter, lambda s: sign_in(s, "L1", "siti", "9999", now=now)).reason == "wrong_pin"
    assert ok(counter, lambda s: sign_in(s, "L1", "siti", "5793", now=now)).ok
    assert ok(counter, lambda s: change_pin(s, "siti", "5793", "8642", now=now)).ok
    ok(counter, lambda s: open_counter(s, "L1", now=now))
    assert ok(counter, lambda s: call_next(s, "L1", now=now)).code == "A-001"
    ok(counter, lambda s: recall(s, "L1", now=now))
    ok(counter, lambda s: start_serving(s, "L1", now=now))
    done = ok(counter, lambda s: finish(s, "L1", now=now + timedelta(minutes=6)))
    assert done.status == "done"
    # The citizen rates the service on the counter's survey screen.
    elements = {e: 4 for e in ok(counter, ikm_settings).weights()}
    assert ok(counter, lambda s: record_response(s, done.id, overall=4, answers=elements, now=now)).overall == 4
    ok(counter, lambda s: call_next(s, "L1", now=now))
    ok(counter, lambda s: no_show(s, "L1", now=now))
    ok(counter, lambda s: call_next(s, "L1", now=now))
    ok(counter, lambda s: hold(s, "L1", now=now))
    ok(counter, lambda s: resume(s, "L1", now=now))
    assert ok(counter, lambda s: transfer(s, "L1", "B", note="KK", now=now)).service == "B"
    assert ok(counter, lambda s: call_ticket(s, "L1", "A-004", now=now)).status == "called"  # F9: the one selected
    ok(counter, lambda s: finish(s, "L1", now=now))
    assert ok(counter, lambda s: stats.waiting_for_counter(s, "L1", now=now))
    assert ok(counter, lambda s: stats.day_figures(s, "L1", now=now)).served == 2
    ok(counter, lambda s: close_counter(s, "L1", now=now))
    ok(counter, lambda s: sign_out(s, "L1", now=now))
    with unit_of_work(admin) as s:
        assert s.scalar(select(Service.recent_service_minutes).where(Service.code == "A")) > 0  # was NULL
        assert s.scalar(select(Counter.operator_id).where(Counter.code == "L1")) is None
    # Not: configuration, operator accounts, the role or state of an account, new tickets, history.
    refused(counter, lambda s: load_config(s, changed_venue))
    refused(counter, lambda s: add_operator(s, "eve", "Eve"))
    # The console changes the signed-in officer's own PIN, so the role may write PIN columns; which row
    # is the officer's own is the engine's check (db/roles.py says why). Accounts stay the admin's:
    refused(counter, lambda s: s.execute(text("UPDATE operators SET active = true WHERE username = 'budi'")))
    refused(counter, lambda s: s.execute(text("UPDATE operators SET role = 'admin' WHERE username = 'siti'")))
    refused(counter, lambda s: s.execute(text("UPDATE services SET daily_quota = 99")))
    refused(counter, lambda s: issue_ticket(s, "A", now=now))
    refused(counter, lambda s: s.execute(text("DELETE FROM events")))


def test_admin_does_everything_and_owns_what_migrations_create(pcs: dict[str, sessionmaker[Session]], now: Any,
                                                               changed_venue: Path) -> None:
    from db.operators import add_operator, set_pin
    from db.queue import call_next, issue_ticket

    admin = pcs["admin"]
    ok(admin, lambda s: load_config(s, changed_venue))
    ok(admin, lambda s: add_operator(s, "rina", "Rina", agency="DUKCAPIL", pin="5793"))
    ok(admin, lambda s: set_pin(s, "rina", "2580"))
    ok(admin, lambda s: issue_ticket(s, "A", now=now))
    ok(admin, lambda s: call_next(s, "L1", now=now))
    with unit_of_work(admin) as s:
        assert s.scalar(select(Operator.active).where(Operator.username == "rina"))
        assert s.scalar(select(Ticket.status).where(Ticket.code == "A-001")) == "called"
        # A migration run from the admin PC: the new table belongs to the group, not to that one login.
        s.execute(text("CREATE TABLE roles_probe (id int)"))
        owner = s.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = 'roles_probe'"))
        assert owner == "antre_admin"
        assert s.scalar(text("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")) \
            == "antre_admin"
        s.execute(text("DROP TABLE roles_probe"))


# --- the command ----------------------------------------------------------------------------------


def test_roles_command_is_idempotent_and_never_prints_a_password(pg_db: str, tmp_path: Path, capsys: Any) -> None:
    pw = tmp_path / "kiosk1.password"
    for _ in range(2):
        assert main(["db", "roles", "--db", pg_db]) == 0
        assert main(["db", "roles", "add-pc", "kiosk1", "--kind", "kiosk", "--db", pg_db, "--password-file", str(pw),
                     "--host", "192.0.2.10"]) == 0
    password = pw.read_text().strip()
    assert len(password) >= 30 and stat.S_IMODE(pw.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert password not in out
    assert "postgresql://antre_pc_kiosk1@192.0.2.10:" in out and 'password_file = "kiosk1.password"' in out
    # Re-running kept the password the file holds; the server stores only its SCRAM verifier.
    server = psycopg.connect(pg_db.replace("+psycopg", ""), autocommit=True)
    stored = server.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'antre_pc_kiosk1'").fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$4096:") and password not in stored
    # Changing the kind moves the PC to exactly one group.
    assert main(["db", "roles", "add-pc", "kiosk1", "--kind", "display", "--db", pg_db, "--password-file",
                 str(pw)]) == 0
    assert main(["db", "roles", "list", "--db", pg_db, "--json"]) == 0
    listed = capsys.readouterr().out
    pcs = {p["name"]: p for p in json.loads(listed[listed.index("{"):])["pcs"]}
    assert pcs["kiosk1"]["kinds"] == ["display"]
    # Removing a PC also ends the sessions it has open.
    pw_text = pw.read_text().strip()
    session = psycopg.connect(make_url(pg_db).set(drivername="postgresql", username="antre_pc_kiosk1",
                                                  password=pw_text).render_as_string(hide_password=False))
    assert main(["db", "roles", "remove-pc", "kiosk1", "--db", pg_db]) == 0
    with pytest.raises(psycopg.OperationalError):
        session.execute("SELECT 1")
    session.close()
    assert server.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'antre_pc_kiosk1'").fetchone()[0] == 0
    server.close()


def test_forty_counters_in_one_command(pg_db: str, pg_server: Any, tmp_path: Path, capsys: Any,
                                       monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    names = [f"loket{i:02d}" for i in range(1, 41)]
    try:
        assert main(["db", "roles", "--db", pg_db]) == 0
        capsys.readouterr()
        assert main(["db", "roles", "add-pc", *names, "--kind", "counter", "--db", pg_db, "--json"]) == 0
        made = json.loads(capsys.readouterr().out)["pcs"]
        assert [p["role"] for p in made] == [f"antre_pc_{n}" for n in names]
        passwords = {(tmp_path / f"{n}.password").read_text() for n in names}
        assert len(passwords) == 40  # each PC its own
        assert main(["db", "roles", "list", "--db", pg_db, "--json"]) == 0
        listed = {p["name"]: p["kinds"] for p in json.loads(capsys.readouterr().out)["pcs"]}
        assert all(listed[n] == ["counter"] for n in names)
        # A bad name anywhere makes nothing at all.
        assert main(["db", "roles", "add-pc", "loket41", "Loket 42!", "--kind", "counter", "--db", pg_db]) == 1
        assert not (tmp_path / "loket41.password").exists()
    finally:
        for n in names:
            pg_server.execute(f"DROP ROLE IF EXISTS antre_pc_{n}")


def test_print_shows_the_sql_without_connecting(capsys: Any) -> None:
    assert main(["db", "roles", "--print", "--db", "postgresql://postgres@192.0.2.1:1/antre"]) == 0
    sql = capsys.readouterr().out
    assert sql.startswith("BEGIN;") and sql.rstrip().endswith("COMMIT;")
    assert 'GRANT INSERT ON TABLE "tickets" TO "antre_kiosk";' in sql
    assert 'GRANT UPDATE ("staff_failed_attempts", "staff_locked_until") ON TABLE "venue" TO "antre_kiosk";' in sql
    assert 'GRANT USAGE ON SEQUENCE "tickets_id_seq" TO "antre_kiosk";' in sql
    assert 'ALTER TABLE "operators" ENABLE ROW LEVEL SECURITY;' in sql
    assert 'CREATE POLICY "antre_display" ON "operators" TO "antre_display" USING (false) WITH CHECK (false);' in sql
    assert "antre_display" in sql and 'TO "antre_display";\nGRANT INSERT' not in sql


def test_the_printed_sql_is_a_psql_script(pg_db: str, capsys: Any) -> None:
    import shutil
    import subprocess

    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed (Debian: postgresql-client)")
    assert main(["db", "roles", "--print", "--db", pg_db]) == 0
    script = capsys.readouterr().out
    libpq = make_url(pg_db).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", libpq], input=script, text=True, check=True,
                   capture_output=True)
    with psycopg.connect(libpq) as conn:
        def can(sql: str) -> bool:
            return conn.execute(f"SELECT {sql}").fetchone()[0]

        assert can("has_table_privilege('antre_kiosk', 'tickets', 'INSERT')")
        assert not can("has_table_privilege('antre_display', 'tickets', 'INSERT')")
        assert can("has_column_privilege('antre_kiosk', 'venue', 'staff_failed_attempts', 'UPDATE')")
        assert not can("has_column_privilege('antre_kiosk', 'venue', 'name', 'UPDATE')")
        assert not can("has_column_privilege('antre_counter', 'operators', 'role', 'UPDATE')")
        assert can("has_sequence_privilege('antre_counter', 'events_id_seq', 'USAGE')")
        assert not can("has_table_privilege('antre_counter', 'api_keys', 'SELECT')")


def test_errors_are_one_line(pg_db: str, tmp_path: Path, capsys: Any) -> None:
    pw = tmp_path / "shared.password"
    pw.write_text("hunter2-but-longer\n")
    pw.chmod(0o644)
    assert main(["db", "roles", "add-pc", "tv1", "--kind", "display", "--db", pg_db, "--password-file", str(pw)]) == 1
    err = capsys.readouterr().err
    assert "readable by other users" in err and err.count("\n") == 1
    assert main(["db", "roles", "--db", str(tmp_path / "x.sqlite3")]) == 1
    assert "is for PostgreSQL" in capsys.readouterr().err
    assert main(["db", "roles", "add-pc", "Bad Name!", "--kind", "kiosk", "--db", pg_db,
                 "--password-file", str(tmp_path / "n.pw")]) == 1
    assert "PC name" in capsys.readouterr().err


def test_a_refused_action_on_the_command_line_is_one_line(pcs: dict[str, sessionmaker[Session]], capsys: Any,
                                                          tmp_path: Path) -> None:
    url = pcs["display"].kw["bind"].url.render_as_string(hide_password=False)
    assert main(["issue", "A", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("antre: this PC's database role may not do that") and err.count("\n") == 1


# --- docs/postgresql.md's backup, restore on another server and numbering bump ------------------


def test_backup_restores_on_another_server_with_the_pcs_logins(pg_db: str, pg_server: Any, tmp_path: Path,
                                                               capsys: Any, now: Any) -> None:
    import glob
    import shutil
    import subprocess

    from antre import pgtemp
    from db.queue import issue_ticket

    def libpq(url: str) -> str:
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def tool(name: str) -> str:
        found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
        if found is None:
            pytest.skip(f"{name} is not installed (Debian: postgresql-client)")
        return found

    pw = tmp_path / "kiosk1.password"
    assert main(["db", "roles", "--db", pg_db]) == 0
    assert main(["db", "roles", "add-pc", "kiosk1", "--kind", "kiosk", "--db", pg_db, "--password-file", str(pw)]) == 0
    as_kiosk = make_url(pg_db).set(username="antre_pc_kiosk1", password=pw.read_text().strip())
    kiosk = open_database(as_kiosk.render_as_string(hide_password=False))
    ok(kiosk, lambda s: issue_ticket(s, "A", now=now))
    kiosk.kw["bind"].dispose()
    # The backup, as the docs say: the database in custom format, and the roles with their passwords.
    dump, roles = tmp_path / "antre.dump", tmp_path / "antre-roles.sql"
    subprocess.run([tool("pg_dump"), "-Fc", "-f", dump, "-d", libpq(pg_db)], check=True)
    server_url = make_url(pg_db).set(database="postgres").render_as_string(hide_password=False)
    subprocess.run([tool("pg_dumpall"), "--roles-only", "-f", roles, "-d", libpq(server_url)], check=True)
    other = pgtemp.start()
    try:
        subprocess.run([tool("psql"), "-q", "-d", libpq(other.url()), "-f", roles], check=True,
                       capture_output=True)  # "role antre_test already exists" and the like are harmless
        with psycopg.connect(libpq(other.url()), autocommit=True) as conn:
            conn.execute("CREATE DATABASE antre")
        subprocess.run([tool("pg_restore"), "--exit-on-error", "-d", libpq(other.url("antre")), dump], check=True)
        restored = make_url(other.url("antre"))
        with psycopg.connect(libpq(other.url("antre")), autocommit=True) as conn:
            owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'tickets'").fetchone()[0]
            verifier = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'antre_pc_kiosk1'").fetchone()[0]
            # Before reopening: today's numbers jump past any paper ticket issued after the backup.
            conn.execute("UPDATE daily_sequences SET last_number = last_number + 100 WHERE business_date = %s",
                         (now.date(),))
        assert owner == "antre_admin" and verifier.startswith("SCRAM-SHA-256$")
        kiosk = open_database(as_kiosk.set(host=restored.host, port=restored.port, database="antre")
                              .render_as_string(hide_password=False))
        assert ok(kiosk, lambda s: issue_ticket(s, "A", now=now)).ticket.code == "A-102"
        kiosk.kw["bind"].dispose()
    finally:
        other.stop()
        pg_server.execute("DROP ROLE IF EXISTS antre_pc_kiosk1")


def test_a_pcs_password_passes_real_scram_authentication(tmp_path: Path, venue_file: Path, capsys: Any) -> None:
    """The shared test server trusts loopback logins; this one checks passwords the way a LAN server does."""
    from antre import pgtemp
    from db.pcconfig import pc_database_url

    try:
        cluster = pgtemp.start(max_connections=20)
    except pgtemp.NoPostgres as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    try:
        hba = cluster.folder / "data" / "pg_hba.conf"
        hba.write_text("host all antre_pc_scram1 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        with psycopg.connect(cluster.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
            conn.execute("CREATE DATABASE antre")
        admin = cluster.url("antre")
        maker = open_database(admin, create=True)
        with unit_of_work(maker) as s:
            load_config(s, venue_file)
        maker.kw["bind"].dispose()
        assert main(["db", "roles", "--db", admin]) == 0
        assert main(["db", "roles", "add-pc", "scram1", "--kind", "display", "--db", admin,
                     "--password-file", str(tmp_path / "scram1.password")]) == 0
        cfg = tmp_path / "antre.toml"
        cfg.write_text(f'[database]\nurl = "{cluster.url("antre", user="antre_pc_scram1")}"\n'
                       'password_file = "scram1.password"\n')
        cfg.chmod(0o600)
        display = open_database(pc_database_url([cfg]))
        with unit_of_work(display) as s:
            assert s.execute(text("SELECT current_user")).scalar() == "antre_pc_scram1"
        display.kw["bind"].dispose()
        (tmp_path / "scram1.password").write_text("not-the-password\n")
        with pytest.raises(AntreError, match="password authentication failed"):
            open_database(pc_database_url([cfg]))
    finally:
        cluster.stop()
