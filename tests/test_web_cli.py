"""The web side's commands: booking import/add/cancel, apikey add/revoke, web start-up errors."""

from __future__ import annotations

import json

from antre.cli import main
from db import open_database, unit_of_work
from db.apikeys import check_key
from db.bookings import find
from tests.web_fixtures import antre, free_port


def test_booking_commands(db_url, tmp_path, capsys):
    csv = tmp_path / "b.csv"
    csv.write_text("code,service,date,time,name\nMP0001,A,2026-11-23,09:00,Ani\n", encoding="utf-8")
    assert main(["booking", "import", str(csv), "--db", db_url]) == 0
    assert "1 bookings added" in capsys.readouterr().out
    assert main(["booking", "add", "S", "2026-11-24", "10:15", "--code", "jkn-77", "--db", db_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == "JKN77"
    assert main(["booking", "cancel", "JKN77", "--db", db_url]) == 0
    assert main(["booking", "add", "A", "24-11-2026", "10:15", "--db", db_url]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("code,service,date,time\nX1X1,ZZ,2026-11-23,09:00\n", encoding="utf-8")
    assert main(["booking", "import", str(bad), "--db", db_url]) == 1
    assert "bad.csv:2: unknown service 'ZZ'" in capsys.readouterr().err
    maker = open_database(db_url)
    with unit_of_work(maker) as s:
        assert find(s, "MP0001").status == "pending" and find(s, "JKN77").status == "cancelled"
    maker.kw["bind"].dispose()


def test_apikey_add_prints_the_key_once_and_stores_a_hash(db_url, capsys):
    assert main(["apikey", "add", "wa-bot", "--db", db_url, "--json"]) == 0
    key = json.loads(capsys.readouterr().out)["key"]
    maker = open_database(db_url)
    with unit_of_work(maker) as s:
        assert check_key(s, key) == "wa-bot"
        from sqlalchemy import text

        stored = s.execute(text("SELECT key_hash FROM api_keys")).scalar_one()
        assert key not in stored and len(stored) == 64
    maker.kw["bind"].dispose()
    assert main(["apikey", "add", "wa-bot", "--db", db_url]) == 1  # names are unique
    assert main(["apikey", "revoke", "wa-bot", "--db", db_url]) == 0


def test_web_reports_a_busy_port_in_one_line(db_url):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = antre("web", "--port", str(port), url=db_url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    bad = antre("web", "--port", "70000", url=db_url)
    assert bad.returncode == 1 and "between 1 and 65535" in bad.stderr
    assert free_port() > 0
