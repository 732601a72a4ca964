"""On a LAN each round trip costs: issuing and calling take at most three on PostgreSQL (BEGIN, one
statement, COMMIT), counted on the wire by a proxy between the engine and the server."""

from __future__ import annotations

import socket
import struct
import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from db import open_database, transact
from db.queue import call_next, issue_ticket
from tests.conftest import MONDAY_9AM

pytestmark = pytest.mark.postgres


class WireCounter:
    """A loopback TCP proxy counting the client's round trips: each Query or Sync message waits for the server."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.trips = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
            threading.Thread(target=self._client, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            dst.close()

    def _client(self, src: socket.socket, dst: socket.socket) -> None:
        buffer, started = b"", False
        try:
            while data := src.recv(65536):
                dst.sendall(data)
                buffer += data
                while True:
                    if not started:  # the startup packet: length, then protocol; no type byte
                        if len(buffer) < 4:
                            break
                        (length,) = struct.unpack("!I", buffer[:4])
                        if len(buffer) < length:
                            break
                        buffer, started = buffer[length:], True
                        continue
                    if len(buffer) < 5:
                        break
                    kind, (length,) = buffer[:1], struct.unpack("!I", buffer[1:5])
                    if len(buffer) < 1 + length:
                        break
                    buffer = buffer[1 + length:]
                    if kind in (b"Q", b"S"):
                        with self.lock:
                            self.trips += 1
        except OSError:
            pass
        finally:
            dst.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def counted(pg_db_url):
    url = make_url(pg_db_url)
    proxy = WireCounter(url.host, url.port)
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={"sslmode": "disable"})
    sessions = open_database(proxied.render_as_string(hide_password=False))
    yield sessions, proxy
    sessions.kw["bind"].dispose()
    proxy.close()


def _trips(proxy: WireCounter, action) -> int:
    before = proxy.trips
    action()
    return proxy.trips - before


def test_issue_call_and_finish_take_at_most_three_round_trips(counted):
    """In steady state: the first action of a process also opens the connection and learns the service,
    and psycopg spends one more round trip preparing a statement on its fifth use."""
    from db.queue import finish

    sessions, proxy = counted
    now = MONDAY_9AM
    for i in range(6):
        transact(sessions, lambda s: issue_ticket(s, "A", now=now))
        transact(sessions, lambda s: issue_ticket(s, "A", priority=True, now=now))
        transact(sessions, lambda s: call_next(s, "L1", now=now))
        transact(sessions, lambda s: finish(s, "L1", now=now))
    for i in range(3):
        at = now + timedelta(seconds=i + 1)
        trips = _trips(proxy, lambda: transact(sessions, lambda s: issue_ticket(s, "A", now=at)))
        assert trips <= 3, f"issue took {trips} round trips"
        priority = _trips(proxy, lambda: transact(sessions, lambda s: issue_ticket(s, "A", priority=True, now=at)))
        assert priority <= 3, f"a priority issue took {priority} round trips"
        counter = ("L1", "L2")[i % 2]
        trips = _trips(proxy, lambda: transact(sessions, lambda s: call_next(s, counter, now=at)))
        assert trips <= 3, f"call took {trips} round trips"
        done = _trips(proxy, lambda: transact(sessions, lambda s: finish(s, counter, now=at)))
        assert done <= 3, f"finish took {done} round trips"
