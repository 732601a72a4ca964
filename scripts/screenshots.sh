#!/usr/bin/env bash
# Regenerates every screenshot in docs/screenshots (real widgets, offscreen, seeded databases).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
for app in kiosk display counter; do
  echo "screenshots: $app"
  .venv/bin/python -m "$app.screens" docs/screenshots
done
echo "screenshots: web (headless chromium)"
.venv/bin/python scripts/web_screenshots.py --out docs/screenshots/web
