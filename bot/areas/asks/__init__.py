"""Asks (spec §2): posting, hearing of them, claiming, progress, finishing and managing them,
with reminders about stale claims and asks due soon.

Other areas use `release_all` (`forget me` gives back the slots of the person who leaves).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.asks import offers
from bot.areas.asks.commands import asks, release_all
from bot.areas.asks.reminders import DUE_SOON, RELEVANCE, STALE_CLAIMS, VIEWS

AREA = Area(
    "asks",
    commands=asks.commands,
    reminders=(STALE_CLAIMS, DUE_SOON),
    relevance=RELEVANCE,
    views=VIEWS,
    todo=(offers.my_claims, offers.my_asks),
    offers=(offers.open_for_you,),
    snoozes=(offers.SNOOZE_CLAIM,),
)

__all__ = ["AREA", "release_all"]
