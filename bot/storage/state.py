"""Small pieces of bot state that must survive restarts, and the store adapters keep theirs in.

Areas and the scheduler use `get`/`put` inside their own transaction (the week a pairing round
ran, a pending `forget me`). Adapters never write SQL: each gets an `AdapterState`, a key/value
store under its own namespace (Matrix: its sync token, device id, rooms known to be direct chats)
that also remembers each person's private chat on that platform.
"""

from __future__ import annotations

from bot.storage import persons
from bot.storage.db import Database, Tx


async def get(tx: Tx, key: str) -> str | None:
    value = await tx.value("SELECT value FROM state WHERE key = :k", {"k": key})
    return None if value is None else str(value)


async def put(tx: Tx, key: str, value: str) -> None:
    await tx.execute(
        "INSERT INTO state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {"k": key, "v": value},
    )


async def delete(tx: Tx, key: str) -> None:
    await tx.execute("DELETE FROM state WHERE key = :k", {"k": key})


class AdapterState:
    """One adapter's memory between runs: `platform` for private chats, `namespace` for its keys
    (a database may serve several accounts of one platform)."""

    def __init__(self, db: Database, platform: str, namespace: str) -> None:
        self._db = db
        self.platform = platform
        self._prefix = f"{namespace}:"

    async def get(self, name: str) -> str | None:
        async with self._db.single_read() as tx:
            return await get(tx, self._prefix + name)

    async def put(self, name: str, value: str, *, bookkeeping: bool = False) -> None:
        """Remember `value`; with `bookkeeping`, without waiting for the disk (a value that may be
        lost to a power cut, and then only behind later writes: `Database.transaction`)."""
        async with self._db.transaction(bookkeeping=bookkeeping) as tx:
            await put(tx, self._prefix + name, value)

    async def delete(self, name: str) -> None:
        async with self._db.transaction() as tx:
            await delete(tx, self._prefix + name)

    async def private_chat(self, user_id: str) -> str | None:
        """The chat the bot last used to reach this account privately, if any."""
        async with self._db.single_read() as tx:
            return await persons.private_chat(tx, self.platform, user_id)

    async def remember_private_chat(self, user_id: str, chat: str, *, note: str | None = None) -> bool:
        """Record `chat` as the account's private chat, and optionally a key of this adapter's
        (`note`, set to the user id) in the same transaction; False when the account is not known
        yet (someone's first command: ask again once it has run)."""
        async with self._db.transaction() as tx:
            saved = await persons.set_private_chat(tx, self.platform, user_id, chat)
            if note is not None:
                await put(tx, self._prefix + note, user_id)
        return saved
