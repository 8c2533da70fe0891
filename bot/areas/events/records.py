"""The events area's records: an event (the series), one occurrence of it as people see it, and
an answer that a reminder is about."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ids import EventId, PersonId, TimeId


@dataclass(frozen=True)
class Event:
    """An event as posted: what, where, how long, how often, in which zone, for whom."""

    id: EventId
    title: str
    place: str | None
    length_s: int
    every: str | None
    tz: str
    anchor: str
    at_minute: int
    anchor_seq: int
    skill: str | None
    region: str | None
    region_key: str | None
    posted_by: PersonId | None
    status: str
    revision: int


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event, with the event's own details and the answers so far."""

    id: TimeId
    event_id: EventId
    seq: int
    starts_at: int
    ends_at: int
    status: str
    revision: int
    title: str
    place: str | None
    every: str | None
    tz: str
    skill: str | None
    region: str | None
    posted_by: PersonId | None
    event_status: str
    yes: int
    maybe: int
    no: int

    @property
    def upcoming(self) -> bool:
        return self.status == "on" and self.event_status == "on"

    def happening(self, now: int) -> bool:
        """Started and not yet ended. The sweep marks an occurrence 'past' at its start (no more
        answers, changes or reminders; a series' next one is written: `rules.started`), but it is
        over only at its end: meanwhile a latecomer still looks for its room or link."""
        return (self.status == "past" or self.upcoming) and self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class Answer:
    """Someone's answer for one occurrence (a reminder's item): the person, the occurrence and
    when they answered; `send_at` is when its message is for."""

    time_id: TimeId
    event_id: EventId
    person_id: PersonId
    title: str
    place: str | None
    starts_at: int
    answered_at: int
    status: str
    send_at: int = 0
