"""Small pieces of bot state that must survive restarts (a Matrix sync token, last runs)."""

from __future__ import annotations

from bot.storage.db import Tx


async def get(tx: Tx, key: str) -> str | None:
    value = await tx.value("SELECT value FROM state WHERE key = :k", {"k": key})
    return None if value is None else str(value)


async def put(tx: Tx, key: str, value: str) -> None:
    await tx.execute(
        "INSERT INTO state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {"k": key, "v": value},
    )
