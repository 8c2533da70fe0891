"""A message that may already have gone out is looked for before it is sent again.

A platform forgets an idempotency key after a while (Discord's nonce after minutes, Synapse's
transaction id after a day), and a message can wait much longer than that to be sent again: a
crash left it `sending` and quiet hours or a pause hold it, or a timeout that may have posted it
is retried with backoff. The deliverer says when an earlier try may have reached the platform
(`Delivery.tried_since`) and the adapter looks there first; a first try never costs a look.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import from_ts
from bot.core.messages import Delivery
from bot.core.text import plain_text
from bot.storage import outbox
from tests.console_bot import START, ConsoleBot, make_config, to
from tests.scheduling.test_delivery_rules import _outage_until_quiet_hours, _stale_at_2050
from tests.scheduling.test_scheduler import Recorder, record


async def _created(bot: ConsoleBot, key_start: str) -> int:
    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT key, created_at FROM outbox ORDER BY id")
    (created,) = [row["created_at"] for row in rows if str(row["key"]).startswith(key_start)]
    return int(created)


async def _as_if_killed(bot: ConsoleBot, status: str, key_start: str) -> None:
    """The row as a kill between sending it and recording it leaves it."""
    async with bot.app.db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET status = :st, sent_at = NULL WHERE key LIKE :k",
            {"st": status, "k": key_start + "%"},
        )


def _sent(recorder: Recorder, words: str) -> list[Delivery]:
    return [delivery for _, delivery in recorder.sent if words in plain_text(delivery.message.text)]


async def test_a_first_try_does_not_look(bot: ConsoleBot) -> None:
    recorder = await _stale_at_2050(bot)
    await bot.feed("::at 2026-12-01T02:51Z")

    (nudge,) = _sent(recorder, "no update for 7 days")
    assert nudge.tried_since is None
    await bot.say("bob", "!volunteer research")
    await bot.feed('!ask title:"Fresh task" skill:research')
    asks = _sent(recorder, "Fresh task")
    assert asks and all(delivery.tried_since is None for delivery in asks)


async def test_a_retry_after_a_failure_looks_since_the_message_was_queued(bot: ConsoleBot) -> None:
    """The platform failed at 20:50 (a timeout may have posted it after all); the morning's try looks."""
    recorder = await _stale_at_2050(bot)
    await _outage_until_quiet_hours(bot, recorder)
    await bot.feed("::at 2026-12-01T15:01Z")

    (nudge,) = _sent(recorder, "no update for 7 days")
    assert nudge.tried_since == from_ts(await _created(bot, "nudge"))


async def test_a_reminder_a_kill_left_sending_is_looked_for_when_quiet_hours_end(database: str) -> None:
    """Sent at 20:50, killed before it was marked sent, restarted at 22:00: held to 09:00, a
    resend then is half a day past any platform's memory of its key."""
    first = await ConsoleBot.start(database)
    try:
        recorder = await _stale_at_2050(first)
        await first.feed("::at 2026-12-01T02:51Z")
        assert _sent(recorder, "no update for 7 days")
        await _as_if_killed(first, "sending", "nudge")
    finally:
        await first.close()

    monday_22h = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # in Chicago
    second = await ConsoleBot.start(database, make_config(), start=monday_22h)
    try:
        recorder = record(second)
        assert not to("alice", await second.feed("::at 2026-12-01T14:59Z"))  # quiet hours hold it
        await second.feed("::at 2026-12-01T15:01Z")
        (again,) = _sent(recorder, "no update for 7 days")
        assert again.tried_since == from_ts(await _created(second, "nudge"))
        async with second.app.db.reading() as tx:
            assert set(await outbox.counts(tx)) == {"sent"}
    finally:
        await second.close()


async def test_a_message_a_command_queued_before_a_restart_is_looked_for(database: str) -> None:
    """The prompt lane sends before recording anything: after a kill, a message a command queued
    is still `pending` though it may have gone; one queued after the restart is a first try."""
    first = await ConsoleBot.start(database)
    try:
        await first.say("bob", "!volunteer research")
        await first.feed('!ask title:"Before the kill" skill:research')
        await _as_if_killed(first, "pending", "ask:")
    finally:
        await first.close()

    second = await ConsoleBot.start(database, make_config(), start=START + timedelta(minutes=5))
    try:
        recorder = record(second)
        await second.advance("1m")
        (resent,) = _sent(recorder, "Before the kill")
        assert resent.tried_since is not None
        await second.feed('!ask title:"After the restart" skill:research')
        (fresh,) = _sent(recorder, "After the restart")
        assert fresh.tried_since is None
    finally:
        await second.close()
