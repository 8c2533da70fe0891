"""A realistic command mix at national scale, and members' latency while leads look or post.

    .venv/bin/python bench/mix.py [--commands 2400] [--rate 40] [--runs 3] [--json out.json]

What it measures, on a copy of the full-scale database (`scale.py`: 100,000 volunteers,
1,000,000 contact-log entries), through the real dispatcher, storage and console transport:

- **The mix.** Commands arrive as people send them — independently, at `--rate` a second on
  average (Poisson arrivals, seeded), each handled in its own task, so a slow one does not hold
  back the next arrival the way a closed loop would. 95 % are members' commands (the
  `commands.py` mix: profile, asks, claim, update, done, contact note, followups, mine), 3 %
  leads' views (`network`, `coverage` by region, library and skill, `digest`, `checkins`, a lead's
  `contacts` search, in turn) and 2 % `help`. Meanwhile the clock moves (10 minutes every real
  second) and the scheduler sweeps and delivers at every step, as in production. Latency is
  from arrival to the replies being handed to the transport, for the commands arriving after
  the first 5 s (sent, not counted: the copy's first writes). Reported: p50 and p99 of all
  commands, p99 of members' commands, and each lead view's median (what dominates the p99).
- **Reads beside writes.** Members send the same mix at the same rate while, back to back, a
  lead runs `network` (the slowest view) — and, separately, a lead posts an ask matching 2,000
  volunteers every second. Reported: the p99 of members' commands that only read, and of those
  that write.

The baseline, in the same run on another copy: the same arrivals with every command on the
writer connection (`Dispatcher._look` switched off), as before issue 15. Each figure is the
median of `--runs` runs, with the range.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import scale
from commands import _model, make_config, plan
from figures import Figure, arguments, percentile, report

from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock
from bot.core.messages import Incoming, Sender

LEAD = "v7"
LEAD_VIEWS = [
    "!network", "!coverage", "!coverage by:library", "!coverage by:skill", "!digest", "!checkins",
    "!contacts library",
]  # fmt: skip
READS = {"asks", "followups", "mine", "help"}  # kinds in the mix that only read (`profile` may write)
STEP = 600  # seconds of bot time per real second
WARMUP = 5.0  # seconds of arrivals sent but not counted, after the bot opens its copy of the database


def arrivals(commands: int, rate: float, seed: int, *, leads: bool) -> list[tuple[float, str, str, str]]:
    """(offset in seconds, kind, sender, text), the members' mix with lead views and help mixed in."""
    rng = random.Random(seed)
    members = iter(plan(_model(scale.build(scale.Sizes.full(), 9)), commands, seed))
    views = itertools.cycle(LEAD_VIEWS)
    out: list[tuple[float, str, str, str]] = []
    at = 0.0
    for _ in range(commands):
        at += rng.expovariate(rate)
        draw = rng.random()
        if leads and draw < 0.03:
            view = next(views)
            out.append((at, "lead " + view.split(" ", 1)[0][1:], LEAD, view))
        elif leads and draw < 0.05:
            out.append((at, "help", f"v{rng.choice(scale.MEMBERS)}", "!help"))
        else:
            kind, member, text = next(members)
            out.append((at, kind, member, text))
    return out


class Bench:
    """One bot on its own copy of the database, fed commands by arrival time."""

    def __init__(self, app: App, *, readers: bool) -> None:
        self.app = app
        self.console = Console(app, lambda line: None)
        app.attach(self.console)
        if not readers:
            app.dispatcher._look = _nowhere  # type: ignore[method-assign]
        self.ids = itertools.count()

    def incoming(self, sender: str, text: str) -> Incoming:
        private = not text.startswith("!ask ")  # asks are posted in the channel, the rest privately
        return Incoming(scale.PLATFORM, f"mix-{next(self.ids)}", Sender(scale.PLATFORM, sender, sender, None),
                        f"dm:{sender}" if private else "general", private, text, self.app.clock.now())  # fmt: skip

    async def timed(self, sender: str, text: str) -> float:
        started = time.perf_counter()
        await self.app.dispatcher.answer(self.incoming(sender, text), self.console)
        return time.perf_counter() - started

    async def feed(self, commands: list[tuple[float, str, str, str]]) -> list[tuple[str, float]]:
        """Send each command at its arrival time; (kind, latency) for each that arrived after the
        warm-up (`WARMUP`: the first seconds after opening a copy of the database are its first
        writes and checkpoint, a moment a running bot has long left behind; start-up and the first
        reply are measured in `startup.py` and `backlog.py`)."""
        start = time.perf_counter()
        results: list[tuple[str, float]] = []

        async def one(kind: str, sender: str, text: str, counted: bool) -> None:
            latency = await self.timed(sender, text)
            if counted:
                results.append((kind, latency))

        tasks = []
        for at, kind, sender, text in commands:
            delay = start + at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(kind, sender, text, at >= WARMUP)))
        await asyncio.gather(*tasks)
        await self.app.dispatcher.settle()
        return results

    async def alongside(self, work: Callable[[], Awaitable[object]], pause: float) -> asyncio.Task[None]:
        async def loop() -> None:
            while True:
                await work()
                await asyncio.sleep(pause)

        return asyncio.create_task(loop())

    async def clock_and_sweeps(self) -> None:
        clock = self.app.clock
        assert isinstance(clock, ManualClock)
        clock.set(clock.now() + timedelta(seconds=STEP))
        await self.app.scheduler.tick()


async def _nowhere(*args: object) -> None:
    return None


async def run_once(base: Path, commands: list[tuple[float, str, str, str]], *, readers: bool,
                   background: str) -> list[tuple[str, float]]:  # fmt: skip
    work = scale.copy_of(base, scale.OUT / f"mix-{'readers' if readers else 'writer'}.sqlite3")
    app = await App.open(make_config("full"), ManualClock(scale.NOW), str(work))
    bench = Bench(app, readers=readers)
    posts = itertools.count()
    jobs = []
    try:
        if background == "sweeps":
            jobs.append(await bench.alongside(bench.clock_and_sweeps, 1.0))
        elif background == "network":
            jobs.append(await bench.alongside(lambda: bench.timed(LEAD, "!network"), 0.0))
        elif background == "posts":
            text = f'!ask title:"Draft grant application {{}}" skill:{scale.MATCH_SKILL} need:3'
            jobs.append(await bench.alongside(lambda: bench.timed(LEAD, text.format(next(posts))), 1.0))
        return await bench.feed(commands)
    finally:
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        await app.close()
        scale.discard(work)


def ms(values: list[float], q: float) -> float:
    return percentile(values, q) * 1e3 if values else float("nan")


def spread(values: list[float]) -> str:
    return f"runs {', '.join(f'{v:.1f}' for v in sorted(values))}"


async def main(argv: list[str]) -> int:
    args = arguments(__doc__, argv, commands=2400, rate=40.0)
    base = scale.build(scale.Sizes.full(), 9)
    mix = arrivals(args.commands, args.rate, args.seed, leads=True)
    members = arrivals(args.commands // 2, args.rate, args.seed + 1, leads=False)
    table: dict[str, list[float]] = {}

    def note(name: str, value: float) -> None:
        table.setdefault(name, []).append(value)

    for run in range(args.runs):
        for readers in (True, False):
            side = "readers" if readers else "writer"
            got = await run_once(base, mix, readers=readers, background="sweeps")
            every = [t for _, t in got]
            member = [t for kind, t in got if not kind.startswith("lead") and kind != "help"]
            note(f"mix p50 {side}", ms(every, 50))
            note(f"mix p99 {side}", ms(every, 99))
            note(f"mix members p99 {side}", ms(member, 99))
            for view in sorted({kind for kind, _ in got if kind.startswith("lead")}):
                note(f"{view} median {side}", statistics.median(t for k, t in got if k == view) * 1e3)
            for background in ("network", "posts"):
                got = await run_once(base, members, readers=readers, background=background)
                note(f"{background} reads p99 {side}", ms([t for k, t in got if k in READS], 99))
                note(f"{background} writes p99 {side}", ms([t for k, t in got if k not in READS], 99))
            print(f"run {run + 1} {side}: " + "; ".join(f"{k} {v[-1]:.1f}" for k, v in table.items()
                                                         if k.endswith(side)), flush=True)  # fmt: skip

    def figure(name: str, key: str, target: float | None, note_: str = "") -> Figure:
        mine, before = table[f"{key} readers"], table[f"{key} writer"]
        value = statistics.median(mine)
        return Figure(name, value, "ms", f"≤ {target:g} ms" if target else "",
                      value <= target if target else None, statistics.median(before),
                      "every command on the writer", f"{spread(mine)}; baseline {spread(before)}"
                      + (f"; {note_}" if note_ else ""))  # fmt: skip

    views = sorted({k.rsplit(" median", 1)[0] for k in table if k.startswith("lead ")})
    dominant = ", ".join(f"{v[5:]} {statistics.median(table[f'{v} median readers']):.0f}" for v in views)
    load = f"{args.rate:g} cmd/s, 3 % lead views, 2 % help, clock moving, sweeps alongside"
    figures = [
        figure("mix p50", "mix p50", None, load),
        figure("mix p99", "mix p99", 10.0, f"lead views' medians (ms): {dominant}"),
        figure("mix p99, members' commands", "mix members p99", 10.0),
        figure("members' reads p99 while a lead runs network back to back", "network reads p99", 10.0),
        figure("members' writes p99 while a lead runs network back to back", "network writes p99", None),
        figure("members' reads p99 while asks matching 2,000 are posted", "posts reads p99", 10.0),
        figure("members' writes p99 while asks matching 2,000 are posted", "posts writes p99", None),
    ]
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
