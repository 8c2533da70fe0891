"""Announcements (spec §14): a lead's news to the channels or privately to a group, at once or
at a set time (released by the sweep)."""

from __future__ import annotations

from bot.areas.announcements.commands import announcements
from bot.areas.announcements.rules import next_release, release_due
from bot.areas.area import Area
from bot.scheduling.job import Job

AREA = Area("announcements", commands=announcements.commands, jobs=(Job("announcements", release_due, next_release),))

__all__ = ["AREA"]
