"""A kill inside every scheduled job, and around a send, restarted later than the kill.

Each sweep job runs in its own transaction and stops at `sweep-before-commit:<job>` before
committing; the test kills the bot there at T1, when the scenario gives every job work, restarts
it hours later (inside two recipients' quiet hours) or days later, runs it on to Saturday, and
compares what the receiving side got with the references (`ledger.py`). The jobs are read from
the catalog when the tests are collected, so a job added later is killed too, and fails the test
until the scenario gives it work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.crash.conftest import References
from tests.crash.harness import Bot, Life, in_parallel
from tests.crash.ledger import Outcome, assert_kept, outcome
from tests.crash.scenario import END, RESTARTS, T1, job_names, timeline

SENDS = ["deliver-before-send", "deliver-after-send"]
POINTS = [f"sweep-before-commit:{name}" for name in job_names()] + SENDS
LATER = ["hours", "days"]  # restarted at 22:00 in Chicago (two recipients asleep), or on Thursday


@dataclass(frozen=True)
class Killed:
    paused: str | None
    tables: dict[str, frozenset[tuple[object, ...]]]  # the database as the kill left it
    outcome: Outcome


@pytest.fixture(scope="module")
def kills(base: Bot, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Killed]:
    """Every point killed at T1 and restarted hours later, or days later, in parallel."""
    root = tmp_path_factory.mktemp("kills")
    plans = [(point, restart) for point in POINTS for restart in LATER]

    def kill(plan: tuple[str, str]) -> Killed:
        bot = base.clone(root / str(plans.index(plan)))
        first, rest = timeline(plan[1], plan[0])
        paused = bot.run(first).paused
        tables = bot.tables()
        bot.run(rest)
        return Killed(paused, tables, outcome(bot))

    return dict(zip(plans, in_parallel(kill, plans), strict=True))


@pytest.mark.parametrize("restart", LATER)
@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_each_point_loses_nothing_and_repeats_nothing_after_a_later_restart(
    point: str, restart: str, kills: dict[tuple[str, str], Killed], references: dict[str, References]
) -> None:
    killed = kills[point, restart]
    assert killed.paused is not None and killed.paused.startswith(point), f"never reached {point}"
    following = POINTS[POINTS.index(point) + 1] if point not in SENDS else None
    if following is not None:  # what this job committed is the difference with a kill at the next point
        work = [table for table, rows in killed.tables.items() if rows != kills[following, restart].tables[table]]
        assert work, f"{point} had nothing to do at T1: give it work in tests/crash/scenario.py"
    assert_kept(killed.outcome, references[restart].both)


def test_the_references_keep_every_promise_and_the_downtime_excuses_only_what_expired(
    references: dict[str, References],
) -> None:
    for refs in references.values():
        assert_kept(refs.uninterrupted)
        assert_kept(refs.down)
    # Down from T1 until 22:00 in Chicago: the hour-before reminders of the 12:30 phone bank,
    # alice's day-before reminder of the 08:00 committee (her quiet hours last until it starts),
    # and carol's "due soon" of the survey due Monday in Chicago (her quiet hours last until 09:00
    # UTC, when it is due already: the stale claim's reminder speaks for it then).
    excused = references["hours"].uninterrupted.delivered - references["hours"].down.delivered
    assert {key.rsplit(":", 3)[0] for key in excused} == {"event:hour", "event:day", "nudge"}, excused
    assert len(excused) == 5, excused


def test_a_kill_in_every_job_one_after_another_then_a_restart_days_later(
    base: Bot, references: dict[str, References], tmp_path: Path
) -> None:
    """Each restart (a minute later) commits the job killed before and is killed in the next one;
    the bot then stays down until Thursday."""
    bot = base.clone(tmp_path / "chain")
    start = datetime.fromisoformat(T1.replace("Z", "+00:00"))
    for minute, point in enumerate(POINTS):
        clock = (start + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%MZ")
        assert (bot.run(Life(clock, pause_at=point)).paused or "").startswith(point), point
    bot.run(Life(RESTARTS["days"], f"::at {END}\n"))
    assert_kept(outcome(bot), references["days"].both)


@pytest.mark.parametrize("restart", LATER)
@pytest.mark.parametrize("job", ["weekly pairing round", "announcements"])
def test_a_kill_between_two_shares_of_a_long_job_is_finished_after_the_restart(
    job: str, restart: str, base: Bot, references: dict[str, References], tmp_path: Path
) -> None:
    """The pairing round is recorded, then told a share of people a transaction; an announcement is
    queued a share of people a transaction (`forkserver.py` makes them small). Killed before the
    second share commits, the next sweep finds where it stopped: everyone told once, nothing run
    twice. (Housekeeping's shares: `tests/scheduling/test_shares.py`.)"""
    bot = base.clone(tmp_path / "shares")
    first, rest = timeline(restart, f"sweep-before-commit:{job}#2")
    assert bot.run(first).paused == f"sweep-before-commit:{job} (#2)", "the job had one share only"
    bot.run(rest)
    assert_kept(outcome(bot), references[restart].both)
