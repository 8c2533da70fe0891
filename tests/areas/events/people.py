"""The people of the events tests, and a recorder of when each message went out.

You (the console's own user, an admin) post events from Chicago; alice is in Chicago, bob in
Tokyo, carol in UTC; dave never set a zone (he reads the organisation's, Chicago, named).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.adapters.base import DeliveryFailed
from bot.core.messages import Delivery
from bot.core.text import plain_text
from tests.console_bot import ConsoleBot

CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")
ZONES = {"you": "America/Chicago", "alice": "America/Chicago", "bob": "Asia/Tokyo", "carol": "UTC"}


async def meet_everyone(bot: ConsoleBot) -> None:
    for name, zone in ZONES.items():
        await bot.say(name, f"!profile tz:{zone}")
    await bot.say("dave", "!help")


async def post(bot: ConsoleBot, options: str) -> list[str]:
    """You post an event; returns what was printed."""
    return await bot.feed(f"!event add {options}")


class Recorder:
    """Sits in front of the console adapter and notes when each message went out (or refuses
    them all while `down`, as a platform outage would)."""

    platform = "console"

    def __init__(self, bot: ConsoleBot) -> None:
        self.bot = bot
        self.sent: list[tuple[datetime, Delivery]] = []
        self.down = False
        bot.app.deliverer.adapters["console"] = self

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, delivery: Delivery) -> None:
        if self.down:
            raise DeliveryFailed("the platform is down")
        self.sent.append((self.bot.clock.now(), delivery))
        await self.bot.console.deliver(delivery)

    def to(self, name: str, containing: str = "") -> list[tuple[datetime, str]]:
        """(when, text) of each message sent privately to `name` that contains `containing`."""
        found = []
        for moment, delivery in self.sent:
            text = plain_text(delivery.message.text)
            if delivery.user_id == name and containing in text:
                found.append((moment, text))
        return found
