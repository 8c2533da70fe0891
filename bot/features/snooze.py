"""`snooze <thing> <duration>`: moving something the bot will remind you of to later.

A thing is named by its kind's prefix and, for kinds with many, a number: `f7` is follow-up 7.
Each kind is one `SnoozeKind` in `KINDS` (prefix, name, whether it takes a number, and the
function that moves the speaker's thing), so a new kind — `c12` for a claim's nudge, `checkin`
for the next check-in — is one more entry and nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import to_ts
from bot.config import Config
from bot.core.errors import UsageError
from bot.core.text import fmt
from bot.features import asks, checkins, contacts
from bot.storage.db import Tx
from bot.storage.people import Person


@dataclass(frozen=True)
class SnoozeRequest:
    """Who asked to snooze which one (`number`, for numbered kinds), by how long, and when."""

    person: Person
    number: int | None
    span: timedelta
    now: datetime
    config: Config


@dataclass(frozen=True)
class Snoozed:
    """What was moved: its kind and name (`f7`), what it is about, and its new time."""

    kind: str
    ref: str
    subject: str
    until: int


Snoozer = Callable[[Tx, SnoozeRequest], Awaitable[Snoozed]]


@dataclass(frozen=True)
class SnoozeKind:
    prefix: str
    name: str
    numbered: bool
    snooze: Snoozer

    @property
    def example(self) -> str:
        return f"{self.prefix}7" if self.numbered else self.prefix


async def _followup(tx: Tx, request: SnoozeRequest) -> Snoozed:
    assert request.number is not None
    moved = await contacts.snooze_followup(tx, request.person, request.number, request.span, to_ts(request.now))
    return Snoozed("follow-up", f"f{moved.id}", moved.contact_name, moved.due_at)


async def _claim(tx: Tx, request: SnoozeRequest) -> Snoozed:
    assert request.number is not None
    until = to_ts(request.now + request.span)
    ask = await asks.snooze_claim(tx, request.person, request.number, until)
    return Snoozed("reminders about your claim", f"c{ask.id}", ask.title, until)


async def _checkin(tx: Tx, request: SnoozeRequest) -> Snoozed:
    due = await checkins.snooze(tx, request.person, request.now + request.span, request.now, request.config)
    return Snoozed("check-in", "checkin", "your next check-in", to_ts(due))


KINDS: dict[str, SnoozeKind] = {}


def register(kind: SnoozeKind) -> None:
    """Add a kind of thing that can be snoozed (each prefix once)."""
    if kind.prefix in KINDS:
        raise ValueError(f"two snooze kinds share the prefix {kind.prefix!r}")
    KINDS[kind.prefix] = kind


register(SnoozeKind("f", "follow-up", True, _followup))
register(SnoozeKind("c", "claim reminder", True, _claim))
register(SnoozeKind("checkin", "check-in", False, _checkin))

_REF = re.compile(r"^#?([a-z][a-z-]*?)(\d{1,9})?$")


def describe_kinds() -> str:
    """`follow-ups (`f7`)`, for errors and help."""
    return ", ".join(f"{kind.name}s (`{kind.example}`)" for kind in KINDS.values())


async def snooze(tx: Tx, person: Person, thing: str, span: timedelta, now: datetime, config: Config) -> Snoozed:
    match = _REF.match(thing.strip().lower())
    kind = KINDS.get(match.group(1)) if match else None
    if match is None or kind is None or kind.numbered != (match.group(2) is not None):
        raise UsageError(
            fmt(
                "I can't tell what {thing} is. I can snooze {kinds}; `followups` lists yours. Example: `snooze f7 3d`.",
                thing=thing[:40],
                kinds=fmt(describe_kinds()),
            )
        )
    number = int(match.group(2)) if match.group(2) is not None else None
    return await kind.snooze(tx, SnoozeRequest(person, number, span, now, config))
