"""Flood control: one person's spam gets a friendly "slow down" and cannot hold up others."""

from __future__ import annotations

import asyncio

from bot.core.messages import Incoming
from bot.core.text import plain_text
from tests.console_bot import ConsoleBot, platform_message


def message(bot: ConsoleBot, user: str, text: str) -> Incoming:
    """A Matrix user's message (the console itself is exempt from flood control)."""
    return platform_message(bot, "matrix", f"@{user}:example.org", user, text, channel="!room:example.org")


async def test_a_spammer_is_told_once_to_slow_down_and_nothing_more_is_done(bot: ConsoleBot) -> None:
    replies = [await bot.app.dispatcher.handle(message(bot, "spammer", "!volunteer spam")) for _ in range(30)]
    texts = [plain_text(r[0].text) for r in replies if r]
    assert len([t for t in texts if "Welcome aboard" in t or "Already on your profile" in t]) == 20
    assert len([t for t in texts if t.startswith("Slow down a little")]) == 1
    assert len(texts) == 21  # the other nine were dropped without a word
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM processed_events WHERE platform = 'matrix'") == 20


async def test_a_flood_from_one_person_delays_others_by_at_most_a_burst(bot: ConsoleBot) -> None:
    order: list[str] = []
    handle = bot.app.dispatcher.handle

    async def run(user: str, text: str) -> None:
        if await handle(message(bot, user, text)):
            order.append(user)

    spam = [run("spammer", "!skills") for _ in range(500)]
    await asyncio.gather(*spam[:250], run("alice", "!volunteer research"), *spam[250:])
    assert "alice" in order
    assert order.count("spammer") <= 21  # a burst of 20 plus the one "slow down"
    assert order.index("alice") <= 21
