"""What one scheduler sweep costs at national scale, and that it follows what is due, not what is stored.

    .venv/bin/python bench/sweep.py [--sweeps 8] [--runs 3] [--json out.json]

What it measures. On a copy of the full-scale database (`scale.py`: 100,000 volunteers,
1,000,000 contact-log entries) and on a copy of a small one (`Sizes.small()`: 2,500 volunteers,
10,000 contact-log entries), the same 100 items are made due in each of several consecutive 10-minute windows — 40
stale claims, 30 contact follow-ups, 20 check-ins, 5 unanswered intros (two people each) — and
nothing else is (everything else in the data is due later, this week's digests and pairing round
have run). Then `Sweep.run(now)` — every job of the real scheduler, each in its own transaction,
exactly as the bot's timer runs it — is called at the end of each window and timed. The first
sweep warms the caches and is not counted; a run's figure is the median of the rest. Three runs,
each on the full database and then the small one (so both see the machine of the same moment):
the figures are the medians over the runs, and the ratio the median of each run's own ratio, with
every run's value beside it (one run's full-scale sweep took 23–37 ms on this machine, hour to
hour, for the same work).

Figures: the sweep at full scale (target < 50 ms), the same on the small database, and
their ratio (target < 2: a sweep's cost grows with what is due, not with the size of the
database). For the physical limit, the statements each sweep sent to SQLite are recorded and
replayed on raw `sqlite3` (as in `commands.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import scale
from commands import Recorder, make_config, replay
from figures import Figure, report

from bot import catalog
from bot.scheduling.sweep import Sweep
from bot.storage.db import Database

WINDOW = timedelta(minutes=10)
CLAIMS, FOLLOWUPS, CHECKINS, INTROS = 40, 30, 20, 5  # intros remind both sides: 10 messages


def arrange(path: Path, sweeps: int) -> None:
    """Make exactly the chosen items due in each window; push anything else that would be due out of the way."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        end = scale.NOW_TS + sweeps * int(WINDOW.total_seconds())
        later = end + 7 * scale.DAY
        conn.execute("BEGIN")
        conn.execute("UPDATE followups SET next_nudge_at = :l WHERE next_nudge_at <= :e", {"l": later, "e": end})
        conn.execute("UPDATE checkin_schedules SET next_due_at = :l WHERE next_due_at <= :e", {"l": later, "e": end})
        conn.execute("UPDATE intros SET remind_at = :l WHERE remind_at <= :e", {"l": later, "e": end})
        claims = _ids(conn, "SELECT id FROM claims WHERE status = 'active' AND person_id IS NOT NULL", CLAIMS * sweeps)
        followups = _ids(conn, "SELECT id FROM followups WHERE status = 'open'", FOLLOWUPS * sweeps)
        schedules = _ids(
            conn,
            "SELECT s.person_id FROM checkin_schedules s JOIN people p ON p.id = s.person_id WHERE p.paused_at IS NULL",
            CHECKINS * sweeps,
        )
        intros = _ids(
            conn,
            "SELECT id FROM intros WHERE status = 'pending' AND b_id IS NOT NULL"
            " AND a_answer = 'pending' AND b_answer = 'pending'",
            INTROS * sweeps,
        )
        zones = dict(conn.execute("SELECT id, COALESCE(tz, 'America/Chicago') FROM people"))
        for k in range(sweeps):
            due = scale.NOW_TS + k * int(WINDOW.total_seconds()) + 60
            for table, column, key, ids, n in (
                ("claims", "next_nudge_at", "id", claims, CLAIMS),
                ("followups", "next_nudge_at", "id", followups, FOLLOWUPS),
                ("intros", "remind_at", "id", intros, INTROS),
            ):
                conn.executemany(
                    f"UPDATE {table} SET {column} = ? WHERE {key} = ?", [(due, i) for i in ids[k * n : (k + 1) * n]]
                )
            # A daily check-in at exactly that local minute, so the one asked is the one due now.
            moment = datetime.fromtimestamp(due, UTC)
            conn.executemany(
                "UPDATE checkin_schedules SET every = 'day', weekday = NULL, at_minute = ?, next_due_at = ?"
                " WHERE person_id = ?",
                [(_minute(moment, zones[p]), due, p) for p in schedules[k * CHECKINS : (k + 1) * CHECKINS]],
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _minute(moment: datetime, zone: str) -> int:
    local = moment.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


def _ids(conn: sqlite3.Connection, sql: str, n: int) -> list[int]:
    """`n` ids spread evenly over all the query finds (not just the first ones)."""
    found = [row[0] for row in conn.execute(sql + " ORDER BY 1")]
    if len(found) < n:
        raise RuntimeError(f"only {len(found)} rows for {n} due items: {sql}")
    step = len(found) / n
    return [found[int(i * step)] for i in range(n)]


async def measure(path: Path, sweeps: int) -> tuple[list[float], list[int], Recorder]:
    """Seconds per sweep and outbox rows each one queued; the statements of each, recorded."""
    config = make_config("full")
    db = await Database.open(path, synchronous="full")
    sweep = Sweep(db, config, catalog.jobs())
    recorder = Recorder()
    uninstall = recorder.install()
    times, queued = [], []
    try:
        for k in range(sweeps):
            now = scale.NOW + (k + 1) * WINDOW
            async with db.reading() as tx:
                before = int(await tx.value("SELECT COUNT(*) FROM outbox"))
            recorder.start()
            started = time.perf_counter()
            await sweep.run(now)
            times.append(time.perf_counter() - started)
            recorder._current = None
            async with db.reading() as tx:
                queued.append(int(await tx.value("SELECT COUNT(*) FROM outbox")) - before)
    finally:
        uninstall()
        await db.close()
    return times, queued, recorder


async def one_run(label: str, base: Path, sweeps: int) -> tuple[float, float, int]:
    """Sweeps on a copy of one database: their median (the first, a warm-up, left out), the raw
    replay's median, and how many messages a sweep queued."""
    work = scale.copy_of(base, scale.OUT / f"sweep-{label}.sqlite3")
    raw_copy = scale.copy_of(base, scale.OUT / f"sweep-{label}-raw.sqlite3")
    try:
        arrange(work, sweeps)
        arrange(raw_copy, sweeps)
        times, queued, recorder = await measure(work, sweeps)
        raw = replay(raw_copy, recorder, 1, "full")
    finally:
        scale.discard(work, raw_copy)
    result = (statistics.median(times[1:]), statistics.median(raw.latencies), round(statistics.median(queued[1:])))
    print(f"{label:>5}: sweeps {', '.join(f'{t * 1e3:.1f}' for t in times)} ms; "
          f"queued {queued}; raw replay median {result[1] * 1e3:.1f} ms", flush=True)  # fmt: skip
    return result


def _medians(runs: list[tuple[float, float, int]]) -> list[float]:
    """Each column's median over the runs."""
    return [statistics.median(column) for column in zip(*runs, strict=True)]


def _runs(values: list[float]) -> str:
    return "runs " + ", ".join(f"{value:.3g}" for value in sorted(values))


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sweeps", type=int, default=8, help="sweeps per database (the first is a warm-up)")
    parser.add_argument("--runs", type=int, default=3, help="runs, each on both databases, one after the other")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    sizes = {"full": scale.Sizes.full(), "small": scale.Sizes.small()}
    for label, size in sizes.items():
        print(f"{label:>5}: {size.label()}", flush=True)
    full_base, small_base = (scale.build(size, args.seed) for size in sizes.values())
    full_runs, small_runs = [], []
    for _ in range(args.runs):
        full_runs.append(await one_run("full", full_base, args.sweeps))
        small_runs.append(await one_run("small", small_base, args.sweeps))
    full, small = (_medians(runs) for runs in (full_runs, small_runs))
    ratios = [f[0] / s[0] for f, s in zip(full_runs, small_runs, strict=True)]
    ratio = statistics.median(ratios)
    ms = [[run[0] * 1e3 for run in runs] for runs in (full_runs, small_runs)]
    figures = [
        Figure(f"sweep with {full[2]:.0f} due, full scale", full[0] * 1e3, "ms", "< 50 ms", full[0] < 0.05,
               full[1] * 1e3, "raw sqlite3, same SQL", note=f"median of {args.runs} runs, {_runs(ms[0])}"),
        Figure(f"sweep with {small[2]:.0f} due, small database (10,000 contact entries)", small[0] * 1e3, "ms", "",
               None, small[1] * 1e3, "raw sqlite3, same SQL", note=f"median of {args.runs} runs, {_runs(ms[1])}"),
        Figure("sweep cost, full scale ÷ small database", ratio, "×", "< 2", ratio < 2,
               note=f"1,000,000 vs 10,000 contact entries, same 100 due; median of each run's ratio, {_runs(ratios)}"),
    ]  # fmt: skip
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
