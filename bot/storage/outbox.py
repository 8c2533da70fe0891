"""The outbox: messages waiting to be delivered, each with a unique key.

A row is written in the same transaction as the change that makes it due, so it exists exactly
when it should. Its key is unique (`ask:12:r1:p7`, `nudge:claim:31:2026-12-01`), so writing it a
second time — a sweep that runs twice, or again after a crash — changes nothing; and the key is
the idempotency key handed to the platform when sending, so a resend after a crash mid-send is
de-duplicated by the platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.text import PersonId
from bot.storage.db import Row, Tx


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    person_id: PersonId | None
    channel: str | None
    kind: str
    body: str
    bundle: bool
    not_before: int
    status: str
    attempts: int
    next_attempt_at: int
    last_error: str | None
    created_at: int
    sent_at: int | None


def _row(row: Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        key=row["key"],
        person_id=row["person_id"],
        channel=row["channel"],
        kind=row["kind"],
        body=row["body"],
        bundle=bool(row["bundle"]),
        not_before=row["not_before"],
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
    )


async def enqueue(
    tx: Tx,
    *,
    key: str,
    person_id: PersonId | None,
    channel: str | None,
    kind: str,
    body: str,
    not_before: int,
    bundle: bool,
    now: int,
) -> bool:
    """Add a message unless one with this key exists; True if added."""
    changed = await tx.execute(
        "INSERT OR IGNORE INTO outbox (key, person_id, channel, kind, body, bundle, not_before,"
        " next_attempt_at, created_at) VALUES (:key, :p, :c, :kind, :body, :bundle, :nb, :nb, :now)",
        {
            "key": key,
            "p": person_id,
            "c": channel,
            "kind": kind,
            "body": body,
            "bundle": int(bundle),
            "nb": not_before,
            "now": now,
        },
    )
    return changed > 0


async def enqueue_many(tx: Tx, rows: Sequence[dict[str, object]], now: int) -> None:
    """Add many messages in one round trip; rows with a key already queued are skipped.

    Each row has key, person_id, channel, kind, body, not_before and bundle.
    """
    await tx.executemany(
        "INSERT OR IGNORE INTO outbox (key, person_id, channel, kind, body, bundle, not_before,"
        " next_attempt_at, created_at) VALUES (:key, :person_id, :channel, :kind, :body, :bundle,"
        " :not_before, :not_before, :now)",
        [{**row, "bundle": int(bool(row["bundle"])), "now": now} for row in rows],
    )


async def exists(tx: Tx, key: str) -> bool:
    return await tx.value("SELECT 1 FROM outbox WHERE key = :k", {"k": key}) is not None


async def due(tx: Tx, now: int, limit: int) -> list[OutboxRow]:
    rows = await tx.all(
        "SELECT * FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= :now"
        " ORDER BY next_attempt_at, id LIMIT :n",
        {"now": now, "n": limit},
    )
    return [_row(row) for row in rows]


async def pending_for(tx: Tx, person_id: PersonId, kind_prefix: str) -> list[OutboxRow]:
    rows = await tx.all(
        "SELECT * FROM outbox WHERE person_id = :p AND status IN ('pending', 'sending')"
        " AND kind LIKE :k ORDER BY id",
        {"p": person_id, "k": kind_prefix + "%"},
    )
    return [_row(row) for row in rows]


async def next_due_at(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')")
    return None if value is None else int(value)


async def mark(tx: Tx, ids: Sequence[int], status: str, now: int) -> None:
    marks = ",".join("?" for _ in ids)
    sent_at = now if status == "sent" else None
    await tx.execute(
        f"UPDATE outbox SET status = ?, sent_at = COALESCE(?, sent_at) WHERE id IN ({marks})",
        [status, sent_at, *ids],
    )


async def failed(tx: Tx, ids: Sequence[int], error: str, retry_at: int, park: bool) -> None:
    marks = ",".join("?" for _ in ids)
    await tx.execute(
        f"UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
        f" status = ? WHERE id IN ({marks})",
        [error[:500], retry_at, "parked" if park else "pending", *ids],
    )


async def defer(tx: Tx, ids: Sequence[int], until: int) -> None:
    """Push rows later without counting an attempt (a rate limit, a person's quiet hours)."""
    marks = ",".join("?" for _ in ids)
    await tx.execute(
        f"UPDATE outbox SET next_attempt_at = ?, status = 'pending' WHERE id IN ({marks})",
        [until, *ids],
    )


async def drop(tx: Tx, ids: Sequence[int], reason: str) -> None:
    marks = ",".join("?" for _ in ids)
    await tx.execute(
        f"UPDATE outbox SET status = 'dropped', last_error = ? WHERE id IN ({marks})",
        [reason, *ids],
    )


async def parked(tx: Tx, limit: int) -> list[OutboxRow]:
    rows = await tx.all(
        "SELECT * FROM outbox WHERE status = 'parked' ORDER BY id DESC LIMIT :n", {"n": limit}
    )
    return [_row(row) for row in rows]


async def sent_bundle_since(tx: Tx, person_id: PersonId, since: int) -> bool:
    """Whether a bundled message (a nudge) already went to this person since `since`."""
    return (
        await tx.value(
            "SELECT 1 FROM outbox WHERE person_id = :p AND bundle = 1 AND status = 'sent'"
            " AND sent_at >= :s LIMIT 1",
            {"p": person_id, "s": since},
        )
        is not None
    )


async def counts(tx: Tx) -> dict[str, int]:
    rows = await tx.all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    return {row["status"]: row["n"] for row in rows}
