"""Check-ins (spec §5): a personal schedule in local time, the question asked privately, the
answer kept (a plain private message answers an open check-in, and one soon after adds to it),
and the leads' view."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.checkins import offers
from bot.areas.checkins.commands import checkins, more_of_answer, plain_message
from bot.areas.checkins.queries import Checkin
from bot.areas.checkins.reminders import ASK_CHECKINS, CHECKIN_REMINDERS, RELEVANCE
from bot.areas.checkins.rules import Board, board, overview

AREA = Area(
    "checkins",
    commands=checkins.commands,
    reminders=(CHECKIN_REMINDERS,),
    jobs=(ASK_CHECKINS,),
    relevance=RELEVANCE,
    snoozes=(offers.SNOOZE_CHECKIN,),
    todo=(offers.in_mine,),
    zone_changed=(offers.zone_changed,),
    plain=(plain_message,),
    leftover=(more_of_answer,),
)

__all__ = ["AREA", "Board", "Checkin", "board", "overview"]
