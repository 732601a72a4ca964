"""`antre simulate`: the real engine on a simulated clock answers capacity questions."""

from __future__ import annotations

import json
from datetime import date

from antre.cli import main
from db.config import parse_config
from db.simulation import Scenario, simulate

MONDAY = date(2026, 11, 30)


def test_more_counters_shorten_the_waits_of_that_agency_only(venue_file):
    cfg = parse_config(venue_file)
    base = simulate(Scenario(cfg, MONDAY, arrivals=160, seed=3))
    more = simulate(Scenario(cfg, MONDAY, arrivals=160, extra_counters={"DUKCAPIL": 2}, seed=3))
    before, after = {s.code: s for s in base.services}, {s.code: s for s in more.services}
    assert base.tickets + base.refused == more.tickets + more.refused
    assert after["A"].wait_p90 < before["A"].wait_p90
    assert after["S"] == before["S"], "POLRES is untouched, its citizens and service times are the same"
    assert before["B"].refused > 0, "B's quota of 3 refuses the rest"
    assert 8 <= base.busiest_hour <= 11


def test_the_same_seed_gives_the_same_day(venue_file):
    cfg = parse_config(venue_file)
    assert simulate(Scenario(cfg, MONDAY, arrivals=60, seed=9)) == simulate(Scenario(cfg, MONDAY, arrivals=60, seed=9))


def test_simulate_command_prints_percentiles_and_the_busiest_hour(capsys, venue_file):
    assert main(["simulate", "--config", str(venue_file), "--arrivals", "80", "--date", "2026-11-30",
                 "--extra", "DUKCAPIL=1", "--compare", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["result"]["tickets"] > 0 and out["baseline"]["tickets"] == out["result"]["tickets"]
    assert {s["code"] for s in out["result"]["services"]} >= {"A", "S"}
    assert main(["simulate", "--config", str(venue_file), "--arrivals", "40", "--date", "2026-11-30"]) == 0
    text = capsys.readouterr().out
    assert "Busiest hour:" in text and "p90 min" in text


def test_a_day_the_venue_is_closed_is_a_clear_error(capsys, venue_file):
    text = venue_file.read_text().replace('ticket_footer = "Terima kasih"',
                                          'ticket_footer = "Terima kasih"\nhours = { mon = [["08:00", "15:00"]] }')
    venue_file.write_text(text)
    assert main(["simulate", "--config", str(venue_file), "--date", "2026-11-29"]) == 1
    assert capsys.readouterr().err.strip() == "antre: the venue is closed on Sunday 29-11-2026"
