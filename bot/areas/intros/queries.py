"""The intros area's SQL for introductions: proposed, answered by each side, made or "not now".

`to_remind` is what the reminder reads to remind people of intros waiting for them. Who has met
whom (ties) and the network view's figures are in `ties.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.params import Asker, Choice
from bot.ids import ContactId, IntroId, PersonId
from bot.scheduling.reminders import Round
from bot.storage import counters, summaries
from bot.storage.db import Row, Tx, like_literal, record, written


@dataclass(frozen=True)
class Intro:
    """One intro. `b_id` is the second member, or None when `contact_id` is an outside contact."""

    id: IntroId
    proposer_id: PersonId | None
    a_id: PersonId
    b_id: PersonId | None
    contact_id: ContactId | None
    why: str
    a_answer: str
    b_answer: str | None
    status: str
    created_at: int
    closed_at: int | None

    @property
    def sides(self) -> tuple[PersonId, ...]:
        """The members who are asked."""
        return (self.a_id,) if self.b_id is None else (self.a_id, self.b_id)

    def answer_of(self, person_id: PersonId) -> str | None:
        return self.a_answer if person_id == self.a_id else self.b_answer if person_id == self.b_id else None

    def other_side(self, person_id: PersonId) -> PersonId | None:
        return self.b_id if person_id == self.a_id else self.a_id if person_id == self.b_id else None

    @property
    def everyone_said_yes(self) -> bool:
        return self.a_answer == "yes" and self.b_answer in (None, "yes")


@dataclass(frozen=True)
class Waiting:
    """An intro still waiting for one person's answer: for reminders."""

    intro_id: IntroId
    person_id: PersonId
    created_at: int


def ask_key(intro_id: int, person_id: PersonId) -> str:
    """The key of the message that asks one side about an intro: once per person per intro, and
    how `call_off` (and `contact drop`) tell whether that question has reached them yet."""
    return f"intro:{intro_id}:ask:p{person_id}"


def pair_key(a: PersonId, b: PersonId | None, contact: ContactId | None) -> str:
    """The same key whatever order the pair is named in: `p3:p7`, `p3:c5`."""
    if b is not None:
        low, high = sorted((int(a), int(b)))
        return f"p{low}:p{high}"
    return f"p{int(a)}:c{int(contact or 0)}"


def _intro(row: Row) -> Intro:
    return record(Intro, row)


async def create(
    tx: Tx,
    *,
    proposer_id: PersonId,
    a_id: PersonId,
    b_id: PersonId | None,
    contact_id: ContactId | None,
    why: str,
    a_answer: str,
    b_answer: str | None,
    now: int,
    remind_at: int,
) -> Intro:
    intro_id = await counters.insert(
        tx,
        "INSERT INTO intros (proposer_id, a_id, b_id, contact_id, pair_key, why, a_answer, b_answer,"
        " created_at, remind_at) VALUES (:by, :a, :b, :c, :key, :why, :aa, :ba, :now, :remind)",
        {"by": proposer_id, "a": a_id, "b": b_id, "c": contact_id, "key": pair_key(a_id, b_id, contact_id),
         "why": why, "aa": a_answer, "ba": b_answer, "now": now, "remind": remind_at},
    )  # fmt: skip
    summaries.shift(tx, [summaries.INTROS], _ONE, {"id": intro_id}, 1)
    return written(await get(tx, IntroId(intro_id)))


async def get(tx: Tx, intro_id: IntroId) -> Intro | None:
    row = await tx.one("SELECT * FROM intros WHERE id = :id", {"id": intro_id})
    return _intro(row) if row else None


async def by_pair(tx: Tx, a: PersonId, b: PersonId | None, contact: ContactId | None) -> Intro | None:
    row = await tx.one("SELECT * FROM intros WHERE pair_key = :k", {"k": pair_key(a, b, contact)})
    return _intro(row) if row else None


async def set_answer(tx: Tx, intro: Intro, person_id: PersonId, answer: str) -> None:
    column = "a_answer" if person_id == intro.a_id else "b_answer"
    await tx.execute(f"UPDATE intros SET {column} = :ans WHERE id = :id", {"ans": answer, "id": intro.id})


_ONE = "i.id = :id"  # one intro, as the leads' count of intros by status counts it


async def close(tx: Tx, intro_id: IntroId, status: str, now: int) -> None:
    summaries.shift(tx, [summaries.INTROS], _ONE, {"id": intro_id}, -1)
    tx.later(
        "UPDATE intros SET status = :s, closed_at = :now WHERE id = :id AND status = 'pending'",
        {"s": status, "now": now, "id": intro_id},
    )
    summaries.shift(tx, [summaries.INTROS], _ONE, {"id": intro_id}, 1)


async def delete(tx: Tx, intro_id: IntroId) -> None:
    """Delete an intro called off before it could be answered (`leaving.call_off`): its pair may
    be proposed again, and its number is never given to another (`counters`)."""
    summaries.shift(tx, [summaries.INTROS], _ONE, {"id": intro_id}, -1)
    tx.later("DELETE FROM intros WHERE id = :id", {"id": intro_id})


# Intros a person is part of: as a side, as the proposer, or as the owner of the contact. One
# indexed lookup per role, not an OR over the whole table (a scan of every intro at 50,000).
_INVOLVING = (
    "i.id IN (SELECT id FROM intros WHERE a_id = :p"
    " UNION ALL SELECT id FROM intros WHERE b_id = :p"
    " UNION ALL SELECT id FROM intros WHERE proposer_id = :p"
    " UNION ALL SELECT x.id FROM contacts c JOIN intros x ON x.contact_id = c.id WHERE c.owner_id = :p)"
)


async def involving(tx: Tx, person_id: PersonId, closed_since: int, limit: int) -> list[Intro]:
    """Pending intros the person is in, proposed or owns the contact of; then those closed since."""
    rows = await tx.all(
        f"SELECT i.* FROM intros i WHERE {_INVOLVING}"
        " AND (i.status = 'pending' OR i.closed_at >= :since)"
        " ORDER BY i.status != 'pending', i.id DESC LIMIT :n",
        {"p": person_id, "since": closed_since, "n": limit},
    )
    return [_intro(row) for row in rows]


async def waiting_for(tx: Tx, person_id: PersonId) -> list[Intro]:
    """Pending intros where this person has not answered yet, oldest first."""
    # 0.05 ms at 50,000 intros where one OR took 6 ms (bench/commands.py, `mine`).
    sql = _each_unanswered_side("*", "{side}_id = :p")
    return [_intro(row) for row in await tx.all(f"{sql} ORDER BY id", {"p": person_id})]


async def to_remind(tx: Tx, when: Round) -> list[Waiting]:
    """Pending intros whose reminder time has come, one row per person who has not answered,
    earliest due first: the order of the index (`intros_remind`), so a share reads its few rows
    and stops (ordered by creation, every share read and sorted every due intro: 14 ms, inside
    the writer, for each of a backlog's hundred shares)."""
    columns = "id AS intro_id, {side}_id AS person_id, created_at, remind_at"
    sql = _each_unanswered_side(columns, "remind_at <= :now")
    rows = await tx.all(f"{sql} ORDER BY remind_at, intro_id LIMIT :n", {"now": when.now, "n": when.limit})
    return [record(Waiting, row) for row in rows]


def _each_unanswered_side(columns: str, where: str) -> str:
    """Pending intros `where` (both with `{side}` for `a` or `b`), once for each side that has not
    answered: two indexed reads joined by UNION ALL rather than one OR, which SQLite answers by
    reading every pending intro."""
    one = "SELECT " + columns + " FROM intros WHERE status = 'pending' AND {side}_answer = 'pending' AND " + where
    return " UNION ALL ".join(one.format(side=side) for side in ("a", "b"))


async def reminded(tx: Tx, waiting: Waiting, when: Round) -> None:
    """One reminder per intro: clear the time once it is queued."""
    tx.later("UPDATE intros SET remind_at = NULL WHERE id = :id", {"id": waiting.intro_id})


async def next_reminder(tx: Tx, when: Round) -> int | None:
    value = await tx.value("SELECT MIN(remind_at) FROM intros WHERE status = 'pending' AND remind_at IS NOT NULL")
    return None if value is None else int(value)


async def is_waiting_for(tx: Tx, intro_id: IntroId, person_id: PersonId | None) -> bool:
    """Whether the intro is still pending and this person has not answered it."""
    row = await tx.one(
        "SELECT 1 FROM intros WHERE id = :id AND status = 'pending'"
        " AND ((a_id = :p AND a_answer = 'pending') OR (b_id = :p AND b_answer = 'pending'))",
        {"id": intro_id, "p": person_id},
    )
    return row is not None


async def complete_waiting(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
    """Intros waiting for the asker's answer, newest first, by number prefix."""
    rows = await tx.all(
        "SELECT i.id, CASE WHEN i.a_id = me.person_id THEN b.display_name ELSE a.display_name END AS other"
        " FROM identities me"
        " JOIN intros i ON (i.a_id = me.person_id AND i.a_answer = 'pending')"
        "  OR (i.b_id = me.person_id AND i.b_answer = 'pending')"
        " JOIN people a ON a.id = i.a_id LEFT JOIN people b ON b.id = i.b_id"
        " WHERE me.platform = :platform AND me.user_id = :user AND i.status = 'pending'"
        " AND CAST(i.id AS TEXT) LIKE :prefix ESCAPE '\\' ORDER BY i.id DESC LIMIT 25",
        {"platform": asker.platform, "user": asker.user_id, "prefix": f"{like_literal(typed.lstrip('#'))}%"},
    )
    return [Choice(f"{row['id']} · with {row['other'] or 'an outside contact'}", row["id"]) for row in rows]


async def pending_to_contacts_of(tx: Tx, owner_id: PersonId) -> set[int]:
    """The pending intros to an outside contact this person owns. (`|| ''`: else SQLite reads every
    pending intro of the network, by the reminders' index, to find the few to this owner's.)"""
    rows = await tx.all(
        "SELECT i.id FROM contacts c JOIN intros i ON i.contact_id = c.id"
        " WHERE c.owner_id = :p AND i.status || '' = 'pending'",
        {"p": owner_id},
    )
    return {row[0] for row in rows}
