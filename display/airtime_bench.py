"""`python -m display.airtime_bench`: announcement backlog and call -> voice-start latency for a busy hour.

Calls arrive at random (Poisson) at the given rate, some of them recalls of a ticket called a
little earlier; the display's own announcement rules (display.airtime) decide order, merging and
form, on a simulated clock. How long each form takes is measured from the real speech engine
(pyttsx3 + espeak-ng, or a voice pack) on sample codes, or given. The same hour is also run with
every call said in full and none merged (what the display did before), for comparison.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from db.announce import Form, SpeechSettings, announcement
from display.airtime import Backlog, seconds_of

RENDER_SECONDS = 0.4  # making the first WAV when the voice was idle (later ones are made while one plays)
SAMPLES = (("A-007", "Loket 3"), ("PBB-112", "Loket 12"), ("KES-045", "Loket 26"), ("B-120", "Loket 7"))


@dataclass(frozen=True, slots=True)
class HourResult:
    calls: int
    announced: int
    merged: int
    max_backlog: int
    p50_latency: float
    p95_latency: float
    max_latency: float
    airtime: float  # share of the hour the loudspeaker spoke
    forms: dict[str, int]


def simulate(settings: SpeechSettings, durations: dict[str, float], *, calls_per_minute: float, minutes: float,
             recall_share: float = 0.1, seed: int = 1, adaptive: bool = True) -> HourResult:
    """Run the announcement rules on a simulated clock; `adaptive=False` says every call in full, unmerged."""
    rng = random.Random(seed)
    arrivals: list[tuple[float, str]] = []
    t, n, recent = 0.0, 0, []
    while True:
        t += rng.expovariate(calls_per_minute / 60.0)
        if t > minutes * 60:
            break
        if recent and rng.random() < recall_share:
            code = rng.choice(recent[-5:])
        else:
            n += 1
            code = f"A-{n:03d}"
            recent.append(code)
        arrivals.append((t, code))
    backlog = Backlog(settings)
    plain: list[tuple[float, str]] = []  # the non-adaptive queue: every call, in order, in full
    busy_until = 0.0
    latencies: list[float] = []
    forms: Counter[str] = Counter()
    spoken = 0.0
    most = 0
    i = 0
    now = 0.0
    while i < len(arrivals) or len(backlog) or plain:
        waiting = len(backlog) if adaptive else len(plain)
        if waiting and busy_until <= (arrivals[i][0] if i < len(arrivals) else float("inf")):
            now = max(now, busy_until)
            if adaptive:
                taken = backlog.take()
                assert taken is not None
                item, form = taken
                queued = item.queued_at
            else:
                queued, _code = plain.pop(0)
                form = "full"
            start = now + (RENDER_SECONDS if busy_until < queued else 0.0)
            length = seconds_of(form, settings, durations)
            latencies.append(start - queued)
            forms[form] += 1
            spoken += length
            busy_until = start + length
            now = start
            continue
        at, code = arrivals[i]
        i += 1
        now = at
        ann = announcement(code, "Loket 3", settings=settings)
        if adaptive:
            backlog.add(ann, None, at)
            most = max(most, len(backlog))
        else:
            plain.append((at, code))
            most = max(most, len(plain))
    ordered = sorted(latencies)
    return HourResult(
        calls=len(arrivals), announced=len(latencies), merged=backlog.merged if adaptive else 0, max_backlog=most,
        p50_latency=statistics.median(ordered) if ordered else 0.0,
        p95_latency=ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0,
        max_latency=ordered[-1] if ordered else 0.0, airtime=spoken / max(busy_until, minutes * 60),
        forms=dict(forms))


def measure(settings: SpeechSettings) -> dict[str, float]:
    """Seconds of each piece, from the configured engine on sample codes (averaged)."""
    from display.chime import chime_samples
    from display.render import BETWEEN, make_renderer
    from display.wavtools import RATE

    with tempfile.TemporaryDirectory(prefix="antre-airtime-") as work:
        renderer = make_renderer(settings, Path(work))
        try:
            lengths: dict[str, list[float]] = {"id": [], "en": [], "brief": []}
            for code, counter in SAMPLES:
                ann = announcement(code, counter, settings=dataclasses.replace(settings, english=True))
                for key, text, language in (("id", ann.text, "id"), ("en", ann.text_en, "en"),
                                            ("brief", ann.text_short, "id")):
                    samples, _ = renderer.speak(language, text)
                    lengths[key].append(len(samples) / RATE)
        finally:
            renderer.close()
    out = {key: statistics.mean(values) for key, values in lengths.items()}
    out["chime"] = len(chime_samples()) / RATE
    out["gap"] = BETWEEN
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m display.airtime_bench", description=__doc__)
    parser.add_argument("--calls-per-minute", type=float, default=6.0, help="calls and recalls a minute (6)")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--recalls", type=float, default=0.15, help="share of calls that are recalls (0.15)")
    parser.add_argument("--english", action="store_true", help="announce in English too")
    parser.add_argument("--repeat", type=int, default=1, help="times each announcement is said in full")
    parser.add_argument("--pack", metavar="DIR", help="measure a voice pack instead of text-to-speech")
    parser.add_argument("--durations", metavar="ID,EN,BRIEF", help="seconds of speech, instead of measuring")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    settings = SpeechSettings(english=args.english, repeat=args.repeat,
                              **({"engine": "pack", "pack": args.pack} if args.pack else {}))
    if args.durations:
        from display.chime import chime_samples
        from display.render import BETWEEN
        from display.wavtools import RATE

        spoken_id, spoken_en, brief = (float(v) for v in args.durations.split(","))
        durations = {"id": spoken_id, "en": spoken_en, "brief": brief, "chime": len(chime_samples()) / RATE,
                     "gap": BETWEEN}
    else:
        durations = measure(settings)
    forms: list[Form] = ["full", "once", "brief"]
    print("seconds per announcement: " + ", ".join(f"{f} {seconds_of(f, settings, durations):.1f}" for f in forms)
          + f" (engine: {settings.engine}; chime {durations['chime']:.1f} s)")
    print(f"{args.calls_per_minute:g} calls a minute for {args.minutes:g} min, {args.recalls:.0%} recalls, "
          f"repeat {args.repeat}, English {'on' if args.english else 'off'}:")
    for label, adaptive in (("adaptive (the display)", True), ("every call in full", False)):
        r = simulate(settings, durations, calls_per_minute=args.calls_per_minute, minutes=args.minutes,
                     recall_share=args.recalls, seed=args.seed, adaptive=adaptive)
        print(f"  {label:24s} calls {r.calls}, announced {r.announced}, merged {r.merged}, "
              f"backlog max {r.max_backlog}; call -> voice start p50 {r.p50_latency:.1f} s, "
              f"p95 {r.p95_latency:.1f} s, max {r.max_latency:.1f} s; airtime {r.airtime:.0%}; forms {r.forms}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
