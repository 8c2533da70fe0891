"""Events and meetings (spec §15): posting, answering, listing, cancelling and editing.

An event is a series of occurrences (one, for an event that does not repeat); answers belong to
an occurrence. The next occurrence of a repeating event is written when the one before starts,
by wall time in the event's zone (`when.py`), so each always has its own answers and reminders.
An edit of the time writes a new occurrence that takes over the answers and marks the old one
'moved': reminders queued for the old time name an occurrence no longer to come and are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.areas.events import queries as store
from bot.areas.events import words
from bot.areas.events.records import Event, Occurrence
from bot.areas.events.when import RECENT, occurrence_start
from bot.clock import from_ts, to_ts
from bot.core.dates import When
from bot.core.errors import Conflict, NotAllowed, NotFound, UsageError
from bot.core.paging import Page, offset
from bot.ids import EventId, PersonId, Role
from bot.storage import outbox, persons
from bot.storage.db import Tx, actual
from bot.storage.persons import Person

#: How far past the next occurrence `event cancel <id> on:<date>` looks for one on that day.
SKIP_AHEAD = 2 * 366 * 86400
#: Occurrences called off ahead of their turn that `event <id>` names.
SKIPS_SHOWN = 5
MAX_LENGTH = timedelta(days=3)
DEFAULT_LENGTH = timedelta(hours=1)
MIN_LENGTH = timedelta(minutes=5)
PAGE_SIZE = 10


@dataclass(frozen=True)
class Audience:
    """Whom an event is for: everyone (neither), members with a skill, or members in a region
    (its display form and grouping key)."""

    skill: str | None = None
    region: tuple[str, str] | None = None


@dataclass(frozen=True)
class Changed:
    """An occurrence after it was posted, cancelled or edited; whom to tell (those it is for, or
    those who said yes or maybe; never the speaker); and, when one occurrence of a series was
    cancelled, the next one."""

    occurrence: Occurrence
    going: tuple[Person, ...]
    following: Occurrence | None = None
    was_at: int | None = None  # the start before an edit moved it
    fields: tuple[str, ...] = ()  # what an edit changed, as typed (`where`), for the audit
    withdrawn: int = 0  # news of a cancellation put back before it reached them, held back

    @property
    def soonest(self) -> int:
        """The earliest start this change is about (the old one, when an edit moved it later)."""
        return min(self.occurrence.starts_at, self.was_at or self.occurrence.starts_at)


@dataclass(frozen=True)
class Skipped:
    """A later occurrence of a series called off ahead of its turn: when it would have started,
    and the occurrence still to come before it."""

    starts_at: int
    upcoming: Occurrence


@dataclass(frozen=True)
class Resumed:
    """A series cancelled whole, put back: it goes on from its next date (answers start afresh)."""

    upcoming: Occurrence


@dataclass(frozen=True)
class View:
    occurrence: Occurrence  # the one happening now, else the one to come (else the last)
    mine: str | None
    names: tuple[tuple[str, str], ...] | None  # (answer, name) for leads only
    skipped: tuple[int, ...] = ()  # when later occurrences called off would have started
    following: Occurrence | None = None  # while one of a series is happening, the next one


@dataclass(frozen=True)
class Draft:
    """An event as a lead describes it (`event add`), or what an edit changes (None: unchanged)."""

    title: str | None
    when: When | None
    length: timedelta | None
    place: str | None
    every: str | None = None
    audience: Audience = Audience()


def _check_length(length: timedelta) -> int:
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise UsageError(words.length_range())
    return int(length.total_seconds())


def _start(when: When) -> tuple[int, int]:
    """The start (epoch seconds) and local minute of a date and time someone gave."""
    if when.at is None:
        raise UsageError(words.needs_time(when.day))
    return to_ts(when.moment(time(0))), when.at.hour * 60 + when.at.minute


async def post(tx: Tx, poster: Person, draft: Draft, now: int) -> Changed:
    """Post an event and write its first occurrence; returns it with the members it is for."""
    title = (draft.title or "").strip()
    if not title:
        raise UsageError(words.needs_title())
    assert draft.when is not None, "`event add` requires when:"
    starts, minute = _start(draft.when)
    seconds = _check_length(draft.length or DEFAULT_LENGTH)
    audience = draft.audience
    event_id = await store.create(
        tx,
        title=title,
        place=(draft.place or "").strip() or None,
        length_s=seconds,
        every=draft.every,
        tz=draft.when.zone.key,
        anchor=draft.when.day.isoformat(),
        at_minute=minute,
        skill=audience.skill,
        region=audience.region,
        posted_by=poster.id,
        now=now,
    )
    occurrence = await store.get_time(tx, await store.add_time(tx, event_id, 0, starts, starts + seconds, now))
    if audience.skill is None and audience.region is None:
        return Changed(occurrence, ())
    region_key = audience.region[1] if audience.region else None
    return Changed(occurrence, tuple(await store.invitees(tx, audience.skill, region_key, poster.id, now)))


async def get(tx: Tx, event_id: int) -> Event:
    event = await store.get(tx, EventId(event_id))
    if event is None:
        raise NotFound(words.refusal("missing", event_id))
    return event


async def write_next(tx: Tx, event: Event, now: int) -> Occurrence:
    """Write the next occurrence of a repeating event after its last one (never one in the past)."""
    seq = await store.last_seq(tx, event.id) + 1
    skipped = set(await store.skipped(tx, event.id, seq - 1))  # called off ahead of their turn
    while (starts := occurrence_start(event, seq)) <= now or seq in skipped:
        seq += 1
    return await store.get_time(tx, await store.add_time(tx, event.id, seq, starts, starts + event.length_s, now))


async def _current(tx: Tx, event: Event, now: int) -> Occurrence:
    """The event's occurrence to come (written now if the series is due one), else its last."""
    found = await store.upcoming(tx, event.id)
    if event.status == "on" and event.every and (found is None or found.status != "on"):
        return await write_next(tx, event, now)
    if found is None:
        raise NotFound(words.refusal("missing", event.id))
    return found


def _check_open(occurrence: Occurrence, now: int) -> None:
    """Refuse answers and changes to an occurrence that is cancelled or has started."""
    if occurrence.event_status != "on" or occurrence.status == "cancelled":
        raise Conflict(words.refusal("cancelled", occurrence.event_id))
    if occurrence.status != "on" or occurrence.starts_at <= now:
        raise Conflict(words.refusal("started", occurrence.event_id))


async def answer(tx: Tx, person: Person, event_id: int, status: str, now: int) -> tuple[Occurrence, str | None]:
    """Record someone's answer for the next occurrence; returns it and their answer before."""
    occurrence = await _current(tx, await get(tx, event_id), now)
    _check_open(occurrence, now)
    before = await store.answer_of(tx, occurrence.id, person.id)
    if before == status:  # "nothing changed": not even when they answered, which reminders go by
        return occurrence, before
    await store.answer(tx, occurrence.id, person.id, status, now)
    return await store.get_time(tx, occurrence.id), before


async def view(tx: Tx, viewer: Person, role: Role, event_id: int, now: int) -> View:
    """The event as it is now: the occurrence happening now, if one is (a latecomer looks for its
    room or link; a series' next one is written at its start, and named too), else the one to come."""
    event = await get(tx, event_id)
    current = await _current(tx, event, now)
    running = await store.happening(tx, event.id, now)
    occurrence = running or current
    following = current if running is not None and current.id != running.id and current.upcoming else None
    names = tuple(await store.names(tx, occurrence.id)) if role >= Role.LEAD else None
    later = await store.skipped(tx, event.id, current.seq) if current.upcoming else []
    skipped = tuple(occurrence_start(event, seq) for seq in later[:SKIPS_SHOWN])
    return View(occurrence, await store.answer_of(tx, occurrence.id, viewer.id), names, skipped, following)


async def listing(tx: Tx, viewer: Person, page: int, now: int) -> tuple[Page[Occurrence], dict[int, str]]:
    """Events happening now and to come, soonest first, with the viewer's own answers."""
    found, total = await store.listing(tx, PAGE_SIZE, offset(page, PAGE_SIZE), now)
    listed = Page.of(found, total, page, PAGE_SIZE, "events")
    return listed, await store.answers_of(tx, viewer.id, [o.id for o in found])


def _check_manager(event: Event, person: Person, role: Role, verb: str) -> None:
    if role < Role.LEAD and event.posted_by != person.id:
        raise NotAllowed(words.refusal("not yours", event.id, verb))


async def _to_change(
    tx: Tx, person: Person, role: Role, event_id: int, verb: str, now: int
) -> tuple[Event, Occurrence]:
    """The event `person` may `verb`, and its occurrence to come, open to change."""
    event = await get(tx, event_id)
    _check_manager(event, person, role, verb)
    occurrence = await _current(tx, event, now)
    _check_open(occurrence, now)
    return event, occurrence


async def _going(tx: Tx, occurrence: Occurrence, speaker: Person) -> tuple[Person, ...]:
    """Who said yes or maybe, but the speaker."""
    found = await persons.get_many(tx, [p for p in await store.going(tx, occurrence.id) if p != speaker.id])
    return tuple(found.values())


async def cancel(tx: Tx, person: Person, role: Role, event_id: int, whole: bool, now: int) -> Changed:
    """Cancel the next occurrence (a repeating event goes on with the one after), or with
    `whole` the event itself."""
    event, occurrence = await _to_change(tx, person, role, event_id, "cancel", now)
    return await _cancel(tx, person, event, occurrence, whole, now)


async def _cancel(tx: Tx, person: Person, event: Event, occurrence: Occurrence, whole: bool, now: int) -> Changed:
    going = await _going(tx, occurrence, person)
    await store.set_time_status(tx, occurrence.id, "cancelled")
    following = None
    if whole or not event.every:
        await store.set_status(tx, event.id, "cancelled", now)
    else:
        following = await write_next(tx, event, now)
    return Changed(await store.get_time(tx, occurrence.id), going, following)


async def cancel_on(tx: Tx, person: Person, role: Role, event_id: int, day: When, now: int) -> Changed | Skipped:
    """Cancel the occurrence on `day` (a date as the speaker typed it, in their zone): the next
    one, as `cancel` does, or a later one of a series ahead of its turn, whose number the series
    passes over when it gets there. Answers belong to the next occurrence only, so nobody has
    answered a later one and nobody is told."""
    event, occurrence = await _to_change(tx, person, role, event_id, "cancel", now)
    if _day_of(occurrence.starts_at, day) == day.day:
        return await _cancel(tx, person, event, occurrence, False, now)
    seq, starts = occurrence.seq, occurrence.starts_at
    while event.every and _day_of(starts, day) < day.day and starts < occurrence.starts_at + SKIP_AHEAD:
        seq += 1
        starts = occurrence_start(event, seq)
    if _day_of(starts, day) < day.day:
        raise UsageError(words.refusal("too far", event.id))
    if _day_of(starts, day) != day.day or seq == occurrence.seq:
        raise NotFound(words.not_on_day(occurrence, day.day, starts))
    if not await store.skip(tx, event.id, seq, now):
        raise Conflict(words.already_off(occurrence, starts))
    return Skipped(starts, occurrence)


async def restore(
    tx: Tx, person: Person, role: Role, event_id: int, day: When | None, now: int
) -> Changed | Skipped | Resumed:
    """Put back what a cancel took away (a slip, or plans back on): a cancelled occurrence still to
    come (the one cancelled last, or the one on `day`), a day called off ahead of its turn, or a
    series cancelled whole whose last occurrence has passed, which goes on from its next date.
    Those who had said yes or maybe keep their answers and are told, but for those whose news of
    the cancellation still waited for their waking hour: it is withdrawn. An occurrence the series
    moved on from comes back only while nobody is going to the one written in its place, which
    is dropped (two next meetings would split them)."""
    event = await get(tx, event_id)
    _check_manager(event, person, role, "restore")
    to_come = await store.cancelled_to_come(tx, event.id, now)
    cancelled = [o for o in to_come if day is None or _day_of(o.starts_at, day) == day.day]
    if not cancelled:
        return await _restore_other(tx, event, day, now)
    occurrence = cancelled[-1]  # the one cancelled last: each cancel takes the next one to come
    replacing = await store.upcoming(tx, event.id)
    if event.status != "on":
        await store.set_status(tx, event.id, "on", now)
    elif replacing is not None and replacing.status == "on":
        if replacing.starts_at < occurrence.starts_at or replacing.yes or replacing.maybe:
            raise Conflict(words.moved_on(occurrence, replacing))
        await store.drop_time(tx, replacing.id)
    await store.set_time_status(tx, occurrence.id, "on")
    await store.new_revision(tx, event.id, now)
    untold = await outbox.withdraw(tx, f"event.off:{occurrence.id}", "the occurrence was put back")
    going = await _going(tx, occurrence, person)
    told = tuple(p for p in going if p.id not in untold)
    return Changed(await store.get_time(tx, occurrence.id), told, withdrawn=len(going) - len(told))


async def _restore_other(tx: Tx, event: Event, day: When | None, now: int) -> Skipped | Resumed:
    """`restore` with no cancelled occurrence to come: a day called off ahead, or a whole series."""
    if day is None:
        if event.status == "on":
            raise NotFound(words.nothing_off(event.id))
        if not event.every:
            raise Conflict(words.refusal("over", event.id))
        await store.set_status(tx, event.id, "on", now)
        await store.new_revision(tx, event.id, now)
        return Resumed(await write_next(tx, event, now))
    if event.status == "on":
        upcoming = await _current(tx, event, now)
        for seq in await store.skipped(tx, event.id, upcoming.seq):
            if _day_of(starts := occurrence_start(event, seq), day) == day.day:
                await store.unskip(tx, event.id, seq)
                return Skipped(starts, upcoming)
    elif event.every:
        raise UsageError(words.refusal("whole series", event.id))
    raise NotFound(words.not_off(event.id, day.day))


def _day_of(ts: int, day: When) -> date:
    """The date of a moment where `day` was typed (the speaker's zone, or the one they named)."""
    return from_ts(ts).astimezone(day.zone).date()


#: An event's stored fields by the parameter of `event edit` that changes them.
_TYPED = {"title": "title", "place": "where", "length_s": "length", "tz": "when", "anchor": "when",
          "at_minute": "when", "anchor_seq": "when"}  # fmt: skip


async def edit(tx: Tx, person: Person, role: Role, event_id: int, edits: Draft, now: int) -> Changed:
    """Change the event; a new time moves its next occurrence (and the series from there)."""
    _, occurrence = await _to_change(tx, person, role, event_id, "edit", now)
    if edits.title is None and edits.place is None and edits.length is None and edits.when is None:
        raise UsageError(words.refusal("change what", occurrence.event_id))
    changes: dict[str, str | int | None] = {}
    if edits.title is not None:
        if not edits.title.strip():
            raise UsageError(words.needs_title())
        changes["title"] = edits.title.strip()
    if edits.place is not None:
        changes["place"] = edits.place.strip() or None
    was = occurrence.ends_at - occurrence.starts_at
    length = _check_length(edits.length) if edits.length is not None else was
    changes["length_s"] = length
    starts = occurrence.starts_at
    if edits.when is not None:
        starts, minute = _start(edits.when)
        if (starts, edits.when.zone.key) != (occurrence.starts_at, occurrence.tz):
            changes.update(tz=edits.when.zone.key, anchor=edits.when.day.isoformat(), at_minute=minute)
            changes["anchor_seq"] = occurrence.seq
    changes = actual(changes, {"title": occurrence.title, "place": occurrence.place, "length_s": was})
    if not changes:
        raise Conflict(words.refusal("unchanged", occurrence.event_id))
    await store.update_fields(tx, occurrence.event_id, changes, now)
    # News of an earlier edit still waiting for someone's waking hour is superseded: this one's
    # notice tells them how the event stands now, once (spec §15).
    await outbox.withdraw(tx, f"event.change:{occurrence.id}", "a later edit superseded it")
    after = occurrence.id
    if starts != occurrence.starts_at:
        after = await store.add_time(tx, occurrence.event_id, occurrence.seq, starts, starts + length, now)
        await store.set_time_status(tx, occurrence.id, "moved")
        await store.move_answers(tx, occurrence.id, after)
    elif length != was:
        await store.set_end(tx, occurrence.id, starts + length)
    moved = await store.get_time(tx, after)
    typed = dict.fromkeys(_TYPED[field] for field in changes)
    return Changed(moved, await _going(tx, moved, person), was_at=occurrence.starts_at, fields=tuple(typed))


async def started(tx: Tx, now: int) -> None:
    """Mark occurrences that have started, and write the next one of each repeating event."""
    for occurrence in await store.started(tx, now):
        await store.set_time_status(tx, occurrence.id, "past")
    for event in await store.lacking_next(tx):
        await write_next(tx, event, now)


async def common_ground(tx: Tx, now: int) -> dict[PersonId, frozenset[str]]:
    """Who said yes to an event that ended in the last week, by the events' titles: two members
    who both went have something to talk about (the pairing round prefers them, if they have not
    met)."""
    found: dict[PersonId, set[str]] = {}
    for person_id, title in await store.attended(tx, now - RECENT, now):
        found.setdefault(person_id, set()).add(title)
    return {person_id: frozenset(titles) for person_id, titles in found.items()}
