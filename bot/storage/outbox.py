"""The outbox: messages waiting to be delivered, each with a unique key.

A row is written in the same transaction as the change that makes it due, so it exists exactly
when it should. Its key is unique (`ask:12:r1:p7`, `nudge:claim:31:1764000000`), so writing it a
second time — a sweep that runs twice, or again after a crash — changes nothing; and the key is
the idempotency key handed to the platform when sending, so a resend after a crash mid-send is
de-duplicated by the platform. Bundled reminders share a `batch_key` (one batch per person per
local day), which is then the idempotency key of the one message that carries them.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.ids import PersonId
from bot.storage import persons
from bot.storage.db import Row, Tx, bound_ids, record
from bot.storage.persons import Identity, Person


@dataclass(frozen=True)
class OutboxMessage:
    """A message to queue: to a person privately (`person_id`) or to a channel (`channel`, as
    `platform:name`), not before `not_before`. `body` is the encoded text and buttons
    (`bot.core.notices`); `subject` names what it is about (`claim:31`), so delivery can check it
    still matters; `bundle` lets it share the person's one reminder message of the day."""

    key: str
    kind: str
    body: str
    not_before: int
    person_id: PersonId | None = None
    channel: str | None = None
    bundle: bool = False
    subject: str | None = None
    caused_by: PersonId | None = None


@dataclass(frozen=True)
class OutboxRow:
    """A queued message as stored, with its delivery state."""

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
    caused_by: PersonId | None = None


def _row(row: Row) -> OutboxRow:
    found = record(OutboxRow, row)
    return replace(found, bundle=bool(found.bundle))


# Positional parameters: binding ten names per row from a dict costs a third of the insert itself
# when an ask tells 2,000 people.
_INSERT = (
    "INSERT OR IGNORE INTO outbox (key, person_id, channel, kind, body, bundle, not_before,"
    " next_attempt_at, created_at, subject, caused_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


#: The deliverer's first lane: what a person's command queued, not bundled (`due(prompt=True)`).
_PROMPT_LANE = "caused_by IS NOT NULL AND bundle = 0"


def _prompt_now(message: OutboxMessage, now: int) -> bool:
    """Whether `message` is in the prompt lane (`_PROMPT_LANE`, as it will be stored) and due by `now`."""
    return message.caused_by is not None and not message.bundle and message.not_before <= now


async def queue(tx: Tx, messages: Sequence[OutboxMessage], now: int) -> None:
    """The one way a message enters the outbox: each is added unless its key is already there
    (queued or sent), in one round trip for any number."""
    if not messages:
        return
    tx.outbox_changed(prompt=all(_prompt_now(m, now) for m in messages))
    await tx.executemany(
        _INSERT,
        [
            (m.key, m.person_id, m.channel, m.kind, m.body, int(m.bundle), m.not_before, m.not_before, now,
             m.subject, m.caused_by)
            for m in messages
        ],
    )  # fmt: skip


async def rewrite(tx: Tx, key: str, body: str) -> bool:
    """Put new words in a message that still waits to be sent (not one being sent, or sent);
    whether it did (`scheduling.unreachable`: one report naming each reader it missed)."""
    return bool(
        await tx.execute("UPDATE outbox SET body = :b WHERE key = :k AND status = 'pending'", {"b": body, "k": key})
    )


async def existing(tx: Tx, keys: Sequence[str]) -> set[str]:
    """Which of these keys are queued (or were sent): one query per 500 keys, not one per key."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(row["key"] for row in await tx.all(f"SELECT key FROM outbox WHERE key IN ({marks})", chunk))
    return found


async def unsent(tx: Tx, keys: Sequence[str]) -> set[str]:
    """Which of these keys are queued and not delivered yet: a message nobody has read, so what it
    asked about can be called off without telling them (`contact drop`)."""
    if not keys:
        return set()
    marks = ",".join("?" for _ in keys)
    rows = await tx.all(f"SELECT key FROM outbox WHERE key IN ({marks}) AND status = 'pending'", list(keys))
    return {row["key"] for row in rows}


#: How long a process that took rows to send has them to itself (several processes only). A
#: process that dies mid-send leaves its rows claimed; they are due again when this runs out,
#: and are sent again with the same keys (the platforms drop what already arrived).
CLAIM_SECONDS = 300

#: Ids `prunable` reads a query at a time: each continues where the last stopped (by id), so all
#: of them together read the outbox once.
PRUNABLE_PAGE = 2000


async def due(
    tx: Tx, now: int, limit: int, platforms: Sequence[str] | None = None, *, prompt: bool = False
) -> list[OutboxRow]:
    """What is due now, oldest first: `pending`, or `sending` and never finished (a crash);
    `prompt`: only what a person's command queued, not bundled (the deliverer's first lane, found
    by its own index without reading a backlog).

    With several processes on one database, the rows returned are *claimed* by this transaction:
    locked as they are read (`FOR UPDATE SKIP LOCKED`: rows another process is reading right now
    are skipped, not waited for) and moved `CLAIM_SECONDS` on, so no other process picks them
    while this one sends. Only rows this process can send (`platforms`) are taken.
    """
    lane = f" AND {_PROMPT_LANE}" if prompt else ""
    if not tx.several_processes or tx.read_only:  # (a look without taking anything)
        rows = await tx.all(
            f"SELECT * FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= :now{lane}"
            " ORDER BY next_attempt_at, id LIMIT :n",
            {"now": now, "n": limit},
        )
        return [_row(row) for row in rows]
    if platforms is not None and not platforms:
        return []  # a stand-by process holds no platform connection: it sends nothing
    # Found, locked and moved on in one statement (one round trip); `was` keeps the order.
    sql, params = _claim(now, limit, platforms, lane)
    rows = await tx.all(sql, params)
    return [_row(row) for row in sorted(rows, key=lambda row: (row["was"], row["id"]))]


def _claim(now: int, limit: int, platforms: Sequence[str] | None, lane: str) -> tuple[str, list[object]]:
    """The claim of `due`: the rows found, locked, moved on and returned, with `was`."""
    reachable = ""
    params: list[object] = [now + CLAIM_SECONDS, now]
    if platforms is not None:
        marks = ",".join("?" for _ in platforms)
        prefixes = " OR ".join("channel LIKE ?" for _ in platforms)
        # EXISTS, probed by index for each row found: `person_id IN (SELECT …)` made PostgreSQL
        # hash every identity (100,000 at national scale, ~70 ms) for each claim that found a row.
        reachable = (
            " AND (EXISTS (SELECT 1 FROM identities i WHERE i.person_id = outbox.person_id"
            f" AND i.platform IN ({marks})) OR (person_id IS NULL AND ({prefixes})))"
        )
        params += [*platforms, *(f"{platform}:%" for platform in platforms)]
    sql = (
        "UPDATE outbox SET next_attempt_at = ? FROM (SELECT id, next_attempt_at AS was FROM outbox"
        f" WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?{lane}{reachable}"
        " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) AS claimed"
        " WHERE outbox.id = claimed.id RETURNING outbox.*, claimed.was"
    )
    return sql, [*params, limit]


#: The prompt lane's claim with its readers (`prompt_due`): `persons.READER_COLUMNS`, renamed so
#: that none is taken for the outbox row's own (`id`, `created_at`).
_READERS = ", ".join(f"{column} AS r_{n}" for n, column in enumerate(persons.READER_COLUMNS.split(", ")))


async def prompt_due(
    tx: Tx, now: int, limit: int, platforms: Sequence[str]
) -> tuple[list[OutboxRow], dict[PersonId, tuple[Person, list[Identity]]]]:
    """`due(prompt=True)`, with the people the rows go to and their accounts, which the prompt
    lane's plan reads anyway (`persons.with_identities`). With several processes the claim and
    that read are one statement, one round trip instead of two: the rows a `done` queued reach
    the deliverer's plan in one."""
    if not tx.several_processes or tx.read_only:
        looked = await due(tx, now, limit, platforms, prompt=True)
        ids = sorted({row.person_id for row in looked if row.person_id is not None})
        return looked, await persons.with_identities(tx, ids)
    if not platforms:
        return [], {}
    claim, params = _claim(now, limit, platforms, f" AND {_PROMPT_LANE}")
    found = await tx.all(
        f"WITH taken AS ({claim}) SELECT taken.*, {_READERS} FROM taken LEFT JOIN people p ON p.id = taken.person_id"
        " LEFT JOIN identities i ON i.person_id = p.id"
        " ORDER BY taken.was, taken.id, i.last_seen_at DESC, i.platform, i.user_id",
        params,
    )
    taken: dict[int, OutboxRow] = {}
    for row in found:  # (a row comes once for each of its reader's accounts)
        if row["id"] not in taken:
            taken[row["id"]] = _row(row)
    return list(taken.values()), persons.readers_in(tuple(row)[-persons.READER_WIDTH :] for row in found)


async def batch(tx: Tx, batch_key: str) -> list[OutboxRow]:
    rows = await tx.all("SELECT * FROM outbox WHERE batch_key = :b ORDER BY id", {"b": batch_key})
    return [_row(row) for row in rows]


async def bundled_since(tx: Tx, person_id: PersonId, batch_key: str, since: int) -> set[str]:
    """The kinds of a person's bundled rows sent since `since`, under any batch key, or being sent
    as `batch_key`."""
    rows = await tx.all(
        "SELECT DISTINCT kind FROM outbox WHERE person_id = :p AND bundle = 1"
        " AND ((status = 'sent' AND sent_at >= :since) OR (status = 'sending' AND batch_key = :b))",
        {"p": person_id, "since": since, "b": batch_key},
    )
    return {row["kind"] for row in rows}


async def assign_batch(tx: Tx, ids: Sequence[int], batch_key: str) -> None:
    tx.outbox_changed(sooner=False)
    marks, values = bound_ids(ids, "o")
    await tx.execute(
        f"UPDATE outbox SET batch_key = :b, status = 'sending' WHERE id IN ({marks})", {"b": batch_key, **values}
    )


async def next_due_at(tx: Tx) -> int | None:
    value = await tx.value("SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')")
    return None if value is None else int(value)


async def next_due_and_prompt(tx: Tx, now: int) -> tuple[int | None, bool]:
    """`next_due_at`, and whether something a person's command queued is due by `now` (what
    `due(prompt=True)` would find), in one query: the deliverer's look before each round."""
    row = await tx.one(
        "SELECT (SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')),"
        " EXISTS (SELECT 1 FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= :now"
        f" AND {_PROMPT_LANE})",
        {"now": now},
    )
    assert row is not None
    return None if row[0] is None else int(row[0]), bool(row[1])


async def mark(tx: Tx, ids: Sequence[int], status: str, now: int) -> None:
    tx.outbox_changed(sooner=False)
    marks, values = bound_ids(ids, "o")
    sent_at = now if status == "sent" else None
    tx.later(
        f"UPDATE outbox SET status = :st, sent_at = COALESCE(:at, sent_at) WHERE id IN ({marks})",
        {"st": status, "at": sent_at, **values},
    )


async def failed(tx: Tx, ids: Sequence[int], error: str, retry_at: int, park: bool) -> None:
    tx.outbox_changed()
    marks, values = bound_ids(ids, "o")
    await tx.execute(
        f"UPDATE outbox SET attempts = attempts + 1, last_error = :e, next_attempt_at = :at,"
        f" status = :st WHERE id IN ({marks})",
        {"e": error[:500], "at": retry_at, "st": "parked" if park else "pending", **values},
    )


async def defer(tx: Tx, ids: Sequence[int], until: int, *, keep_batch: bool = False) -> None:
    """Push rows later without counting an attempt (a rate limit, quiet hours, a full day).

    With `keep_batch` the rows stay as they are otherwise: rows that may have reached the platform
    (`sending`) must keep saying so, with their batch key, or they would be sent again later under
    a new key that the platform cannot recognise as a duplicate."""
    tx.outbox_changed()
    marks, values = bound_ids(ids, "o")
    reset = "" if keep_batch else ", status = 'pending', batch_key = NULL"
    await tx.execute(f"UPDATE outbox SET next_attempt_at = :at{reset} WHERE id IN ({marks})", {"at": until, **values})


async def drop(tx: Tx, ids: Sequence[int], reason: str) -> None:
    tx.outbox_changed(sooner=False)
    marks, values = bound_ids(ids, "o")
    await tx.execute(
        f"UPDATE outbox SET status = 'dropped', last_error = :r WHERE id IN ({marks})", {"r": reason, **values}
    )


async def withdraw(tx: Tx, subject: str, reason: str) -> set[PersonId]:
    """Drop what still waits to be sent about a subject that changed under it (a follow-up moved to
    another day): a reminder about the old day must not go out beside the new one. Returns whom
    those messages were for (never told, so not to be told it is undone either)."""
    tx.outbox_changed()
    rows = await tx.all(
        "UPDATE outbox SET status = 'dropped', last_error = :r WHERE subject = :s AND status = 'pending'"
        " RETURNING person_id",
        {"r": reason, "s": subject},
    )
    return {PersonId(row[0]) for row in rows if row[0] is not None}


async def waiting_caused(tx: Tx, person_id: PersonId, kind: str) -> list[OutboxRow]:
    """The messages of a kind the person caused that still wait to be sent (`outbox_by_cause`)."""
    rows = await tx.all(
        "SELECT * FROM outbox WHERE caused_by = :p AND kind = :k AND status = 'pending' ORDER BY id",
        {"p": person_id, "k": kind},
    )
    return [_row(row) for row in rows]


async def parked(tx: Tx, limit: int) -> list[OutboxRow]:
    rows = await tx.all("SELECT * FROM outbox WHERE status = 'parked' ORDER BY id DESC LIMIT :n", {"n": limit})
    return [_row(row) for row in rows]


async def retry_parked(tx: Tx, now: int) -> int:
    """Give every parked row a fresh set of tries."""
    tx.outbox_changed()
    return await tx.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :now, batch_key = NULL"
        " WHERE status = 'parked'",
        {"now": now},
    )


async def counts(tx: Tx) -> dict[str, int]:
    rows = await tx.all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


async def prunable(tx: Tx, before: int) -> array[int]:
    """Delivered or dropped rows older than `before`, whose keys can never recur: a read of the
    whole outbox, once a day, made beside the writer so it holds up no command.

    Read `PRUNABLE_PAGE` ids at a time into an array of 8 bytes an id: at national scale, 23,000
    ids fetched as rows at once left the process 5 MB larger for good (bench/startup.py, every job
    that runs in the same sweep as housekeeping)."""
    found = array("q")
    after = 0
    while rows := await tx.all(
        "SELECT id FROM outbox WHERE id > :after AND status IN ('sent', 'dropped')"
        " AND COALESCE(sent_at, created_at) < :t ORDER BY id LIMIT :n",
        {"after": after, "t": before, "n": PRUNABLE_PAGE},
    ):
        found.extend(row[0] for row in rows)
        after = found[-1]
    return found


async def prune(tx: Tx, ids: Sequence[int]) -> int:
    """Forget these rows (`prunable`'s, a share at a time), if they are still delivered or dropped."""
    tx.outbox_changed(sooner=False)
    marks, values = bound_ids(ids, "o")
    return await tx.execute(f"DELETE FROM outbox WHERE id IN ({marks}) AND status IN ('sent', 'dropped')", values)


async def sent_as(tx: Tx, key: str) -> list[OutboxRow]:
    """The rows of the message sent with idempotency key `key`: one row's, or a batch's."""
    rows = await tx.all("SELECT * FROM outbox WHERE key = :k OR batch_key = :b ORDER BY id", {"k": key, "b": key})
    return [_row(row) for row in rows]
