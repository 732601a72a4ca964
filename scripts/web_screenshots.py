"""Screenshots of the web pages in Debian's headless chromium, into docs/screenshots/web/.

    .venv/bin/python scripts/web_screenshots.py [--out docs/screenshots/web]

Builds its own temp database with the demo venue (open at any hour), issues and calls tickets
through the engine, serves it with `antre web`, and captures each page at phone size (360 px wide).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _db(url: str) -> dict[str, str]:
    from db import open_database, unit_of_work
    from db.config import apply_config, parse_config
    from db.operators import open_counter
    from db.queue import call_next, issue_ticket, no_show
    from db.tokens import ticket_token

    cfg = parse_config(ROOT / "assets" / "demo-venue.toml")
    services = [s.model_copy(update={"hours": None, "daily_quota": None}) for s in cfg.services]
    cfg = cfg.model_copy(update={"venue": cfg.venue.model_copy(update={"hours": None}), "services": services})
    maker = open_database(url, create=True)
    with unit_of_work(maker) as s:
        apply_config(s, cfg)
    counters = [c for c in cfg.counters]
    tokens = {}
    with unit_of_work(maker) as s:
        for c in counters[:12]:
            open_counter(s, c.code)
        first = {c.code: c.services[0] for c in counters[:12]}
        for code, service in first.items():
            for _ in range(4):
                issue_ticket(s, service)
        for code in list(first)[:8]:
            call_next(s, code)
        waiting = issue_ticket(s, first[counters[0].code])
        tokens["waiting"] = ticket_token(s, waiting.ticket.id)
        called = issue_ticket(s, first[counters[1].code])
        tokens["called"] = ticket_token(s, called.ticket.id)
        gone = issue_ticket(s, first[counters[2].code])
        tokens["noshow"] = ticket_token(s, gone.ticket.id)
        served = issue_ticket(s, first[counters[3].code])
        tokens["done"] = ticket_token(s, served.ticket.id)
    # Call the two tickets: finish what those counters hold first.
    from db.queue import call_ticket, finish

    with unit_of_work(maker) as s:
        from db.tokens import verify

        for key, ctr in (("called", counters[1].code), ("noshow", counters[2].code)):
            finish(s, ctr)
            call_ticket(s, ctr, verify(s, tokens[key]).code)
        no_show(s, counters[2].code)
        finish(s, counters[3].code)  # a finished ticket: its page asks the IKM survey
        call_ticket(s, counters[3].code, verify(s, tokens["done"]).code)
        finish(s, counters[3].code)
    maker.kw["bind"].dispose()
    return tokens


def _browser(width: int, height: int, lang: str):  # noqa: ANN202
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={width},{height}",
                f"--lang={lang}", "--force-device-scale-factor=2"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def _shrink(path: Path) -> None:
    """256 colours are plenty for these flat pages and make the files a third of the size."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(256)
    small.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "web"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'shots.sqlite3'}"
        tokens = _db(url)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "antre", "web", "--db", url, "--port", str(port)], cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            shots = [
                ("ticket-waiting-id.png", f"/t/{tokens['waiting']}", "id-ID", 800, False),
                ("ticket-waiting-en.png", f"/t/{tokens['waiting']}", "en-GB", 800, False),
                ("ticket-called-id.png", f"/t/{tokens['called']}", "id-ID", 800, False),
                ("ticket-noshow-id.png", f"/t/{tokens['noshow']}", "id-ID", 800, False),
                ("ticket-survey-id.png", f"/t/{tokens['done']}", "id-ID", 800, False),
                ("status-id.png", "/", "id-ID", 800, True),
                ("ticket-invalid-id.png", "/t/AAAAAAAAAAAAAAAAAAAAAAA", "id-ID", 640, False),
                ("api-docs.png", "/api/docs", "en-GB", 900, False),
            ]
            for name, path, lang, height, full in shots:
                driver = _browser(360, height, lang)
                try:
                    driver.get(base + path)
                    time.sleep(1.0)  # the live stream connects
                    if full:
                        h = driver.execute_script("return document.documentElement.scrollHeight")
                        driver.set_window_size(360, min(int(h) + 20, 4000))
                        time.sleep(0.3)
                    driver.save_screenshot(str(out / name))
                    _shrink(out / name)
                    print("wrote", out / name)
                finally:
                    driver.quit()
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
