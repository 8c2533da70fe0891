"""The scenario's setup, run once, and its reference runs (no kills), shared by the crash tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crash.harness import Bot, Life, in_parallel, stop_forker
from tests.crash.ledger import Outcome, outcome
from tests.crash.scenario import RESTARTS, SETUP, T0, down_from_t1, timeline


@dataclass(frozen=True)
class References:
    """For one restart clock: the timeline without kills, and with the bot down from T1 until then."""

    uninterrupted: Outcome
    down: Outcome

    @property
    def both(self) -> list[Outcome]:
        return [self.uninterrupted, self.down]


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """The scenario set up (Monday 23 November); every timeline starts from a copy of it."""
    bot = Bot(tmp_path_factory.mktemp("base"))
    bot.run(Life(T0, SETUP))
    return bot


@pytest.fixture(scope="session")
def references(base: Bot, tmp_path_factory: pytest.TempPathFactory) -> dict[str, References]:
    root = tmp_path_factory.mktemp("references")

    def run(lives: list[Life], folder: Path) -> Outcome:
        bot = base.clone(folder)
        bot.live(lives)
        return outcome(bot)

    plans = [(restart, down) for restart in RESTARTS for down in (False, True)]
    found = in_parallel(
        lambda plan: run((down_from_t1 if plan[1] else timeline)(plan[0]), root / f"{plan[0]}-{plan[1]}"), plans
    )
    runs = dict(zip(plans, found, strict=True))
    return {restart: References(runs[restart, False], runs[restart, True]) for restart in RESTARTS}


@pytest.fixture(scope="session", autouse=True)
def fork_server() -> Iterator[None]:
    """Stop the fork server (started by the first bot process) when the session ends."""
    yield
    stop_forker()
