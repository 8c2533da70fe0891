"""A week of activity with a SIGKILL at a random moment of nearly every stretch the bot runs alone.

The week is a grid of clocks three hours apart (and the hour before each event). At some of them
people type commands: a process started at that clock reads them and exits. Between two
clocks a process started at the first moves its clock to the next (`::at`): sweeps and
deliveries, in which the kill lands. The reference run goes through the same processes without
kills, noting every crash point each process reaches; the soak run kills each moving process at
one of the points its reference counterpart reached (a random sweep job's commit, or before or
after a random send), then carries on with the next process, at the next clock: later than the
kill. At the end the promises of `ledger.py` must hold against the reference.

Kills land only between commands, never inside one: a command's effect surviving a kill is
`test_console_crashes.py`'s. Every moment something is due for a short while only (an hour-before
reminder) is a clock of the grid with commands, so no downtime can rightly excuse a loss here.

Seeded: the seed is printed and shown on failure; `VOLUNTEER_BOT_SOAK_SEED=<seed>` replays it.
"""

from __future__ import annotations

import os
import random
import threading
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from tests.crash import scenario
from tests.crash.harness import WAIT, Bot, Life, Ran
from tests.crash.ledger import assert_kept, outcome

_T0 = scenario.T0
START = datetime.fromisoformat(_T0.replace("Z", "+00:00"))  # Monday 10:00 in Chicago
HOURS = 3
STEPS = 62  # to Tuesday 1 December 10:00 UTC: the next week's pairing round, digests and events included
POINTS = {"sweep-before-commit": 2, "deliver-before-send": 1, "deliver-after-send": 1}  # how often each is chosen

#: What people say through the week, on top of the scenario's setup (`scenario.SAID`): its asks,
#: intro, check-ins and events, and the week's updates, answers, a new ask, a pause, a meeting.
SAID = {
    _T0: scenario.SAID,
    "2026-11-24T16:00Z": "::in dm\nalice: !update 1 found the ILO report\nbob: !accept 1\n",
    "2026-11-24T22:00Z": "::in dm\ncarol: !update 2 half done\n",
    "2026-11-25T10:00Z": "::in dm\nbob: working on the summary; nothing blocking\n",
    "2026-11-25T16:00Z": "::in dm\nalice: !contact note 1 called about the rally follow:2026-11-28\n",
    "2026-11-26T16:00Z": '!ask title:"Write the leaflet" skill:writing\n::in dm\ndan: !claim 4\nalice: !accept 1\n',
    "2026-11-27T10:00Z": "::in dm\ncarol: !pause until:2026-11-29\n",
    "2026-11-28T16:00Z": "::in dm\nalice: !met @carol coffee\n",
    "2026-11-30T04:00Z": "::in dm\ndan: !done 4 sent to the printer\n",
    "2026-11-30T10:00Z": "::in dm\ndan: !checkin reply all good this week\n",
    # An hour before each event starts: the hour-before reminders are due only until it starts.
    "2026-11-30T13:00Z": "bob: !events\n",
    "2026-11-30T17:30Z": "bob: !events\n",
}


def _clock(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def clocks() -> list[str]:
    return sorted({_clock(START + timedelta(hours=HOURS * step)) for step in range(STEPS + 1)} | set(SAID))


def lives(trace: bool = False) -> list[Life]:
    """The week as processes: at each clock, one for what is said there, then one that moves on."""
    found = []
    moments = clocks()
    for clock, after in pairwise(moments):
        if clock in SAID:
            found.append(Life(clock, SAID[clock]))
        found.append(Life(clock, f"::at {after}\n", trace=trace))
    # At the end, two days without kills: what waits for someone's morning, or for the day after
    # a bundle that went out late, goes out in both runs.
    return [*found, Life(moments[-1], f"::at {_clock(START + timedelta(hours=HOURS * STEPS + 48))}\n")]


def kill_point(reference: Ran, rng: random.Random) -> str | None:
    """A point the reference process reached, as `<name>#<n>`: the n-th time there."""
    reached = [place.partition(":")[0] for place in reference.reached]
    names = [name for name in POINTS if name in reached]
    if not names:
        return None
    name = rng.choices(names, [POINTS[name] for name in names])[0]
    return f"{name}#{rng.randint(1, reached.count(name))}"


def test_a_week_with_a_kill_in_nearly_every_stretch_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("VOLUNTEER_BOT_SOAK_SEED") or random.randrange(2**32))
    print(f"soak seed {seed} (replay: VOLUNTEER_BOT_SOAK_SEED={seed})")
    rng = random.Random(seed)
    week = lives(trace=True)
    reference, soak = Bot(tmp_path / "reference"), Bot(tmp_path / "soak")
    done = [threading.Event() for _ in week]

    def run_reference() -> None:  # runs ahead of the soak, which needs each process's trace
        for life, finished in zip(week, done, strict=True):
            reference.run(life)
            finished.set()

    ahead = threading.Thread(target=run_reference, daemon=True)
    ahead.start()
    kills = []
    for n, life in enumerate(week):
        assert done[n].wait(WAIT), f"the reference run stopped before process {n} (seed {seed})"
        point = kill_point(reference.runs[n], rng) if life.trace else None
        ran = soak.run(Life(life.start, life.script, pause_at=point))
        if ran.paused is not None:
            kills.append(f"{life.start} {ran.paused}")
    ahead.join(WAIT)
    print(f"{len(kills)} kills:", *kills, sep="\n  ")
    assert len(kills) >= 25, f"seed {seed}: only {len(kills)} kills"
    assert_kept(outcome(soak), [outcome(reference)], f"seed {seed}: ", settled_meanwhile=True)
