"""Posting an ask that matches 2,000 of 100,000 volunteers, with every outbox row written.

    .venv/bin/python bench/matching.py [--asks 6] [--json out.json]

What it measures. On a copy of the full-scale database (`scale.py`), a lead posts an ask needing
`scale.MATCH_SKILL`, which exactly 2,000 volunteers offer (none paused, none at their load), as a
console message: `!ask title:"…" skill:grant-writing need:3`. Timed is the dispatcher's handling
of that message — parsing, the one transaction that stores the ask, finds the matching
volunteers, records who is told and writes one outbox row per volunteer at their own waking
hour, the commit, and the reply — exactly what the console adapter awaits before it prints the
reply. (Handing the 2,000 messages to a platform is `delivery.py`'s figure.) Several asks are
posted, a moment apart as in life (so the background checkpoint that follows each is not timed
as part of the next); the first warms the caches and is not counted, the figure is the median.

Baseline: the statements the bot sent to SQLite for each post, recorded and replayed on raw
`sqlite3` on a second copy of the database (see `commands.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

import scale
from commands import Recorder, make_config, replay
from figures import Figure, report

from bot.app import App
from bot.clock import ManualClock
from bot.core.messages import Incoming, Sender
from bot.core.text import plain_text

POSTER = "v7"  # a lead
PAUSE = 1.5  # seconds between posts (untimed), so the background checkpoint of one is not timed in the next


async def measure(path: Path, asks: int) -> tuple[list[float], list[int], Recorder]:
    app = await App.open(make_config("full"), ManualClock(scale.NOW), str(path))
    recorder = Recorder()
    uninstall = recorder.install()
    times, told = [], []
    try:
        for n in range(asks):
            text = f'!ask title:"Draft grant application {n}" skill:{scale.MATCH_SKILL} need:3'
            incoming = Incoming(
                platform=scale.PLATFORM,
                event_id=uuid.uuid4().hex,
                sender=Sender(scale.PLATFORM, POSTER, POSTER, None),
                channel_id="general",
                private=False,
                text=text,
                at=app.clock.now(),
            )
            await asyncio.sleep(PAUSE)  # asks come minutes apart, not back to back: let the last one settle
            recorder.start()
            started = time.perf_counter()
            replies = await app.dispatcher.handle(incoming)
            times.append(time.perf_counter() - started)
            recorder._current = None
            reply = " ".join(plain_text(out.text) for out in replies)
            told.append(int(reply.split("I'm telling ")[1].split()[0]) if "I'm telling " in reply else -1)
    finally:
        uninstall()
        await app.close()
    return times, told, recorder


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--asks", type=int, default=6, help="asks posted (the first is a warm-up)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    base = scale.build(scale.Sizes.full(), args.seed)
    work = scale.copy_of(base, scale.OUT / "matching.sqlite3")
    raw_copy = scale.copy_of(base, scale.OUT / "matching-raw.sqlite3")
    try:
        times, told, recorder = await measure(work, args.asks)
        raw = replay(raw_copy, recorder, 1, "full")
    finally:
        scale.discard(work, raw_copy)
    print(f"posts: {', '.join(f'{t * 1e3:.1f}' for t in times)} ms; volunteers told: {told}; "
          f"raw replay: {', '.join(f'{t * 1e3:.1f}' for t in raw.latencies)} ms", flush=True)  # fmt: skip
    median, raw_median = statistics.median(times[1:]), statistics.median(raw.latencies)
    figures = [
        Figure(f"post an ask matching {told[-1]:,} of 100,000, outbox rows written", median * 1e3, "ms",
               "< 100 ms", median < 0.1, raw_median * 1e3, "raw sqlite3, same SQL"),
    ]  # fmt: skip
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
