"""The signatures area's records: signatories as stored, places as counted, and what an import
or an `iam` did."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ids import PersonId


@dataclass(frozen=True)
class Signatory:
    id: int
    key: str
    name: str
    email: str | None
    workplace: str | None
    library: str | None
    region: str | None
    region_key: str | None
    job: str | None
    skills: str | None
    notes: str | None
    person_id: PersonId | None
    joined_at: int | None
    invited_at: int | None
    created_at: int

    @property
    def joined(self) -> bool:
        return self.person_id is not None

    def field(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class Place:
    """Signed and joined in one region × library type (None where the list does not say)."""

    region: str | None
    library: str | None
    signed: int
    joined: int


@dataclass(frozen=True)
class Imported:
    new: int
    updated: int
    unchanged: int
    merged: int
    skipped: tuple[tuple[int, str], ...]
    warnings: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Tally:
    """Signed vs joined, for the leads' coverage and digest: `lately` joined in the last week."""

    signed: int
    joined: int
    lately: int
