"""An occurrence as a calendar file (`.ics`, RFC 5545), made with the `icalendar` library.

The UID names the event and the occurrence's number, so the same occurrence always has the same
UID and a calendar updates its entry when a new file comes (after an edit: `SEQUENCE` is the
event's revision). Times carry the event's own zone, with its VTIMEZONE definition.

`icalendar` is imported on the first file made, not with the bot: its 80 modules hold 3.7 MB
for the life of the process, which a bot whose network holds no events never needs (and every
scheduled job's peak memory counts them; bench/startup.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.areas.events.records import Occurrence
from bot.clock import from_ts
from bot.core.messages import Attachment

_SLUG = re.compile(r"[^a-z0-9]+")


def uid(occurrence: Occurrence, organisation: str) -> str:
    """A stable, globally unique id for one occurrence of one organisation's event."""
    org = _SLUG.sub("-", organisation.lower()).strip("-") or "organisation"
    return f"event-{occurrence.event_id}-{occurrence.seq}@{org}.volunteer-bot"


def calendar_file(occurrence: Occurrence, organisation: str, now: int) -> Attachment:
    import icalendar

    zone = ZoneInfo(occurrence.tz)
    starts = from_ts(occurrence.starts_at).astimezone(zone)
    entry = icalendar.Event()
    entry.add("uid", uid(occurrence, organisation))
    entry.add("dtstamp", from_ts(now))
    entry.add("sequence", occurrence.revision)
    entry.add("summary", occurrence.title)
    entry.add("dtstart", starts)
    entry.add("dtend", from_ts(occurrence.ends_at).astimezone(zone))
    if occurrence.place:
        entry.add("location", occurrence.place)
    entry.add("description", f"Answer with: rsvp {occurrence.event_id} yes, maybe or no.")
    entry.add("status", "CONFIRMED")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//volunteer-bot//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(entry)
    year = timedelta(days=366)
    calendar.add_missing_timezones(first_date=(starts - year).date(), last_date=(starts + year).date())
    return Attachment(f"event-{occurrence.event_id}.ics", calendar.to_ical(), mime_type="text/calendar")
