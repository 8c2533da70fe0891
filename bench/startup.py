"""Start-up time and peak memory of the bot process at national scale.

    .venv/bin/python bench/startup.py [--runs 3] [--json out.json]

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
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
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
    figures = [
        Figure("start-up to the first reply, full-scale database", min(ready), "s", "< 1 s", min(ready) < 1,
               min(bare_times), "python -c 'import sqlite3'"),
        Figure("peak RSS of the bot process, full scale", max(peaks) / 1024, "MB", "< 150 MB", max(peaks) / 1024 < 150,
               max(bare_peaks) / 1024, "bare interpreter", "MiB; 2,000 messages sent, 2 h of sweeps"),
    ]  # fmt: skip
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
