"""Three bot processes on one PostgreSQL database, killed at random while they deliver a backlog.

Each process is `python -m bot console` on the same database and the same journal: the console's
journal is the receiving side's memory (one entry per message: key, the sending process's clock,
to whom, and whether it was a repeat the receiving side dropped), shared and locked, the way a
platform remembers idempotency keys whoever sends.
The backlog: volunteers in four timezones whose claims went stale while the bot was down, so the
reminders fall due at different hours and each must wait for its person's morning. The processes
of one round share one frozen clock (as processes on one machine share the wall clock), each
sweeping and delivering what is due then; round after round, hours apart, every zone wakes up.
Processes are SIGKILLed at random moments and started again; at the end every reminder must have reached the
receiving side exactly once, inside its person's waking hours, and nothing may be left in flight;
a message may be *sent* twice only when its sender was killed between sending and recording it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.console import read_journal
from bot.storage.db import open_database
from tests.postgres import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
T0 = "2026-11-23T16:00Z"  # Monday 10:00 in Chicago
ZONES = ("America/Chicago", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney")
# Eight days on (every claim is stale): Chicago and Berlin are awake, then Tokyo and Sydney.
CHURNED = ("2026-12-01T16:00Z", "2026-12-02T01:00Z")
# Later rounds with nobody killed deliver whatever a killed process had taken (its claim ran out).
CALM = ("2026-12-02T09:00Z", "2026-12-02T16:00Z", "2026-12-03T01:00Z")
PEOPLE = 100  # (an ask has at most 100 slots)
PROCESSES = 3
KILLS = 6  # per churned round
pytestmark = pytest.mark.slow


def _setup_script() -> str:
    lines = ['!ask title:"Phone bank the branch libraries" skill:research need:100']
    for n in range(PEOPLE):
        lines += [f"v{n}: !volunteer research", f"v{n}: !profile tz:{ZONES[n % len(ZONES)]}", f"v{n}: !claim 1"]
    return "\n".join(lines) + "\n"


class Fleet:
    """The bot processes, started and killed, all on one database and one journal."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        self.url = url
        self.journal = tmp_path / "journal.txt"
        self.config = tmp_path / "config.yaml"
        self.config.write_text('organisation:\n  timezone: "America/Chicago"\n')
        self.kills = 0

    def start(self, at: str, script: str, *, stay: bool = False) -> subprocess.Popen[str]:
        """A process at `at` that runs `script`, then exits, or with `stay` waits for more input
        (after its sweep and delivery) until its stdin is closed."""
        command = [sys.executable, "-m", "bot", "console", "--config", str(self.config), "--db", self.url,
                   "--journal", str(self.journal), "--start", at]  # fmt: skip
        proc = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdin is not None
        proc.stdin.write(script)
        if not stay:
            proc.stdin.close()
        return proc

    def run(self, at: str, script: str) -> None:
        proc = self.start(at, script)
        assert proc.wait(timeout=120) == 0, _log(proc)

    def churn(self, at: str, chance: random.Random) -> None:
        """Keep `PROCESSES` running at `at`, killing one at a random moment, `KILLS` times.

        The processes stay up until the round ends (`stay`), so every kill lands however fast the
        delivery is (when they exited once done, a faster bot finished before most kills could);
        and a kill waits for a few more messages to arrive, so most land in the middle of
        deliveries, not after them."""
        running = [self.start(at, "", stay=True) for _ in range(PROCESSES)]
        for _ in range(KILLS):
            self._while_delivering(chance)
            victim = chance.randrange(len(running))
            assert running[victim].poll() is None, _log(running[victim])
            running[victim].send_signal(signal.SIGKILL)
            assert running[victim].wait(timeout=60) == -signal.SIGKILL, _log(running[victim])
            running[victim] = self.start(at, "", stay=True)
        for proc in running:
            assert proc.stdin is not None
            proc.stdin.close()
            assert proc.wait(timeout=60) == 0, _log(proc)
        self.kills += KILLS

    def _while_delivering(self, chance: random.Random) -> None:
        """Until a random few more messages have arrived, or a random moment when none do."""
        arrived = len(self.journal.read_text().splitlines()) if self.journal.exists() else 0
        target, deadline = arrived + chance.randint(1, 8), time.monotonic() + chance.uniform(0.3, 1.5)
        while time.monotonic() < deadline:
            if self.journal.exists() and len(self.journal.read_text().splitlines()) >= target:
                return
            time.sleep(0.005)

    def deliveries(self) -> tuple[list[tuple[str, datetime, str]], int]:
        """What the receiving side showed (key, when, to whom), and how many sends it dropped as
        repeats of a key already shown."""
        entries = read_journal(self.journal, repeats=True)
        shown = [(e.key, datetime.fromisoformat(e.at.replace("Z", "+00:00")), e.to) for e in entries if not e.repeat]
        return shown, sum(entry.repeat for entry in entries)


def test_three_processes_killed_at_random_deliver_every_reminder_once_in_waking_hours(tmp_path: Path) -> None:
    with _database() as url:
        fleet = Fleet(tmp_path, url)
        fleet.run(T0, _setup_script())
        chance = random.Random(16)
        for at in CHURNED:
            fleet.churn(at, chance)
        for at in CALM:
            fleet.run(at, "")
        assert fleet.kills == KILLS * len(CHURNED)
        delivered, repeats = fleet.deliveries()
        keys = [key for key, _, _ in delivered]
        assert len(keys) == len(set(keys)), "a message reached the receiving side twice"
        # Sent twice at all: only a message in flight when its process was killed, at most one per kill.
        assert repeats <= fleet.kills, f"{repeats} messages were sent again by a live process"
        stale = {to: at for key, at, to in delivered if key.startswith(("nudges:", "nudge:claim"))}
        assert set(stale) == {f"v{n}" for n in range(PEOPLE)}, "someone's stale-claim reminder never arrived"
        for person, at in stale.items():
            local = at.astimezone(ZoneInfo(ZONES[int(person[1:]) % len(ZONES)]))
            assert 9 <= local.hour < 21, f"{person} was reminded at {local:%H:%M} local time"
        left = asyncio.run(_unfinished(url))
        assert left == 0, f"{left} outbox rows never finished"


def _log(proc: subprocess.Popen[str]) -> str:
    return proc.stderr.read() if proc.stderr else ""


async def _unfinished(url: str) -> int:
    db = await open_database(url)
    try:
        async with db.reading() as tx:
            return int(await tx.value("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"))
    finally:
        await db.close()


class _database:
    """A fresh PostgreSQL database for a synchronous test."""

    def __enter__(self) -> str:
        self.url = asyncio.run(create_database())
        return self.url

    def __exit__(self, *exc: object) -> None:
        asyncio.run(drop_database(self.url))
