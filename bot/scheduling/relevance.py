"""Is a queued reminder still worth sending? Checked again just before delivery.

A reminder queued before the bot went down, or before the person acted, may have gone stale:
the claim was finished, the check-in answered, the ask filled. Each outbox row names its
`subject` (`claim:31`); the check for that kind of subject decides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.text import PersonId
from bot.storage import followups, intros
from bot.storage.db import Tx
from bot.storage.followups import FollowUpId
from bot.storage.intros import IntroId

Check = Callable[[Tx, int, PersonId | None], Awaitable[bool]]


async def _claim(tx: Tx, claim_id: int, person_id: PersonId | None) -> bool:
    row = await tx.one(
        "SELECT 1 FROM claims c JOIN asks a ON a.id = c.ask_id"
        " WHERE c.id = :id AND c.status = 'active' AND a.status = 'open'",
        {"id": claim_id},
    )
    return row is not None


async def _checkin(tx: Tx, checkin_id: int, person_id: PersonId | None) -> bool:
    row = await tx.one(
        "SELECT 1 FROM checkins c JOIN checkin_schedules s ON s.person_id = c.person_id"
        " WHERE c.id = :id AND c.answered_at IS NULL"
        " AND c.id = (SELECT MAX(id) FROM checkins WHERE person_id = c.person_id)",
        {"id": checkin_id},
    )
    return row is not None


async def _ask(tx: Tx, ask_id: int, person_id: PersonId | None) -> bool:
    row = await tx.one(
        """
        SELECT 1 FROM asks a WHERE a.id = :id AND a.status = 'open'
          AND (SELECT COUNT(*) FROM claims c
               WHERE c.ask_id = a.id AND c.status IN ('active', 'done')) < a.need
          AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.person_id = :p
                          AND c.status IN ('active', 'done'))
        """,
        {"id": ask_id, "p": person_id},
    )
    return row is not None


async def _intro(tx: Tx, intro_id: int, person_id: PersonId | None) -> bool:
    return await intros.is_waiting_for(tx, IntroId(intro_id), person_id)


async def _followup(tx: Tx, followup_id: int, person_id: PersonId | None) -> bool:
    return await followups.still_reminded(tx, FollowUpId(followup_id))


CHECKS: dict[str, Check] = {
    "claim": _claim,
    "checkin": _checkin,
    "ask": _ask,
    "intro": _intro,
    "followup": _followup,
}


async def still_relevant(tx: Tx, subject: str | None, person_id: PersonId | None) -> bool:
    """True unless the subject's check says the message no longer matters."""
    if not subject:
        return True
    kind, _, ident = subject.partition(":")
    check = CHECKS.get(kind)
    if check is None or not ident.isdigit():
        return True
    return await check(tx, int(ident), person_id)
