"""The contacts area's records: rows of its tables as the rest of the area sees them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ids import ContactId, FollowUpId, PersonId


@dataclass(frozen=True)
class Contact:
    id: ContactId
    owner_id: PersonId
    owner_name: str
    name: str
    org: str | None
    how: str | None
    interests: str | None
    share: str
    created_at: int
    updated_at: int
    last_note_at: int | None


@dataclass(frozen=True)
class Note:
    contact_id: ContactId
    author_name: str | None
    text: str
    created_at: int


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


@dataclass(frozen=True)
class SharedFollowUp:
    """An open follow-up on a contact its owner shares with leads or members."""

    id: FollowUpId
    due_at: int
    person_id: PersonId
    owner_name: str
    contact_id: ContactId
    contact_name: str
    org: str | None
    share: str
    intro_member_name: str | None


@dataclass(frozen=True)
class Found:
    """A page of contacts and how many there are: exactly, or with `more`, more than `total` − 1.
    (A search of several common words lists them in the order found, not by name.)"""

    contacts: list[Contact]
    total: int
    more: bool = False


@dataclass(frozen=True)
class WaitingIntro:
    """An intro to a contact still waiting for the member asked (`member_id`), who proposed it."""

    id: int
    member_id: PersonId
    proposer_id: PersonId | None
