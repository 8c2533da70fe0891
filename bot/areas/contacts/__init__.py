"""Contacts and follow-ups (spec §4): people outside the bot that members keep a log of, shared
privately, with leads or with members under one rule (`can_see`), and the follow-ups they mean
to do. Other areas use `can_see`, `visible`, `visible_named`, `add_followup`, `connecting` and the
`Contact` record; `overdue_from` says when a follow-up is late (`due.py`)."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.contacts import offers
from bot.areas.contacts.commands import contacts
from bot.areas.contacts.due import overdue_from
from bot.areas.contacts.followup_queries import add_followup, connecting, shared_followups
from bot.areas.contacts.queries import get as get_contact
from bot.areas.contacts.records import Contact, FollowUp, SharedFollowUp
from bot.areas.contacts.reminders import FOLLOWUPS, RELEVANCE
from bot.areas.contacts.rules import can_see, count_overdue, visible, visible_named

AREA = Area(
    "contacts", commands=contacts.commands, reminders=(FOLLOWUPS,), relevance=RELEVANCE, todo=(offers.due_today,),
    snoozes=(offers.SNOOZE_FOLLOWUP,), zone_changed=(offers.zone_changed,),
)  # fmt: skip

__all__ = [
    "AREA", "Contact", "FollowUp", "SharedFollowUp", "add_followup", "can_see", "connecting", "count_overdue",
    "get_contact", "overdue_from", "shared_followups", "visible", "visible_named",
]  # fmt: skip
