"""Check-ins (spec §5): a personal schedule in local time, questions asked, answers kept.

A schedule says "every day / week / other week, on this weekday, at this local time". Its next
moment is stored in UTC (`next_due_at`) so the sweep finds due check-ins with one indexed
query, and is recomputed whenever it could change: after asking, on a new schedule, and when the
person changes timezone. If the bot was down over several occurrences, only the latest is asked,
and it stands for the day's own when that was still to come (`ask_due`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.areas.checkins import queries as store
from bot.areas.checkins import words
from bot.areas.checkins.queries import Checkin, Schedule
from bot.clock import from_ts, to_ts
from bot.config import WEEKDAYS, Config
from bot.core.dates import When
from bot.core.errors import Conflict, TooLong, UsageError
from bot.core.timing import next_send_time, person_quiet, person_zone
from bot.ids import PersonId
from bot.storage import persons
from bot.storage.db import Tx
from bot.storage.persons import Person
from bot.zones import Quiet, later_by, localize

ANSWER_MAX = 2000
#: How long after answering a check-in a private message that is no command adds to the answer.
ADDING = timedelta(minutes=30)


@dataclass(frozen=True)
class Asked:
    """A check-in just asked: who, and which one."""

    person: Person
    checkin_id: int
    due_at: int


@dataclass(frozen=True)
class Overview:
    """Recent answers, and who was asked but has not answered."""

    answered: tuple[Checkin, ...]
    waiting: tuple[Checkin, ...]


def _matches(schedule: Schedule, day: date) -> bool:
    if schedule.every == "day":
        return True
    if day.weekday() != schedule.weekday:
        return False
    if schedule.every == "2weeks":
        return ((day - date.fromisoformat(schedule.anchor)).days // 7) % 2 == 0
    return True


def _at(schedule: Schedule) -> time:
    return time(schedule.at_minute // 60, schedule.at_minute % 60)


def next_occurrence(schedule: Schedule, tz: ZoneInfo, after: datetime) -> datetime:
    """The first scheduled moment strictly after `after`, in the person's zone."""
    start = after.astimezone(tz).date()
    for ahead in range(16):
        day = start + timedelta(days=ahead)
        if _matches(schedule, day):
            moment = localize(day, _at(schedule), tz)
            if moment > after:
                return moment
    raise ValueError("a schedule always has an occurrence within two weeks")


def first_asked(schedule: Schedule, person: Person, tz: ZoneInfo, now: int, config: Config) -> int | None:
    """When the next check-in will really reach the person: `ask_due` skips those in a pause
    (`Person.reached`), and one due in their quiet hours waits for them to end; "The first is
    Mon 00:00" was said of a question that came at 09:00."""
    return held(schedule, person, tz, now, config)[0]


def held(schedule: Schedule, person: Person, tz: ZoneInfo, now: int, config: Config) -> tuple[int | None, Quiet | None]:
    """`first_asked`, and the person's quiet hours when they hold that check-in back."""
    due = person.reached(now, schedule.next_due_at, lambda after: to_ts(next_occurrence(schedule, tz, from_ts(after))))
    if due is None:
        return None, None
    sent = next_send_time(person, config, from_ts(due))
    return sent, person_quiet(person, config) if sent != due else None


def quiet_over(schedule: Schedule, person: Person, config: Config) -> Quiet | None:
    """The person's quiet hours when the check-in's time of day is inside them (so each question
    waits for them to end); None when it is not."""
    quiet = person_quiet(person, config)
    return quiet if quiet.contains(schedule.at_minute) else None


def latest_occurrence(schedule: Schedule, tz: ZoneInfo, at_or_before: datetime) -> datetime | None:
    """The last scheduled moment at or before the given one (within two weeks)."""
    start = at_or_before.astimezone(tz).date()
    for back in range(16):
        day = start - timedelta(days=back)
        if _matches(schedule, day):
            moment = localize(day, _at(schedule), tz)
            if moment <= at_or_before:
                return moment
    return None


async def schedule(
    tx: Tx, person: Person, *, every: str | None, on: str | None, at: time | None, now: datetime, config: Config
) -> tuple[Schedule, bool]:
    """Turn check-ins on, or change them: what is not given stays as it was (`checkin at:9:00`
    keeps the Friday), and a first schedule is weekly, on Monday, at 10:00. `checkin` alone with
    check-ins on changes nothing (False): it used to put a Friday 17:00 back to Monday 10:00."""
    current = await store.schedule_of(tx, person.id)
    if current is not None and every is None and on is None and at is None:
        return current, False
    often = every or (current.every if current else "week")
    weekday = current.weekday if current else None
    if often in WEEKDAYS:
        weekday, often = WEEKDAYS.index(often), "week"
    if on is not None:
        often, weekday = ("week" if often == "day" else often), WEEKDAYS.index(on)
    if often == "day":
        weekday = None
    minute = at.hour * 60 + at.minute if at is not None else (current.at_minute if current else 10 * 60)
    same_days = current is not None and (current.every, current.weekday) == (often, weekday)
    anchor = current.anchor if current is not None and same_days else None  # (which weeks a fortnight's are)
    return await _set_schedule(tx, person, often, weekday, minute, anchor, now, config), True


async def _set_schedule(
    tx: Tx, person: Person, every: str, weekday: int | None, at_minute: int, anchor: str | None, now: datetime,
    config: Config,
) -> Schedule:  # fmt: skip
    tz = person_zone(person, config)
    if every in ("week", "2weeks") and weekday is None:
        weekday = 0
    draft = Schedule(person.id, every, weekday, at_minute, anchor or now.astimezone(tz).date().isoformat(), 0)
    due = next_occurrence(draft, tz, now)
    schedule = Schedule(person.id, every, weekday, at_minute, draft.anchor, to_ts(due))
    await store.save_schedule(tx, schedule, to_ts(now))
    return schedule


async def turn_off(tx: Tx, person: Person) -> Schedule:
    """Stop the person's check-ins; returns the schedule they had (the reply says how to get it back)."""
    schedule = await store.schedule_of(tx, person.id)
    if schedule is None:
        raise Conflict(words.none_scheduled())
    await store.delete_schedule(tx, person.id)
    return schedule


async def reschedule(tx: Tx, person_id: PersonId, was: ZoneInfo, now: datetime, config: Config) -> None:
    """Move the next check-in to the person's new zone (they had `was`): one on schedule is
    recomputed there ("Monday 10:00" stays Monday 10:00 where they are now); one snoozed off the
    schedule keeps its local date and time, since a new zone used to put a snooze back on the
    schedule. A snoozed one whose local time is already past in the new zone keeps its moment.
    On schedule in the new zone is on schedule too: a linked account's check-ins come with the
    zone they were kept in. A day whose question was already asked is not asked again in the new
    zone: asked Monday 10:00 in London, then in Chicago at 05:00, its Monday 10:00 came too."""
    schedule = await store.schedule_of(tx, person_id)
    person = await persons.get(tx, person_id)
    if schedule is None or person is None:
        return
    tz = person_zone(person, config)
    due = next_occurrence(schedule, tz, now)
    on_schedule = {to_ts(due), to_ts(next_occurrence(schedule, was, now))}
    if schedule.next_due_at > to_ts(now) and schedule.next_due_at not in on_schedule:
        snoozed = from_ts(schedule.next_due_at).astimezone(was)
        kept = localize(snoozed.date(), snoozed.time(), tz)
        due = kept if kept > now else from_ts(schedule.next_due_at)
    else:
        due = await _after_last_asked(tx, schedule, person_id, due, was, tz)
    await store.set_next_due(tx, person_id, to_ts(due))


async def _after_last_asked(
    tx: Tx, schedule: Schedule, person_id: PersonId, due: datetime, was: ZoneInfo, tz: ZoneInfo
) -> datetime:
    """`due`, the next on schedule in `tz`, or the first after it on a later local day than the
    day the latest question was asked for (in `was`, the zone it was asked in)."""
    last = await store.last_asked(tx, person_id)
    if last is None:
        return due
    asked_for = from_ts(last).astimezone(was).date()
    for _ in range(3):  # (the zones' dates differ by a day at most)
        if due.astimezone(tz).date() > asked_for:
            break
        due = next_occurrence(schedule, tz, due)
    return due


async def snooze(tx: Tx, person: Person, later: timedelta | When, now: datetime, tz: ZoneInfo) -> datetime:
    """Move the next check-in `later` later (from now, if it is somehow overdue), or to a date (at
    its usual time of day, without a time; `1d` keeps its clock time in `tz`, the person's zone, across
    a change of clocks); the ones after it keep to the schedule. A snooze only
    moves it later: `snooze checkin tomorrow` after `snooze checkin 2w` brought it back two weeks,
    and `0d` left it where it was, each called "Moved"."""
    schedule = await store.schedule_of(tx, person.id)
    if schedule is None:
        raise Conflict(words.none_scheduled())
    current = max(from_ts(schedule.next_due_at), now)
    due = later.moment(_at(schedule)) if isinstance(later, When) else later_by(current, later, tz)
    if due <= current:
        raise Conflict(words.not_later(to_ts(current), due == current, schedule))
    await store.set_next_due(tx, person.id, to_ts(due))
    return due


async def ask_due(tx: Tx, now: datetime, config: Config, limit: int) -> tuple[list[Asked], bool]:
    """The first `limit` check-ins that have come due: recorded, and the schedule moved on; and
    whether there may be more (`limit` schedules were due).

    A paused person is skipped (their schedule still moves on). After downtime only the most
    recent missed occurrence is asked, never one per missed occurrence, and it counts as the
    day's own: back at 10:00 after missing yesterday's 12:00, the missed one is asked at once and
    today's 12:00 is not (two questions two hours apart, the first not yet answered, were one too
    many). So is a snoozed one: `snooze checkin 23h` on a daily 12:00 is that day's (`_following`).
    """
    asked: list[Asked] = []
    now_ts = to_ts(now)
    remind_after = timedelta(days=config.nudges.checkin_answer_days)
    schedules = await store.due_schedules(tx, now_ts, limit)
    people = await persons.get_many(tx, [schedule.person_id for schedule in schedules])
    for schedule in schedules:
        person = people.get(schedule.person_id)
        if person is None:
            continue
        tz = person_zone(person, config)
        # The latest scheduled moment (only one is asked after downtime), or the moment it was
        # snoozed to when that is later.
        latest = latest_occurrence(schedule, tz, now)
        occurrence = max(latest, from_ts(schedule.next_due_at)) if latest else from_ts(schedule.next_due_at)
        if person.paused(now_ts):
            await store.set_next_due(tx, person.id, to_ts(next_occurrence(schedule, tz, now)))
            continue
        await store.set_next_due(tx, person.id, to_ts(_following(schedule, person, config, tz, now)))
        # Its "not answered" reminder counts from when the question reaches them: one missed in
        # downtime and asked now was nudged an hour later as open "since Monday".
        reaches = max(next_send_time(person, config, occurrence), now_ts)
        checkin_id = await store.add(tx, person.id, to_ts(occurrence), reaches + int(remind_after.total_seconds()))
        if checkin_id is not None:
            asked.append(Asked(person, checkin_id, to_ts(occurrence)))
    store.count_asked(tx, [a.person.id for a in asked])
    return asked, len(schedules) == limit


def _following(schedule: Schedule, person: Person, config: Config, tz: ZoneInfo, now: datetime) -> datetime:
    """The check-in after one asked `now`: the first on schedule to reach the person on a later
    local day than this one does (quiet hours counted), so one question a day at most. On time it
    is simply the next: a daily check-in's comes a day later, even one at 23:59 held to 09:00."""

    def reaches(moment: datetime) -> date:
        return from_ts(next_send_time(person, config, moment)).astimezone(tz).date()

    asked = reaches(now)
    moment = next_occurrence(schedule, tz, now)
    for _ in range(3):  # (one is passed over at most: no schedule has two a day)
        if reaches(moment) > asked:
            break
        moment = next_occurrence(schedule, tz, moment)
    return moment


async def next_due(tx: Tx) -> int | None:
    return await store.next_schedule_due(tx)


async def record_answer(tx: Tx, person: Person, text: str, now: int) -> Checkin | None:
    """Keep the answer to the person's open check-in; None if nothing is waiting for one."""
    open_checkin = await store.open_for(tx, person.id)
    if open_checkin is None:
        return None
    if not text.strip():  # (a message of spaces was kept as an empty answer)
        raise UsageError(words.empty_answer())
    if len(text.strip()) > ANSWER_MAX:
        raise TooLong(words.answer_too_long(ANSWER_MAX, len(text.strip())))
    await store.answer(tx, open_checkin, text.strip(), now)
    return open_checkin


async def add_to_answer(tx: Tx, person: Person, text: str, now: int) -> Checkin | None:
    """The rest of an answer just given: people say a thought in two messages ("also need a
    printer"), and the second was answered "I didn't catch that" and lost. None when the person
    answered no check-in in the last `ADDING`, or the message is blank. One that would take the
    answer over `ANSWER_MAX` is refused, and the answer kept as it was."""
    latest = await store.answered_since(tx, person.id, now - int(ADDING.total_seconds()))
    if latest is None or not text.strip():
        return None
    combined = "\n".join(part for part in (latest.answer, text.strip()) if part)
    if len(combined) > ANSWER_MAX:
        room = max(ANSWER_MAX - len(latest.answer or "") - 1, 0)
        raise TooLong(words.addition_too_long(ANSWER_MAX, latest.due_at, room))
    await store.amend_answer(tx, latest, combined)
    return latest


async def overview(tx: Tx, member: Person | None, now: int, days: int = 14) -> Overview:
    """Check-ins asked in the last `days`, newest first (at most 200, for chat), and the people
    whose latest one waits for an answer."""
    since = now - days * 86400
    recent = await store.recent(tx, since, [member.id] if member else None, 200)
    answered = tuple(c for c in recent if c.answered_at is not None)
    latest: dict[PersonId, Checkin] = {}
    for checkin in recent:  # newest first: a later answer settles an earlier skipped question
        latest.setdefault(checkin.person_id, checkin)
    waiting = tuple(c for c in latest.values() if c.answered_at is None and c.due_at <= now)
    return Overview(answered, waiting)


@dataclass(frozen=True)
class Board:
    """Every check-in of the last days, for the leads' dashboard: whose latest waits for an
    answer, and the answers in the order shown, each with whether `board`'s rule flagged it."""

    waiting: tuple[Checkin, ...]
    answers: tuple[tuple[Checkin, bool], ...]
    total: int


async def board(tx: Tx, now: int, days: int, shown: int | None, flag: Callable[[str | None], bool]) -> Board:
    """The whole table, never cut (a list of 200 lost its oldest unanswered ones): those waiting,
    then the answers `flag` marks (a blocker), then the others, newest answered first. Only the
    first `shown` rows are read whole (all of them with None): at national scale the last two
    weeks hold 15,000 answers, which are ordered from their text alone."""
    since = now - days * 86400
    waiting = await store.waiting_since(tx, since, now)
    answers = [(checkin_id, flag(text), at) for checkin_id, text, at in await store.answers_since(tx, since)]
    answers.sort(key=lambda answer: (not answer[1], -answer[2]))
    room = len(waiting) + len(answers) if shown is None else shown
    picked = answers[: max(room - len(waiting), 0)]
    flagged = {checkin_id: marked for checkin_id, marked, _ in picked}
    found = await store.by_ids(tx, [checkin_id for checkin_id, _, _ in picked])
    answered = tuple((checkin, flagged[checkin.id]) for checkin in found)
    return Board(tuple(waiting[:room]), answered, len(waiting) + len(answers))


async def schedule_of(tx: Tx, person: Person) -> Schedule | None:
    return await store.schedule_of(tx, person.id)


async def waiting(tx: Tx, person: Person) -> Checkin | None:
    """The person's latest check-in, when it was asked and still waits for an answer."""
    return await store.open_for(tx, person.id)
