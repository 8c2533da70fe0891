"""The contacts area's SQL about follow-ups: what a member means to do about a contact, and by
when; what the follow-up reminder reads (`to_remind`, `next_reminder`, `still_reminded`); and the
leads' view of the open ones on shared contacts.

Follow-ups are of two kinds in one table: the `follow:` date of a contact (`intro_id` empty, at
most one open per contact), and connecting a member with the contact after they accepted an
intro (`intro_id` set). Kept apart from `queries.py` (the contacts themselves and their notes): a
follow-up has its own table, its own reminder, and readers in other areas (intros, leads, the
dashboard), through the area's package.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.contacts.records import FollowUp, SharedFollowUp
from bot.ids import ContactId, FollowUpId, PersonId
from bot.scheduling.reminders import Round
from bot.storage import counters, outbox
from bot.storage.db import Row, Tx, bound_ids, record, written

_FOLLOWUP = """
SELECT f.*, c.name AS contact_name, i.a_id AS intro_member_id, m.display_name AS intro_member_name
FROM followups f
JOIN contacts c ON c.id = f.contact_id
LEFT JOIN intros i ON i.id = f.intro_id
LEFT JOIN people m ON m.id = i.a_id
"""


def _followup(row: Row) -> FollowUp:
    return record(FollowUp, row)


async def add_followup(
    tx: Tx, person_id: PersonId, contact_id: ContactId, intro_id: int | None, due_at: int, now: int
) -> FollowUp:
    followup_id = await counters.insert(
        tx,
        "INSERT INTO followups (person_id, contact_id, intro_id, due_at, created_at, next_nudge_at)"
        " VALUES (:p, :c, :i, :due, :now, :due)",
        {"p": person_id, "c": contact_id, "i": intro_id, "due": due_at, "now": now},
    )
    return written(await get_followup(tx, FollowUpId(followup_id)))


async def get_followup(tx: Tx, followup_id: FollowUpId) -> FollowUp | None:
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


async def move_followup(tx: Tx, followup_id: FollowUpId, due_at: int) -> None:
    """A new due date, and with it a new reminder; one still waiting about the old date is dropped."""
    await tx.execute(
        "UPDATE followups SET due_at = :due, next_nudge_at = :due WHERE id = :id",
        {"due": due_at, "id": followup_id},
    )
    await outbox.withdraw(tx, f"followup:{followup_id}", "the follow-up moved")


async def redate_followup(tx: Tx, followup_id: FollowUpId, due_at: int) -> None:
    """The same day named anew (its owner's zone changed) of a follow-up already reminded of: its
    reminder is neither dropped nor sent again (a queued one shows the day as it is when sent)."""
    await tx.execute("UPDATE followups SET due_at = :due WHERE id = :id", {"due": due_at, "id": followup_id})


async def to_remind(tx: Tx, when: Round) -> list[FollowUp]:
    """Open follow-ups whose reminder time has come (each is reminded once per due date)."""
    rows = await tx.all(
        f"{_FOLLOWUP} WHERE f.status = 'open' AND f.next_nudge_at <= :now ORDER BY f.next_nudge_at, f.id LIMIT :n",
        {"now": when.now, "n": when.limit},
    )
    return [_followup(row) for row in rows]


async def defer_reminder(tx: Tx, followup: FollowUp, until: int) -> None:
    """Look at this reminder again later (its owner is paused)."""
    tx.later("UPDATE followups SET next_nudge_at = :u WHERE id = :id", {"u": until, "id": followup.id})


async def reminded(tx: Tx, followup: FollowUp, when: Round) -> None:
    """One reminder per due date: cleared once queued (set again when the follow-up moves)."""
    tx.later("UPDATE followups SET next_nudge_at = NULL WHERE id = :id", {"id": followup.id})


async def next_reminder(tx: Tx, when: Round) -> int | None:
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


async def open_on(tx: Tx, contact_id: ContactId) -> list[FollowUp]:
    """Every open follow-up on a contact: its `follow:` date and the hand-offs of its intros.
    (`|| ''`: else SQLite orders by the index of every open follow-up's due date, and reads all
    30,000 of them at national scale, 20 ms, for the few of one contact.)"""
    rows = await tx.all(
        f"{_FOLLOWUP} WHERE f.contact_id = :c AND f.status || '' = 'open' ORDER BY f.due_at, f.id", {"c": contact_id}
    )
    return [_followup(row) for row in rows]


async def close(tx: Tx, followup_ids: Sequence[FollowUpId], now: int) -> None:
    """Mark these follow-ups done (a note settled them)."""
    if followup_ids:
        marks, bound = bound_ids(followup_ids, "fid")
        await tx.execute(
            f"UPDATE followups SET status = 'done', closed_at = :now WHERE id IN ({marks}) AND status = 'open'",
            {**bound, "now": now},
        )


async def connecting(tx: Tx, intro_ids: Sequence[int]) -> set[int]:
    """Those of these intros (to a contact, all said yes) whose contact's owner has not yet noted
    putting them in touch: the follow-up the intro gave them is open (`followups_by_intro`)."""
    if not intro_ids:
        return set()
    marks, bound = bound_ids(intro_ids, "iid")
    sql = f"SELECT DISTINCT intro_id FROM followups WHERE intro_id IN ({marks}) AND status = 'open'"
    return {row["intro_id"] for row in await tx.all(sql, bound)}


async def count_due_by(tx: Tx, before: int) -> int:
    """Open follow-ups due by `before` (those due long enough ago to be overdue in any zone)."""
    sql = "SELECT COUNT(*) FROM followups WHERE status = 'open' AND due_at <= :before"
    return int(await tx.value(sql, {"before": before}))


async def open_due_between(tx: Tx, after: int, until: int) -> list[FollowUp]:
    """Open follow-ups due after `after` and by `until`: those whose owner's zone says whether
    their day is over yet (`due.py`)."""
    rows = await tx.all(
        f"{_FOLLOWUP} WHERE f.status = 'open' AND f.due_at > :after AND f.due_at <= :until ORDER BY f.due_at, f.id",
        {"after": after, "until": until},
    )
    return [_followup(row) for row in rows]


# --- the leads' dashboard -----------------------------------------------------------------------


# What a lead may see of others' contacts (`queries.VISIBLE` with :lead = 1, less the lead's own): a
# private contact is its owner's alone, and the dashboard is a page leads may share a screen of.
_SHARED = "c.share IN ('leads', 'members')"


async def shared_followups(tx: Tx, limit: int) -> tuple[list[SharedFollowUp], int, int]:
    """Open follow-ups on shared contacts, soonest (so most overdue) first; how many there are;
    and how many more are on private contacts (a count only, as the digest gives it)."""
    rows = await tx.all(
        "SELECT f.id, f.due_at, f.person_id, o.display_name AS owner_name, c.id AS contact_id,"
        " c.name AS contact_name, c.org, c.share, m.display_name AS intro_member_name"
        " FROM followups f JOIN contacts c ON c.id = f.contact_id JOIN people o ON o.id = f.person_id"
        " LEFT JOIN intros i ON i.id = f.intro_id LEFT JOIN people m ON m.id = i.a_id"
        f" WHERE f.status = 'open' AND {_SHARED} ORDER BY f.due_at, f.id LIMIT :n",
        {"n": limit},
    )
    counts = await tx.one(
        f"SELECT SUM(CASE WHEN {_SHARED} THEN 1 ELSE 0 END) AS shared, SUM(CASE WHEN {_SHARED} THEN 0 ELSE 1 END)"
        " AS private FROM followups f JOIN contacts c ON c.id = f.contact_id WHERE f.status = 'open'"
    )
    shared = int(counts["shared"] or 0) if counts else 0
    hidden = int(counts["private"] or 0) if counts else 0
    return [record(SharedFollowUp, row) for row in rows], shared, hidden
