"""`antre web`: serve the app with uvicorn; a clear line, not a traceback, when it cannot start."""

from __future__ import annotations

import logging
import socket
import sys

from db import open_database


def serve(url: str, host: str, port: int, *, rate_limit: int | None = None, proxies: str = "127.0.0.1",
          log_level: str = "warning") -> int:
    """Run the web server until SIGINT/SIGTERM; returns the exit code."""
    import uvicorn

    from web.app import create_app

    try:  # uvicorn's own bind error is a log line and exit code 3; say it our way first
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        print(f"antre web: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO if log_level in ("info", "debug") else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    sessions = open_database(url)
    app = create_app(sessions, rate_limit=rate_limit)
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=log_level in ("info", "debug"),
        proxy_headers=True, forwarded_allow_ips=proxies,
        # Live streams never end by themselves: give them a moment, then close, so a restart is quick.
        timeout_graceful_shutdown=2, timeout_keep_alive=30, backlog=4096,
    )
    server = uvicorn.Server(config)
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits on a failed start (it has logged the reason)
        return 1
    finally:
        sessions.kw["bind"].dispose()
    return 0 if server.started else 1
