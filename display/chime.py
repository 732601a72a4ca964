"""The attention chime played before every announcement, made here rather than downloaded.

Three rising bell tones (C5, E5, G5), 22050 Hz mono 16-bit like espeak-ng's speech, so the two
join without conversion. The output is deterministic: assets/chime.wav is exactly what
`python -m display.chime assets/chime.wav` writes, and a test checks they still agree.
"""

from __future__ import annotations

import math
import sys
from array import array
from pathlib import Path

from display.wavtools import RATE, read_mono16, write_mono16

ASSET = Path(__file__).resolve().parent.parent / "assets" / "chime.wav"
NOTES = ((0.00, 523.25), (0.32, 659.25), (0.64, 783.99))  # start second, frequency (C5, E5, G5)
LENGTH = 1.9  # seconds: the last note rings out before the voice starts
PEAK = 0.55  # of full scale: loud enough to turn heads, below the speech so the voice carries
# A bell's partials: the fundamental, the octave, and an inharmonic one that makes it ring.
PARTIALS = ((1.0, 1.0, 2.6), (2.0, 0.35, 4.0), (2.76, 0.12, 6.0))  # ratio, amplitude, decay per second


def chime_samples(rate: int = RATE) -> array:
    """The chime as 16-bit samples."""
    n = round(LENGTH * rate)
    mix = [0.0] * n
    for start, freq in NOTES:
        first = round(start * rate)
        for i in range(n - first):
            t = i / rate
            attack = min(1.0, t / 0.006)  # 6 ms onset: no click
            value = 0.0
            for ratio, amp, decay in PARTIALS:
                value += amp * math.exp(-decay * t) * math.sin(2 * math.pi * freq * ratio * t)
            mix[first + i] += attack * value
    fade = round(0.05 * rate)  # end at exactly zero: no click when speech follows
    for k in range(fade):
        mix[n - fade + k] *= 1 - (k + 1) / fade
    top = max(abs(v) for v in mix) or 1.0
    return array("h", (round(v / top * PEAK * 32767) for v in mix))


def write_chime(path: Path) -> Path:
    """Write the chime WAV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_mono16(path, chime_samples())
    return path


def load_chime() -> array:
    """The chime from assets/, or freshly made when the asset is missing or unreadable."""
    try:
        return read_mono16(ASSET)
    except (OSError, EOFError, ValueError):
        return chime_samples()


def main(argv: list[str] | None = None) -> int:
    """`python -m display.chime [FILE]`: (re)generate the chime asset."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else ASSET
    print(write_chime(target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
