"""Start-up time and peak memory of the bot process at national scale, and during every job.

    .venv/bin/python bench/startup.py [--runs 3] [--jobs all|none|<name>,…] [--json out.json]

What it measures. `python -m bot console --db <copy of the full-scale database> --start …` is
started as a real process (as `./dev console` would), with a short script piped in: a member's
`mine`, a lead's new ask that matches 2,000 volunteers (so 2,000 messages are written and
delivered to the console), `asks`, `followups`, and `::advance 2h` (the scheduler sweeping and
delivering what came due on the way). Measured:

- start-up: from spawning the process to the first reply on its standard output — Python
  starting, importing the bot, opening and checking the 265 MB database, the first sweep, and
  the first command. Baseline: spawning `python -c "import sqlite3"` and waiting for it to end.
  The best of several runs (the file cache is warm, as for a restart).
- peak memory: the process's maximum resident set size over the whole script (`ru_maxrss` from
  `wait4`), baseline the same for the bare interpreter.
- peak memory during each scheduled job (issue 15): one process per job, run by the bot as
  deployed (a venv in `bench/out/deployed-venv` holding only what `./dev run` installs: the
  development venv also holds Synapse's dependencies for the tests, PyNaCl, cffi and pycparser,
  which discord.py and pycryptodome import when they find them, 2.4 MB no deployed bot carries),
  imports both platform libraries (`bot.adapters.discord` and `bot.adapters.matrix`, so
  discord.py and matrix-nio, as a bot serving both does), loads what a bot that has served a
  while has loaded on demand and keeps (dateparser, for a date phrase only it reads, and
  icalendar, for an event's calendar file: 9 MB together), opens a copy of the full-scale
  database a week after its clock — when
  the weekly pairing round (10,000 members) and every lead's digest (1,000) are due, and each
  reminder has hundreds due (check-in reminders are made due) — and runs that one job as the
  sweep does: prepared on a reader where it prepares, written in shares until none is left (with
  housekeeping, which has nothing to do an hour after it ran). Measured: the process's peak RSS in MB
  of 10^6 bytes (target ≤ 100 MB), the highest of `--job-runs` runs, against its RSS just before
  the job (the interpreter, both libraries and the bot).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path
from typing import Any

import scale
from figures import Figure, report

SCRIPT = f"""\
v1001: !mine
v7: !ask title:"Draft the grant application" skill:{scale.MATCH_SKILL} need:3
v1002: !asks
v1003: !followups
::advance 2h
v1004: !mine
"""


def run(command: list[str], stdin: str) -> tuple[float, float, int, int]:
    """(seconds to the first output line, seconds to exit, peak RSS in KiB, lines printed)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=scale.ROOT
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(stdin)
    process.stdin.close()
    first = None
    lines = 0
    for _ in process.stdout:
        lines += 1
        if first is None:
            first = time.perf_counter() - started
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command} exited with {process.returncode}")
    return first if first is not None else ended, ended, usage.ru_maxrss, lines


# A week after the data's clock, 70 minutes after the pairing round's moment (Monday 10:00 in Chicago):
# the round and every lead's digest (09:00 in the lead's zone, the last in Los Angeles) are due.
JOBS_AT = scale.NOW + timedelta(days=7, minutes=70)

#: The bot as deployed (`_deployed_python`), beside the data sets, which git ignores.
DEPLOYED_VENV = scale.OUT / "deployed-venv"


def _status_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak) of this process's memory, which a new program starts afresh
    (`ru_maxrss` keeps the high-water mark of the process it was forked from, across exec)."""
    with Path("/proc/self/status").open() as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def _deployed_python() -> str:
    """The interpreter of a venv holding only what a deployed bot installs, made by `./dev` itself
    (`VOLUNTEER_BOT_VENV`), so it is the deployer's install step, and kept up to date the same way."""
    environment = {**os.environ, "VOLUNTEER_BOT_VENV": str(DEPLOYED_VENV)}
    ask = [sys.executable, str(scale.ROOT / "dev"), "py", "-c", "import sys; print(sys.executable)"]
    done = subprocess.run(ask, capture_output=True, text=True, cwd=scale.ROOT, env=environment, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"could not install the bot as deployed in {DEPLOYED_VENV}:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def _as_served() -> None:
    """Load what a bot that has served a while loaded on demand, and keeps for the life of the
    process: dateparser (its first parse: a date phrase the bot's own reading does not know) and
    icalendar (an event's calendar file, with its zone's definition)."""
    from zoneinfo import ZoneInfo

    from bot.areas.events.ical import calendar_file
    from bot.areas.events.records import Occurrence
    from bot.core.dates import parse_when
    from bot.ids import EventId, TimeId

    zone = ZoneInfo("America/Chicago")
    when = parse_when("in a fortnight", zone, JOBS_AT).moment(clock_time(18))
    starts = int(when.timestamp())
    occurrence = Occurrence(id=TimeId(1), event_id=EventId(1), seq=1, starts_at=starts, ends_at=starts + 3600,
                            status="scheduled", revision=1, title="Chapter meeting", place="Main library",
                            every=None, tz=zone.key, skill=None, region=None, posted_by=None,
                            event_status="active", yes=0, maybe=0, no=0)  # fmt: skip
    calendar_file(occurrence, "Library Workers United", int(JOBS_AT.timestamp()))


async def _run_job(name: str, path: str) -> dict[str, object]:
    """In a process of its own: both platform libraries, the bot, then one job (as the sweep runs it)."""
    from commands import make_config

    for adapter in ("bot.adapters.discord", "bot.adapters.matrix"):  # discord.py and matrix-nio, as in a bot
        importlib.import_module(adapter)  # serving both platforms
    _as_served()
    from bot import catalog
    from bot.app import App
    from bot.clock import ManualClock
    from bot.scheduling.sweep import HOUSEKEEPING, Sweep

    app = await App.open(make_config("full"), ManualClock(JOBS_AT), path)
    try:
        job = next(j for j in [*catalog.jobs(), HOUSEKEEPING] if j.name == name)
        # As the bot's sweep runs it: prepared on a reader, written in shares (housekeeping is
        # always one of a sweep's jobs, and has nothing to do an hour after it last ran).
        readers = app.dispatcher.readers
        sweep = Sweep(app.db, app.config, [job] if job is not HOUSEKEEPING else [],
                      reading=lambda: readers.reading(heavy=True))  # fmt: skip
        before = _status_kib("VmRSS")
        started = time.perf_counter()
        await sweep.run(JOBS_AT)
        took = time.perf_counter() - started
        async with app.db.reading() as tx:
            queued = int(await tx.value("SELECT COUNT(*) FROM outbox WHERE created_at >= :t", {"t": scale.NOW_TS}))
    finally:
        await app.close()
    peak = _status_kib("VmHWM")
    return {"job": name, "before": before, "peak": peak, "seconds": took, "queued": queued}


def _arrange(path: Path) -> None:
    """Check-in reminders due too (nothing in the data awaits an answer): 600 unanswered, reminded now."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        due = int(JOBS_AT.timestamp()) - 60
        conn.execute(
            "UPDATE checkins SET answered_at = NULL, answer = NULL, remind_at = ? WHERE id IN"
            " (SELECT MAX(id) FROM checkins GROUP BY person_id ORDER BY 1 LIMIT 600)",
            (due,),
        )
    finally:
        conn.close()


def _one_job(base: Path, name: str, python: str) -> dict[str, Any]:
    """One job in a fresh process of `python` on a fresh copy of the full-scale database."""
    work = scale.copy_of(base, scale.OUT / "startup-job.sqlite3")
    try:
        _arrange(work)
        command = [python, str(Path(__file__).resolve()), "--run-job", name, "--db", str(work)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=scale.ROOT, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"job {name!r} failed:\n{done.stderr[-3000:]}")
        found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return found
    finally:
        scale.discard(work)


def job_figures(base: Path, names: list[str], runs: int) -> list[Figure]:
    """Each job's peak RSS in MB (10^6 bytes, as the target is), the highest of `runs` runs."""
    figures = []
    python = _deployed_python() if names else sys.executable
    for name in names:
        found = [_one_job(base, name, python) for _ in range(runs)]
        peaks = [f["peak"] * 1024 / 1e6 for f in found]
        before = max(f["before"] for f in found) * 1024 / 1e6
        took = statistics.median(f["seconds"] for f in found)
        print(f"job {name}: peak {max(peaks):.1f} MB ({min(peaks):.1f}–{max(peaks):.1f} over {runs} runs; before it"
              f" {before:.1f} MB), {took:.2f} s, {found[0]['queued']:,} messages queued", flush=True)  # fmt: skip
        figures.append(Figure(f"peak RSS during the job '{name}', both platform libraries imported, as deployed and"
                              " having served a date phrase and a calendar file", max(peaks), "MB",
                              "≤ 100 MB", max(peaks) <= 100, before, "the process before the job",
                              f"highest of {runs} runs ({min(peaks):.1f}–{max(peaks):.1f} MB); "
                              f"{found[0]['queued']:,} messages queued in {took:.1f} s"))  # fmt: skip
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--jobs", default="all", help="all, none, or job names separated by commas")
    parser.add_argument("--job-runs", type=int, default=3, help="runs of each job (its highest peak is the figure)")
    parser.add_argument("--run-job", help=argparse.SUPPRESS)  # (the child process of one job)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    if args.run_job:
        print(json.dumps(asyncio.run(_run_job(args.run_job, args.db))))
        return 0
    # Built (if need be) by a process of its own: a child's `ru_maxrss` starts from its parent's.
    subprocess.run([sys.executable, str(Path(__file__).with_name("scale.py")), "--seed", str(args.seed)], check=True)
    base = scale.build(scale.Sizes.full(), args.seed)
    work = scale.OUT / "startup.sqlite3"
    bot = [sys.executable, "-m", "bot", "console", "--db", str(work), "--start", scale.NOW.strftime("%Y-%m-%dT%H:%MZ")]
    bare = [sys.executable, "-c", "import sqlite3"]
    ready, peaks, bare_times, bare_peaks = [], [], [], []
    try:
        for _ in range(args.runs):
            scale.copy_of(base, work)
            first, total, peak, lines = run(bot, SCRIPT)
            ready.append(first)
            peaks.append(peak)
            print(f"bot: first reply after {first:.3f} s, done after {total:.2f} s, {lines} lines, "
                  f"peak RSS {peak / 1024:.0f} MiB", flush=True)  # fmt: skip
            _, total, peak, _ = run(bare, "")
            bare_times.append(total)
            bare_peaks.append(peak)
    finally:
        scale.discard(work)
    if args.jobs == "all":
        from bot import catalog
        from bot.scheduling.sweep import HOUSEKEEPING

        names = [job.name for job in [*catalog.jobs(), HOUSEKEEPING]]
    else:
        names = [] if args.jobs == "none" else args.jobs.split(",")
    figures = [
        Figure("start-up to the first reply, full-scale database", min(ready), "s", "< 1 s", min(ready) < 1,
               min(bare_times), "python -c 'import sqlite3'"),
        Figure("peak RSS of the bot process, full scale", max(peaks) / 1024, "MB", "< 150 MB", max(peaks) / 1024 < 150,
               max(bare_peaks) / 1024, "bare interpreter", "MiB; 2,000 messages sent, 2 h of sweeps"),
    ]  # fmt: skip
    figures += job_figures(base, names, args.job_runs)
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
