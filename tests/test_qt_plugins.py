"""The Qt plugins the apps load find every system library they link to. On a bare Debian a missing
one fails far from its cause ("No QtMultimedia backends found", then a silent display), so this
names the library and the Debian package instead."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PySide6 = pytest.importorskip("PySide6")
PLUGINS = Path(PySide6.__file__).parent / "Qt" / "plugins"

# The plugins the apps use: screens (xcb on a PC, offscreen in tests and headless demos), the
# display's sound (FFmpeg backend), the media slideshow's image formats, GL on xcb.
USED = ["platforms/libqxcb.so", "platforms/libqoffscreen.so", "multimedia/libffmpegmediaplugin.so",
        "imageformats/libqjpeg.so", "imageformats/libqgif.so", "imageformats/libqsvg.so",
        "imageformats/libqwebp.so", "xcbglintegrations/libqxcb-glx-integration.so",
        "xcbglintegrations/libqxcb-egl-integration.so"]

# Debian package of the libraries most often missing on a bare system (all in scripts/setup.sh).
PACKAGES = {
    "libXrandr.so.2": "libxrandr2", "libpulse.so.0": "libpulse0", "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1", "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-image.so.0": "libxcb-image0",
    "libX11-xcb.so.1": "libx11-xcb1", "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-glx.so.0": "libxcb-glx0", "libxcb-util.so.1": "libxcb-util1",
    "libXext.so.6": "libxext6", "libXrender.so.1": "libxrender1",
}


def missing_libraries(plugin: Path, env: dict[str, str] | None = None) -> list[str]:
    """The sonames `ldd` cannot resolve for one plugin (with everything it links, transitively)."""
    out = subprocess.run(["ldd", str(plugin)], check=False, capture_output=True, text=True, timeout=60, env=env).stdout
    return sorted({line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line})


def report(missing: dict[str, list[str]]) -> str:
    lines = []
    for plugin, libs in missing.items():
        named = ", ".join(f"{lib} (Debian: {PACKAGES.get(lib, '?')})" for lib in libs)
        lines.append(f"{plugin} cannot load: missing {named}")
    packages = sorted({PACKAGES.get(lib, lib) for libs in missing.values() for lib in libs})
    return "\n".join(lines) + f"\ninstall them: sudo apt-get install {' '.join(packages)} (or bash scripts/setup.sh)"


@pytest.mark.skipif(shutil.which("ldd") is None or not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_the_plugins_we_use_find_their_system_libraries() -> None:
    present = [name for name in USED if (PLUGINS / name).exists()]
    assert "multimedia/libffmpegmediaplugin.so" in present and "platforms/libqoffscreen.so" in present, present
    missing = {name: libs for name in present if (libs := missing_libraries(PLUGINS / name))}
    assert not missing, report(missing)


def test_every_library_named_here_is_installed_by_the_setup() -> None:
    setup = (Path(__file__).resolve().parent.parent / "scripts" / "setup.sh").read_text(encoding="utf-8")
    listed = set(setup.split("APT_PACKAGES=(", 1)[1].split("\n)", 1)[0].replace("\n", " ").split())
    assert set(PACKAGES.values()) <= listed, sorted(set(PACKAGES.values()) - listed)


def test_report_names_library_and_package() -> None:
    text = report({"multimedia/libffmpegmediaplugin.so": ["libXrandr.so.2"]})
    assert "libffmpegmediaplugin.so cannot load: missing libXrandr.so.2 (Debian: libxrandr2)" in text
    assert "sudo apt-get install libxrandr2" in text


@pytest.mark.skipif(shutil.which("ldd") is None or not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_a_missing_library_is_found_and_named(tmp_path: Path) -> None:
    """The check can fail: a copy of the FFmpeg plugin that needs a library no system has."""
    import os

    copy = tmp_path / "libffmpegmediaplugin.so"
    data = (PLUGINS / "multimedia" / "libffmpegmediaplugin.so").read_bytes()
    assert data.count(b"libXrandr.so.2\0") == 1
    copy.write_bytes(data.replace(b"libXrandr.so.2\0", b"libXrandQ.so.2\0"))
    env = {**os.environ, "LD_LIBRARY_PATH": str(PLUGINS.parent / "lib")}  # the copy lost its $ORIGIN
    assert missing_libraries(copy, env) == ["libXrandQ.so.2"]


PROBE = """
from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QMediaPlayer
app = QCoreApplication([])
QMediaPlayer()
print("ok")
"""


@pytest.mark.skipif(shutil.which("ldd") is None or not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_qt_multimedia_finds_its_backend() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], check=False, capture_output=True, text=True, timeout=60)
    if "No QtMultimedia backends found" in done.stderr or done.returncode != 0:
        missing = missing_libraries(PLUGINS / "multimedia" / "libffmpegmediaplugin.so")
        pytest.fail("QtMultimedia has no backend: the display would be silent.\n" + (
            report({"multimedia/libffmpegmediaplugin.so": missing}) if missing else done.stderr[-1000:]))
