"""PostgreSQL roles per kind of PC: what a display, a kiosk and a counter may do, as SQL.

A building has one database and many PCs. Each kind of PC gets a NOLOGIN group role with exactly the
privileges its app needs, and each PC a LOGIN role in that group, so a stolen kiosk password can issue
tickets but not change the venue, and a lobby TV's cannot change anything:

- `antre_display`: reads what the TVs show; may LISTEN (needs no privilege). Writes nothing.
- `antre_kiosk`: issues tickets (also from bookings) and requeues no-shows; marks a print failure; counts
  the kiosks' staff-PIN lockout. No configuration, no operator account.
- `antre_counter`: acts on tickets (call, recall, start, finish, no-show, hold, transfer), opens and
  closes its counter, signs officers in and out (the lockout columns), changes their own PIN, and records
  the citizen's IKM survey of the ticket just served.
- `antre_web`: the `antre web` server: reads the public tables (queues, the ticket page), issues tickets
  through the API, adds and cancels bookings, checks API keys (reads their hashes), reads the ticket-token
  key, and records the IKM survey answered on the citizen's phone. It redeems no booking (that is the
  kiosk's) and sees no operator.
- `antre_admin`: everything. It owns the database and every Antre table, so migrations (`antre db upgrade`) and
  configuration (`antre init`, operators) run as it.

The privileges below were found by running each engine function as each role on a real server
(tests/test_roles.py), not guessed; that test also fails when a table of db/models.py has no line here,
so a new table is never forgotten (and until it has one, only the admin can touch it).

Column-level grants where a table mixes what a role may and may not change:
- venue: the kiosk updates only `staff_failed_attempts`/`staff_locked_until` (check_staff_pin locks the
  row FOR UPDATE, which PostgreSQL allows with UPDATE on any one column). The rest is configuration.
- services: a counter's finish folds the service time into `recent_service_minutes` (wait estimates);
  names, hours, quotas and fees stay the admin's.
- counters: a counter changes `is_open` and `operator_id` (open/close, sign-in/out) and its priority-ratio
  run (`priority_run`, `run_date`), not its name, agency or services.
- operators: a counter signs in with FOR UPDATE and counts wrong PINs (`failed_attempts`, `locked_until`),
  and the console changes the officer's PIN at first sign-in (`pin_hash`, `must_change_pin`). It cannot
  change `role`, `active`, `username` or `agency_id`, so a counter PC cannot make anyone a supervisor or
  bring back a disabled account. PostgreSQL grants are per column, not per row: a counter role could
  write another officer's PIN hash. Preventing that needs the check inside the server (a SECURITY DEFINER
  sign-in function); here the blast radius is one building's counters, whose PCs are staff-only.
- operators, reading: the engine loads whole Operator rows (PIN hash included) wherever it shows who
  holds a counter (stats.counter_views, TicketView.of), so hiding the `pin_hash` column would break the
  TVs' screens. Rows are hidden instead, by row-level security: a display sees no operator at all (a TV
  shows no officer's name; the engine then sees "no operator", as for a free counter), a kiosk sees
  only supervisors and admins, whose PINs open its lockdown (operators.check_staff_pin verifies them on
  the kiosk). Foreign-key checks and the table's owner (antre_admin) are not affected by row security.
- tickets: the kiosk updates only what requeue, bookings.redeem and mark_print_failed set.
- events: INSERT for the writers, UPDATE/DELETE for nobody but the admin: the audit trail is append-only.
- secrets: the kiosk reads the ticket-token key (and, by row security, no other secret) to print and
  check QR codes; `antre db roles` makes the key as the admin, so no kiosk ever needs to INSERT it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from db.errors import AntreError
from db.models import Base
from db.tokens import SECRET_NAME as TOKEN_KEY

KINDS = ("display", "kiosk", "counter", "web", "admin")
LIMITED = ("display", "kiosk", "counter", "web")
PC_PREFIX = "antre_pc_"
# An app holds two connections (measured: its worker and its LISTEN watcher); a PC running two apps
# and a command stays far below this, and a PC opening more is broken and must not eat the server's
# max_connections.
PC_CONNECTION_LIMIT = 20


def group(kind: str) -> str:
    """The NOLOGIN group role of a kind of PC."""
    if kind not in KINDS:
        raise AntreError(f"unknown kind of PC {kind!r}: use one of {', '.join(KINDS)}")
    return f"antre_{kind}"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Access:
    """What one kind of PC may do on one table: read, insert, update (all columns or these), on which rows."""

    select: bool = True
    insert: bool = False
    update: tuple[str, ...] | bool = ()
    rows: str = "true"  # an SQL condition: which rows it sees and changes (row-level security)


READ = Access()

# Table -> kind -> access. A kind missing from a table's entry has no access to it at all.
POLICY: dict[str, dict[str, Access]] = {
    "venue": {"display": READ, "counter": READ, "web": READ,
              "kiosk": Access(update=("staff_failed_attempts", "staff_locked_until"))},
    "agencies": {"display": READ, "kiosk": READ, "counter": READ, "web": READ},
    "services": {"display": READ, "kiosk": READ, "counter": Access(update=("recent_service_minutes",)),
                 "web": READ},
    "counter_services": {"display": READ, "kiosk": READ, "counter": READ, "web": READ},
    # priority_run/run_date: call_next keeps the counter's priority-ratio run on its own row.
    "counters": {"display": READ, "kiosk": READ, "web": READ,
                 "counter": Access(update=("is_open", "operator_id", "priority_run", "run_date"))},
    # The web server, like a TV, sees no operator: no officer's name or PIN hash on a public server.
    "operators": {"display": Access(rows="false"), "web": Access(rows="false"),
                  "kiosk": Access(rows="role IN ('supervisor', 'admin')"),
                  "counter": Access(update=("failed_attempts", "locked_until", "pin_hash", "must_change_pin"))},
    # issue_ticket's upsert: INSERT ... ON CONFLICT DO UPDATE SET last_number ... RETURNING last_number.
    "daily_sequences": {"display": READ, "kiosk": Access(insert=True, update=("last_number",)), "counter": READ,
                        "web": Access(insert=True, update=("last_number",))},
    "tickets": {"display": READ,
                "kiosk": Access(insert=True, update=("status", "to_front", "queued_at", "counter_id", "operator_id",
                                                      "note", "print_failed")),
                "counter": Access(insert=True, update=True),
                "web": Access(insert=True)},  # POST /api/v1/tickets
    "events": {"display": READ, "kiosk": Access(insert=True), "counter": Access(insert=True),
               "web": Access(insert=True)},
    # Only the ticket-token key: a secret added later for another part stays hidden from the kiosks.
    "secrets": {"kiosk": Access(rows=f"name = {literal(TOKEN_KEY)}"),
                "web": Access(rows=f"name = {literal(TOKEN_KEY)}")},
    # The API adds bookings and cancels them (status); only the kiosk redeems one.
    "bookings": {"kiosk": Access(update=("status", "used_at", "ticket_id")),
                 "web": Access(insert=True, update=("status",))},
    # The counter's citizen-facing survey screen (counter/survey.py) records the IKM answers of the
    # ticket just finished; record_response reads the responses to refuse a second one, but the
    # answers are read back only by reports, the admin's.
    # The phone's survey (web/survey.py) records them the same way.
    "survey_responses": {"counter": Access(insert=True), "web": Access(insert=True)},
    "survey_answers": {"counter": Access(select=False, insert=True), "web": Access(select=False, insert=True)},
    # Web API keys: made by the admin's tools (`antre apikey add`), checked by the web server.
    "api_keys": {"web": READ},
    # The reports' cache of closed days (db.reports), written when a report is built: `antre report` and
    # the supervisor screen (`antre counter --supervisor`), which changes services, quotas and operators
    # too and so runs with an admin login.
    "report_days": {},
    "report_cached_days": {},
}


def check_policy() -> None:
    """Refuse a policy that misses a table of the models or names a column that does not exist.

    A line for a table the models do not have (yet, or any more) is skipped rather than refused, so a
    table's policy line and its model may land in either order.
    """
    tables = Base.metadata.tables
    missing = sorted(set(tables) - set(POLICY))
    if missing:
        raise AntreError(f"db/roles.py has no privileges for the tables {', '.join(missing)}: add them to POLICY")
    for name, kinds in POLICY.items():
        if name not in tables:
            continue
        columns = set(tables[name].columns.keys())
        for kind, access in kinds.items():
            if kind not in LIMITED:
                raise AntreError(f"db/roles.py: table {name}: unknown kind {kind!r}")
            named = set(access.update) if isinstance(access.update, tuple) else set()
            if named - columns:
                raise AntreError(f"db/roles.py: table {name} has no column {', '.join(sorted(named - columns))}")


def default_sequence(table: str, column: str) -> str:
    """The name PostgreSQL gives a SERIAL column's sequence."""
    return f"{table}_{column}_seq"


def _sequences() -> dict[str, str]:
    """Table -> its id sequence, for the tables with an integer autoincrement key."""
    found = {}
    for name, table in Base.metadata.tables.items():
        auto = table.autoincrement_column
        if auto is not None:
            found[name] = default_sequence(name, auto.name)
    return found


def _grants(kind: str, table: str, access: Access) -> list[str]:
    grantee = ident(group(kind))
    out = []
    if access.select:
        out.append(f"GRANT SELECT ON TABLE {ident(table)} TO {grantee}")
    if access.insert:
        out.append(f"GRANT INSERT ON TABLE {ident(table)} TO {grantee}")
    if access.update is True:
        out.append(f"GRANT UPDATE ON TABLE {ident(table)} TO {grantee}")
    elif access.update:
        out.append(f"GRANT UPDATE ({', '.join(map(ident, access.update))}) ON TABLE {ident(table)} TO {grantee}")
    return out


def _row_security(table: str, kinds: dict[str, Access]) -> list[str]:
    # One policy per limited group, named after it; a table none of them filters has row security off.
    sql = [f"DROP POLICY IF EXISTS {ident(group(kind))} ON {ident(table)}" for kind in LIMITED]
    if all(access.rows == "true" for access in kinds.values()):
        return [*sql, f"ALTER TABLE {ident(table)} DISABLE ROW LEVEL SECURITY"]
    sql.append(f"ALTER TABLE {ident(table)} ENABLE ROW LEVEL SECURITY")
    for kind, access in kinds.items():
        sql.append(f"CREATE POLICY {ident(group(kind))} ON {ident(table)} TO {ident(group(kind))} "
                   f"USING ({access.rows}) WITH CHECK ({access.rows})")
    return sql


def _create_group(name: str) -> str:
    # CREATE ROLE has no IF NOT EXISTS; a DO block keeps the whole script re-runnable in psql too.
    return (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(name)}) THEN "
            f"CREATE ROLE {ident(name)} NOLOGIN; END IF; END $$")


def group_sql(database: str, sequence_of: Callable[[str], str] | None = None) -> list[str]:
    """The statements that create or update the four group roles and their privileges on `database`.

    Re-running them converges: each limited group first loses every privilege on Antre's tables, then
    gets exactly POLICY's (in one transaction, so no PC sees a moment without its rights).
    """
    check_policy()
    sequences = _sequences()
    seq = sequence_of or (lambda table: sequences[table])
    groups = [group(k) for k in KINDS]
    limited = ", ".join(ident(group(k)) for k in LIMITED)
    admin = ident(group("admin"))
    tables = [*Base.metadata.tables, "alembic_version"]
    sql = [_create_group(name) for name in groups]
    sql += [
        # The admin owns the database, so also its public schema (PostgreSQL 15: owned by pg_database_owner).
        f"ALTER DATABASE {ident(database)} OWNER TO {admin}",
        # Only Antre's roles connect to Antre's database (the server's superuser always may).
        f"REVOKE ALL ON DATABASE {ident(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {ident(database)} TO {limited}",
        f"GRANT ALL ON DATABASE {ident(database)} TO {admin}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {limited}",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {admin}",
    ]
    for table in tables:
        # The owner may alter and drop: migrations run as antre_admin. Owned sequences follow the table.
        sql.append(f"ALTER TABLE {ident(table)} OWNER TO {admin}")
        sql.append(f"REVOKE ALL ON TABLE {ident(table)} FROM {limited}")
    for table in sequences:
        sql.append(f"REVOKE ALL ON SEQUENCE {ident(seq(table))} FROM {limited}")
    # The events NOTIFY trigger's function (db/models.py EVENTS_DDL) runs with the inserting role's rights.
    sql.append(f"ALTER FUNCTION antre_notify_events() OWNER TO {admin}")
    # Every PC checks the schema version when it opens the database.
    sql.append(f"GRANT SELECT ON TABLE alembic_version TO {limited}")
    for table, kinds in POLICY.items():
        if table not in Base.metadata.tables:
            continue
        sql += _row_security(table, kinds)
        for kind, access in kinds.items():
            sql += _grants(kind, table, access)
            if access.insert and table in sequences:
                sql.append(f"GRANT USAGE ON SEQUENCE {ident(seq(table))} TO {ident(group(kind))}")
    return sql


_PC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def pc_role(name: str) -> str:
    """The LOGIN role of one PC, e.g. kiosk1 -> antre_pc_kiosk1."""
    name = name.strip().lower()
    if not _PC_NAME.match(name):
        raise AntreError(f"PC name {name!r}: use 1-40 lowercase letters, digits or _, starting with a letter")
    return PC_PREFIX + name


def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, as libpq makes it).

    Sending the verifier instead of the password keeps the password out of the server's statement log,
    out of `--print` output and off the wire: PostgreSQL stores a pre-hashed password as given.
    """
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def new_password() -> str:
    """A random password for a PC's role (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)


def pc_sql(name: str, kind: str, password: str) -> list[str]:
    """Create or update one PC's LOGIN role: its password, and membership in exactly its kind's group."""
    role = pc_role(name)
    grp = group(kind)
    verifier = literal(scram_verifier(password))
    others = ", ".join(ident(group(k)) for k in KINDS if k != kind)
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(role)}) THEN "
        f"CREATE ROLE {ident(role)} LOGIN; END IF; END $$",
        f"ALTER ROLE {ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT "
        f"CONNECTION LIMIT {PC_CONNECTION_LIMIT} PASSWORD {verifier}",
        f"REVOKE {others} FROM {ident(role)}",
        f"GRANT {ident(grp)} TO {ident(role)}",
    ]
    if kind == "admin":
        # Tables a migration creates then belong to antre_admin, not to this one PC's login.
        sql.append(f"ALTER ROLE {ident(role)} SET role = {literal(grp)}")
    else:
        sql.append(f"ALTER ROLE {ident(role)} RESET role")
    return sql


def drop_pc_sql(name: str) -> list[str]:
    """Remove one PC's LOGIN role (its privileges come from its group, so it owns nothing)."""
    role = pc_role(name)
    # A stolen PC's open sessions end too, not only its future logins.
    return [f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = {literal(role)}",
            f"DROP ROLE IF EXISTS {ident(role)}"]


@dataclass(frozen=True)
class PcRole:
    """One PC's login role as the server has it."""

    name: str
    role: str
    kinds: tuple[str, ...] = field(default_factory=tuple)


PCS_QUERY = (
    "SELECT r.rolname, array_agg(g.rolname ORDER BY g.rolname) FROM pg_roles r "
    "JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid "
    "WHERE r.rolname LIKE 'antre\\_pc\\_%' AND g.rolname IN ('antre_display', 'antre_kiosk', 'antre_counter', "
    "'antre_web', 'antre_admin') GROUP BY r.rolname ORDER BY r.rolname"
)


def pcs_of(rows: Iterable[tuple[str, list[str]]]) -> list[PcRole]:
    """PcRole records from PCS_QUERY's rows."""
    return [PcRole(role[len(PC_PREFIX):], role, tuple(g.removeprefix("antre_") for g in groups))
            for role, groups in rows]
