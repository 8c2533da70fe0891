"""What an area declares, gathered in one value for `bot.catalog` to compose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.commands import Command
from bot.core.context import Context, Hook, ListingSource, PlainHandler, SnoozeKind
from bot.scheduling.job import Job, Relevance
from bot.scheduling.reminders import Reminder


@dataclass(frozen=True)
class Area:
    """One area's declarations: commands, scheduled work, and what it offers the others.

    `todo` adds lines to `mine`; `offers` to a new volunteer's welcome; `snoozes` are the things
    `snooze` can move; `zone_changed` runs when someone changes timezone; `plain` may answer a
    private message that is not a command; `relevance` tells the deliverer whether a queued
    message about one of its subjects still matters.
    """

    name: str
    commands: Sequence[Command[Context]] = ()
    reminders: Sequence[Reminder[Any]] = ()
    jobs: Sequence[Job] = ()
    relevance: Sequence[Relevance] = ()
    todo: Sequence[ListingSource] = ()
    offers: Sequence[ListingSource] = ()
    snoozes: Sequence[SnoozeKind] = ()
    zone_changed: Sequence[Hook] = ()
    plain: Sequence[PlainHandler] = ()
