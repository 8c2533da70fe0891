"""Reminders declared by the areas, and the one engine that runs them all.

A reminder says what has come due (an indexed "next reminder" column read by `due`), when the
next one will (`next_due`), what to say and which one-click next steps to offer, and how to mark
an item reminded (`settle`) — or, for a paused person, to look again when the pause ends
(`postpone`; without it a paused person's reminder is skipped, unless it comes `despite_pause`).
Its items name the person they are for (`person_id`); the functions take one `Round` of the
sweep, so an area's queries can be declared directly. The engine turns each into a
sweep `Job`: it loads the people in one query, queues one bundled private message per item at
the person's next waking moment (keyed, so a repeated sweep queues nothing twice) and settles
the items, all in the sweep's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.messages import Button
from bot.core.notices import to_person
from bot.core.text import Rich
from bot.ids import PersonId
from bot.scheduling.job import Job
from bot.scheduling.shares import size
from bot.storage import outbox, persons
from bot.storage.db import Tx
from bot.storage.outbox import OutboxMessage
from bot.storage.persons import Person

#: Items a transaction at most (`shares.size`): a week's backlog goes in shares, commands writing
#: in between.
BATCH = 50
DAY = 86400


class Due(Protocol):
    """An item a reminder found due: whom it is for."""

    @property
    def person_id(self) -> PersonId: ...


I = TypeVar("I", bound=Due)  # noqa: E741 - an item, as each reminder's `due` query returns it


@dataclass(frozen=True)
class Round:
    """One sweep's look at a reminder: now (epoch seconds), at most how many items, the config."""

    now: int
    limit: int
    config: Config


@dataclass(frozen=True)
class Reminder(Generic[I]):
    """One kind of reminder (`nudge.claim`: a claim with no update for a week).

    `subject` is what its messages are about (`claim` makes `claim:<subject_id>`, checked again
    before sending); `key` makes each message unique, so a repeated sweep queues nothing twice.
    `words` says it (its times as `Moment`s, put into words in the reader's zone when it is sent).
    `send_at`, when given, is the moment a message is for, left to the deliverer and the rules of
    its kind (an event starting within the hour may wake); by default it waits for the person's
    next waking moment. `despite_pause`: queued for a paused person too, as its kind's
    `DeliveryRule` then delivers it (an event they said they would go to).
    """

    name: str
    kind: str
    subject: str
    due: Callable[[Tx, Round], Awaitable[Sequence[I]]]
    next_due: Callable[[Tx, Round], Awaitable[int | None]]
    subject_id: Callable[[I], int]
    key: Callable[[I], str]
    words: Callable[[I, datetime], Rich]
    buttons: Callable[[I], tuple[Button, ...]]
    settle: Callable[[Tx, I, Round], Awaitable[None]]
    postpone: Callable[[Tx, I, int], Awaitable[None]] | None = None
    send_at: Callable[[I], int] | None = None
    despite_pause: bool = False

    def job(self) -> Job:
        """This reminder as a sweep job."""

        async def run(tx: Tx, now: datetime, config: Config) -> bool:
            share = size(BATCH)
            return await remind(tx, self, now, config, share) == share  # a full share: there may be more

        async def next_due(tx: Tx, now: datetime, config: Config) -> datetime | None:
            found = await self.next_due(tx, Round(to_ts(now), BATCH, config))
            return None if found is None else from_ts(found)

        return Job(self.name, run, next_due)


async def remind(tx: Tx, reminder: Reminder[I], now: datetime, config: Config, share: int) -> int:
    """Queue the first `share` due items of one reminder and settle them; returns how many."""
    now_ts = to_ts(now)
    sweeping = Round(now_ts, share, config)
    items = await reminder.due(tx, sweeping)
    people = await persons.get_many(tx, sorted({item.person_id for item in items}))
    messages: list[OutboxMessage] = []
    for item in items:
        person = people.get(item.person_id)
        paused = person is not None and person.paused(now_ts) and not reminder.despite_pause
        if person is not None and paused and reminder.postpone is not None:
            await reminder.postpone(tx, item, pause_end(person, now_ts))
            continue
        await reminder.settle(tx, item, sweeping)
        if person is None or paused:
            continue
        messages.append(
            to_person(
                person.id,
                person,
                reminder.words(item, now),
                key=reminder.key(item),
                kind=reminder.kind,
                at=now,
                config=config,
                buttons=reminder.buttons(item),
                bundle=True,
                subject=f"{reminder.subject}:{reminder.subject_id(item)}",
                send_at=reminder.send_at(item) if reminder.send_at is not None else None,
            )
        )
    await outbox.queue(tx, messages, now_ts)
    return len(items)


def pause_end(person: Person, now: int) -> int:
    """When to look again at a paused person's reminder: the end of the pause, or tomorrow."""
    return person.paused_until if person.paused_until is not None else now + DAY
