"""Announcements (spec §14): a lead's news to the channels or privately to a group, at once or
at a set time (released by the sweep)."""

from __future__ import annotations

from bot.areas.announcements.commands import announcements
from bot.areas.announcements.queries import poster_of
from bot.areas.announcements.rules import next_release, release_due
from bot.areas.area import Area
from bot.scheduling.job import DeliveryRule, Job

AREA = Area(
    "announcements", commands=announcements.commands, jobs=(Job("announcements", release_due, next_release),),
    # A private copy is queued as no one's (not in the lane of what commands queue: a lead's news to
    # 10,000 must not hold up replies), but a copy that cannot reach its reader is the lead's to hear of.
    # It joins the day's reminders when they go together, but is no nudge: their one message a day
    # (spec §6) must not hold "rally at 6pm tonight" until tomorrow.
    delivery=(DeliveryRule("announcement", once_a_day=False, reported_to=poster_of),),
)  # fmt: skip

__all__ = ["AREA"]
