"""The outbox: messages waiting to be delivered, each with a unique key.

A row is written in the same transaction as the change that makes it due, so it exists exactly
when it should. Its key is unique (`ask:12:r1:p7`, `nudge:claim:31:1764000000`), so writing it a
second time — a sweep that runs twice, or again after a crash — changes nothing; and the key is
the idempotency key handed to the platform when sending, so a resend after a crash mid-send is
de-duplicated by the platform. Bundled reminders share a `batch_key` (one batch per person per
local day), which is then the idempotency key of the one message that carries them.
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
    subject: str | None
    batch_key: str | None


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
        subject=row["subject"],
        batch_key=row["batch_key"],
    )


_INSERT = (
    "INSERT OR IGNORE INTO outbox (key, person_id, channel, kind, body, bundle, not_before,"
    " next_attempt_at, created_at, subject)"
    " VALUES (:key, :person_id, :channel, :kind, :body, :bundle, :not_before, :not_before, :now, :subject)"
)

_INSERT_MANY = _INSERT.split(" VALUES ")[0] + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


async def enqueue(
    tx: Tx, *, key: str, person_id: PersonId | None, channel: str | None, kind: str, body: str,
    not_before: int, bundle: bool, now: int, subject: str | None = None,
) -> bool:  # fmt: skip
    """Add a message unless one with this key exists; True if added.

    `subject` names what a reminder is about (`claim:31`), so delivery can check it still matters.
    """
    changed = await tx.execute(
        _INSERT,
        {"key": key, "person_id": person_id, "channel": channel, "kind": kind, "body": body,
         "bundle": int(bundle), "not_before": not_before, "now": now, "subject": subject},
    )  # fmt: skip
    return changed > 0


async def enqueue_many(tx: Tx, rows: Sequence[dict[str, object]], now: int) -> None:
    """Add many messages in one round trip; rows with a key already queued are skipped.

    Each row has key, person_id, channel, kind, body, not_before and bundle (subject optional).
    """
    # Positional parameters: binding ten names per row from a dict costs a third of the insert
    # itself when an ask tells 2,000 people.
    await tx.executemany(
        _INSERT_MANY,
        [
            (row["key"], row["person_id"], row["channel"], row["kind"], row["body"], int(bool(row["bundle"])),
             row["not_before"], row["not_before"], now, row.get("subject"))
            for row in rows
        ],
    )  # fmt: skip


async def exists(tx: Tx, key: str) -> bool:
    return await tx.value("SELECT 1 FROM outbox WHERE key = :k", {"k": key}) is not None


async def existing(tx: Tx, keys: Sequence[str]) -> set[str]:
    """Which of these keys are queued (or were sent): one query per 500 keys, not one per key."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(row["key"] for row in await tx.all(f"SELECT key FROM outbox WHERE key IN ({marks})", chunk))
    return found


async def due(tx: Tx, now: int, limit: int) -> list[OutboxRow]:
    rows = await tx.all(
        "SELECT * FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= :now"
        " ORDER BY next_attempt_at, id LIMIT :n",
        {"now": now, "n": limit},
    )
    return [_row(row) for row in rows]


async def batch(tx: Tx, batch_key: str) -> list[OutboxRow]:
    rows = await tx.all("SELECT * FROM outbox WHERE batch_key = :b ORDER BY id", {"b": batch_key})
    return [_row(row) for row in rows]


async def batch_started(tx: Tx, batch_key: str) -> bool:
    """Whether a batch with this key was already sent or is being sent."""
    return (
        await tx.value(
            "SELECT 1 FROM outbox WHERE batch_key = :b AND status IN ('sending', 'sent') LIMIT 1",
            {"b": batch_key},
        )
        is not None
    )


async def assign_batch(tx: Tx, ids: Sequence[int], batch_key: str) -> None:
    marks = ",".join("?" for _ in ids)
    await tx.execute(f"UPDATE outbox SET batch_key = ?, status = 'sending' WHERE id IN ({marks})", [batch_key, *ids])


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


async def defer(tx: Tx, ids: Sequence[int], until: int, *, keep_batch: bool = False) -> None:
    """Push rows later without counting an attempt (a rate limit, quiet hours, a full day)."""
    marks = ",".join("?" for _ in ids)
    batch_reset = "" if keep_batch else ", batch_key = NULL"
    await tx.execute(
        f"UPDATE outbox SET next_attempt_at = ?, status = 'pending'{batch_reset} WHERE id IN ({marks})",
        [until, *ids],
    )


async def drop(tx: Tx, ids: Sequence[int], reason: str) -> None:
    marks = ",".join("?" for _ in ids)
    await tx.execute(f"UPDATE outbox SET status = 'dropped', last_error = ? WHERE id IN ({marks})", [reason, *ids])


async def parked(tx: Tx, limit: int) -> list[OutboxRow]:
    rows = await tx.all("SELECT * FROM outbox WHERE status = 'parked' ORDER BY id DESC LIMIT :n", {"n": limit})
    return [_row(row) for row in rows]


async def retry_parked(tx: Tx, now: int) -> int:
    """Give every parked row a fresh set of tries."""
    return await tx.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :now, batch_key = NULL"
        " WHERE status = 'parked'",
        {"now": now},
    )


async def counts(tx: Tx) -> dict[str, int]:
    rows = await tx.all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


async def prune(tx: Tx, before: int) -> int:
    """Forget delivered or dropped rows older than `before` (their keys can never recur)."""
    return await tx.execute(
        "DELETE FROM outbox WHERE status IN ('sent', 'dropped') AND COALESCE(sent_at, created_at) < :t",
        {"t": before},
    )
