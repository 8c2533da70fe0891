"""Fixtures for Matrix adapter tests: one real Synapse per session, fresh humans per test.

`synapse` is a plain (sync) session fixture because every test gets its own event loop; the
server is a subprocess, so it outlives those loops. It never skips: if Synapse cannot start,
each test using it errors with the tail of Synapse's log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from .bots import BotFactory
from .humans import HumanFactory
from .synapse import Synapse


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """The running homeserver: `base_url`, `server_name`, `register`, `override_ratelimit`."""
    server = Synapse(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def make_human(synapse: Synapse, tmp_path: Path) -> AsyncIterator[HumanFactory]:
    """`await make_human("alice", encrypted=False, auto_join=True)` -> a connected Human;
    all are closed when the test ends. See HumanFactory."""
    factory = HumanFactory(synapse, tmp_path)
    try:
        yield factory
    finally:
        await factory.close_all()


@pytest.fixture
async def make_bot(synapse: Synapse, tmp_path: Path) -> AsyncIterator[BotFactory]:
    """`await make_bot(admins=[…], main_room=…)` -> a started in-process bot on a fresh account;
    `await make_bot.restart(bot)` restarts it on the same device and files. See bots.py."""
    factory = BotFactory(synapse, tmp_path)
    try:
        yield factory
    finally:
        await factory.close_all()
