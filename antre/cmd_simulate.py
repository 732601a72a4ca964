"""`antre simulate`: capacity planning through the real engine on a simulated clock."""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from antre.argtypes import UsageError, bounded
from antre.output import emit

DEMO_VENUE = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"


def _pairs(values: list[str], option: str, limit: int) -> dict[str, int]:
    result = {}
    for value in values:
        key, sep, number = value.partition("=")
        number = number.strip()
        if not sep or not number.isascii() or not number.isdigit() or not key.strip():
            raise UsageError(f"{option} {value!r}: expected NAME=NUMBER, e.g. DUKCAPIL=2")
        if int(number) > limit:
            raise UsageError(f"{option} {value!r}: at most {limit:,}")
        result[key.strip().upper()] = int(number)
    return result


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("simulate", parents=[common], help="simulate a day to plan counters (waits per service)",
                       description="Play a day of citizens through the real queue rules on a simulated clock "
                       "and print waiting-time percentiles per service and the busiest hour.")
    p.add_argument("--config", default=str(DEMO_VENUE), metavar="FILE", help="venue TOML (default: the demo venue)")
    p.add_argument("--arrivals", type=bounded(0, 20_000), default=1000, metavar="N",
                   help="citizens in the day (default 1000)")
    p.add_argument("--rate", action="append", default=[], metavar="SERVICE=N",
                   help="citizens for one service, overriding its share (repeatable)")
    p.add_argument("--extra", action="append", default=[], metavar="AGENCY=N",
                   help="open N more counters for an agency, e.g. DUKCAPIL=2 (repeatable)")
    p.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the day (its weekday sets the opening hours; default next Monday)")
    p.add_argument("--seed", type=bounded(0, 2**31 - 1), default=1, help="random seed (same seed, same citizens)")
    p.add_argument("--compare", action="store_true", help="also run without --extra and show both")
    p.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    from db import AntreError
    from db.config import parse_config
    from db.simulation import Scenario, simulate

    try:
        rates, extra = _pairs(args.rate, "--rate", 20_000), _pairs(args.extra, "--extra", 40)
    except argparse.ArgumentTypeError as exc:
        raise AntreError(str(exc)) from None
    cfg = parse_config(Path(args.config))
    day = args.date or _next_monday()
    scenario = Scenario(cfg, day, arrivals=args.arrivals, service_arrivals=rates, extra_counters=extra,
                        seed=args.seed)
    started = time.perf_counter()
    result = simulate(scenario)
    baseline = simulate(Scenario(cfg, day, arrivals=args.arrivals, service_arrivals=rates, seed=args.seed)) \
        if args.compare and extra else None
    took = time.perf_counter() - started
    emit(args, {"result": _plain(result), "baseline": _plain(baseline) if baseline else None,
                "seconds": round(took, 1)}, _table(result, baseline, day, took))
    return 0


def _plain(result: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(result)


def _table(result: Any, baseline: Any, day: date, took: float) -> str:
    before = {s.code: s for s in baseline.services} if baseline else {}
    head = f"{'svc':<5}{'served':>7}{'refused':>8}{'p50 min':>9}{'p90 min':>9}{'max min':>9}"
    if baseline:
        head += f"{'p90 before':>12}"
    lines = [f"Simulated {day:%A %d-%m-%Y}: {result.tickets} tickets served, {result.refused} refused "
             f"(quota or hours), last citizen done at {result.last_finish}", "", head + "  service"]
    for s in result.services:
        row = f"{s.code:<5}{s.served:>7}{s.refused:>8}{s.wait_p50:>9.1f}{s.wait_p90:>9.1f}{s.wait_max:>9.1f}"
        if baseline:
            old = before.get(s.code)
            row += f"{old.wait_p90 if old else 0:>12.1f}"
        lines.append(f"{row}  {s.name[:48]}")
    lines += ["", f"Busiest hour: {result.busiest_hour:02d}.00-{result.busiest_hour + 1:02d}.00 "
              f"({result.busiest_hour_arrivals} tickets issued)",
              f"Longest waits for those issued at {result.worst_wait_hour:02d}.00-{result.worst_wait_hour + 1:02d}.00 "
              f"(p90 {result.worst_wait_hour_p90:.0f} min)", f"({took:.1f} s)"]
    return "\n".join(lines)
