"""Everything the check-ins area says: schedules, the question, answers, reminders, the leads'
view."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.checkins.queries import Checkin, Schedule
from bot.config import WEEKDAYS
from bot.core.names import fold
from bot.core.text import Moment, Rich, fmt, lines
from bot.core.words import entry, someone, usage
from bot.zones import Quiet


def at_text(schedule: Schedule) -> str:
    """The schedule's time of day, as `checkin at:` takes it."""
    return _clock(schedule.at_minute)


def _clock(minute: int) -> str:
    """A minute of the day as `HH:MM`."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe(schedule: Schedule) -> str:
    at = at_text(schedule)
    if schedule.every == "day":
        return f"every day at {at}"
    weekday = WEEKDAYS[schedule.weekday or 0].capitalize()
    if schedule.every == "2weeks":
        return f"every other {weekday} at {at}"
    return f"every {weekday} at {at}"


def scheduled(schedule: Schedule, zone: str, first: int | None, quiet: Quiet | None) -> Rich:
    """A person's own check-ins, at a time of day in their own `zone`; `first` is when the first
    really reaches them (after a pause, or their `quiet` hours when the time is inside them:
    `rules.first_asked`), None while paused with no end."""
    return lines(
        fmt("Check-ins on: {when} ({zone}).", when=describe(schedule), zone=zone),
        fmt("The first is {day}.", day=Moment(first))
        if first is not None
        else fmt("You're paused, so the first comes once you `resume`."),
        *([in_quiet_hours(schedule, quiet)] if quiet is not None else []),
        fmt("I'll ask privately what you worked on, what's blocking, what you need."),
        fmt("Next: `checkin off` stops them; `profile tz:…` if that zone is wrong."),
    )


def already_on(schedule: Schedule, zone: str, first: int | None, quiet: Quiet | None) -> Rich:
    on = fmt("Check-ins are on: {when} ({zone})", when=describe(schedule), zone=zone)
    then = (
        fmt("; the next is {day}.", day=Moment(first))
        if first is not None
        else fmt(". You're paused, so the next comes once you `resume`.")
    )
    return lines(
        on + then,
        *([in_quiet_hours(schedule, quiet)] if quiet is not None else []),
        fmt("Next: change one part, like `checkin at:9:00` or `checkin every:2weeks`; `checkin off` stops them."),
    )


def in_quiet_hours(schedule: Schedule, quiet: Quiet) -> Rich:
    """Why a check-in comes later than its time: the time is inside the person's quiet hours."""
    end = _clock(quiet.end)
    return fmt(
        "{at} is inside your quiet hours ({quiet}), so each one waits until they end. "
        "Another time? Like `checkin at:{end}`; or `profile quiet:…` to change them.",
        at=at_text(schedule),
        quiet=quiet.describe(),
        end=end,
    )


def on_is_for_weeks(usage_line: str, example: str) -> Rich:
    """`every:day on:monday`: a daily check-in has no weekday."""
    return usage("`on:` is for weekly check-ins, like `checkin every:2weeks on:thursday`.", usage_line, example)


def two_days(every: str, on: str, usage_line: str, example: str) -> Rich:
    """`every:friday on:monday` named two weekdays (and was kept as Mondays, silently)."""
    return usage(
        "`every:{every}` and `on:{on}` name two different days, so I changed nothing. "
        "Give one: `checkin every:{on}`, or `checkin every:2weeks on:{on}` for every other week.",
        usage_line,
        example,
        every=every,
        on=on,
    )


def off(was: Schedule) -> Rich:
    """Check-ins off, with the command that brings them back as they were (`was`)."""
    return fmt("Check-ins off. Next: `{again}` starts them again as they were.", again=again(was))


def again(schedule: Schedule) -> str:
    """The `checkin on` that sets `schedule` again (its defaults left out)."""
    at = "" if schedule.at_minute == 10 * 60 else f" at:{at_text(schedule)}"
    weekday = WEEKDAYS[schedule.weekday or 0]
    if schedule.every == "day":
        return f"checkin on every:day{at}"
    if schedule.every == "2weeks":
        return f"checkin on every:2weeks on:{weekday}{at}"
    return f"checkin on{'' if weekday == 'monday' else f' every:{weekday}'}{at}"


def thanks(due_at: int) -> Rich:
    return fmt("Thanks, noted for your check-in of {day}. Next: `mine` for your list.", day=Moment(due_at, "date"))


def added_to_answer(due_at: int, meant: str | None) -> Rich:
    """`meant`: the command the message reads like a slip of, if any."""
    added = fmt("Added that to your check-in of {day}.", day=Moment(due_at, "date"))
    if meant is not None:
        return added + fmt(" Meant `{meant}`? Send it with `!` in front.", meant=meant)
    return added + fmt(" Next: `mine` for your list.")


def empty_answer() -> Rich:
    """A message of nothing but spaces while a check-in waits: no answer, and none kept."""
    return fmt("That message was empty, so I haven't noted it. Next: reply in a few words, or `checkin reply <text>`.")


def nothing_waiting() -> Rich:
    return fmt("There's no check-in waiting for an answer. Next: `checkin` to schedule them.")


def none_from(who: str | None) -> Rich:
    """`who` is one member, or None for the whole network ("no check-ins from everyone" is wrong)."""
    whose = fmt(" from {who}", who=who) if who else ()
    return fmt("No check-ins") + whose + fmt(" in the last two weeks. Members start them with `checkin`.")


def overview(who: str, answered: Sequence[Checkin], waiting: Sequence[Checkin]) -> Rich:
    rows: list[Rich] = [fmt("Check-ins from {who}, last two weeks:", who=who)]
    for item in answered[:20]:
        rows.append(entry(Moment(item.due_at, "date"), someone(item.person_name), (item.answer or "")[:300]))
    if waiting:
        names = ", ".join(sorted({someone(item.person_name) for item in waiting}, key=fold))  # alphabetically
        rows.append(fmt("Not answered yet: {names}.", names=names))
    rows.append(fmt("Next: `intro` or a friendly message to anyone who's gone quiet."))
    return lines(*rows)


def question() -> Rich:
    return lines(
        fmt("**Check-in.** What did you work on? Anything blocking? Anything you need?"),
        fmt("Just reply here, or `checkin reply <text>`. (`checkin off` stops these.)"),
    )


def reminder(due_at: int) -> Rich:
    return fmt(
        "Your check-in from {day} is still open: just reply here, or `checkin reply <text>` "
        "(`checkin off` stops check-ins).",
        day=Moment(due_at, "date"),
    )


def next_checkin() -> str:
    return "your next check-in"


def in_mine() -> Rich:
    return fmt("Check-ins:")


def next_one(schedule: Schedule, first: int | None, quiet: Quiet | None) -> Rich:
    """`quiet`: the person's quiet hours when they hold the check-in back, so `first` (when it
    really comes) is not its time."""
    if first is None:
        return fmt("Next check-in: once you `resume`. Schedule: {when}.", when=describe(schedule))
    if quiet is not None:
        return fmt(
            "Next check-in: {day}, when your quiet hours ({quiet}) end. Schedule: {when}.",
            day=Moment(first),
            quiet=quiet.describe(),
            when=describe(schedule),
        )
    # Not "(every Monday at 11:00)" after the day: a day whose zone is named ends in brackets already.
    return fmt("Next check-in: {day}. Schedule: {when}.", day=Moment(first), when=describe(schedule))


def waiting(due_at: int) -> Rich:
    return fmt("Your check-in from {day} is waiting for your answer.", day=Moment(due_at, "date"))


def answer_it() -> Rich:
    return fmt("Next: just reply to me privately, or `checkin reply <text>`.")


def move_it() -> Rich:
    return fmt("Next: `snooze checkin 1d` to move it, `checkin off` to stop.")


def none_scheduled() -> Rich:
    return fmt("You have no check-ins scheduled. Start them with `checkin every:monday at:10:00`.")


def not_later(current: int, same: bool, schedule: Schedule) -> Rich:
    """A snooze that would not move the next check-in later (at `current`): `same` when it lands
    right on it (`snooze checkin 0d`)."""
    where = "right where it is" if same else "earlier"
    return fmt(
        "Your next check-in is {day}; a snooze only moves it later, and that would leave it {where}, "
        "so I changed nothing. Next: `snooze checkin 1d` for a day later, or `checkin at:{at}` to put it "
        "back on your schedule.",
        day=Moment(current),
        where=where,
        at=at_text(schedule),
    )


def answer_too_long(limit: int, length: int) -> Rich:
    return fmt(
        "Check-in answers can be at most {limit} characters (yours has {length}), so I haven't noted it. "
        "Next: shorten it and send it again.",
        limit=str(limit),
        length=str(length),
    )


def addition_too_long(limit: int, due_at: int, room: int) -> Rich:
    """A message adding to an answer just given that would take it over `limit` (`room`: how many
    characters it could still take): refused, the answer kept as it was."""
    return fmt(
        "Adding that would take your check-in of {day} over the {limit}-character limit, so I kept "
        "your answer as it was. Next: send a shorter addition (room for {room} more characters).",
        day=Moment(due_at, "date"),
        limit=str(limit),
        room=str(room),
    )
