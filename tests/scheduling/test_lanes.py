"""Replies first (issue 15): what a command queues for someone else goes out within moments even
while a backlog of reminders drains, and a sweep never waits for a delivery under way."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import pytest

from bot.clock import to_ts
from bot.core.messages import Delivery, Incoming, Sender
from bot.core.notices import encode
from bot.core.routing import Capabilities
from bot.core.text import fmt
from bot.ids import PersonId, Role
from bot.scheduling.courier import DeliveryFailed
from bot.scheduling.deliver import BATCH
from bot.storage import outbox
from bot.storage.db import Tx
from bot.storage.outbox import OutboxMessage
from tests.areas.accounts.test_accounts import say_on
from tests.console_bot import ConsoleBot, joined, to
from tests.postgres import emptied_database

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


class Looks:
    """Counts the deliverer's looks at the outbox (`outbox.next_due_and_prompt`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        looked = outbox.next_due_and_prompt

        async def counted(tx: Tx, now: int) -> tuple[int | None, bool]:
            self.count += 1
            return await looked(tx, now)

        monkeypatch.setattr(outbox, "next_due_and_prompt", counted)


async def test_what_a_command_queued_goes_out_without_a_look_at_the_outbox(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.say("carol", "!volunteer research")
    looks = Looks(monkeypatch)

    await bot.feed('!ask title:"Phone bank" skill:research')

    assert "Phone bank" in joined(to("carol", bot.transcript))
    assert looks.count == 0, "the deliverer looked at the outbox when only this command's notice was new"
    await bot.say("carol", "!mine")
    assert looks.count == 0


async def test_a_notice_held_for_quiet_hours_without_a_look_still_goes_out_when_they_end(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.say("carol", "!volunteer research")
    await bot.say("carol", "!profile tz:Asia/Tokyo")  # 01:00 there: inside her quiet hours
    looks = Looks(monkeypatch)

    await bot.feed('!ask title:"Phone bank" skill:research')
    assert looks.count == 1  # the notice waits, so the next due time is looked up afresh
    assert "Phone bank" not in joined(to("carol", bot.transcript))

    assert "Phone bank" not in joined(to("carol", await bot.advance("7h")))  # 08:00 in Tokyo
    assert "Phone bank" in joined(to("carol", await bot.advance("1h")))  # 09:00: her quiet hours end


async def test_a_notice_queued_by_a_command_that_rolled_back_changes_nothing_for_the_next_ones(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.say("carol", "!volunteer research")
    async with bot.app.db.transaction() as tx:
        carol = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = 'carol'")))
    now = to_ts(bot.clock.now())
    with contextlib.suppress(RuntimeError):
        async with bot.app.db.transaction() as tx:
            await outbox.queue(
                tx, [OutboxMessage("gone", "note", encode(fmt("never sent")), now, carol, caused_by=carol)], now
            )
            raise RuntimeError("the command failed")
    assert await bot.app.deliverer.deliver_due() == 0

    await bot.feed('!ask title:"Phone bank" skill:research')
    assert "Phone bank" in joined(to("carol", bot.transcript))
    assert "never sent" not in joined(bot.transcript)


class Refusing:
    """A courier that refuses every message at once, awaiting nothing."""

    platform = "console"

    async def deliver(self, delivery: Delivery) -> None:
        raise DeliveryFailed("refused")


async def test_a_backlog_that_fails_at_once_still_gives_everything_else_its_turn(bot: ConsoleBot) -> None:
    """Found at full scale on Matrix: 35,000 reminders for people with no account on a connected
    platform failed one after another for 11 s without the event loop turning once (a failure
    found before any request awaits nothing), so the bot joined no room and read no message
    meanwhile. The deliverer gives the loop a turn after each message, whatever it awaited."""
    platform = await _with_backlog(bot)
    bot.app.deliverer.adapters["console"] = Refusing()  # type: ignore[assignment]
    draining = asyncio.create_task(bot.app.deliverer.deliver_due())
    turns = 0
    while not draining.done():
        await asyncio.sleep(0)
        turns += 1
    assert await draining == 0 and not platform.sent
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM outbox WHERE attempts = 1") == BACKLOG  # each tried once
    assert turns >= BACKLOG, f"everything else had {turns} turns while {BACKLOG} messages failed"


async def test_a_backlog_held_for_quiet_hours_is_put_off_without_starving_anything(bot: ConsoleBot) -> None:
    """At night a catch-up's reminders are not sent but put off until morning, a hundred at a time:
    work on the loop with no message sent, so no turn was given between the hundreds."""
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile tz:Asia/Tokyo")  # 01:00 there: inside her quiet hours
    async with bot.app.db.transaction() as tx:
        alice = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = 'alice'")))
        week_ago = to_ts(bot.clock.now() - timedelta(days=7))
        old = [
            OutboxMessage(f"held:{n}", "note", encode(fmt("old news {n}", n=str(n))), week_ago, alice)
            for n in range(10 * BATCH)
        ]
        await outbox.queue(tx, old, to_ts(bot.clock.now()))
    draining = asyncio.create_task(bot.app.deliverer.deliver_due())
    turns = 0
    while not draining.done():
        await asyncio.sleep(0)
        turns += 1
    assert await draining == 0
    async with bot.app.db.reading() as tx:
        assert (
            await tx.value("SELECT COUNT(*) FROM outbox WHERE next_attempt_at > :now", {"now": to_ts(bot.clock.now())})
            == 10 * BATCH
        )
    assert turns >= 10, f"everything else had {turns} turns while {10 * BATCH} messages were put off"


async def test_what_only_another_processs_platform_can_send_is_not_looked_for_after_each_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several processes (PostgreSQL): this one holds the console only, and a reminder is due for
    someone with only a Matrix account, which the process holding Matrix will send. The claim
    takes nothing; this process looked and claimed again after each of its commands (two round
    trips a command) until the other had sent it. Now once a second, or when the outbox is written."""
    bot = await ConsoleBot.start(await emptied_database())
    try:
        await say_on(bot, "matrix", "@zed:example.org", "zed", "!volunteer research")
        await bot.say("carol", "!volunteer research")
        now = to_ts(bot.clock.now())
        async with bot.app.db.transaction() as tx:
            zed = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = '@zed:example.org'")))
            await outbox.queue(tx, [OutboxMessage("matrix:1", "backlog", encode(fmt("old news"), ()), now, zed)], now)
        looks = Looks(monkeypatch)
        for _ in range(3):
            await bot.say("carol", "!mine")
        assert looks.count == 1
        bot.clock.set(bot.clock.now() + timedelta(seconds=2))
        await bot.say("carol", "!mine")
        assert looks.count == 2
        await bot.feed('!ask title:"Phone bank" skill:research')  # what a command queues still goes at once
        assert "Phone bank" in joined(to("carol", bot.transcript))
        async with bot.app.db.reading() as tx:
            assert await tx.value("SELECT status FROM outbox WHERE key = 'matrix:1'") == "pending"
    finally:
        await bot.close()
