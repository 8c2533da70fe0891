"""Nothing lost, nothing twice: the bot as a real process, killed with SIGKILL at chosen points.

The bot runs as `python -m bot console` on a SQLite file. The console keeps a journal of the
message keys it has shown, the way a platform remembers idempotency keys, so a message resent
after a crash with the same key is shown once. `VOLUNTEER_BOT_PAUSE_AT` freezes the process at a
named point so the kill lands exactly there; the test then restarts it and counts what the
receiving side (the console's output) got across every run.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
T0 = "2026-11-23T16:00Z"  # Monday 10:00 in Chicago
SETUP = """
!profile tz:America/Chicago
alice: !volunteer research
alice: !profile tz:America/Chicago
!ask title:"Compile sectoral-bargaining resources" skill:research
alice: !claim 1
"""


@dataclass
class Run:
    stdout: str
    stderr: str
    killed: bool


class Bot:
    """One database and journal; each `run` is one process lifetime."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "crash.sqlite3"
        self.journal = tmp_path / "journal.txt"
        self.config = tmp_path / "config.yaml"
        self.config.write_text('organisation:\n  timezone: "America/Chicago"\n')
        self.runs: list[Run] = []

    def run(self, start: str, script: str = "", pause_at: str | None = None) -> Run:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("VOLUNTEER_BOT_PAUSE_AT", None)
        if pause_at:
            env["VOLUNTEER_BOT_PAUSE_AT"] = pause_at
        command = [sys.executable, "-m", "bot", "console", "--config", str(self.config), "--db", str(self.db),
                   "--journal", str(self.journal), "--start", start]  # fmt: skip
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if pause_at is None:
            out, err = proc.communicate(script, timeout=60)
            assert proc.returncode == 0, err
            result = Run(out, err, killed=False)
        else:
            result = self._kill_at(proc, pause_at, script)
        self.runs.append(result)
        return result

    def _kill_at(self, proc: subprocess.Popen[str], point: str, script: str) -> Run:
        assert proc.stdin is not None and proc.stderr is not None and proc.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        err_lines: list[str] = []

        def pump() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                lines.put(line)

        threading.Thread(target=pump, daemon=True).start()
        proc.stdin.write(script)
        proc.stdin.flush()
        while True:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                proc.kill()
                pytest.fail(f"the bot never reached {point}: {''.join(err_lines)}")
            err_lines.append(line)
            if line.strip() == f"paused at {point}":
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        out = proc.stdout.read()
        return Run(out, "".join(err_lines), killed=True)

    def seen(self, text: str) -> int:
        """How many messages containing `text` the receiving side saw, over every run."""
        return sum(run.stdout.count(text) for run in self.runs)


@pytest.fixture
def bot(tmp_path: Path) -> Bot:
    bot = Bot(tmp_path)
    bot.run(T0, SETUP)
    assert "[#general] It's yours" in bot.runs[0].stdout
    return bot


STALE_NUDGE = "[to alice] Ask 1 “Compile sectoral-bargaining resources”: no update for"
LATER = "2026-12-01T16:00Z"  # eight days on: alice's claim is stale


@pytest.mark.parametrize("point", ["sweep-before-commit", "deliver-before-send", "deliver-after-send"])
def test_a_kill_at_any_point_neither_loses_nor_repeats_a_nudge(bot: Bot, point: str) -> None:
    killed = bot.run(LATER, pause_at=point)
    assert killed.killed
    bot.run(LATER)
    bot.run(LATER, "::advance 2h\n")
    assert bot.seen(STALE_NUDGE) == 1
    keys = [line.split("\t")[0] for line in bot.journal.read_text().splitlines() if not line.endswith("\trepeat")]
    assert len(keys) == len(set(keys))


def test_a_kill_after_sending_before_marking_sent_is_deduplicated_by_the_key(bot: Bot) -> None:
    killed = bot.run(LATER, pause_at="deliver-after-send")
    assert "[to " in killed.stdout  # the first message did reach the receiving side before the kill
    bot.run(LATER)
    assert bot.seen(STALE_NUDGE) == 1
    assert bot.seen("[to you] Weekly digest") == 1


def test_a_nudge_due_while_the_bot_was_down_three_days_is_sent_once(bot: Bot) -> None:
    bot.run("2026-12-04T16:00Z")  # eleven days later, after three days of downtime past the due date
    bot.run("2026-12-04T16:00Z", "::advance 1d\n")
    assert bot.seen(STALE_NUDGE) == 1


def test_a_claim_survives_a_kill_right_after_it_was_answered(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    bot.run(T0, '!ask title:"Keep me" need:1\n')
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(bot.db), "--start", T0],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("bob: !claim 1\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    while not line.startswith("[#general] It's yours"):  # (the weekly digest to `you` may come first)
        assert line, "the bot exited before answering"
        line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)  # stdin still open: the process was waiting for more
    proc.wait(timeout=10)
    after = bot.run(T0, "bob: !ask 1\nbob: !claim 1\n").stdout
    assert "Claimed by: bob." in after
    assert "You've already claimed ask 1" in after
