"""What the events area says later, privately, through the outbox: news of an occurrence
cancelled, put back or changed, the reminders before it and the question after it — with the
line of an occurrence as it is when such a message goes.

Apart from `words.py` (replies to the one who asked, refusals) because these are the messages that
wait for their readers, and together they took that module over the size we keep modules to.
Every time is a `Moment`, put into words in each reader's own zone when the message is sent.
"""

from __future__ import annotations

from bot.areas.events.records import Answer, Occurrence
from bot.areas.events.words import time_line
from bot.core.text import Live, Moment, Rich, fmt, lines

# --- news of a change -------------------------------------------------------------------------


def cancelled_notice(occurrence: Occurrence, following: Occurrence | None) -> Rich:
    head = fmt("“{title}” on {when} is cancelled.", title=occurrence.title, when=Moment(occurrence.starts_at))
    if following is None:
        return lines(head, fmt("Sorry for the change of plan. `events` shows what else is coming up."))
    return lines(
        head,
        fmt("The next one is {when}.", when=Moment(following.starts_at)),
        fmt("Coming to that one? `rsvp {id} yes`.", id=str(following.event_id)),
    )


def restored_notice(occurrence: Occurrence) -> Rich:
    return lines(
        fmt("Good news: “{title}” on {when} is on after all.", title=occurrence.title,
            when=Moment(occurrence.starts_at)),
        fmt("Your answer still stands; can't make it now? `rsvp {id} no`.", id=str(occurrence.event_id)),
    )  # fmt: skip


def part(occurrence: Occurrence, name: str) -> Rich:
    """A part of a queued message about the occurrence, as it is now: its `line`."""
    return time_line(occurrence)


def live_line(occurrence: Occurrence) -> Rich:
    """The occurrence's line in a message that may wait in the outbox for its reader's waking
    hour, shown as the occurrence is when it is sent (its place, its answers then)."""
    return (Live(f"event:{occurrence.id}", time_line(occurrence), "line"),)


def edited_notice(occurrence: Occurrence) -> Rich:
    return lines(
        fmt("An event you're going to has changed:"),
        live_line(occurrence),
        fmt("`event {id}` for the new calendar file; can't make it now? `rsvp {id} no`.", id=str(occurrence.event_id)),
    )


# --- reminders and the question afterwards ----------------------------------------------------


def _where(answer: Answer) -> Rich:
    return fmt(" ({place})", place=answer.place) if answer.place else fmt("")


def day_reminder(answer: Answer) -> Rich:
    head = fmt("Coming up: **{title}**", title=answer.title) + _where(answer)
    return head + fmt(", {when}. Can't make it after all? `rsvp {id} no`.", when=Moment(answer.starts_at),
                      id=str(answer.event_id))  # fmt: skip


def hour_reminder(answer: Answer) -> Rich:
    starts = fmt("Starting soon: **{title}** at {when}", title=answer.title, when=Moment(answer.starts_at))
    return starts + _where(answer) + fmt(". See you there!")


def met_question(answer: Answer) -> Rich:
    return fmt(
        "How was “{title}”? Who did you meet? For each member: `met @name`. For someone from outside: "
        '`contact add name:"…" how:"met at {title}"`, so meeting people turns into ties and follow-ups.',
        title=answer.title,
    )
