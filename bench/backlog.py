"""After a week of downtime, 10,000 messages due: the present first, the backlog behind it.

    .venv/bin/python bench/backlog.py [--due 10000] [--seconds 30] [--runs 3] [--json out.json]

What it measures. A copy of the full-scale database (`scale.py`) gets `--due` messages that fell
due while the bot was down for a week (new-ask notices to as many people, due over the week),
and the bot's clock is a week on from the data's, so every sweep job also has a week to catch up
on (stale claims, check-ins, digests). The bot is then started in-process as in production
(`App.open`, the APScheduler timer sweeping every 5 s, the deliverer in its own task) with a
stand-in platform that takes 25 ms a message (Discord's pace, 40 a second), and:

- the first reply: a member's `mine`, sent the moment the bot is open; timed from before
  `App.open` (opening and checking the 265 MB database, the first sweep starting) to the reply.
  Baseline: the same start with nothing due.
- while the backlog drains, for `--seconds`: members' commands (the `commands.py` mix) four a
  second, timed to their replies (p99), and every 3 s a member's `intro` of two others, timed
  until both introduced people have received it through the stand-in platform (the deliverer's
  prompt lane); the longest time no sweep was running (the timer waits for a sweep still under
  way, never for a delivery: ≤ one tick), how long the catch-up sweep took, and messages
  delivered.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import scale
from commands import _model, plan
from figures import Figure, arguments, percentile, report

from bot.app import App
from bot.clock import to_ts
from bot.config import Config, build, validate
from bot.core.messages import Delivery, Incoming, Mentioned, Sender
from bot.core.notices import encode
from bot.core.text import fmt
from bot.core.timing import next_send_time
from bot.ids import PersonId
from bot.storage import persons

SEND_SECONDS = 0.025  # the stand-in platform's time per message (Discord: 40 a second)
WEEK = 7 * 86400


def make_config() -> Config:
    data = {
        "organisation": {"name": "Library Workers", "timezone": "America/Chicago"},
        "scheduler": {"sweep_seconds": 5},
    }
    return validate(build(Config, data, ""))


def add_backlog(path: Path, due: int, seed: int) -> None:
    """`due` new-ask notices to as many people, fallen due over the week the bot was down."""
    rng = random.Random(seed)
    people = rng.sample(range(scale.LEADS + 1, 100_001), due)
    rows = []
    for n, person in enumerate(people):
        at = scale.NOW_TS + rng.randint(0, WEEK)
        body = encode(fmt("A new ask matches your skills: ask 1. Next: `claim 1`."))
        rows.append((f"backlog:{n}", person, "ask", body, at, "pending", 0, at, at))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO outbox (key, person_id, kind, body, not_before, status, attempts, next_attempt_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


class WeekOn:
    """The data's time plus a week, running with the wall clock from now on."""

    def __init__(self) -> None:
        self._start = time.monotonic()

    def now(self) -> datetime:
        moment = scale.NOW + timedelta(seconds=WEEK + time.monotonic() - self._start)
        return moment.replace(microsecond=0)


class StandIn:
    """A platform that takes `SEND_SECONDS` a message and remembers when each arrived."""

    platform = scale.PLATFORM

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}  # recipient → first time a prompt message reached them
        self.count = 0

    async def deliver(self, delivery: Delivery) -> None:
        await asyncio.sleep(SEND_SECONDS)
        self.count += 1
        if delivery.user_id is not None:
            self.arrived.setdefault(delivery.user_id, time.perf_counter())


class Sweeps:
    """When each of the timer's sweeps started and ended."""

    def __init__(self, app: App) -> None:
        self.runs: list[tuple[float, float]] = []
        for index, (sweep, next_due) in enumerate(app.scheduler.sweeps):
            app.scheduler.sweeps[index] = (self._timed(sweep), next_due)

    def _timed(self, sweep):  # type: ignore[no-untyped-def]
        async def timed(now):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                await sweep(now)
            finally:
                self.runs.append((began, time.perf_counter()))

        return timed

    def idle_gap(self, start: float, end: float) -> float:
        """The longest time within [start, end] when no sweep ran: the timer waiting for a
        delivery would show here; a long catch-up sweep (which the timer rightly waits for) not."""
        gaps, free_since = [], start
        for began, ended in sorted(self.runs):
            if ended < start or began > end:
                continue
            gaps.append(began - free_since)
            free_since = max(free_since, ended)
        return max([*gaps, end - free_since, 0.0])


def message(sender: str, text: str, ids: itertools.count[int], now: object, mentions: tuple[str, ...] = ()) -> Incoming:
    return Incoming(scale.PLATFORM, f"backlog-{next(ids)}", Sender(scale.PLATFORM, sender, sender, None),
                    f"dm:{sender}", True, text, now,  # type: ignore[arg-type]
                    mentions=tuple(Mentioned(f"@{m}", m, m) for m in mentions))  # fmt: skip


async def _asleep(app: App, names: tuple[str, ...], now: datetime) -> bool:
    """Whether the intro's message to either of these people waits for their waking hours: the
    deliverer holds it back on purpose (it checks each person's quiet hours when it sends, with
    `next_send_time`'s rule). Scale's people are named `v<id>`. Read on a reader, so the writer
    and the commands being timed do not wait for the bench's own question."""
    async with app.dispatcher.readers.reading() as tx:
        people = await persons.get_many(tx, [PersonId(int(name[1:])) for name in names])
    return any(next_send_time(person, app.config, now) > to_ts(now) for person in people.values())


async def run_once(base: Path, due: int, seconds: float, seed: int) -> dict[str, float]:
    work = scale.copy_of(base, scale.OUT / "backlog.sqlite3")
    if due:
        add_backlog(work, due, seed)
    commands = iter(plan(_model(base), int(seconds * 4) + 10, seed))
    ids = itertools.count()
    clock = WeekOn()
    started = time.perf_counter()
    app = await App.open(make_config(), clock, str(work))
    stand_in = StandIn()
    app.attach(stand_in)
    sweeps = Sweeps(app)
    app.scheduler.start()
    out: dict[str, float] = {}
    try:
        await app.dispatcher.handle(message("v1001", "!mine", ids, clock.now()))
        out["first reply"] = time.perf_counter() - started
        if not due:
            return out
        latencies: list[float] = []
        waits: list[float] = []
        asleep: list[int] = []
        intros = itertools.count()
        drain_start, sent_before = time.perf_counter(), stand_in.count
        next_intro = drain_start

        async def intro() -> None:
            n = next(intros)
            a, b = f"v{1200 + 2 * n}", f"v{1201 + 2 * n}"
            begin = time.perf_counter()
            await app.dispatcher.handle(message(f"v{1100 + n}", f'!intro @{a} @{b} why:"both on the survey"', ids,
                                                clock.now(), (a, b)))  # fmt: skip
            if await _asleep(app, (a, b), clock.now()):
                asleep.append(n)  # quiet hours or a pause: rightly held back, not a wait to time
                return
            while a not in stand_in.arrived or b not in stand_in.arrived:
                if time.perf_counter() - begin > 60:
                    waits.append(float("inf"))
                    return
                await asyncio.sleep(0.01)
            waits.append(max(stand_in.arrived[a], stand_in.arrived[b]) - begin)

        pending = []
        while time.perf_counter() - drain_start < seconds:
            if time.perf_counter() >= next_intro:
                pending.append(asyncio.create_task(intro()))
                next_intro += 3
            _, member, text = next(commands)
            begin = time.perf_counter()
            await app.dispatcher.handle(message(member, text, ids, clock.now()))
            latencies.append(time.perf_counter() - begin)
            await asyncio.sleep(0.25)
        await asyncio.gather(*pending)
        span = time.perf_counter() - drain_start
        out["command p99"] = percentile(latencies, 99)
        out["prompt median"] = statistics.median(waits)
        out["prompt max"] = max(waits)
        out["intros held for waking hours"] = len(asleep)
        out["sweep idle gap"] = sweeps.idle_gap(drain_start, drain_start + span)
        out["catch-up sweep"] = sweeps.runs[0][1] - sweeps.runs[0][0] if sweeps.runs else float("inf")
        out["delivered per second"] = (stand_in.count - sent_before) / span
        return out
    finally:
        await app.close()
        scale.discard(work)


async def main(argv: list[str]) -> int:
    args = arguments(__doc__, argv, due=10_000, seconds=30.0)
    base = scale.build(scale.Sizes.full(), 9)
    runs, idle = [], []
    for run in range(args.runs):
        idle.append((await run_once(base, 0, 0, args.seed))["first reply"])
        runs.append(await run_once(base, args.due, args.seconds, args.seed + run))
        print(f"run {run + 1}: nothing due, first reply {idle[-1]:.2f} s; " + "; ".join(
            f"{k} {v:.3g}" for k, v in runs[-1].items()), flush=True)  # fmt: skip

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def spread(key: str, scale_: float = 1.0) -> str:
        return "runs " + ", ".join(f"{r[key] * scale_:.3g}" for r in sorted(runs, key=lambda r: r[key]))

    first = med("first reply")
    figures = [
        Figure(f"first reply after a week down, {args.due:,} messages due", first, "s", "≤ 1 s", first <= 1,
               statistics.median(idle), "nothing due", f"{spread('first reply')}; baseline runs "
               + ", ".join(f"{v:.3g}" for v in sorted(idle))),
        Figure("an intro's messages to the two introduced, while the backlog drains — median", med("prompt median"),
               "s", "≤ 2 s", med("prompt max") <= 2, None, "", f"{spread('prompt median')}; worst of each run: "
               + ", ".join(f"{r['prompt max']:.3g}" for r in runs) + "; intros held for the waking hours of those"
               " introduced (not timed): " + ", ".join(f"{r['intros held for waking hours']:.0f}" for r in runs)),
        Figure("command latency p99 during the catch-up — members' mix, 4 a second", med("command p99") * 1e3,
               "ms", "≤ 10 ms", med("command p99") <= 0.01, None, "", spread("command p99", 1e3)),
        Figure("longest time no sweep ran while the backlog drains (timer every 5 s)", med("sweep idle gap"), "s",
               "≤ 5.5 s", all(r["sweep idle gap"] <= 5.5 for r in runs), None, "", spread("sweep idle gap")),
        Figure("the first sweep after a week down (the catch-up, in shares: commands write between them)",
               med("catch-up sweep"), "s", "", None, None, "", spread("catch-up sweep")),
        Figure("backlog messages delivered a second (stand-in: 25 ms a message)", med("delivered per second"),
               "msg/s", "", None, 1 / SEND_SECONDS, "the platform's pace", spread("delivered per second")),
    ]  # fmt: skip
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
