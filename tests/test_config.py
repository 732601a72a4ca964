"""The venue file: located errors, idempotent reload, the shipped demo venue."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import ConfigError, open_database, unit_of_work
from db.config import load_config, parse_config
from db.models import Agency, Counter, Operator, Service, Ticket
from db.operators import set_pin, verify_pin
from db.queue import issue_ticket

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "venue.toml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """
[venue]
name = "MPP"
[[agencies]]
code = "DUK"
name = "Dukcapil"
[[services]]
agency = "DUK"
code = "A"
name = "KTP"
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[services]]\nagency = "DUK"\ncode = "a"\nname = "Dua"\n',
         "venue.toml: services[1].code 'a' is used twice (first at services[0])"),
        ('[[services]]\nagency = "NOPE"\ncode = "B"\nname = "X"\n',
         "venue.toml: services[1].agency 'NOPE' is not an agency code in [[agencies]]"),
        ('[[services]]\nagency = "DUK"\ncode = "B1"\nname = "X"\n', "venue.toml: services[1].code: String should match"),
        ('[[counters]]\ncode = "L1"\nname = "Loket 1"\nservices = ["A", "Q"]\n',
         "venue.toml: counters[0].services[1] 'Q' is not a service code in [[services]]"),
        ('[[services]]\nagency = "DUK"\ncode = "B"\nname = "X"\nfee = -5\n',
         "venue.toml: services[1].fee: Input should be greater than or equal to 0"),
        ('[[services]]\nagency = "DUK"\ncode = "B"\nname = "X"\nqouta = 5\n',
         "venue.toml: services[1].qouta: unknown key (check the spelling)"),
        ('[[services]]\nagency = "DUK"\ncode = "B"\nname = "X"\nhours = { fri = [["13:00", "11:00"]] }\n',
         "venue.toml: services[1].hours: fri: 13:00-11:00 closes before it opens"),
        ('[[operators]]\nusername = "x"\nname = "X"\n', "venue.toml: operators[0].username: String should match"),
    ],
)
def test_errors_name_file_key_path_and_problem(tmp_path, extra, message):
    with pytest.raises(ConfigError) as info:
        parse_config(write(tmp_path, BASE + extra))
    assert message in str(info.value)


def test_venue_level_errors(tmp_path):
    bad = BASE.replace('name = "MPP"', 'name = "MPP"\ntimezone = "Asia/Bandung"\ncode_format = "{kode}"')
    with pytest.raises(ConfigError, match=r"venue.code_format: format '\{number:03d\}' must show both"):
        parse_config(write(tmp_path, BASE.replace('name = "MPP"', 'name = "MPP"\ncode_format = "{number:03d}"')))
    with pytest.raises(ConfigError) as info:
        parse_config(write(tmp_path, bad))
    text = str(info.value)
    assert "venue.toml: venue.timezone: unknown timezone 'Asia/Bandung'" in text
    assert "venue.toml: venue.code_format: bad format '{kode}'" in text


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"venue.toml: not valid TOML: .*line 1"):
        parse_config(write(tmp_path, "[venue\nname="))
    with pytest.raises(ConfigError, match="file not found"):
        parse_config(tmp_path / "missing.toml")


def test_reload_updates_never_duplicates_never_deletes_history(tmp_path, db_url, venue_file):
    sessions = open_database(db_url)
    with unit_of_work(sessions) as s:
        issue_ticket(s, "B")
        set_pin(s, "siti", "5190")
    changed = venue_file.read_text().replace('name = "Kartu Keluarga"', 'name = "Kartu Keluarga (KK)"')
    changed = changed.replace('[[counters]]\ncode = "L2"', '[[counters]]\ncode = "L9"')
    venue_file.write_text(changed)
    for _ in range(2):
        with unit_of_work(sessions) as s:
            load_config(s, venue_file)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Agency)) == 2
        assert s.scalar(select(Service.name).where(Service.code == "B")) == "Kartu Keluarga (KK)"
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
        active = dict(s.execute(select(Counter.code, Counter.active)).all())
        assert active == {"L1": True, "L2": False, "L3": True, "L9": True}
        siti = s.scalar(select(Operator).where(Operator.username == "siti"))
        assert verify_pin("5190", siti.pin_hash)  # the changed PIN survives a reload


def test_the_demo_venue_is_a_real_mpp(tmp_path):
    cfg = parse_config(ROOT / "assets" / "demo-venue.toml")
    assert len(cfg.agencies) >= 14 and len(cfg.services) >= 40 and len(cfg.counters) >= 21
    sessions = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}", create=True)
    with unit_of_work(sessions) as s:
        counts = load_config(s, ROOT / "assets" / "demo-venue.toml")
    assert counts["services"] == len(cfg.services)
    served = {code for c in cfg.counters for code in c.services}
    assert served == {s.code for s in cfg.services}, "every service has a counter"
