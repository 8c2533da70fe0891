"""A person's own time: their zone and quiet hours, with the organisation's defaults."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import to_ts
from bot.config import Config
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
