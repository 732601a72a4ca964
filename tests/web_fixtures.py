"""Helpers for the web tests: the app in-process, and `antre web` as a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from db import open_database, unit_of_work
from db.queue import issue_ticket
from db.tokens import ticket_token
from web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sessions_web(db_url):
    """The web app's sessions on the test database."""
    maker = open_database(db_url)
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture
def client(sessions_web):
    """The web app in-process, without rate limits."""
    with TestClient(create_app(sessions_web, rate_limit=0), raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def issue_with_token(url: str, service: str = "A") -> tuple[str, str]:
    """Issue a ticket now (real clock) and return its code and token."""
    maker = open_database(url)
    try:
        with unit_of_work(maker) as s:
            issued = issue_ticket(s, service)
            return issued.ticket.code, ticket_token(s, issued.ticket.id)
    finally:
        maker.kw["bind"].dispose()


def antre(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """Run the antre command in another process."""
    return subprocess.run([sys.executable, "-m", "antre", *args, "--db", url], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


class WebServer:
    """`antre web` in its own process on a loopback port; restartable on the same port."""

    def __init__(self, url: str, port: int, log: Path, *extra: str) -> None:
        self.url, self.port, self.log, self.extra = url, port, log, extra
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "antre", "web", "--db", self.url, "--port", str(self.port), *self.extra],
            cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"antre web exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"antre web did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture
def web_server(db_url: str, tmp_path: Path) -> Iterator[WebServer]:
    server = WebServer(db_url, free_port(), tmp_path / "web.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
