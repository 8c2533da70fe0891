"""How big one share of a long sweep job is: sized by the time it holds the writer, not by a count.

A command that writes while the sweep catches up on a week waits for the share under way to
commit. A share of a fixed count (fifty reminders) takes as long as the machine takes for fifty:
5 ms on one machine, 30 ms on a slower or busier one, and commands wait that long (issue 15: their
p99 stays within 10 ms during the catch-up). So each job still declares its largest share, and
the sweep learns, per job, what fraction of it fits in `BUDGET` from how long that job's last
shares held the writer (`Pace`); the job takes `size(largest)` items. Where a share ends changes
nothing else: every share already leaves the database right if the bot dies before the next one.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds one share may hold the writer, its COMMIT included: a command that arrives meanwhile
#: waits this long at most, then does its own 1–3 ms.
BUDGET = 0.004
#: A job's first share in this process takes this fraction of its largest; the fraction doubles
#: after each full share that fits the budget well, so a fast machine reaches whole shares at once.
START = 0.25
#: The least fraction: each share pays some fixed cost (the query that finds what is due), which
#: a share of one item would pay per item.
FLOOR = 0.1

_FRACTION: contextvars.ContextVar[float] = contextvars.ContextVar("share_fraction", default=1.0)


def size(largest: int) -> int:
    """How many items to take in this share, of a job whose share is `largest` items at most: all
    of them outside a sweep (a console's `::advance`, a job run whole), else what `Pace` learnt."""
    return max(1, round(largest * _FRACTION.get()))


class Pace:
    """What fraction of each job's largest share fits in `BUDGET`, learnt from its last shares."""

    def __init__(self) -> None:
        self._fractions: dict[str, float] = {}

    @contextmanager
    def sized(self, job: str) -> Iterator[None]:
        """Within this block, `size` gives `job`'s share as learnt so far."""
        token = _FRACTION.set(self._fractions.get(job, START))
        try:
            yield
        finally:
            _FRACTION.reset(token)

    def learn(self, job: str, took: float, full: bool) -> None:
        """One share of `job` held the writer `took` seconds; `full`: it took its whole size and
        more is due (a share that ran out of work says nothing of how much would fit)."""
        fraction = self._fractions.get(job, START)
        if took > BUDGET:
            fraction *= BUDGET / took
        elif full:
            fraction *= BUDGET / max(took, BUDGET / 2)  # at most twice as many
        self._fractions[job] = min(1.0, max(FLOOR, fraction))
