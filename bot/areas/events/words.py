"""What the events area says in its replies: posting, answering, listing, cancelling and editing,
and its refusals. What it says later, privately (news of a change, the reminders before an event
and the question after it), is in `notice_words.py`.

Every time is a `Moment`, put into words in each reader's own zone when the message is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.areas.events.records import Occurrence
from bot.core.messages import Button
from bot.core.paging import Page
from bot.core.text import Moment, Plain, Rich, Strong, fmt, join, lines, private
from bot.core.words import count, not_theirs

ANSWERS = ("yes", "maybe", "no")
_EVERY = {"week": "every week", "2weeks": "every two weeks", "month": "every month"}


def length_text(seconds: int) -> str:
    """`1 hour`, `90 minutes`, `2 days`."""
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds % size == 0:
            return count(seconds // size, unit)
    return count(max(seconds // 60, 1), "minute")


def _counts(occurrence: Occurrence) -> str:
    parts = [f"{occurrence.yes} yes", f"{occurrence.maybe} maybe"] if occurrence.yes or occurrence.maybe else []
    return ", ".join(parts) or "no answers yet"


def time_line(occurrence: Occurrence, mine: str | None = None, now: int | None = None) -> Rich:
    """One line per event: number, title, when (in the reader's zone), how long, how often,
    where, the answers so far (and the reader's own); given `now`, whether it is happening then."""
    rest = [length_text(occurrence.ends_at - occurrence.starts_at)]
    if occurrence.every:
        rest.append(_EVERY[occurrence.every])
    if occurrence.place:
        rest.append(occurrence.place)
    rest.append(_counts(occurrence))
    own = private(f" · you: {mine}") if mine else ()  # who answered what is for leads and the one who answered
    if now is not None and occurrence.happening(now):
        ended = " · happening now"
    else:
        ended = "" if occurrence.upcoming else f" · {_ended(occurrence)}"
    return (
        Strong(str(occurrence.event_id)),
        Plain(f" {occurrence.title} · "),
        Moment(occurrence.starts_at),
        Plain(" · " + " · ".join(rest)),
        *own,
        Plain(ended),
    )


def _ended(occurrence: Occurrence) -> str:
    return "cancelled" if occurrence.status == "cancelled" or occurrence.event_status != "on" else "over"


def answer_buttons(event_id: int) -> tuple[Button, ...]:
    styles = {"yes": "primary", "maybe": "secondary", "no": "secondary"}
    return tuple(Button(a.capitalize(), f"rsvp {event_id} {a}", styles[a]) for a in ANSWERS)


def _how_to_answer(event_id: int) -> Rich:
    return fmt("Answer with `rsvp {id} yes`, `rsvp {id} maybe` or `rsvp {id} no`.", id=str(event_id))


def _for_whom(skill: str | None, region: str | None) -> Rich:
    if skill:
        return fmt("For members who do {skill}.", skill=skill)
    if region:
        return fmt("For members in {region}.", region=region)
    return fmt("For everyone.")


# --- posting ----------------------------------------------------------------------------------


def announcement(poster: str, occurrence: Occurrence) -> Rich:
    return lines(
        fmt("New event from {name}:", name=poster),
        time_line(occurrence),
        _for_whom(occurrence.skill, occurrence.region),
        _how_to_answer(occurrence.event_id),
    )


def invitation(occurrence: Occurrence) -> Rich:
    """What a member an event is for hears of it, privately."""
    return lines(fmt("An event for you:"), time_line(occurrence), _how_to_answer(occurrence.event_id))


def posted(occurrence: Occurrence, invited: int, announced: bool, hidden: bool = False) -> Rich:
    """`hidden`: someone invited by region shows it to leads only, so how many is private."""
    if (occurrence.skill or occurrence.region) and invited == 0:
        reach = fmt(" Nobody to invite right now; it's in `events`.")
    elif occurrence.skill or occurrence.region:
        reach = fmt(" I'm inviting {n} of them privately.", n=private(str(invited)) if hidden else str(invited))
    else:
        reach = fmt(" It's in `events`{also}.", also=", and in the announcements channel" if announced else "")
    return lines(
        fmt("Posted event **{id}**.", id=str(occurrence.event_id)),
        time_line(occurrence),
        _for_whom(occurrence.skill, occurrence.region) + reach,
        _how_to_answer(occurrence.event_id),
        fmt("Next: `event {id}` shows who's coming; `event edit {id} …` changes it.", id=str(occurrence.event_id)),
    )


# --- answering, listing, showing --------------------------------------------------------------


def answered(occurrence: Occurrence, status: str, before: str | None, coming: Sequence[str]) -> Rich:
    """`coming`: the reminders (`day`, `hour` before) the answer will get (`when.reminders_to_come`)."""
    title = occurrence.title
    if before == status:  # the same answer again: perhaps the calendar file went missing
        head = fmt("You'd already said {answer} to “{title}”, {when}: nothing changed.", answer=status, title=title,
                   when=Moment(occurrence.starts_at))  # fmt: skip
        if status == "no":
            return lines(head, fmt("Changed your mind? `rsvp {id} yes`.", id=str(occurrence.event_id)))
        return lines(head, fmt("Here's the calendar file again. Can't make it? `rsvp {id} no`.",
                               id=str(occurrence.event_id)))  # fmt: skip
    if status == "no":
        head = fmt("Thanks for saying: you're not going to “{title}”.", title=title)
        return lines(head, fmt("Changed your mind? `rsvp {id} yes`.", id=str(occurrence.event_id)))
    verb = "going" if status == "yes" else "maybe going"
    head = fmt("Noted: you're {verb} to “{title}”, {when}", verb=verb, title=title, when=Moment(occurrence.starts_at))
    reminders = _reminders(coming)  # (paused or not: pause stops nudges, not these)
    again = fmt(" (you'd said {before})", before=before) if before and before != status else fmt("")
    return lines(
        head + again + fmt("."),
        reminders,
        fmt("The calendar file is attached. Can't make it? `rsvp {id} no`.", id=str(occurrence.event_id)),
    )


def _reminders(coming: Sequence[str]) -> Rich:
    """What reminders to expect: only those that will come (none within the hour)."""
    if not coming:
        return fmt("It starts within the hour, so there's no time for a reminder.")
    before = {("day", "hour"): "a day and an hour", ("day",): "a day", ("hour",): "an hour"}[tuple(coming)]
    return fmt("I'll remind you {before} before.", before=before)


def none_upcoming() -> Rich:
    return fmt('No events coming up. Leads post them with `event add title:"…" when:…`.')


def listing(page: Page[Occurrence], answers: dict[int, str], now: int) -> Rich:
    first = page.items[0].event_id
    rows = [time_line(occurrence, answers.get(occurrence.id), now) for occurrence in page.items]
    if page.page < page.pages:
        step = fmt("Next: `event {id}`, or `{more}` for more.", id=str(first), more=page.next_page)
    else:
        step = fmt("Next: `event {id}` for details, `rsvp {id} yes` to go.", id=str(first))
    now_too = any(occurrence.happening(now) for occurrence in page.items)
    head = "Events happening now and coming up ({n}):" if now_too else "Events coming up ({n}):"
    return lines(fmt(head, n=str(page.total)), *rows, step)


def _names(names: Sequence[tuple[str, str]]) -> Rich:
    """Who answered what, for leads: private, so the reply goes only to the lead."""
    groups = [(a, [n for answer, n in names if answer == a]) for a in ANSWERS]
    said = [f"{a}: {', '.join(who)}" for a, who in groups if who]
    return fmt("Answers — ") + private("; ".join(said) or "none yet") + fmt(".")


def details(
    occurrence: Occurrence,
    mine: str | None,
    names: Sequence[tuple[str, str]] | None,
    now: int,
    skipped: Sequence[int] = (),
    following: Occurrence | None = None,
) -> Rich:
    """`following`: while one occurrence of a series is happening, the next one (answers are for it)."""
    rows: list[Rich] = [time_line(occurrence, mine, now), _for_whom(occurrence.skill, occurrence.region)]
    if skipped:
        rows.append(called_off(skipped))
    if names is not None:
        rows.append(_names(names))
    if occurrence.happening(now):
        rows.append(fmt("It's happening now, until {end}.", end=Moment(occurrence.ends_at)))
        if following is not None:
            rows.append(fmt("The next one is {when}: `rsvp {id} yes` answers for that one.",
                            when=Moment(following.starts_at), id=str(following.event_id)))  # fmt: skip
        elif occurrence.every and occurrence.event_status != "on":
            rows.append(fmt("It's the last one: the series is cancelled after it."))
    elif occurrence.upcoming:
        rows.append(_how_to_answer(occurrence.event_id) + fmt(" The calendar file is attached."))
    else:
        rows.append(fmt("It's no longer coming up. `events` lists those that are."))
    return lines(*rows)


# --- cancelling and editing -------------------------------------------------------------------


def _telling(told: int) -> Rich:
    who = "the one person" if told == 1 else f"the {count(told, 'person')}"
    return fmt("I'm telling {who} who said yes or maybe.", who=who)


def cancelled(occurrence: Occurrence, following: Occurrence | None, told: int) -> Rich:
    head = fmt("Cancelled “{title}” on {when}.", title=occurrence.title, when=Moment(occurrence.starts_at))
    tell = _telling(told) if told else fmt("Nobody had said yes yet.")
    undo = fmt("By mistake? `event restore {id}` puts it back.", id=str(occurrence.event_id))
    if following is None:
        return lines(head, tell, undo)
    after = fmt("The series goes on: next is {when}.", when=Moment(following.starts_at))
    step = fmt("`event cancel {id} all` ends the series.", id=str(occurrence.event_id))
    return lines(head, tell, after, step + fmt(" ") + undo)


def skipped(occurrence: Occurrence, starts_at: int) -> Rich:
    """A later occurrence called off ahead of its turn (`event cancel <id> on:<date>`)."""
    return lines(
        fmt("“{title}” won't meet on {when}.", title=occurrence.title, when=Moment(starts_at)),
        fmt("Nobody had answered for that one yet, so nobody needed telling."),
        fmt("The one before it is still on: {when}.", when=Moment(occurrence.starts_at)),
        fmt("Next: `event {id}` shows the dates called off.", id=str(occurrence.event_id)),
    )


def not_on_day(occurrence: Occurrence, day: date, nearest: int) -> Rich:
    return fmt(
        "“{title}” doesn't meet on {day}; the nearest is {when}. Next: `event cancel {id} on:<date>` with one of "
        "its days.",
        title=occurrence.title, day=f"{day:%a} {day.day} {day:%b}", when=Moment(nearest), id=str(occurrence.event_id),
    )  # fmt: skip


def already_off(occurrence: Occurrence, starts_at: int) -> Rich:
    return fmt("“{title}” was already called off for {when}: nothing changed. `event {id}` shows the rest.",
               title=occurrence.title, when=Moment(starts_at), id=str(occurrence.event_id))  # fmt: skip


def called_off(starts: Sequence[int]) -> Rich:
    """Under `event <id>`: later occurrences called off ahead of their turn."""
    return fmt("Not meeting on: ") + join([fmt("{when}", when=Moment(ts)) for ts in starts], ", ") + fmt(".")


def restored(occurrence: Occurrence, told: int, withdrawn: int) -> Rich:
    head = fmt("“{title}” on {when} is back on.", title=occurrence.title, when=Moment(occurrence.starts_at))
    said = [_telling(told)] if told else []
    if withdrawn:
        said.append(fmt("{n} hadn't heard it was cancelled yet: I've held that news back.",
                        n=count(withdrawn, "person") if withdrawn > 1 else "One person"))  # fmt: skip
    tell = said or [fmt("Nobody had said yes, so nobody needed telling.")]
    return lines(head, *tell, fmt("Next: `event {id}` to see it.", id=str(occurrence.event_id)))


def restored_series(occurrence: Occurrence) -> Rich:
    return lines(
        fmt("“{title}” is back on: next is {when}.", title=occurrence.title, when=Moment(occurrence.starts_at)),
        fmt("Answers start afresh with this one. Next: `event {id}` to see it.", id=str(occurrence.event_id)),
    )


def unskipped(occurrence: Occurrence, starts_at: int) -> Rich:
    """A day called off ahead of its turn, put back (`event restore <id> on:<date>`)."""
    return lines(
        fmt("“{title}” meets on {when} after all.", title=occurrence.title, when=Moment(starts_at)),
        fmt("Next: `event {id}` shows what's next.", id=str(occurrence.event_id)),
    )


def moved_on(occurrence: Occurrence, replacing: Occurrence) -> Rich:
    answered = ", and people have answered for that one" if replacing.yes or replacing.maybe else ""
    return fmt(
        "“{title}” on {when} can't come back: the series has moved on to {then}{answered}. Nothing changed. Post "
        'it again as a single event, like `event add title:"{title}" when:<date time>`.',
        title=occurrence.title, when=Moment(occurrence.starts_at), then=Moment(replacing.starts_at), answered=answered,
    )  # fmt: skip


def not_off(event_id: int, day: date) -> Rich:
    return fmt("Event {id} isn't called off on {day}: nothing changed. `event {id}` lists the days it isn't meeting.",
               id=str(event_id), day=f"{day:%a} {day.day} {day:%b}")  # fmt: skip


def nothing_off(event_id: int) -> Rich:
    return fmt("Nothing of event {id} that's still to come is cancelled: nothing changed. `event {id}` shows it.",
               id=str(event_id))  # fmt: skip


def edited(occurrence: Occurrence, told: int) -> Rich:
    tell = fmt(" ") + _telling(told) if told else fmt("")
    return lines(
        fmt("Updated event {id}.", id=str(occurrence.event_id)) + tell,
        time_line(occurrence),
        fmt("Next: `event {id}` to see it all.", id=str(occurrence.event_id)),
    )


# --- in `mine` --------------------------------------------------------------------------------
def your_events() -> Rich:
    return fmt("Events you're going to:")


def see_event(event_id: int) -> Rich:
    return fmt("Next: `event {id}` for the details.", id=str(event_id))


# --- refusals ---------------------------------------------------------------------------------

_REFUSALS = {
    "missing": "There's no event {id}. `events` lists those coming up.",
    "cancelled": "Event {id} was cancelled. `events` shows what's coming up.",
    "started": "Event {id} has already started, so that can't change now. `events` shows what's next.",
    "change what": 'Say what to change, like `event edit {id} when:"friday 18:00"` or `where:"…"`.',
    "unchanged": "Event {id} already reads so: nothing changed, and nobody was told. `event {id}` shows it.",
    "not yours": "Only leads or the person who posted event {id} can {verb} it.",
    "too far": "That's more than two years ahead; call it off nearer the time. `event {id}` shows what's next.",
    "all or one": "`all` cancels the whole series, `on:` one day of it: give one, like `event cancel {id} all`.",
    "over": "Event {id} was cancelled and its time has passed. Post it again with `event add`.",
    "whole series": "The whole series of event {id} was cancelled: `event restore {id}` puts it back from its next "
    "date.",
}


def refusal(why: str, event_id: int, verb: str = "") -> Rich:
    """Why something about an event can't be done (`missing`, `cancelled`, `started`, `change
    what`, `unchanged`, `not yours` to `verb`), with where to look instead. Only leads post
    events, so one who may not change one asks a lead."""
    said = fmt(_REFUSALS[why], id=str(event_id), verb=verb)
    if why == "not yours":
        return not_theirs(said, "a lead", fmt("`event {id}` shows the details.", id=str(event_id)))
    return said


def needs_title() -> Rich:
    return fmt('An event needs a title, like `event add title:"Organising committee" when:"thursday 19:00"`.')


def needs_time(day: date) -> Rich:
    return fmt("When on {day}? Give the time too, like `when:\"{iso} 19:00\"`.", day=f"{day:%a} {day.day} {day:%b}",
               iso=day.isoformat())  # fmt: skip


def length_range() -> Rich:
    return fmt("`length:` is from 5 minutes to 3 days, like `length:90m` or `length:2h`.")


def bad_audience(text: str) -> Rich:
    return fmt('`for:` is `everyone`, `skill:<skill>` or `region:"…"`, not {text}. Example: `for:skill:research` or '
               '`for:region:"Upper Midwest"`.', text=text[:60])  # fmt: skip
