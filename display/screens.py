"""`python -m display.screens OUTDIR`: every display screen rendered offscreen into OUTDIR/display/*.png.

Seeds a SQLite database in a temp folder with the demo venue (opening hours dropped so the
seed works at any hour), issues and calls tickets through the engine, then grabs the real
window at TV resolutions.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db import open_database, unit_of_work  # noqa: E402
from db.config import apply_config, parse_config  # noqa: E402
from db.errors import AntreError  # noqa: E402
from db.operators import close_counter  # noqa: E402
from db.queue import call_next, finish, issue_ticket, recall  # noqa: E402
from db.stats import counter_views  # noqa: E402
from display import paint  # noqa: E402
from display.controller import DisplayController  # noqa: E402
from display.settings import Filter  # noqa: E402
from display.texts import t  # noqa: E402
from display.window import DisplayWindow  # noqa: E402
from qtkit.worker import DbWorker  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "assets" / "demo-venue.toml"
SIZES = {"1920x1080": (1920, 1080), "3840x2160": (3840, 2160), "portrait-1080x1920": (1080, 1920)}


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the event loop until predicate() holds."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("display did not get there in time")
        QCoreApplication.processEvents()
        time.sleep(0.005)


def relaxed_venue(path: Path, display: dict[str, Any] | None = None) -> Any:
    """The venue config with every opening hour dropped (and an optional [display] section)."""
    cfg = parse_config(path)
    services = [s.model_copy(update={"hours": None}) for s in cfg.services]
    update: dict[str, Any] = {"venue": cfg.venue.model_copy(update={"hours": None}), "services": services}
    if display:
        update["display"] = display
    return cfg.model_copy(update=update)


def seed(folder: Path, *, display: dict[str, Any] | None = None, url: str | None = None) -> str:
    """A demo database mid-morning: tickets waiting, most counters serving, a few closed.

    In a new SQLite file in `folder`, or in the database at `url` (its schema already made).
    """
    if url is None:
        url = f"sqlite:///{folder / 'antre.sqlite3'}"
        sessions = open_database(url, create=True)
    else:
        sessions = open_database(url)
    cfg = relaxed_venue(DEMO, display)
    with unit_of_work(sessions) as s:
        apply_config(s, cfg, base=DEMO.parent)
    services = [s.code for s in cfg.services]
    with unit_of_work(sessions) as s:
        for i in range(160):
            try:
                issue_ticket(s, services[(i * 7) % len(services)])
            except AntreError:
                pass  # a quota reached: fine for a picture
    with unit_of_work(sessions) as s:
        counters = [c.code for c in counter_views(s)]
    busy = [code for i, code in enumerate(counters) if i % 7 != 3]  # every 7th stays idle
    for round_ in range(3):  # a morning's worth: counters call and finish in turn
        for i, code in enumerate(busy):
            if round_ <= i % 3:
                _try(sessions, lambda s, c=code: (call_next(s, c), finish(s, c)))
    for code in busy:
        _try(sessions, lambda s, c=code: call_next(s, c))
    for code in counters[-4:-1]:
        _try(sessions, lambda s, c=code: finish(s, c))
        _try(sessions, lambda s, c=code: close_counter(s, c))
    _try(sessions, lambda s: recall(s, counters[2]))
    sessions.kw["bind"].dispose()
    return url


def _try(sessions: Any, action: Callable[[Any], object]) -> None:
    with unit_of_work(sessions) as s:
        try:
            action(s)
        except AntreError:
            pass  # an empty queue or a used-up quota: fine for a picture


def poster(path: Path, title: str, line: str, color: str) -> Path:
    """A simple information poster for the media area."""
    image = QImage(1600, 900, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint.text(p, QRectF(80, 180, 1440, 260), title, "#FFFFFF")
    paint.text(p, QRectF(80, 500, 1440, 140), line, "#FFFFFF", bold=False)
    p.end()
    image.save(str(path))
    return path


class Rig:
    """A window and its controller over a database, as `antre display --windowed --mute` builds them."""

    def __init__(self, url: str, size: tuple[int, int], filt: Filter | None = None) -> None:
        self.worker = DbWorker(url)
        self.window = DisplayWindow()
        self.window.resize(*size)
        self.controller = DisplayController(self.worker, self.window, filt=filt)
        self.window.show()
        self.loads = 0
        self.controller.loaded.connect(self._loaded)
        self.controller.start()
        wait_until(lambda: self.loads > 0)

    def _loaded(self) -> None:
        self.loads += 1

    def grab(self, path: Path) -> Path:
        QCoreApplication.processEvents()
        self.window.grab().save(str(path))
        return path

    def close(self) -> None:
        self.controller.stop()
        self.window.close()
        self.worker.stop()


def render_all(outdir: Path) -> list[Path]:
    """Render every screen into outdir/display/; returns the files."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    target = outdir / "display"
    target.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antre-screens-") as tmp:
        folder = Path(tmp)
        url = seed(folder)
        for name, size in SIZES.items():
            rig = Rig(url, size)
            out.append(rig.grab(target / f"{name}.png"))
            for kind, page in rig.window.pages()[1:]:  # the other pages of the paged area, in turn
                rig.window.turn_page()
                out.append(rig.grab(target / f"{name}-{kind}-{page + 1}.png"))
            rig.window.turn_page()
            if name == "1920x1080":
                rig.window.highlight(rig.window.now_calling.call)  # type: ignore[arg-type]
                out.append(rig.grab(target / "1920x1080-new-call.png"))
                rig.window.clear_highlight()
                rig.controller.stop()  # or its next heartbeat would clear the offline mark before the grab
                for signal in ("changed", "online", "heard"):  # and a read still in flight would too
                    getattr(rig.controller.watcher, signal).disconnect()
                rig.window.set_online(False)
                out.append(rig.grab(target / "1920x1080-offline.png"))
                rig.window.set_online(True)
                rig.window.set_warning("speech", t("no_speech"))
                out.append(rig.grab(target / "1920x1080-speech-warning.png"))
            rig.close()
        rig = Rig(url, (1920, 1080), Filter.of(["Lantai 2"]))
        out.append(rig.grab(target / "1920x1080-zone-lantai-2.png"))
        rig.close()
        media = folder / "media"
        media.mkdir()
        poster(media / "01.png", "Layanan bebas pungli", "Bayar hanya sesuai tarif resmi", "#1B5E20")
        second = folder / "media-db"
        second.mkdir()
        media_url = seed(second, display={"media_folder": str(media)})
        for name, size in (("1920x1080-media", (1920, 1080)), ("portrait-1080x1920-media", (1080, 1920))):
            rig = Rig(media_url, size)
            wait_until(lambda r=rig: r.window.media.current is not None)  # type: ignore[misc]
            rig.window._show_page(("media", 0))
            out.append(rig.grab(target / f"{name}.png"))
            rig.close()
        out += _burst(folder / "burst-db", target)
    return out


def _burst(folder: Path, target: Path) -> list[Path]:
    """Ten counters calling at once (the doors open): the calls take the paged area for their 10 s."""
    folder.mkdir()
    url = seed(folder)
    shots = {"1920x1080-burst": (1920, 1080), "3840x2160-burst": (3840, 2160)}
    rigs = {name: Rig(url, size) for name, size in shots.items()}
    sessions = open_database(url)
    with unit_of_work(sessions) as s:
        counters = [(c.code, c.services[0]) for c in counter_views(s) if c.is_open and c.services][:10]
    for code, service in counters:
        _try(sessions, lambda s, c=code: finish(s, c))
        _try(sessions, lambda s, v=service: issue_ticket(s, v))
        _try(sessions, lambda s, c=code: call_next(s, c))
    sessions.kw["bind"].dispose()
    out = []
    for name, rig in rigs.items():
        wait_until(lambda r=rig: r.window.onscreen.young() >= len(counters))  # type: ignore[misc]
        out.append(rig.grab(target / f"{name}.png"))
        rig.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Render the screens into the folder given (default docs/screenshots)."""
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    for path in render_all(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
