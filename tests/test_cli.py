"""The `antre` command: JSON shapes, exit codes, one clear line on errors, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from antre.cli import main


def antre(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "antre", *args], capture_output=True, text=True, input=stdin,
                          timeout=60)


def run_json(capsys, *args: str):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_issue_call_status_as_json(capsys, db_url):
    issued = run_json(capsys, "issue", "A", "--db", db_url)
    assert {"id", "code", "service", "status", "counter"} <= issued.keys()
    assert (issued["code"], issued["service"], issued["status"], issued["counter"]) == ("A-001", "A", "waiting", None)
    called = run_json(capsys, "call", "L1", "--db", db_url)
    assert (called["code"], called["status"], called["counter"]) == ("A-001", "called", "L1")
    status = run_json(capsys, "status", "--db", db_url)
    services = {s["code"]: s for s in status["services"]}
    counters = {c["code"]: c for c in status["counters"]}
    assert services["A"]["waiting"] == 0 and services["B"]["waiting"] == 0
    assert counters["L1"]["services"] == ["A", "B"] and counters["L1"]["ticket"]["code"] == "A-001"
    assert counters["L2"]["ticket"] is None


def test_every_counter_action_through_the_command(capsys, db_url):
    for _ in range(2):
        run_json(capsys, "issue", "A", "--db", db_url)
    steps = [("call", "called"), ("recall", "called"), ("start", "serving"), ("hold", "held"),
             ("call", "called"), ("noshow", "no_show"), ("resume", "serving"), ("finish", "done")]
    for action, status in steps:
        assert run_json(capsys, action, "L2", "--db", db_url)["status"] == status, action
    assert run_json(capsys, "requeue", "A-002", "--db", db_url)["status"] == "waiting"
    run_json(capsys, "call", "L2", "--db", db_url)
    moved = run_json(capsys, "transfer", "L2", "B", "--note", "KK", "--db", db_url)
    assert (moved["code"], moved["service"], moved["note"]) == ("A-002", "B", "KK")


def test_init_reports_counts(capsys, tmp_path, venue_file):
    out = run_json(capsys, "init", "--config", str(venue_file), "--db", str(tmp_path / "x.sqlite3"))
    assert out == {"agencies": 2, "services": 3, "counters": 3, "operators": 3}


def test_bad_config_exits_2_with_located_errors_and_no_traceback(tmp_path):
    bad = tmp_path / "venue.toml"
    bad.write_text('[venue]\nname = "X"\n[[agencies]]\ncode = "D"\nname = "D"\n'
                   '[[services]]\nagency = "D"\ncode = "A"\nname = "a"\n'
                   '[[services]]\nagency = "D"\ncode = "A"\nname = "b"\n')
    result = antre("init", "--config", str(bad), "--db", str(tmp_path / "x.sqlite3"))
    assert result.returncode == 2
    assert result.stderr.strip() == "venue.toml: services[1].code 'A' is used twice (first at services[0])"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("issue", "ZZ"), "antre: unknown service 'ZZ'"),
        (("call", "L99"), "antre: unknown counter 'L99'"),
        (("call", "L1"), "antre: no ticket is waiting for Loket 1"),
        (("finish", "L1"), "antre: Loket 1 holds no ticket"),
    ],
)
def test_user_errors_are_one_line(db_url, args, message):
    result = antre(*args, "--db", db_url)
    assert result.returncode == 1
    assert result.stderr.strip() == message and "Traceback" not in result.stderr


def test_unreadable_database_is_one_clear_line(tmp_path):
    garbage = tmp_path / "broken.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    result = antre("status", "--db", str(garbage))
    assert result.returncode == 1
    assert result.stderr.startswith("antre: cannot open database") and "file is not a database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = antre("status", "--db", str(folder))
    assert result.returncode == 1 and "unable to open database file" in result.stderr


def test_bad_arguments_exit_2_without_traceback():
    result = antre("issue")
    assert result.returncode == 2 and "the following arguments are required: SERVICE" in result.stderr


def test_operator_add_set_pin_disable(capsys, db_url):
    from db import open_database
    from db.models import Operator
    from db.operators import verify_pin

    run_json(capsys, "operator", "add", "rina", "--name", "Rina", "--agency", "DUKCAPIL", "--db", db_url)
    result = antre("operator", "set-pin", "rina", "--db", db_url, stdin="5698\n")
    assert result.returncode == 0, result.stderr
    with open_database(db_url)() as s:
        rina = s.query(Operator).filter_by(username="rina").one()
        assert verify_pin("5698", rina.pin_hash) and rina.active
    run_json(capsys, "operator", "disable", "rina", "--db", db_url)
    with open_database(db_url)() as s:
        assert not s.query(Operator).filter_by(username="rina").one().active
    result = antre("operator", "set-pin", "rina", "--pin", "12", "--db", db_url)
    assert result.returncode == 1 and "4 to 12 digits" in result.stderr


def test_db_upgrade_reports_the_revision(capsys, tmp_path):
    from db.database import schema_head

    out = run_json(capsys, "db", "upgrade", "--db", str(tmp_path / "fresh.sqlite3"))
    assert out["revision"] == schema_head()
    assert Path(tmp_path / "fresh.sqlite3").exists()
