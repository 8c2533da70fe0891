"""Who is who: people and their platform accounts, as the dispatcher, the deliverer and every
area need them.

This is plumbing, not the people area: finding the speaker of an event (and recording the event,
so a redelivery is ignored), the accounts a message can reach, and the leads the weekly digest
goes to. What a profile holds and how it changes is the people area's (`bot/areas/people`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.names import fold
from bot.ids import PersonId, Role
from bot.storage import counters
from bot.storage.db import Row, Tx, bound_ids, direct, record, written


@dataclass(frozen=True)
class Person:
    """A person as stored; one person may have several platform accounts."""

    id: PersonId
    display_name: str
    role: Role
    signed_up_at: int | None
    tz: str | None
    region: str | None
    library: str | None
    job: str | None
    hours: str | None
    max_claims: int | None
    quiet_start: int | None
    quiet_end: int | None
    visibility: str
    paused_at: int | None
    paused_until: int | None
    created_at: int
    last_seen_at: int
    role_source: str | None = None

    @property
    def signed_up(self) -> bool:
        return self.signed_up_at is not None

    def paused(self, now: int) -> bool:
        """Paused, and not past the date the pause was set to end."""
        if self.paused_at is None:
            return False
        return self.paused_until is None or self.paused_until > now

    def reached(self, now: int, due: int, following: Callable[[int], int]) -> int | None:
        """When the next of a series (due at `due`; `following(t)`: the first after `t`) really
        reaches this person: a pause skips those that fall in it, so after a pause with an end it
        is the first at or after that end; None while paused with no end. `mine`'s check-in and
        `pairing`'s next round both say so."""
        if not self.paused(now):
            return due
        if self.paused_until is None:
            return None
        return due if due >= self.paused_until else following(self.paused_until - 1)


@dataclass(frozen=True)
class Identity:
    platform: str
    user_id: str
    person_id: PersonId
    display_name: str
    private_chat: str | None
    last_seen_at: int


# The columns of a Person, in the order of its fields, so a row maps on by position: loading
# 2,000 people (everyone a new ask is told of) is a hot path.
PERSON_COLUMNS = (
    "id", "display_name", "role", "signed_up_at", "tz", "region", "library", "job", "hours", "max_claims",
    "quiet_start", "quiet_end", "visibility", "paused_at", "paused_until", "created_at", "last_seen_at",
    "role_source",
)  # fmt: skip
#: A person `p` who is not paused at :now (a pause with an end date that has passed is over).
NOT_PAUSED = "(p.paused_at IS NULL OR (p.paused_until IS NOT NULL AND p.paused_until <= :now))"
_PERSON = f"SELECT {', '.join(PERSON_COLUMNS)} FROM people"
P_COLUMNS = ", ".join("p." + c for c in PERSON_COLUMNS)  #: the same columns, of people `p` in a join
_ROLES = {role.label: role for role in Role}


def person_from(row: Row | tuple[Any, ...]) -> Person:
    """A Person from its columns in `PERSON_COLUMNS`' order (a hot path: see there), set directly."""
    person = direct(Person, zip(PERSON_COLUMNS, row, strict=True))
    vars(person)["role"] = _ROLES[row[2]]  # stored by its label
    return person


async def get(tx: Tx, person_id: PersonId) -> Person | None:
    row = await tx.one(f"{_PERSON} WHERE id = :id", {"id": person_id})
    return person_from(row) if row else None


#: How many people `get_many` reads a statement: however many are asked for, the ids bound stay
#: far below either engine's limit on a statement's parameters.
MANY = 500


async def get_many(tx: Tx, ids: Sequence[PersonId]) -> dict[PersonId, Person]:
    found: dict[PersonId, Person] = {}
    for start in range(0, len(ids), MANY):
        # A backlog's batches read 1 to 100 people: a few statement texts (`bound_ids`), not 100.
        marks, params = bound_ids(ids[start : start + MANY])
        rows = await tx.all(f"{_PERSON} WHERE id IN ({marks})", params)
        found.update((PersonId(row["id"]), person_from(row)) for row in rows)
    return found


async def by_identity(tx: Tx, platform: str, user_id: str) -> Person | None:
    row = await tx.one(
        f"{_PERSON} WHERE id = (SELECT person_id FROM identities WHERE platform = :p AND user_id = :u)",
        {"p": platform, "u": user_id},
    )
    return person_from(row) if row else None


async def claim_event_and_find(
    tx: Tx, platform: str, event_id: str, user_id: str, now: int
) -> tuple[bool, Person | None]:
    """Record a platform event as handled and find the sender's person, in one trip to SQLite.

    Returns whether the event is new (False: the platform delivered it again) and the person
    behind the account, if known. Every command starts with these two, so they share a trip:
    `changes()` reports whether the INSERT OR IGNORE just before it added the row.
    """
    record_event(tx, platform, event_id, now)
    return await _event_and_sender(tx, "changes()", platform, event_id, user_id)


def record_event(tx: Tx, platform: str, event_id: str, now: int) -> None:
    """Record a platform event as handled (nothing if it already was), with the next statement."""
    tx.later(
        "INSERT OR IGNORE INTO processed_events (platform, event_id, processed_at) VALUES (:p, :e, :now)",
        {"p": platform, "e": event_id, "now": now},
    )


async def seen_event_and_find(tx: Tx, platform: str, event_id: str, user_id: str) -> tuple[bool, Person | None]:
    """`claim_event_and_find` for a command that only reads: whether the event is new, and the
    sender, without recording anything (the dispatcher records the event after the reply)."""
    fresh = "NOT EXISTS (SELECT 1 FROM processed_events WHERE platform = :p AND event_id = :e)"
    return await _event_and_sender(tx, fresh, platform, event_id, user_id)


async def _event_and_sender(
    tx: Tx, fresh: str, platform: str, event_id: str, user_id: str
) -> tuple[bool, Person | None]:
    row = await tx.one(
        f"SELECT {fresh} AS fresh, {P_COLUMNS}"
        " FROM (SELECT 1) AS one LEFT JOIN people p"
        " ON p.id = (SELECT person_id FROM identities WHERE platform = :p AND user_id = :u)",
        {"p": platform, "u": user_id, "e": event_id},
    )
    assert row is not None
    values = tuple(row)
    return bool(values[0]), person_from(values[1:]) if values[1] is not None else None


async def create(tx: Tx, platform: str, user_id: str, display_name: str, now: int) -> Person:
    """A new person with an id never used before (not even by someone since forgotten)."""
    key = fold(display_name)
    person_id = await counters.insert(
        tx,
        "INSERT INTO people (display_name, name_key, created_at, last_seen_at) VALUES (:n, :k, :now, :now)",
        {"n": display_name, "k": key, "now": now},
    )
    await tx.execute(
        "INSERT INTO identities (platform, user_id, person_id, display_name, name_key, last_seen_at)"
        " VALUES (:p, :u, :id, :n, :k, :now)",
        {"p": platform, "u": user_id, "id": person_id, "n": display_name, "k": key, "now": now},
    )
    return written(await get(tx, PersonId(person_id)))


async def touch(tx: Tx, person: Person, platform: str, user_id: str, display_name: str, now: int) -> None:
    """Record that the person spoke, keeping their display name as the platform shows it (and
    its key, `bot/core/names.py`)."""
    key = fold(display_name)
    tx.later(
        "UPDATE identities SET display_name = :n, name_key = :k, last_seen_at = :now"
        " WHERE platform = :p AND user_id = :u",
        {"n": display_name, "k": key, "now": now, "p": platform, "u": user_id},
    )
    tx.later(
        "UPDATE people SET last_seen_at = :now, display_name = :n, name_key = :k WHERE id = :id",
        {"now": now, "n": display_name, "k": key, "id": person.id},
    )


#: A person `p`'s columns and one of their accounts' `i` (NULLs for none), as `readers_in` reads them.
READER_COLUMNS = f"{P_COLUMNS}, i.platform, i.user_id, i.display_name, i.private_chat, i.last_seen_at"
READER_WIDTH = len(READER_COLUMNS.split(", "))


async def with_identities(tx: Tx, ids: Sequence[PersonId]) -> dict[PersonId, tuple[Person, list[Identity]]]:
    """`get_many` with each one's `identities`, in one query: the deliverer's prompt lane plans
    its messages and addresses them with these (one round trip on PostgreSQL, not two)."""
    if not ids:
        return {}
    marks, params = bound_ids(ids)
    rows = await tx.all(
        f"SELECT {READER_COLUMNS} FROM people p LEFT JOIN identities i ON i.person_id = p.id"
        f" WHERE p.id IN ({marks}) ORDER BY p.id, i.last_seen_at DESC, i.platform, i.user_id",
        params,
    )
    return readers_in(tuple(row) for row in rows)


def readers_in(rows: Iterable[tuple[Any, ...]]) -> dict[PersonId, tuple[Person, list[Identity]]]:
    """People with their accounts, from rows of `READER_COLUMNS` in the accounts' order (a row
    without a person is skipped; an account met again, as when it joins two outbox rows, once)."""
    found: dict[PersonId, tuple[Person, list[Identity]]] = {}
    width, seen = len(PERSON_COLUMNS), set()
    for values in rows:
        if values[0] is None:
            continue
        person, accounts = found.setdefault(PersonId(values[0]), (person_from(values[:width]), []))
        platform, user_id, name, chat, last_seen = values[width:]
        if platform is not None and (platform, user_id) not in seen:
            seen.add((platform, user_id))
            accounts.append(Identity(platform, user_id, person.id, name, chat, last_seen))
    return found


async def identities(tx: Tx, person_id: PersonId) -> list[Identity]:
    rows = await tx.all(
        "SELECT * FROM identities WHERE person_id = :id ORDER BY last_seen_at DESC, platform, user_id",
        {"id": person_id},
    )
    return [record(Identity, row) for row in rows]


async def identities_on(tx: Tx, platform: str, ids: Sequence[PersonId]) -> dict[PersonId, str]:
    """Each person's user id on one platform (the most recently used account)."""
    if not ids:
        return {}
    marks, params = bound_ids(ids)
    rows = await tx.all(
        f"SELECT person_id, user_id FROM identities WHERE platform = :platform AND person_id IN ({marks})"
        " ORDER BY last_seen_at, user_id",  # (the last one of a person's wins)
        {**params, "platform": platform},
    )
    return {PersonId(row["person_id"]): row["user_id"] for row in rows}


async def set_private_chat(tx: Tx, platform: str, user_id: str, chat: str) -> bool:
    """Record the account's private chat; False when there is no such account (yet)."""
    changed = await tx.execute(
        "UPDATE identities SET private_chat = :c WHERE platform = :p AND user_id = :u",
        {"c": chat, "p": platform, "u": user_id},
    )
    return changed > 0


async def private_chat(tx: Tx, platform: str, user_id: str) -> str | None:
    value = await tx.value(
        "SELECT private_chat FROM identities WHERE platform = :p AND user_id = :u",
        {"p": platform, "u": user_id},
    )
    return None if value is None else str(value)


async def set_role(tx: Tx, person_id: PersonId, role: Role, source: str, now: int) -> None:
    """Store a role, where it came from (`platform`: a mapped platform role, or `command`) and when.

    Every role change passes here (`role`, platform role sync), so a role below lead ends the
    person's dashboard sessions and unused links here, at once: a lead demoted and promoted again
    before their next click must not find their old session alive. They are ended, not deleted,
    so the dashboard can still tell whoever holds one that it is for leads (spec §16)."""
    params = {"r": role.label, "s": source, "now": now, "id": person_id}
    await tx.execute("UPDATE people SET role = :r, role_source = :s, role_since = :now WHERE id = :id", params)
    if role < Role.LEAD:
        await tx.execute(
            "UPDATE dashboard_sessions SET expires_at = :now WHERE person_id = :id AND expires_at > :now", params
        )
        await tx.execute(
            "UPDATE dashboard_links SET expires_at = :now"
            " WHERE person_id = :id AND used_at IS NULL AND expires_at > :now",
            params,
        )


async def lead_zones(
    tx: Tx, admin_handles: Sequence[str], *, lacking: tuple[str, str] | None = None
) -> dict[PersonId, tuple[str | None, int | None]]:
    """Every lead and admin (stored, or given in the config) with their timezone and since when
    they have had their role (None: since before that was recorded): the cheap form of
    `leads()`, for the sweep's every-minute check. With `lacking=(prefix, suffix)`, only stored
    leads with no outbox row keyed prefix + their id + suffix."""
    sql = "SELECT p.id, p.tz, p.role_since FROM people p WHERE p.role IN ('lead', 'admin')"
    params: dict[str, str] = {}
    if lacking is not None:
        sql += " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.key = :prefix || p.id || :suffix)"
        params = {"prefix": lacking[0], "suffix": lacking[1]}
    rows = await tx.all(sql + " ORDER BY p.id", params)
    found = {PersonId(row["id"]): (row["tz"], row["role_since"]) for row in rows}
    for handle in admin_handles:
        platform, _, user_id = handle.partition(":")
        person = await by_identity(tx, platform, user_id)
        if person is not None:
            found.setdefault(person.id, (person.tz, None))
    return found


async def leads(tx: Tx, admin_handles: Sequence[str]) -> list[Person]:
    """Everyone with a lead or admin role, stored or given in the config (`platform:user_id`)."""
    rows = await tx.all(f"{_PERSON} WHERE role IN ('lead', 'admin') ORDER BY id")
    found = {PersonId(row["id"]): person_from(row) for row in rows}
    for handle in admin_handles:
        platform, _, user_id = handle.partition(":")
        person = await by_identity(tx, platform, user_id)
        if person is not None:
            found.setdefault(person.id, person)
    return list(found.values())


async def prune_events(tx: Tx, before: int, limit: int) -> int:
    """Forget up to `limit` handled event ids older than any platform would redeliver (the oldest,
    by index); fewer than `limit` forgotten means none is left."""
    return await tx.execute(
        "DELETE FROM processed_events WHERE (platform, event_id) IN (SELECT platform, event_id"
        " FROM processed_events WHERE processed_at < :t ORDER BY processed_at LIMIT :n)",
        {"t": before, "n": limit},
    )
