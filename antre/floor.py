"""The floor a benchmark prints beside its figures: the cheapest write transaction on the same kind of
database, measured in the same run with no Antre code, so figures from a loaded or slower machine can
still be compared (as a ratio)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def percentiles(ms: list[float]) -> dict[str, float]:
    """n, p50, p99 and max of samples in milliseconds."""
    if len(ms) < 2:
        one = round(ms[0], 3) if ms else 0.0
        return {"n": len(ms), "p50_ms": one, "p99_ms": one, "max_ms": one}
    ms = sorted(ms)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"n": len(ms), "p50_ms": round(q[49], 3), "p99_ms": round(q[98], 3), "max_ms": round(ms[-1], 3)}


def write_floor(url: str, folder: Path, n: int = 300) -> dict[str, float]:
    """The cheapest write transaction on the same kind of database, no Antre code: one row inserted
    and committed (SQLite: a file beside it with the same settings; PostgreSQL: the same server)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    samples = []
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE f (x INTEGER)")
        for i in range(n):
            t = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO f VALUES (?)", (i,))
            conn.execute("COMMIT")
            samples.append((time.perf_counter() - t) * 1000)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(host=parsed.host, port=parsed.port, dbname=parsed.database, user=parsed.username,
                             password=parsed.password) as conn:
            # A logged table, not a temporary one: its commit waits for the WAL flush as Antre's do.
            table = f"antre_floor_{os.getpid()}"
            conn.execute(f"CREATE TABLE {table} (x integer)")
            conn.commit()
            try:
                for i in range(n):
                    t = time.perf_counter()
                    conn.execute(f"INSERT INTO {table} VALUES (%s)", (i,))  # BEGIN, INSERT, COMMIT: 3 round trips
                    conn.commit()
                    samples.append((time.perf_counter() - t) * 1000)
            finally:
                conn.rollback()
                conn.execute(f"DROP TABLE {table}")
                conn.commit()
    return percentiles(samples)
