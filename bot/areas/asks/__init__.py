"""Asks (spec §2): posting, hearing of them, claiming, progress, finishing and managing them,
with reminders about stale claims and asks due soon.

Other areas use `release_all` and `pass_on_done` (`forget me` gives back the slots of the person
who leaves, and tells a poster again of a part they finished, without their note). The news to
claimants that an ask closed or changed outlives whoever closed or changed it (`DeliveryRule`).
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.asks import offers
from bot.areas.asks.commands import asks, pass_on_done, release_all
from bot.areas.asks.reminders import DUE_SOON, RELEVANCE, STALE_CLAIMS, VIEWS
from bot.scheduling.job import DeliveryRule

AREA = Area(
    "asks",
    commands=asks.commands,
    reminders=(STALE_CLAIMS, DUE_SOON),
    relevance=RELEVANCE,
    views=VIEWS,
    todo=(offers.my_claims, offers.my_asks),
    offers=(offers.open_for_you,),
    snoozes=(offers.SNOOZE_CLAIM,),
    delivery=(DeliveryRule("ask.closed", outlives_cause=True), DeliveryRule("ask.edited", outlives_cause=True)),
)

__all__ = ["AREA", "pass_on_done", "release_all"]
