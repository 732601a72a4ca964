"""`antre web`: serve the app with uvicorn; a clear line, not a traceback, when it cannot start."""

from __future__ import annotations

import logging
import sys

from db import open_database


def serve(url: str, host: str, port: int, *, rate_limit: int | None = None, proxies: str = "127.0.0.1",
          log_level: str = "warning") -> int:
    """Run the web server until SIGINT/SIGTERM; returns the exit code."""
    import uvicorn

    from web.app import create_app

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
    except OSError as exc:
        print(f"antre web: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    finally:
        sessions.kw["bind"].dispose()
    return 0 if server.started else 1
