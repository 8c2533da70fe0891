"""What a handler gets: the open transaction, the speaker, the time, ways to reach others, and the
catalog of what the other areas offer (for `help`, `mine`, `snooze`).

Areas never import each other's insides to build a to-do list or snooze a reminder: each area
declares what it contributes (`Listing` sources, `SnoozeKind`s, hooks) and the catalog hands
them to whoever asks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import to_ts
from bot.config import Config
from bot.core.commands import Registry
from bot.core.dates import When
from bot.core.errors import UserError
from bot.core.messages import Button, Incoming, Reply
from bot.core.notices import announce_targets, to_channel, to_people, to_person
from bot.core.text import Rich
from bot.core.timing import person_zone
from bot.ids import PersonId, Role
from bot.storage import audit, outbox, persons
from bot.storage.db import Tx
from bot.storage.persons import Person


@dataclass(frozen=True)
class Listing:
    """A few lines an area contributes to another's reply (`mine`, `volunteer`): a heading, the
    lines, the next step it suggests if it comes first, and its place among the others (`rank`,
    lowest first: what a person is doing comes before what waits for them)."""

    heading: Rich
    lines: tuple[Rich, ...]
    next_step: Rich | None = None
    rank: int = 50


@dataclass(frozen=True)
class Snoozed:
    """What was moved: its kind and name (`f7`), what it is about, and its new time."""

    kind: str
    ref: str
    subject: str
    until: int


#: How much later (`3d`), or until when (`friday`): what `snooze` was told.
Later = timedelta | When


@dataclass(frozen=True)
class SnoozeKind:
    """A kind of thing the bot reminds of that `snooze` can move: `f7` is follow-up 7."""

    prefix: str
    name: str
    numbered: bool
    snooze: Callable[[Context, int | None, Later], Awaitable[Snoozed]]

    @property
    def example(self) -> str:
        return f"{self.prefix}7" if self.numbered else self.prefix


ListingSource = Callable[["Context"], Awaitable[Listing | None]]
#: Lines an area adds to the view of one subject of another area (its kind and id: `ask`, 12).
DetailSource = Callable[["Context", int], Awaitable[Listing | None]]
PlainHandler = Callable[["Context", str], Awaitable[Sequence[Reply] | None]]
Hook = Callable[["Context"], Awaitable[None]]
#: Run when a person's zone changed, with the zone they had: a time moved off the schedule (a
#: snoozed check-in) keeps its local wall-clock time only if the hook knows whose clock it was.
ZoneHook = Callable[["Context", ZoneInfo], Awaitable[None]]
#: What members shared lately, as labels per member (at `now`, epoch seconds): two members with a
#: label in common (an event both went to) have something to talk about, which the pairing round
#: weighs like a shared interest.
CommonGround = Callable[[Tx, int], Awaitable[Mapping[PersonId, frozenset[str]]]]


@dataclass(frozen=True)
class Catalog:
    """Everything the areas declared, for handlers that speak about the bot as a whole."""

    registry: Registry[Context]
    todo: tuple[ListingSource, ...] = ()
    offers: tuple[ListingSource, ...] = ()
    snoozes: Mapping[str, SnoozeKind] = field(default_factory=dict)
    zone_changed: tuple[ZoneHook, ...] = ()
    plain: tuple[PlainHandler, ...] = ()
    leftover: tuple[PlainHandler, ...] = ()
    common_ground: tuple[CommonGround, ...] = ()
    joined: tuple[Hook, ...] = ()
    details: Mapping[str, tuple[DetailSource, ...]] = field(default_factory=dict)
    #: The kinds of message that stay queued when whoever caused them is forgotten (`DeliveryRule`).
    outlasting: frozenset[str] = frozenset()

    async def offer(self, ctx: Context, handlers: tuple[PlainHandler, ...]) -> list[Reply] | None:
        """A private message's text offered to `plain` or `leftover` handlers: the replies of the
        first that takes it; None when none does. One that refuses it (an answer over the limit,
        or blank) is answered with why, privately, and what it wrote is undone, as for a command:
        the message is none, so no command's handling would catch it (it ended in the apology)."""
        for handler in handlers:
            try:
                async with ctx.tx.savepoint():
                    handled = await handler(ctx, ctx.incoming.text)
            except UserError as error:
                return [Reply(error.message, sensitive=True)]
            if handled is not None:
                return list(handled)
        return None

    async def details_of(self, ctx: Context, kind: str, ident: int) -> list[Listing]:
        """What other areas add to the view of one subject (`ask 12`: its shared resources)."""
        found = [await source(ctx, ident) for source in self.details.get(kind, ())]
        return sorted((listing for listing in found if listing is not None), key=lambda listing: listing.rank)


@dataclass
class Context:
    """One command's world. `now` is fixed for the whole command so its effects agree."""

    tx: Tx
    now: datetime
    config: Config
    catalog: Catalog
    incoming: Incoming
    speaker: Person
    role: Role
    zone: ZoneInfo
    audited: bool = False
    erased: bool = False  # personal data was deleted: once committed, leave no copy in the log
    #: Where the audit goes when `tx` only reads (a command declared `reads`): written after the reply.
    behind: Tx | None = None

    @property
    def ts(self) -> int:
        return to_ts(self.now)

    @property
    def registry(self) -> Registry[Context]:
        return self.catalog.registry

    async def notify(
        self,
        person_id: PersonId,
        text: Rich,
        *,
        key: str,
        kind: str,
        buttons: Sequence[Button] = (),
        at: datetime | None = None,
        subject: str | None = None,
    ) -> None:
        """Queue a private message to someone, sent at their next waking moment from `at` (now by
        default). The key makes it unique: queuing the same key twice sends once.

        It is queued for `at` itself, without reading the person: the deliverer checks their
        quiet hours (and pause, and whether they are still here) when it comes to send it, as it
        checks every message every time, and holds it until they are awake. Reading them here
        cost PostgreSQL two round trips (the command's held-back writes to `people`, then the
        read) out of a `done`'s eleven; now those writes go with the COMMIT."""
        when = at or self.now
        message = to_person(
            person_id, None, text, key=key, kind=kind, at=when, config=self.config,
            buttons=buttons, subject=subject, send_at=to_ts(when), caused_by=self.speaker.id,
        )  # fmt: skip
        await outbox.queue(self.tx, [message], self.ts)

    async def notify_people(
        self,
        recipients: Sequence[Person],
        text: Rich,
        *,
        key_prefix: str,
        kind: str,
        send_at: int | None = None,
        buttons: Sequence[Button] = (),
        subject: str | None = None,
    ) -> None:
        """The same private message to many people, each at their own waking moment (or at
        `send_at`, for a kind the deliverer may send at any hour)."""
        messages = to_people(
            recipients, text, key_prefix=key_prefix, kind=kind, at=self.now, config=self.config,
            buttons=buttons, subject=subject, send_at=send_at, caused_by=self.speaker.id,
        )  # fmt: skip
        await outbox.queue(self.tx, messages, self.ts)

    async def announce(self, text: Rich, *, key: str, kind: str, buttons: Sequence[Button] = ()) -> None:
        """Post publicly in every channel the config names for announcements (none by default)."""
        posts = [
            to_channel(
                target, text, key=f"{key}:{target}", kind=kind, at=self.now, buttons=buttons, caused_by=self.speaker.id
            )
            for target in announce_targets(self.config)
        ]
        await outbox.queue(self.tx, posts, self.ts)

    async def zone_moved(self, before: Person) -> None:
        """A person's timezone may just have changed (`profile tz:`, filled from their signature,
        two accounts linked): `before` is how they were. If the zone they read times in is another
        now, what each area keeps at a local time (a check-in at 10:00) moves with it (the areas'
        `zone_changed` hooks, run for them as the speaker, told the zone they had). The same zone
        moves nothing: a hook recomputes from the schedule, and would undo a snooze."""
        after = await persons.get(self.tx, before.id)
        was = person_zone(before, self.config)
        if after is None or person_zone(after, self.config).key == was.key:
            return
        moved = self if self.speaker.id == after.id else dataclasses.replace(self, speaker=after)
        for hook in self.catalog.zone_changed:
            await hook(moved, was)

    async def audit(
        self, action: str, subject: str, detail: str = "", *, actor: PersonId | None = None, view: bool = False
    ) -> None:
        """Record a privileged action; `actor` when the speaker's own record changed (a link, a
        forget); `view` for a read-only use, which `audit` shows only when asked."""
        self.audited = True
        actor_id = actor if actor is not None else self.speaker.id
        await audit.record(self.behind or self.tx, actor_id, action, subject, detail, self.ts, view=view)
