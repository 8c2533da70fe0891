"""Follow-ups: what a contact's owner means to do by a date.

Two kinds share the table: the `follow:` date of a contact (`intro_id` empty, at most one open
per contact), and connecting a member with the contact after they accepted an intro
(`intro_id` set). `to_remind` and `next_reminder` are what the scheduler's sweep reads to nudge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

from bot.core.text import PersonId
from bot.storage.contacts import ContactId
from bot.storage.db import Row, Tx

FollowUpId = NewType("FollowUpId", int)


@dataclass(frozen=True)
class FollowUp:
    id: FollowUpId
    person_id: PersonId
    contact_id: ContactId
    contact_name: str
    intro_id: int | None
    intro_member_id: PersonId | None
    intro_member_name: str | None
    due_at: int
    status: str
    created_at: int


_FOLLOWUP = """
SELECT f.*, c.name AS contact_name, i.a_id AS intro_member_id, m.display_name AS intro_member_name
FROM followups f
JOIN contacts c ON c.id = f.contact_id
LEFT JOIN intros i ON i.id = f.intro_id
LEFT JOIN people m ON m.id = i.a_id
"""


def _followup(row: Row) -> FollowUp:
    return FollowUp(
        id=FollowUpId(row["id"]),
        person_id=PersonId(row["person_id"]),
        contact_id=ContactId(row["contact_id"]),
        contact_name=row["contact_name"],
        intro_id=row["intro_id"],
        intro_member_id=row["intro_member_id"],
        intro_member_name=row["intro_member_name"],
        due_at=row["due_at"],
        status=row["status"],
        created_at=row["created_at"],
    )


async def add(
    tx: Tx, person_id: PersonId, contact_id: ContactId, intro_id: int | None, due_at: int, now: int
) -> FollowUp:
    followup_id = await tx.insert(
        "INSERT INTO followups (person_id, contact_id, intro_id, due_at, created_at, next_nudge_at)"
        " VALUES (:p, :c, :i, :due, :now, :due)",
        {"p": person_id, "c": contact_id, "i": intro_id, "due": due_at, "now": now},
    )
    found = await get(tx, FollowUpId(followup_id))
    assert found is not None
    return found


async def get(tx: Tx, followup_id: FollowUpId) -> FollowUp | None:
    row = await tx.one(f"{_FOLLOWUP} WHERE f.id = :id", {"id": followup_id})
    return _followup(row) if row else None


async def open_for_contact(tx: Tx, contact_id: ContactId) -> FollowUp | None:
    """The contact's own `follow:` date, if one is open (not the intro ones)."""
    row = await tx.one(
        f"{_FOLLOWUP} WHERE f.contact_id = :c AND f.status = 'open' AND f.intro_id IS NULL ORDER BY f.id",
        {"c": contact_id},
    )
    return _followup(row) if row else None


async def open_of(tx: Tx, person_id: PersonId, due_before: int | None = None) -> list[FollowUp]:
    """A person's open follow-ups, soonest (so the most overdue) first; optionally only those due."""
    params: dict[str, object] = {"p": person_id}
    due = ""
    if due_before is not None:
        due = " AND f.due_at <= :before"
        params["before"] = due_before
    rows = await tx.all(
        f"{_FOLLOWUP} WHERE f.person_id = :p AND f.status = 'open'{due} ORDER BY f.due_at, f.id", params
    )
    return [_followup(row) for row in rows]


async def move(tx: Tx, followup_id: FollowUpId, due_at: int) -> None:
    """A new due date, and with it a new reminder."""
    await tx.execute(
        "UPDATE followups SET due_at = :due, next_nudge_at = :due WHERE id = :id",
        {"due": due_at, "id": followup_id},
    )


async def to_remind(tx: Tx, now: int, limit: int) -> list[FollowUp]:
    """Open follow-ups whose reminder time has come (each is reminded once per due date)."""
    rows = await tx.all(
        f"{_FOLLOWUP} WHERE f.status = 'open' AND f.next_nudge_at <= :now ORDER BY f.next_nudge_at, f.id LIMIT :n",
        {"now": now, "n": limit},
    )
    return [_followup(row) for row in rows]


async def defer_reminder(tx: Tx, followup_id: FollowUpId, until: int) -> None:
    """Look at this reminder again later (its owner is paused)."""
    tx.later("UPDATE followups SET next_nudge_at = :u WHERE id = :id", {"u": until, "id": followup_id})


async def reminded(tx: Tx, followup_id: FollowUpId) -> None:
    tx.later("UPDATE followups SET next_nudge_at = NULL WHERE id = :id", {"id": followup_id})


async def next_reminder(tx: Tx) -> int | None:
    value = await tx.value(
        "SELECT MIN(next_nudge_at) FROM followups WHERE status = 'open' AND next_nudge_at IS NOT NULL"
    )
    return None if value is None else int(value)


async def still_reminded(tx: Tx, followup_id: FollowUpId) -> bool:
    """Whether a queued reminder still stands: the follow-up is open and was not moved since."""
    row = await tx.one(
        "SELECT 1 FROM followups WHERE id = :id AND status = 'open' AND next_nudge_at IS NULL",
        {"id": followup_id},
    )
    return row is not None


async def close_for_contact(tx: Tx, contact_id: ContactId, now: int) -> int:
    """Close every open follow-up of a contact (a note was logged); returns how many."""
    return await tx.execute(
        "UPDATE followups SET status = 'done', closed_at = :now WHERE contact_id = :c AND status = 'open'",
        {"now": now, "c": contact_id},
    )


async def count_overdue(tx: Tx, now: int) -> int:
    return int(await tx.value("SELECT COUNT(*) FROM followups WHERE status = 'open' AND due_at <= :now", {"now": now}))
