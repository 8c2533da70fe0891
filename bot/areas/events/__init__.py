"""Events and meetings (spec §15): posting an event (once or repeating), answering it, reminders
to those who said yes or maybe in each person's own zone, "who did you meet?" afterwards, and
who went together, for the pairing round."""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.events import offers
from bot.areas.events.commands import events
from bot.areas.events.reminders import DAY_BEFORE, DELIVERY, HOUR_BEFORE, RELEVANCE, STARTS, VIEWS, WHO_DID_YOU_MEET
from bot.areas.events.rules import common_ground

AREA = Area(
    "events",
    commands=events.commands,
    jobs=(STARTS,),
    reminders=(DAY_BEFORE, HOUR_BEFORE, WHO_DID_YOU_MEET),
    relevance=RELEVANCE,
    views=VIEWS,
    delivery=DELIVERY,
    todo=(offers.my_events,),
    common_ground=(common_ground,),
)

__all__ = ["AREA"]
