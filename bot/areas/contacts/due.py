"""When a follow-up is overdue (spec §4, §12): a follow-up set for a day is not late on that day.

`follow:friday` is stored as that morning (09:00, `MORNING`) in its owner's zone, the moment its
reminder comes. Read as a moment it was "overdue" from 09:00 on the very day it is due, and
`follow:today` at once, though the organiser was given all Friday. So a follow-up for a day is
overdue once that day is over where its owner lives; one given a time of day
(`follow:"friday 3pm"`), once that time has passed.

Which of the two was typed is not stored, so a follow-up at its morning is taken for a day (a
`9am` typed is read as the day: overdue that night, not at 09:00). An intro's hand-off is a day
whatever its clock time: its owner was told "I'll remind you on Thu 26 Nov", and every follow-up
is shown as its day alone.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.areas.contacts.records import FollowUp
from bot.clock import from_ts, to_ts
from bot.core.dates import MORNING
from bot.zones import localize

#: A follow-up due this long ago is overdue in every zone: its day (at most 25 hours, the day the
#: clocks go back) is over. Only those due more recently need their owner's zone to tell.
SURELY_OVER = 2 * 86400


def overdue_from(due_at: int, handoff: bool, zone: ZoneInfo) -> int:
    """The moment a follow-up due at `due_at` becomes overdue in `zone`, its owner's; `handoff`:
    it is an intro's (putting a member in touch), a day whatever its clock time."""
    local = from_ts(due_at).astimezone(zone)
    if not handoff and local.time() != MORNING:
        return due_at  # a time of day was given: late once it has passed
    return to_ts(localize(local.date() + timedelta(days=1), time(0), zone))


def is_overdue(followup: FollowUp, now: int, zone: ZoneInfo) -> bool:
    return now >= overdue_from(followup.due_at, followup.intro_id is not None, zone)
