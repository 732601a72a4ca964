#!/usr/bin/env bash
# Sets up everything Antre needs on a fresh Debian machine with Python 3.11:
# system libraries (when allowed to install them) and a virtual environment in .venv.
# Safe to re-run; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  espeak-ng libespeak-ng1 sox libpulse0 pulseaudio          # speech, sound, QtMultimedia
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3  # Qt offscreen/xcb
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0
  libxrandr2 libx11-xcb1 libxcb-xkb1 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-render0  # QtMultimedia's
  libxcb-glx0 libxcb-util1 libxext6 libxrender1             # FFmpeg plugin and xcb (tests/test_qt_plugins.py)
  fonts-dejavu-core fonts-noto-core                         # readable fonts for kiosk and TV
  libusb-1.0-0                                              # USB ticket printers (pyusb)
  postgresql                                                # the LAN database, for its tests
  chromium chromium-driver                                  # headless browser tests of the web pages
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if [ -z "$SUDO" ] || sudo -n true 2>/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: cannot install system packages without root; please install: ${missing[*]}" >&2
  fi
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.antre-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv (log: .venv/install.log)"
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".[test]"; } \
      > .venv/install.log 2>&1; then
    tail -40 .venv/install.log >&2
    echo "setup: pip failed; see .venv/install.log" >&2
    exit 1
  fi
  touch "$stamp"
fi
