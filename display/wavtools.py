"""Small PCM helpers over the stdlib `wave` module: read any PCM WAV as 22050 Hz mono 16-bit, join, write.

espeak-ng writes 22050 Hz mono 16-bit; SAPI voices may write other rates or stereo, so every
piece is converted to one format before the chime and the speech are joined. No Qt here:
`antre say` uses it without starting a GUI.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from array import array
from collections.abc import Iterable
from pathlib import Path

RATE = 22050  # espeak-ng's native rate: the speech needs no resampling on Linux


def read_mono16(path: Path, rate: int = RATE) -> array:
    """Samples of a PCM WAV as signed 16-bit mono at `rate` (channels averaged, linear resampling)."""
    with wave.open(str(path), "rb") as w:
        channels, width, source_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
        raw = w.readframes(w.getnframes())
    samples = _to_int16(raw, width)
    if channels > 1:
        samples = array("h", (sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)))
    return resample(samples, source_rate, rate)


def _to_int16(raw: bytes, width: int) -> array:
    if width == 2:
        out = array("h")
        out.frombytes(raw[: len(raw) // 2 * 2])
        if sys.byteorder == "big":
            out.byteswap()
        return out
    if width == 1:  # unsigned 8-bit
        return array("h", ((b - 128) << 8 for b in raw))
    if width == 3:
        return array("h", (int.from_bytes(raw[i + 1:i + 3], "little", signed=True) for i in range(0, len(raw) - 2, 3)))
    if width == 4:
        return array("h", (v >> 16 for v in struct.unpack(f"<{len(raw) // 4}i", raw[: len(raw) // 4 * 4])))
    raise ValueError(f"unsupported WAV sample width {width}")


def resample(samples: array, source_rate: int, rate: int) -> array:
    """Linear-interpolation resampling; good enough for speech, and exact when the rates match."""
    if source_rate == rate or not samples:
        return samples
    n = max(1, round(len(samples) * rate / source_rate))
    step = source_rate / rate
    last = len(samples) - 1
    out = array("h", bytes(2 * n))
    for i in range(n):
        pos = i * step
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
        else:
            frac = pos - j
            out[i] = int(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out


def silence(seconds: float, rate: int = RATE) -> array:
    """That many seconds of silence."""
    return array("h", bytes(2 * round(seconds * rate)))


def scale(samples: array, factor: float) -> array:
    """Samples times a volume factor, clipped to 16 bits."""
    if factor >= 0.999:
        return samples
    return array("h", (int(s * factor) for s in samples))


def join(pieces: Iterable[array]) -> array:
    """One run of samples from many."""
    out = array("h")
    for piece in pieces:
        out.extend(piece)
    return out


def write_mono16(path: Path, samples: array, rate: int = RATE) -> None:
    """Write samples as a 16-bit mono PCM WAV (written next to the target, then renamed into place)."""
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    tmp = path.with_name(path.name + ".part")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    tmp.replace(path)


def duration(path: Path) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def rms(samples: array) -> float:
    """Root-mean-square amplitude as a fraction of full scale (0 for silence)."""
    if not samples:
        return 0.0
    return math.sqrt(math.fsum(s * s for s in samples) / len(samples)) / 32768.0
