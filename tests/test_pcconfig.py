"""The per-PC antre.toml (db/pcconfig.py): found, private, well-formed, and it really opens the PC's login."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from antre.cli import main
from db import ConfigError, open_database, unit_of_work
from db.pcconfig import config_paths, pc_database_url

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the folder's ACL")


def private(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_no_file_no_section_means_no_setting(tmp_path: Path) -> None:
    assert pc_database_url([tmp_path / "missing.toml"]) is None
    other = private(tmp_path / "antre.toml", '[display]\ntitle = "Lobi"\n')
    assert pc_database_url([other]) is None


def test_url_alone_and_first_file_wins(tmp_path: Path) -> None:
    user = private(tmp_path / "user" / "antre.toml", '[database]\nurl = "postgresql://pc1:pw@10.0.0.5/antre"\n')
    machine = private(tmp_path / "etc" / "antre.toml", '[database]\nurl = "postgresql://other@10.0.0.9/antre"\n')
    assert pc_database_url([user, machine]) == "postgresql://pc1:pw@10.0.0.5/antre"
    user.write_text("# nothing for the database here\n")
    assert pc_database_url([user, machine]) == "postgresql://other@10.0.0.9/antre"


def test_password_file_next_to_the_config(tmp_path: Path) -> None:
    private(tmp_path / "kiosk1.password", "Zq-3xY_secret\n")
    cfg = private(tmp_path / "antre.toml", '[database]\nurl = "postgresql://antre_pc_kiosk1@10.0.0.5:5433/antre"\n'
                  'password_file = "kiosk1.password"\n')
    url = make_url(pc_database_url([cfg]))
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "antre_pc_kiosk1", "Zq-3xY_secret", "10.0.0.5", 5433, "antre")


def test_default_places_are_the_user_config_folder_then_etc(tmp_path: Path, monkeypatch: Any) -> None:
    if os.name != "posix" or os.uname().sysname != "Linux":
        pytest.skip("XDG_CONFIG_HOME moves the user config folder on Linux only")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_paths() == [tmp_path / "antre" / "antre.toml", Path("/etc/antre/antre.toml")]
    private(tmp_path / "antre" / "antre.toml", '[database]\nurl = "postgresql://pc@server/antre"\n')
    assert pc_database_url() == "postgresql://pc@server/antre"


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    cfg = private(tmp_path / "antre.toml", '[database]\nurl = "postgresql://pc:pw@server/antre"\n')
    cfg.chmod(mode)
    with pytest.raises(ConfigError, match=f"{cfg}: .*other users .*chmod 600"):
        pc_database_url([cfg])


@posix_only
def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    private(tmp_path / "pw", "secret\n").chmod(0o644)
    cfg = private(tmp_path / "antre.toml", '[database]\nurl = "postgresql://pc@server/antre"\npassword_file = "pw"\n')
    with pytest.raises(ConfigError, match=f"{tmp_path / 'pw'}: the password file may be read by other users"):
        pc_database_url([cfg])


@pytest.mark.parametrize(("text", "problem"), [
    ('[database\nurl = "x"\n', "not valid TOML"),
    ('database = "postgresql://pc@server/antre"\n', "must be a section"),
    ('[database]\nurl = 5\n', "database.url must be a database URL"),
    ('[database]\nurl = ""\n', "database.url must be a database URL"),
    ('[database]\npassword_file = "pw"\n', "database.url must be a database URL"),
    ('[database]\nurl = "postgresql://pc@s/antre"\npasswd_file = "pw"\n', "database.passwd_file is not a setting"),
    ('[database]\nurl = "postgresql://pc@s/antre"\npassword_file = "nothere"\n', "nothere does not exist"),
    ('[database]\nurl = "postgresql://pc:pw@s/antre"\npassword_file = "pw"\n', "either in database.url or"),
    ('[database]\nurl = "/var/lib/antre.sqlite3"\npassword_file = "pw"\n', "a SQLite file has no password"),
    ('[database]\nurl = "postgresql://pc@s/antre"\npassword_file = "empty"\n', "on one line"),
])
def test_malformed_files_are_one_clear_line_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    private(tmp_path / "pw", "secret\n")
    private(tmp_path / "empty", "\n")
    cfg = private(tmp_path / "antre.toml", text)
    with pytest.raises(ConfigError) as caught:
        pc_database_url([cfg])
    message = str(caught.value)
    assert problem in message and "\n" not in message
    assert message.startswith(str(cfg)) or message.startswith(str(tmp_path / "empty"))


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "antre.toml"
    cfg.write_bytes(b"[database]\nurl = \"\xff\"\n")
    cfg.chmod(0o600)
    with pytest.raises(ConfigError, match="not UTF-8"):
        pc_database_url([cfg])


@pytest.mark.postgres
def test_the_file_add_pc_describes_opens_the_pcs_own_login(pg_server: Any, venue_file: Path, tmp_path: Path,
                                                           capsys: Any, monkeypatch: Any, now: Any) -> None:
    """What `antre db roles add-pc` prints, copied to the PC, is all the PC needs: it works as a kiosk."""
    from db.config import load_config
    from db.errors import Refused
    from db.queue import call_next, issue_ticket

    name = f"antre_pcconfig_{os.getpid()}"
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_server.execute(f"CREATE DATABASE {name}")
    admin_url = pg_server.url(name)
    try:
        maker = open_database(admin_url, create=True)
        with unit_of_work(maker) as s:
            load_config(s, venue_file)
        maker.kw["bind"].dispose()
        server = tmp_path / "server"
        server.mkdir()
        monkeypatch.chdir(server)
        assert main(["db", "roles", "--db", admin_url]) == 0
        assert main(["db", "roles", "add-pc", "kiosk7", "--kind", "kiosk", "--db", admin_url]) == 0
        out = capsys.readouterr().out
        lines = out.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("On that PC")) + 1
        snippet = "\n".join(line.strip().split("   #")[0] for line in lines[start:start + 3])
        assert snippet.startswith("[database]\nurl = \"postgresql://antre_pc_kiosk7@")
        # The PC: its antre.toml and password file in its own config folder, owner-only.
        pc = tmp_path / "pc" / "antre"
        private(pc / "kiosk7.password", (server / "kiosk7.password").read_text())
        cfg = private(pc / "antre.toml", snippet + "\n")
        url = pc_database_url([cfg])
        assert make_url(url).username == "antre_pc_kiosk7" and make_url(url).password
        kiosk = open_database(url)
        with unit_of_work(kiosk) as s:
            assert issue_ticket(s, "A", now=now).ticket.code == "A-001"
        with pytest.raises(Refused) as refused:
            with unit_of_work(kiosk) as s:
                call_next(s, "L1", now=now)
        assert refused.value.reason == "role"
        kiosk.kw["bind"].dispose()
        # With no --db and no ANTRE_DB, the command finds the file by itself (db.database.default_url).
        env = {k: v for k, v in os.environ.items() if k != "ANTRE_DB"} | {"XDG_CONFIG_HOME": str(tmp_path / "pc")}
        issued = subprocess.run([sys.executable, "-m", "antre", "issue", "A"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert issued.returncode == 0 and issued.stdout.startswith("A-0"), issued.stderr  # today's first or second
        called = subprocess.run([sys.executable, "-m", "antre", "call", "L1"], env=env, capture_output=True,
                                text=True, timeout=60)
        assert called.returncode == 1 and called.stderr.startswith("antre: this PC's database role may not")
        assert called.stderr.count("\n") == 1
        cfg.chmod(0o644)
        shared = subprocess.run([sys.executable, "-m", "antre", "status"], env=env, capture_output=True, text=True,
                                timeout=60)
        assert shared.returncode != 0 and "chmod 600" in shared.stderr and "Traceback" not in shared.stderr
    finally:
        pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg_server.execute("DROP ROLE IF EXISTS antre_pc_kiosk7")
