"""A throwaway PostgreSQL cluster on a loopback port, for tests and benchmarks.

`initdb` + `pg_ctl` in a temporary folder (as the `postgres` user when run as root, since the
server refuses to run as root). It starts in about a second and is removed on stop.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


class NoPostgres(RuntimeError):
    """No PostgreSQL server can be started here (the reason says why)."""


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if not candidates:
        raise NoPostgres("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    return Path(candidates[0]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TempCluster:
    """A running throwaway cluster; `url(dbname)` gives a psycopg URL for one of its databases."""

    folder: Path
    port: int
    bindir: Path
    as_user: list[str] = field(default_factory=list)
    superuser: str = "antre_test"
    options: str = ""

    def url(self, dbname: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        auth = user or self.superuser
        if password:
            auth += f":{password}"
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{dbname}"

    def pause(self) -> None:
        """Stop the server (a restart of the server PC: sessions end, committed data stays)."""
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "fast", "-w", "stop"], capture_output=True, check=False)

    def resume(self) -> None:
        """Start the server again on the same port and data."""
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-o",
                        self.options, "-l", str(self.folder / "server.log"), "-w", "-t", "30", "start"],
                       capture_output=True, check=True)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(max_connections: int = 300, *, durable: bool = False) -> TempCluster:
    """initdb and start a cluster on a free loopback port (trust auth on loopback only).

    Tests skip fsync (a throwaway cluster); `durable=True` keeps PostgreSQL's defaults, so a
    benchmark measures what a real server does at commit.
    """
    bindir = _bindir()
    folder = Path(tempfile.mkdtemp(prefix="antre-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise NoPostgres("running as root and runuser is missing, so PostgreSQL cannot be started")
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()
    cluster = TempCluster(folder, port, bindir, as_user)
    speed = "" if durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    cluster.options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {speed}"
                       f"-c max_connections={max_connections} -c shared_buffers=64MB")
    init = subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", cluster.superuser,
                           "-A", "trust", "-E", "UTF8", "--no-sync"], capture_output=True, text=True)
    if init.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        raise NoPostgres(f"initdb failed: {init.stderr.strip()[-300:]}")
    started = subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", cluster.options,
                              "-l", str(folder / "server.log"), "-w", "-t", "30", "start"],
                             capture_output=True, text=True)
    if started.returncode:
        log = (folder / "server.log").read_text(errors="replace")[-400:] if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise NoPostgres(f"pg_ctl start failed: {started.stderr.strip()[-200:]} {log}")
    return cluster
