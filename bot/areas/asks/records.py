"""The asks area's records: rows of its tables as the rest of the area sees them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ids import AskId, ClaimId, PersonId


@dataclass(frozen=True)
class Ask:
    id: AskId
    title: str
    details: str | None
    skill: str | None
    need: int
    due_at: int | None
    due_zone: str | None  # the zone of a due date given as a day; None for a due time
    status: str
    posted_by: PersonId | None
    notice_round: int
    created_at: int
    updated_at: int
    closed_at: int | None
    active: int
    done: int

    @property
    def taken(self) -> int:
        """Slots in use: people working on it plus people who finished."""
        return self.active + self.done

    @property
    def full(self) -> bool:
        return self.taken >= self.need


@dataclass(frozen=True)
class Due:
    """When an ask is due: `at` (epoch seconds), and for a due date given as a day (`due:friday`)
    the zone it was given in, `at` being the last second of that day there."""

    at: int
    zone: str | None = None


@dataclass(frozen=True)
class Claim:
    id: ClaimId
    ask_id: AskId
    person_id: PersonId | None
    person_name: str | None
    status: str
    claimed_at: int
    last_activity_at: int
    finished_at: int | None
    note: str | None


@dataclass(frozen=True)
class Update:
    ask_id: AskId
    person_name: str | None
    kind: str
    text: str
    created_at: int


@dataclass(frozen=True)
class ClaimDue:
    """An active claim and its ask, with the claimant."""

    id: ClaimId
    ask_id: AskId
    title: str
    person_id: PersonId
    last_activity_at: int
    due_at: int | None
    due_zone: str | None
    next_nudge_at: int | None
