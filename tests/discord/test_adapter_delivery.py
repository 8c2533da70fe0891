"""Outbox messages reach Discord once: the outbox key as the nonce, rate limits waited out, failures
retried or parked, nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.adapters.base import Adapter
from bot.adapters.discord_render import nonce
from bot.core.messages import Button, Delivery, Outgoing
from bot.core.text import fmt, lines
from bot.storage import outbox

from .conftest import DiscordBot, Server, StartBot, slash
from .standin import DiscordStandin
from .standin_model import Message, User


class Recorder:
    """Stands in front of the Discord adapter and keeps every delivery handed to it."""

    platform = "discord"

    def __init__(self, adapter: Adapter) -> None:
        self.adapter = adapter
        self.deliveries: list[Delivery] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, delivery: Delivery) -> None:
        self.deliveries.append(delivery)
        await self.adapter.deliver(delivery)


def record(bot: DiscordBot) -> Recorder:
    recorder = Recorder(bot.adapter)
    bot.app.deliverer.attach(recorder)
    return recorder


async def post_ask_for(standin: DiscordStandin, server: Server, volunteer: User) -> None:
    """`volunteer` signs up for research and alice posts a research ask: one DM to deliver."""
    await slash(standin, volunteer, server.general, "volunteer", {"skill": "research"})
    await slash(
        standin,
        server.alice,
        server.general,
        "ask",
        {"title": "Read up", "skill": "research"},
        subcommand="post",
    )


async def advance(bot: DiscordBot, span: timedelta) -> None:
    """Let time pass: every scheduler tick on the way runs, as in production."""
    await bot.app.scheduler.run_until(bot.clock, bot.clock.now() + span)


async def stale_nudge(standin: DiscordStandin, server: Server, bot: DiscordBot) -> Delivery:
    """bob claims ask 1 and says nothing for 8 days: the nudge about it, as handed to Discord."""
    await post_ask_for(standin, server, server.bob)
    await slash(standin, server.bob, server.general, "claim", {"id": 1})
    recorder = record(bot)
    await advance(bot, timedelta(days=8))
    (nudge,) = [d for d in recorder.deliveries if d.key.startswith("nudges:")]
    return nudge


async def test_a_stale_claim_nudge_arrives_by_dm_once_with_the_outbox_key_as_nonce(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    nudge = await stale_nudge(standin, server, bot)

    dm = standin.dm_channel(server.bob)
    message = await standin.wait_for_message(dm, lambda m: "no update for 7 days" in m.content)
    (sent,) = [
        r for r in standin.requests if r.path == f"/channels/{dm.id}/messages" and r.json["nonce"] == nonce(nudge.key)
    ]
    assert sent.json["enforce_nonce"] is True and "`done 1`" in sent.json["content"]

    await bot.adapter.deliver(nudge)  # sent again, as after a crash between sending and marking

    assert [m.id for m in standin.dm_messages_to(server.bob) if "no update" in m.content] == [message.id]


async def test_a_429_during_delivery_is_waited_out_and_the_message_arrives_once(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    dm = standin.dm_channel(server.bob)
    limited = standin.fail_next("POST", f"/channels/{dm.id}/messages", status=429, retry_after=0.05)

    await post_ask_for(standin, server, server.bob)

    told = await standin.wait_for_message(dm, lambda m: m.content.startswith("A new ask"))
    assert len(limited.hits) == 1
    assert [m.id for m in standin.dm_messages_to(server.bob)] == [told.id]
    assert limited.hits[0].json["nonce"] == told.nonce  # the retry carried the same nonce


async def test_a_long_429_is_left_to_the_deliverer_which_waits_as_told_without_losing_it(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    dm = standin.dm_channel(server.bob)
    limited = standin.fail_next("POST", f"/channels/{dm.id}/messages", status=429, retry_after=90)

    await post_ask_for(standin, server, server.bob)
    await standin.wait_until(lambda: limited.hits, what="the rate-limited send")
    await advance(bot, timedelta(seconds=60))
    assert standin.dm_messages_to(server.bob) == []  # still waiting, as Discord asked

    await advance(bot, timedelta(seconds=31))

    (told,) = standin.dm_messages_to(server.bob)
    assert told.content.startswith("A new ask")
    async with bot.app.db.reading() as tx:
        assert set(await outbox.counts(tx)) == {"sent"}  # nothing waiting, failed or parked


async def test_a_server_error_is_retried_later_and_arrives_once(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    dm = standin.dm_channel(server.bob)
    failing = standin.fail_next("POST", f"/channels/{dm.id}/messages", status=503)

    await post_ask_for(standin, server, server.bob)
    await standin.wait_until(lambda: failing.hits, what="the failed send")
    await advance(bot, timedelta(minutes=1))

    (told,) = standin.dm_messages_to(server.bob)
    assert told.content.startswith("A new ask")


async def test_someone_who_cannot_be_messaged_is_parked_not_retried_forever(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    dm = standin.dm_channel(server.bob)
    refused = standin.fail_next("POST", f"/channels/{dm.id}/messages", status=403)

    await post_ask_for(standin, server, server.bob)
    await standin.wait_until(lambda: refused.hits, what="the refused send")
    await advance(bot, timedelta(hours=1))

    async with bot.app.db.reading() as tx:
        (parked,) = await outbox.parked(tx, 10)
    assert parked.last_error is not None and parked.last_error.startswith("refused: HTTP 403")
    assert len(refused.hits) == 1 and standin.dm_messages_to(server.bob) == []


async def test_asks_can_be_announced_in_a_channel_given_by_id(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    await start_bot(announce_channel=str(server.asks.id))

    await slash(standin, server.alice, server.general, "ask", {"title": "Count the chairs"}, subcommand="post")

    announced = await standin.wait_for_message(server.asks)
    assert announced.content.startswith("New ask from alice:")


async def test_a_reminder_with_done_and_snooze_buttons_is_finished_with_one_click_in_the_dm(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await post_ask_for(standin, server, server.bob)
    await slash(standin, server.bob, server.general, "claim", {"id": 1})
    text = fmt("Ask 1 has had no update for 7 days. Next: `done 1` or `snooze c1 3d`.")
    buttons = (Button("Done", "done 1", "success"), Button("Snooze 3d", "snooze c1 3d", "secondary"))
    reminder = Delivery("nudges:test", "discord", str(server.bob.id), None, Outgoing(text, True, buttons))

    await bot.adapter.deliver(reminder)

    dm = standin.dm_channel(server.bob)
    message = await standin.wait_for_message(dm, lambda m: m.content.startswith("Ask 1 has had"))
    assert sorted(message.custom_ids()) == ["vb:done 1", "vb:snooze c1 3d"]
    answer = await (await standin.user_clicks(server.bob, message, "vb:done 1")).response()
    assert answer.content is not None and "done" in answer.content.lower()
    shown = await slash(standin, server.carol, server.general, "ask", {"id": 1}, subcommand="show")
    assert shown.content is not None and "bob (done)" in shown.content


async def test_a_long_message_arrives_in_parts_once_with_its_buttons_on_the_last(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    text = lines(*(fmt("Line {n}: " + "x" * 90, n=str(n)) for n in range(40)))
    digest = Delivery(
        "digest:test",
        "discord",
        None,
        str(server.general.id),
        Outgoing(text, False, (Button("Asks", "asks"),)),
    )

    await bot.adapter.deliver(digest)
    await bot.adapter.deliver(digest)  # a resend after a crash: every part is dropped by Discord

    first, second = from_bot_in(standin, server)
    assert len(first.content) <= 2000 and first.content.startswith("Line 0:")
    assert second.content.endswith("x" * 90) and "Line 39:" in second.content
    assert first.components == [] and second.custom_ids() == {"vb:asks": 2}
    assert {first.nonce, second.nonce} == {nonce("digest:test"), nonce("digest:test:1")}


def from_bot_in(standin: DiscordStandin, server: Server) -> list[Message]:
    return [m for m in standin.messages_in(server.general) if m.author_id == standin.bot.id]


NONCE_WINDOW_PAST = 10 * 60  # seconds: Discord keeps a nonce for a few minutes


def an_hour_ago() -> datetime:
    """A first try's time as Discord's ids tell time: the wall clock (the bot's clock is a test's)."""
    return datetime.now(UTC) - timedelta(hours=1)


async def test_a_nudge_that_went_out_before_a_kill_is_not_sent_again_after_discord_forgot_its_nonce(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    nudge = await stale_nudge(standin, server, bot)
    (sent,) = [m for m in standin.dm_messages_to(server.bob) if "no update" in m.content]
    standin.advance(NONCE_WINDOW_PAST)  # e.g. held by quiet hours after the kill

    await bot.adapter.deliver(replace(nudge, tried_since=an_hour_ago()))

    assert [m.id for m in standin.dm_messages_to(server.bob) if "no update" in m.content] == [sent.id]


async def test_a_message_that_may_have_gone_but_did_not_is_sent_once(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    text = fmt("Ask 1 has had no update for 7 days. Next: `done 1`.")
    buttons = (Button("Done", "done 1", "success"),)
    reminder = Delivery("nudges:never", "discord", str(server.bob.id), None, Outgoing(text, True, buttons))
    await bot.adapter.deliver(Delivery("other", "discord", str(server.bob.id), None, Outgoing(text, True)))

    await bot.adapter.deliver(replace(reminder, tried_since=an_hour_ago()))

    told = [m for m in standin.dm_messages_to(server.bob) if m.content.startswith("Ask 1 has had")]
    assert len(told) == 2 and "vb:done 1" in told[1].custom_ids()  # the same words without its button differ


async def test_a_long_message_cut_short_by_a_kill_gets_only_its_missing_parts(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    text = lines(*(fmt("Line {n}: " + "x" * 90, n=str(n)) for n in range(40)))
    digest = Delivery("digest:cut", "discord", None, str(server.general.id), Outgoing(text, False))
    await bot.adapter.deliver(digest)
    first, second = from_bot_in(standin, server)
    second.deleted = True  # as if the kill came between the two parts
    standin.advance(NONCE_WINDOW_PAST)

    await bot.adapter.deliver(replace(digest, tried_since=an_hour_ago()))

    again_first, again_second = from_bot_in(standin, server)
    assert again_first.id == first.id and again_second.id != second.id
    assert again_second.content == second.content
