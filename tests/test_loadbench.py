"""The load benchmark runs end to end on both databases and its invariant checks hold (a small building)."""

from __future__ import annotations

import pytest

from antre.loadbench import run


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_small_building_keeps_every_invariant(backend, pg_server):
    figures = run(backend, kiosks=2, counters=4, displays=2, tickets=3000, seconds=3, saturate_seconds=2,
                  start_method="forkserver", boot=2, speedup=30)
    assert figures["invariants"]["ok"], figures["invariants"]["problems"]
    assert figures["startup_s"]["ready"] == figures["startup_s"]["of"] == 8
    assert figures["invariants"]["tickets"] > 20 and figures["invariants"]["called"] == figures["invariants"]["tickets"]
    seen = figures["paced"]["call_to_display"]["n"] + figures["saturated"]["call_to_display"]["n"]
    assert seen >= 2 * figures["invariants"]["called"], "both displays saw every call"
    assert figures["paced"]["issue"]["n"] > 0 and figures["saturated"]["call"]["n"] >= 0
