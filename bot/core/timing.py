"""A person's own time: their zone and quiet hours (with the organisation's defaults), and times
in a message put into words for the person reading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import from_ts, to_ts
from bot.config import Config
from bot.core.text import Moment, Plain, Rich, flat, kinds, merge
from bot.core.words import date_text, zone_label
from bot.storage.persons import Person
from bot.zones import Quiet, next_allowed, zone


def person_zone(person: Person | None, config: Config) -> ZoneInfo:
    """The person's zone, or the organisation's when they have not set one."""
    return zone(person.tz if person else None, config.organisation.timezone)


def person_quiet(person: Person | None, config: Config) -> Quiet:
    if person is not None and person.quiet_start is not None and person.quiet_end is not None:
        return Quiet(person.quiet_start, person.quiet_end)
    return config.quiet_hours.window()


def next_send_time(person: Person | None, config: Config, moment: datetime) -> int:
    """When a message due at `moment` may go out without waking the person."""
    return to_ts(next_allowed(moment, person_zone(person, config), person_quiet(person, config)))


@dataclass(frozen=True)
class Reader:
    """Whose eyes a message is for: their zone, and whether they chose it (a zone they did not
    choose — the organisation's, or a public channel's — is named next to each time); `hidden`
    when their profile shows it to leads only, so a reply in public must not be written in it."""

    zone: ZoneInfo
    own: bool
    hidden: bool = False

    @classmethod
    def of(cls, person: Person | None, config: Config) -> Reader:
        chose = person is not None and person.tz is not None
        return cls(person_zone(person, config), chose, chose and person is not None and person.visibility == "leads")


def resolve(text: Rich, reader: Reader, now: datetime) -> Rich:
    """The text as this reader reads it now: every `Moment` put into words in their zone, and
    each `Live` part as it stands (the deliverer writes those again before it gets here)."""
    text = flat(text)
    if Moment not in kinds(text):
        return text
    return merge(Plain(moment_text(span, reader, now)) if isinstance(span, Moment) else span for span in text)


def moment_text(moment: Moment, reader: Reader, now: datetime) -> str:
    """`Fri 27 Nov 17:00` for a time, in the reader's zone, with the zone named when it is not one
    they chose (and its abbreviation in the hour a fall-back repeats: `01:30 BST`, `01:30 GMT`);
    `Fri 27 Nov` for a date in the reader's zone; a day given in a zone (`due friday`) is that
    day, with its zone named when the reader's own date at its end is another day."""
    if moment.style == "day" and moment.zone:
        given = ZoneInfo(moment.zone)
        text = date_text(moment.at, given, now)
        if local_day(moment.at, given) == local_day(moment.at, reader.zone):
            return text
        return f"{text} ({zone_label(given)})"
    text = date_text(moment.at, reader.zone, now)
    if moment.style != "time":
        return text
    local = from_ts(moment.at).astimezone(reader.zone)
    text += f" {local.hour:02}:{local.minute:02}"  # midnight too
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        text += f" {local.tzname()}"  # the night the clocks go back, 01:30 comes twice: say which
    return text if reader.own else f"{text} ({zone_label(reader.zone)})"


def local_day(ts: int, zone: ZoneInfo) -> date:
    return from_ts(ts).astimezone(zone).date()
