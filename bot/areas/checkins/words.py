"""Everything the check-ins area says: schedules, the question, answers, reminders, the leads'
view."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.checkins.queries import Checkin, Schedule
from bot.config import WEEKDAYS
from bot.core.names import fold
from bot.core.text import Moment, Rich, fmt, lines
from bot.core.words import entry, someone


def describe(schedule: Schedule) -> str:
    at = f"{schedule.at_minute // 60:02d}:{schedule.at_minute % 60:02d}"
    if schedule.every == "day":
        return f"every day at {at}"
    weekday = WEEKDAYS[schedule.weekday or 0].capitalize()
    if schedule.every == "2weeks":
        return f"every other {weekday} at {at}"
    return f"every {weekday} at {at}"


def scheduled(schedule: Schedule, zone: str, first: int | None) -> Rich:
    """A person's own check-ins, at a time of day in their own `zone`; `first` is when the first
    is asked (after a pause: `rules.first_asked`), None while paused with no end."""
    return lines(
        fmt("Check-ins on: {when} ({zone}).", when=describe(schedule), zone=zone),
        fmt("The first is {day}.", day=Moment(first))
        if first is not None
        else fmt("You're paused, so the first comes once you `resume`."),
        fmt("I'll ask privately what you worked on, what's blocking, what you need."),
        fmt("Next: `checkin off` stops them; `profile tz:…` if that zone is wrong."),
    )


def already_on(schedule: Schedule, zone: str, first: int | None) -> Rich:
    on = fmt("Check-ins are on: {when} ({zone})", when=describe(schedule), zone=zone)
    then = (
        fmt("; the next is {day}.", day=Moment(first))
        if first is not None
        else fmt(". You're paused, so the next comes once you `resume`.")
    )
    return lines(
        on + then,
        fmt("Next: change one part, like `checkin at:9:00` or `checkin every:2weeks`; `checkin off` stops them."),
    )


def on_is_for_weeks() -> Rich:
    return fmt("`on:` is for weekly check-ins, like `checkin every:2weeks on:thursday`.")


def off(was: Schedule) -> Rich:
    """Check-ins off, with the command that brings them back as they were (`was`)."""
    return fmt("Check-ins off. Next: `{again}` starts them again as they were.", again=again(was))


def again(schedule: Schedule) -> str:
    """The `checkin on` that sets `schedule` again (its defaults left out)."""
    at = "" if schedule.at_minute == 10 * 60 else f" at:{schedule.at_minute // 60:02d}:{schedule.at_minute % 60:02d}"
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


def next_one(schedule: Schedule, first: int | None) -> Rich:
    if first is None:
        return fmt("Next check-in: once you `resume` ({when}).", when=describe(schedule))
    return fmt("Next check-in: {day} ({when}).", day=Moment(first), when=describe(schedule))


def waiting(due_at: int) -> Rich:
    return fmt("Your check-in from {day} is waiting for your answer.", day=Moment(due_at, "date"))


def answer_it() -> Rich:
    return fmt("Next: just reply to me privately, or `checkin reply <text>`.")


def move_it() -> Rich:
    return fmt("Next: `snooze checkin 1d` to move it, `checkin off` to stop.")


def none_scheduled() -> Rich:
    return fmt("You have no check-ins scheduled. Start them with `checkin every:monday at:10:00`.")


def answer_too_long(limit: int) -> Rich:
    return fmt("Check-in answers can be at most {limit} characters. Shorten it and try again.", limit=str(limit))
