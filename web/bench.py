"""Load benchmark of `antre web` on loopback: 2 000 open ticket pages while counters call.

    python -m web.bench [--pages 2000] [--calls-per-minute 30] [--seconds 90]

On a database of its own (a temp SQLite file with the demo venue, open at any hour), it issues one
ticket per page, starts `antre web` as its own process, opens one live stream (SSE) per ticket from
many loopback addresses (as phones behind a proxy would come), then calls tickets from another
process at the given pace, each counter finishing its previous ticket first. It prints p50/p95 of
call commit -> the called ticket's page receiving the call, the server's RSS and CPU. Bounded: it
stops after --seconds of calls and removes everything it made.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _prepare(url: str, pages: int, seed: int) -> tuple[list[tuple[int, str]], list[str]]:
    from db import open_database, unit_of_work
    from db.config import apply_config, parse_config
    from db.operators import open_counter
    from db.queue import issue_ticket
    from db.tokens import ticket_token

    cfg = parse_config(ASSETS / "demo-venue.toml")
    services = [s.model_copy(update={"hours": None, "daily_quota": None}) for s in cfg.services]
    cfg = cfg.model_copy(update={"venue": cfg.venue.model_copy(update={"hours": None}), "services": services})
    maker = open_database(url, create=True)
    rng = random.Random(seed)
    with unit_of_work(maker) as s:
        apply_config(s, cfg)
    counters = [c.code.upper() for c in cfg.counters]
    served = sorted({code.upper() for c in cfg.counters for code in c.services})
    tickets = []
    with unit_of_work(maker) as s:
        for code in counters:
            open_counter(s, code)
        for _ in range(pages):
            issued = issue_ticket(s, rng.choice(served))
            tickets.append((issued.ticket.id, ticket_token(s, issued.ticket.id)))
    maker.kw["bind"].dispose()
    return tickets, counters


def _caller(url: str, counters: list[str], per_minute: float, seconds: float, out: Any, seed: int) -> None:
    """Another process: every 60/per_minute s a random counter finishes its ticket and calls the next."""
    from db import QueueEmpty, open_database, unit_of_work
    from db.queue import call_next, finish

    rng = random.Random(seed)
    maker = open_database(url)
    holding: set[str] = set()
    gap = 60.0 / per_minute
    start = time.monotonic()
    target = start
    while time.monotonic() - start < seconds:
        time.sleep(max(0.0, target - time.monotonic()))
        target += gap * rng.uniform(0.5, 1.5)
        counter = rng.choice(counters)
        try:
            with unit_of_work(maker) as s:
                if counter in holding:
                    finish(s, counter)
                view = call_next(s, counter)
            out.put((view.id, time.time()))
            holding.add(counter)
        except QueueEmpty:
            holding.discard(counter)
    out.put(None)
    maker.kw["bind"].dispose()


class Pages:
    """The phones: one SSE stream per ticket, opened from many loopback source addresses."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.called_at: dict[int, float] = {}
        self.messages = 0
        self.open = 0
        self.failed = 0

    async def follow(self, ticket_id: int, token: str, source: str) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(source, 0))
        except OSError:
            self.failed += 1
            return
        writer.write(f"GET /t/{token}/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
        status = await reader.readline()
        if b" 200 " not in status:
            self.failed += 1
            writer.close()
            return
        self.open += 1
        try:
            while line := await reader.readline():
                if not line.startswith(b"data: "):
                    continue
                self.messages += 1
                if b'"status":"called"' in line and ticket_id not in self.called_at:
                    self.called_at[ticket_id] = time.time()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def _proc_stats(pid: int) -> tuple[float, int, int]:
    """(CPU seconds, RSS kB, peak RSS kB) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _run(args: argparse.Namespace, url: str, tickets: list[tuple[int, str]], counters: list[str]) -> dict:
    port = _free_port()
    log = Path(args.workdir) / "web.log"
    server = subprocess.Popen([sys.executable, "-m", "antre", "web", "--db", url, "--port", str(port)],
                              stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                _, w = await asyncio.open_connection("127.0.0.1", port)
                w.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        pages = Pages(port)
        sources = [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(max(1, args.pages // 8))]
        opened = time.monotonic()
        tasks = []
        for i, (tid, token) in enumerate(tickets):
            tasks.append(asyncio.create_task(pages.follow(tid, token, sources[i % len(sources)])))
            if i % 50 == 49:
                await asyncio.sleep(0.05)  # phones arrive over a moment, not in one instant
        while pages.open + pages.failed < len(tickets) and time.monotonic() - opened < 120:
            await asyncio.sleep(0.2)
        open_seconds = time.monotonic() - opened
        await asyncio.sleep(2)
        _, rss_idle, _ = _proc_stats(server.pid)
        cpu0, wall0 = _proc_stats(server.pid)[0], time.monotonic()
        results: Any = mp.get_context("spawn").Queue()
        caller = mp.get_context("spawn").Process(
            target=_caller, args=(url, counters, args.calls_per_minute, args.seconds, results, args.seed))
        caller.start()
        calls: list[tuple[int, float]] = []
        while True:
            item = await asyncio.to_thread(results.get)
            if item is None:
                break
            calls.append(item)
        await asyncio.sleep(1.5)  # the last calls' events arrive
        cpu1, wall1 = _proc_stats(server.pid)[0], time.monotonic()
        _, rss, peak = _proc_stats(server.pid)
        caller.join()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server.terminate()
        server.wait(15)
    latencies = sorted(pages.called_at[tid] - at for tid, at in calls if tid in pages.called_at)
    missed = sum(1 for tid, _ in calls if tid not in pages.called_at)
    q = statistics.quantiles(latencies, n=20, method="inclusive") if len(latencies) >= 2 else [float("nan")] * 19
    return {
        "pages_open": pages.open, "pages_failed": pages.failed, "open_seconds": round(open_seconds, 1),
        "calls": len(calls), "calls_missed": missed, "messages": pages.messages,
        "call_to_page_ms_p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "call_to_page_ms_p95": round(q[18] * 1000, 1), "call_to_page_ms_max": round(max(latencies) * 1000, 1)
        if latencies else None,
        "server_rss_mb_idle_with_pages": round(rss_idle / 1024, 1), "server_rss_mb_end": round(rss / 1024, 1),
        "server_rss_mb_peak": round(peak / 1024, 1),
        "server_cpu_percent_of_a_core": round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="open ticket pages (default 2000)")
    parser.add_argument("--calls-per-minute", type=float, default=30.0,
                        help="calls per minute over the whole venue (default 30)")
    parser.add_argument("--seconds", type=float, default=90.0, help="how long counters call (default 90)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (1 <= args.pages <= 10_000 and 0 < args.calls_per_minute <= 600 and 0 < args.seconds <= 900):
        parser.error("--pages 1..10000, --calls-per-minute 0..600, --seconds 0..900")
    with tempfile.TemporaryDirectory(prefix="antre-web-bench-") as workdir:
        args.workdir = workdir
        url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        tickets, counters = _prepare(url, args.pages, args.seed)
        result = asyncio.run(_run(args, url, tickets, counters))
    result = {"pages": args.pages, "calls_per_minute": args.calls_per_minute, "seconds": args.seconds, **result}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
