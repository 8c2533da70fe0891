"""A `bookkeeping` transaction (the deliverer's "sent" and its plan of the prompt lane, the Matrix
sync token) commits without waiting for the disk, and only it: the deployer's durability is back
for the next one, after a commit as after a rollback (`Database.transaction`)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest

from bot.adapters.matrix_sync import KEY, SyncToken
from bot.storage.db import Database, Tx
from bot.storage.state import AdapterState
from tests.postgres import opened

DURABLE = {"sqlite": ("PRAGMA synchronous", 2), "postgresql": ("SHOW synchronous_commit", "on")}
LAZY = {"sqlite": 1, "postgresql": "off"}  # NORMAL; off


@pytest.fixture
async def db(database: str) -> AsyncIterator[Database]:
    async with opened(database) as found:
        yield found


def _kind(db: Database) -> str:
    return "sqlite" if type(db).__name__.startswith("Sqlite") else "postgresql"


async def _write(tx: Tx) -> None:
    await tx.execute("UPDATE state SET value = value WHERE key = 'nothing'")


async def test_only_a_bookkeeping_transaction_commits_without_waiting_for_the_disk(db: Database) -> None:
    query, durable = DURABLE[_kind(db)]
    async with db.transaction() as tx:
        await _write(tx)
        assert await tx.value(query) == durable
    async with db.transaction(bookkeeping=True) as tx:
        await _write(tx)
        assert await tx.value(query) == LAZY[_kind(db)]
    async with db.transaction() as tx:
        await _write(tx)
        assert await tx.value(query) == durable


async def test_a_bookkeeping_transaction_that_rolls_back_leaves_the_setting_as_it_was(db: Database) -> None:
    query, durable = DURABLE[_kind(db)]
    with contextlib.suppress(RuntimeError):
        async with db.transaction(bookkeeping=True) as tx:
            await _write(tx)
            raise RuntimeError("the delivery failed")
    with contextlib.suppress(RuntimeError):
        async with db.transaction(bookkeeping=True):
            raise RuntimeError("before anything reached the database")
    async with db.transaction() as tx:
        await _write(tx)
        assert await tx.value(query) == durable


async def test_the_matrix_sync_token_is_stored_without_waiting_for_the_disk(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token only says where the next start resumes (`matrix_sync`): a lost one is a lag the
    dispatcher absorbs. Stored after every sync batch, its COMMIT waited for the disk each time."""
    kinds: list[bool] = []
    real = db.transaction

    def transaction(*, bookkeeping: bool = False) -> contextlib.AbstractAsyncContextManager[Tx]:
        kinds.append(bookkeeping)
        return real(bookkeeping=bookkeeping)

    monkeypatch.setattr(db, "transaction", transaction)
    token = SyncToken(AdapterState(db, "matrix", "@bot:example.org"))
    token.handled("s72_1")
    await token.flush()
    assert kinds == [True]
    assert await AdapterState(db, "matrix", "@bot:example.org").get(KEY) == "s72_1"
