#!/usr/bin/env bash
# Sets everything up, then runs the demo (extra arguments go to `antre demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/antre demo "$@"
