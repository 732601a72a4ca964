"""The headless demo runs the real apps as processes and leaves evidence that matches the database."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import wave
from array import array
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image


def _rms(path: Path) -> float:
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2
        samples = array("h", w.readframes(w.getnframes()))
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768 if samples else 0.0


@pytest.mark.slow
def test_headless_demo_leaves_tickets_speech_screens_and_a_summary(tmp_path):
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "antre", "demo", "--headless", "--minutes", "0.6", "--out", str(out),
         "--counters", "4", "--consoles", "1", "--speed", "20", "--crowd", "6", "--snapshot-every", "5", "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary == json.loads((out / "summary.json").read_text())

    tickets = sorted((out / "tickets").glob("*.png"))
    assert summary["tickets_issued"] >= 6
    assert len(tickets) == summary["tickets_issued"] == len(list((out / "tickets").glob("*.bin")))

    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    kinds = Counter(e["kind"] for e in events)
    assert kinds["issued"] == summary["tickets_issued"] and kinds["called"] == summary["calls"] > 0
    called_codes = sorted(e["detail"]["code"] for e in events if e["kind"] in ("called", "recalled"))
    wavs = sorted((out / "announcements").glob("*.wav"))
    assert sorted(w.stem.split("-", 2)[2] for w in wavs) == called_codes, "every call and recall has its WAV"
    for wav in wavs:
        assert _rms(wav) > 0.01, f"{wav.name} is silent"

    screens = sorted((out / "screens").glob("*.png"))
    assert {s.name.rsplit("-", 1)[0] for s in screens} >= {"kiosk", "display", "counter-L01"}
    for shot in screens:
        colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 8, f"{shot.name} is blank"
