"""Replies first (issue 15): what a command queues for someone else goes out within moments even
while a backlog of reminders drains, and a sweep never waits for a delivery under way."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from bot.clock import to_ts
from bot.core.messages import Delivery, Incoming, Sender
from bot.core.notices import encode
from bot.core.routing import Capabilities
from bot.core.text import fmt
from bot.ids import PersonId, Role
from bot.storage import outbox
from bot.storage.outbox import OutboxMessage
from tests.console_bot import ConsoleBot

BACKLOG = 120


class SlowPlatform:
    """The console's courier, taking a few milliseconds a message, as a real platform does."""

    platform = "console"

    def __init__(self, bot: ConsoleBot) -> None:
        self.bot = bot
        self.sent: list[Delivery] = []
        self.changed = asyncio.Event()

    async def deliver(self, delivery: Delivery) -> None:
        await asyncio.sleep(0)
        self.sent.append(delivery)
        self.changed.set()

    async def until(self, done: object) -> None:
        async with asyncio.timeout(10):
            while not done():  # type: ignore[operator]
                self.changed.clear()
                await self.changed.wait()

    def backlog_sent(self) -> int:
        return sum(d.key.startswith("backlog:") for d in self.sent)


async def _with_backlog(bot: ConsoleBot) -> SlowPlatform:
    """alice and carol volunteer for research; alice has a week's backlog of 300 reminders due."""
    await bot.say("alice", "!volunteer research")
    await bot.say("carol", "!volunteer research")
    async with bot.app.db.transaction() as tx:
        alice = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = 'alice'")))
        week_ago = to_ts(bot.clock.now() - timedelta(days=7))
        old = [
            OutboxMessage(f"backlog:{n}", "backlog", encode(fmt("old news {n}", n=str(n)), ()), week_ago, alice)
            for n in range(BACKLOG)
        ]
        await outbox.queue(tx, old, to_ts(bot.clock.now()))
    platform = SlowPlatform(bot)
    bot.app.deliverer.adapters["console"] = platform
    return platform


async def _post_ask(bot: ConsoleBot) -> None:
    """The console's admin posts a research ask, as a platform would hand it over (not through
    the console, which waits for the deliverer after each line)."""
    incoming = Incoming(
        platform="console",
        event_id=uuid.uuid4().hex,
        sender=Sender("console", "you", "you", Role.ADMIN),
        channel_id="general",
        private=False,
        text='!ask title:"Phone bank" skill:research',
        at=bot.clock.now(),
    )
    assert await bot.app.dispatcher.handle(incoming, Capabilities(one_person=True))


async def test_a_notice_a_command_queues_overtakes_a_backlog_being_delivered(bot: ConsoleBot) -> None:
    platform = await _with_backlog(bot)
    draining = asyncio.create_task(bot.app.deliverer.deliver_due())
    await platform.until(lambda: platform.backlog_sent() >= 5)

    await _post_ask(bot)
    await platform.until(lambda: sum(d.key.startswith("ask:") for d in platform.sent) == 2)

    overtaken = platform.backlog_sent()
    await asyncio.wait_for(draining, 10)
    assert overtaken < 20, f"the ask's notices waited for {overtaken} backlog messages"
    keys = [d.key for d in platform.sent]
    assert platform.backlog_sent() == BACKLOG and len(keys) == len(set(keys)) == BACKLOG + 2
    assert all(d.prompt == d.key.startswith("ask:") for d in platform.sent)


async def test_a_sweep_runs_while_a_backlog_is_being_delivered(bot: ConsoleBot) -> None:
    platform = await _with_backlog(bot)
    draining = asyncio.create_task(bot.app.deliverer.deliver_due())
    await platform.until(lambda: platform.backlog_sent() >= 5)

    await asyncio.wait_for(bot.app.scheduler.sweep(), 2)

    assert platform.backlog_sent() < BACKLOG, "the sweep waited for the whole backlog"
    await asyncio.wait_for(draining, 10)
