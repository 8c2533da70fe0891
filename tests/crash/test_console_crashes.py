"""Nothing lost, nothing twice: the bot as a real process, killed with SIGKILL at chosen points
and restarted at the same clock, and a command's effect surviving a kill right after its answer.

The console keeps a journal of the messages it has shown, the way a platform remembers
idempotency keys, so a message resent after a crash with the same key is shown once.
`VOLUNTEER_BOT_PAUSE_AT` freezes the process at a named point so the kill lands exactly there
(`harness.py`); the test then restarts it and counts what the receiving side got across every run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import read_journal
from tests.crash.harness import ROOT, Bot, Life
from tests.crash.ledger import assert_kept, outcome

T0 = "2026-11-23T16:00Z"  # Monday 10:00 in Chicago
SETUP = """
!profile tz:America/Chicago
alice: !volunteer research
alice: !profile tz:America/Chicago
!ask title:"Compile sectoral-bargaining resources" skill:research
alice: !claim 1
"""


@pytest.fixture
def bot(tmp_path: Path) -> Bot:
    bot = Bot(tmp_path)
    bot.run(Life(T0, SETUP))
    assert "[#general] It's yours" in bot.runs[0].stdout
    return bot


STALE_NUDGE = "[to alice] Ask 1 “Compile sectoral-bargaining resources”: no update for"
LATER = "2026-12-01T16:00Z"  # eight days on: alice's claim is stale


@pytest.mark.parametrize("point", ["sweep-before-commit", "deliver-before-send", "deliver-after-send"])
def test_a_kill_at_any_point_neither_loses_nor_repeats_a_nudge(bot: Bot, point: str) -> None:
    assert bot.run(Life(LATER, pause_at=point)).paused
    bot.live([Life(LATER), Life(LATER, "::advance 2h\n")])
    assert bot.seen(STALE_NUDGE) == 1
    assert_kept(outcome(bot))


def test_a_kill_after_sending_before_marking_sent_is_deduplicated_by_the_key(bot: Bot) -> None:
    killed = bot.run(Life(LATER, pause_at="deliver-after-send"))
    assert "[to " in killed.stdout  # the first message did reach the receiving side before the kill
    bot.run(Life(LATER))
    assert bot.seen(STALE_NUDGE) == 1
    assert bot.seen("[to you] Weekly digest") == 1


DONE = "[to you] alice finished their part of ask 1"


@pytest.mark.parametrize("point", ["deliver-before-send:done:1:p2", "deliver-after-send:done:1:p2"])
def test_a_kill_around_sending_what_a_command_queued_neither_loses_nor_repeats_it(bot: Bot, point: str) -> None:
    """The prompt lane: a message a command queued for someone else (the poster hears the ask is
    done) is sent right after the command, and stays `pending` until it is marked sent. Killed
    before the send it goes out on restart; killed after, it is sent again with its key, which
    the receiving side drops."""
    killed = bot.run(Life(T0, "::in dm\nalice: !done 1 all compiled\n", pause_at=point))
    assert killed.paused == f"{point} (#1)"
    assert killed.stdout.count(DONE) == (1 if point.startswith("deliver-after-send") else 0)
    bot.run(Life("2026-11-23T17:00Z"))  # an hour later (11:00 in Chicago)
    assert bot.seen(DONE) == 1
    status = "SELECT status FROM outbox WHERE key = 'done:1:p2'"
    assert bot.read(lambda db: db.execute(status).fetchall()) == [("sent",)]


def test_a_nudge_due_while_the_bot_was_down_three_days_is_sent_once(bot: Bot) -> None:
    # eleven days later, after three days of downtime past the due date
    bot.live([Life("2026-12-04T16:00Z"), Life("2026-12-04T16:00Z", "::advance 1d\n")])
    assert bot.seen(STALE_NUDGE) == 1


def test_a_claim_survives_a_kill_right_after_it_was_answered(tmp_path: Path) -> None:
    bot = Bot(tmp_path)
    bot.run(Life(T0, '!ask title:"Keep me" need:1\n'))
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
    after = bot.run(Life(T0, "bob: !ask 1\nbob: !claim 1\n")).stdout
    assert "Claimed by: bob." in after
    assert "You've already claimed ask 1" in after


def test_the_journal_reads_old_bare_keys_and_leaves_out_a_line_a_kill_cut_short(tmp_path: Path) -> None:
    journal = tmp_path / "journal.txt"
    whole = '{"key": "nudge:claim:1:1", "at": "2026-11-30T18:00:00Z", "to": "alice", "text": "Ask 1…"}'
    journal.write_text(f"ask:1:r1:p2\ndigest:1:2026-W48\n{whole}\n" + whole[:30])
    assert [(entry.key, entry.to) for entry in read_journal(journal)] == [
        ("ask:1:r1:p2", ""),
        ("digest:1:2026-W48", ""),
        ("nudge:claim:1:1", "alice"),
    ]
