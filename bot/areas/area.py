"""What an area declares, gathered in one value for `bot.catalog` to compose."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.commands import Command
from bot.core.context import (
    Catalog,
    CommonGround,
    Context,
    DetailSource,
    Hook,
    ListingSource,
    PlainHandler,
    SnoozeKind,
    ZoneHook,
)
from bot.scheduling.job import DeliveryRule, Job, Relevance, View
from bot.scheduling.reminders import Reminder

#: A job that needs what the other areas declared (the pairing round weighs their common ground).
JobMaker = Callable[[Catalog], Job]


@dataclass(frozen=True)
class Area:
    """One area's declarations: commands, scheduled work, and what it offers the others.

    `todo` adds lines to `mine`; `offers` to a new volunteer's welcome; `snoozes` are the things
    `snooze` can move; `zone_changed` runs when someone changes timezone; `plain` may answer a
    private message that is not a command, and `leftover` take one that is no command at all
    before the bot says it didn't catch it; `common_ground` tells the pairing round what members
    shared lately; `relevance` tells the deliverer whether a queued message about one of its
    subjects still matters, `views` how a part of one about a subject reads when it is sent, and
    `delivery` how its kinds of message are delivered where they differ from an ordinary one
    (quiet hours, the one bundle a day); `joined` runs when someone joins the server or main room;
    `details` adds lines to another area's view of one subject, by the subject's kind
    (`{"ask": (resources_of_ask,)}` lists an ask's resources under `ask 12`).
    """

    name: str
    commands: Sequence[Command[Context]] = ()
    reminders: Sequence[Reminder[Any]] = ()
    jobs: Sequence[Job | JobMaker] = ()
    relevance: Sequence[Relevance] = ()
    views: Sequence[View] = ()
    delivery: Sequence[DeliveryRule] = ()
    todo: Sequence[ListingSource] = ()
    offers: Sequence[ListingSource] = ()
    snoozes: Sequence[SnoozeKind] = ()
    zone_changed: Sequence[ZoneHook] = ()
    plain: Sequence[PlainHandler] = ()
    leftover: Sequence[PlainHandler] = ()
    common_ground: Sequence[CommonGround] = ()
    joined: Sequence[Hook] = ()
    details: Mapping[str, Sequence[DetailSource]] = field(default_factory=dict)
