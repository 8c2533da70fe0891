"""A message that may have gone out already (`Delivery.tried_since`) is looked for in its room and
sent only where it is missing, even once Synapse forgot its transaction id (after a day)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

from bot.adapters.base import DeliveryFailed
from bot.adapters.matrix_render import render_parts
from bot.core.messages import Attachment, Delivery, Outgoing
from bot.core.text import Plain

from .bots import Bot, BotFactory, command, direct_chat_from, room_with
from .humans import Human, HumanFactory
from .synapse import Synapse


async def test_a_message_posted_before_synapse_forgot_its_transaction_id_is_found_and_not_posted_again(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """The crash story: sent, not marked sent, the bot restarted, and the next try comes after
    Synapse's day of de-duplication is over (here: the mapping forgotten on purpose)."""
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)
    tried = datetime.now(UTC)
    delivery = Delivery("nudge:claim:7:1764000000", "matrix", None, room, Outgoing((Plain("once"),), False))
    await bot.adapter.deliver(delivery)
    await alice.wait_for_message(room, lambda m: m.body == "once")

    await asyncio.to_thread(synapse.forget_transaction_ids)
    bot = await make_bot.restart(bot)
    await bot.adapter.deliver(dataclasses.replace(delivery, tried_since=tried))

    assert await _bot_messages_until_marker(bot, alice, room) == ["once", "marker"]


async def test_a_message_an_earlier_try_never_posted_goes_out_once_beside_the_same_text_under_another_key(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """A part is known by its own transaction id, not by its text: the same words sent under
    another key since (yesterday's identical reminder) are not taken for it."""
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)
    tried = datetime.now(UTC)
    same = Outgoing((Plain("still there?"),), False)
    await bot.adapter.deliver(Delivery("nudge:test:1", "matrix", None, room, same))

    await bot.adapter.deliver(Delivery("nudge:test:2", "matrix", None, room, same, tried_since=tried))

    assert await _bot_messages_until_marker(bot, alice, room) == ["still there?", "still there?", "marker"]


async def test_a_long_message_of_which_only_the_first_part_went_out_gets_only_the_missing_parts(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)
    message = Outgoing((Plain("first line\n" + "a long reading list " * 8000 + "\nlast line"),), False)
    parts = [content["body"] for content in render_parts(message)]
    tried = datetime.now(UTC)
    await bot.adapter.outbound.send(room, render_parts(message)[0], "long:1", patient=True)  # then it failed
    await alice.wait_for_message(room, lambda m: m.body == parts[0])

    await asyncio.to_thread(synapse.forget_transaction_ids)
    await bot.adapter.deliver(Delivery("long:1", "matrix", None, room, message, tried_since=tried))

    assert len(parts) > 2
    assert await _bot_messages_until_marker(bot, alice, room) == [*parts, "marker"]


async def test_a_message_and_its_file_already_in_an_encrypted_direct_chat_are_not_posted_again(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """The transaction id sits outside the ciphertext: found without reading the message."""
    bot = await make_bot(encryption=True)
    vol = await make_human("vol", encrypted=True)
    await command(vol, await room_with(vol, bot), "!volunteer research")  # the bot knows vol now
    message = Outgoing((Plain("Everything I keep about you:"),), True, attachment=Attachment("me.json", b"{}"))
    tried = datetime.now(UTC)
    delivery = Delivery("export:1", "matrix", vol.user_id, None, message)
    await bot.adapter.deliver(delivery)
    dm = await direct_chat_from(vol, bot)
    await vol.wait_for_message(dm, lambda m: m.msgtype == "m.file")

    await asyncio.to_thread(synapse.forget_transaction_ids)
    bot = await make_bot.restart(bot)
    await bot.adapter.deliver(dataclasses.replace(delivery, tried_since=tried))

    marker = Delivery("marker", "matrix", vol.user_id, None, Outgoing((Plain("marker"),), True), prompt=True)
    posted = await _bot_messages_until_marker(bot, vol, dm, marker)
    assert posted == ["Everything I keep about you:", "me.json", "marker"]
    assert all(m.encrypted for m in vol.messages if m.room_id == dm) and not vol.undecryptable


async def test_a_reminder_looked_for_under_a_known_rate_limit_still_gets_its_turn_to_be_sent(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """Once the homeserver has shown its rate, a backlog reminder gets one turn per pause; the look
    (a read, which Synapse does not count) leaves it to the send, or the send would never get one."""
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)
    await synapse.override_ratelimit(bot.user_id, messages_per_second=1, burst_count=1)
    probes = await _rate_limited_probes(bot, room)
    reminder = Delivery("reminder:1", "matrix", None, room, Outgoing((Plain("reminder"),), False))

    tries = await _deliver_as_the_deliverer_would(bot, dataclasses.replace(reminder, tried_since=datetime.now(UTC)))

    assert tries > 1, "no rate limit: the test proved nothing"
    assert await _bot_messages_until_marker(bot, alice, room) == [*probes, "reminder", "marker"]


async def _rate_limited_probes(bot: Bot, room: str) -> list[str]:
    """Deliver probes until the homeserver refuses one (burst 1); the bodies of those it took."""
    for n in range(3):
        try:
            await bot.adapter.deliver(Delivery(f"probe:{n}", "matrix", None, room, Outgoing((Plain("probe"),), False)))
        except DeliveryFailed:
            return ["probe"] * n
    raise AssertionError("the homeserver never refused a probe")


async def _deliver_as_the_deliverer_would(bot: Bot, delivery: Delivery, tries: int = 5) -> int:
    """Deliver, trying again as told after each rate limit; how many tries it took."""
    for n in range(1, tries + 1):
        try:
            await bot.adapter.deliver(delivery)
        except DeliveryFailed as failed:
            assert failed.retry_after is not None, failed.reason
            await asyncio.sleep(failed.retry_after)
        else:
            return n
    raise AssertionError(f"still not sent after {tries} tries")


async def _bot_messages_until_marker(bot: Bot, human: Human, room: str, marker: Delivery | None = None) -> list[str]:
    """What the bot posted in `room`, as `human` saw it, up to a marker the bot sends last (it
    arrives after anything the bot posted before it)."""
    marker = marker or Delivery("marker", "matrix", None, room, Outgoing((Plain("marker"),), False), prompt=True)
    await bot.adapter.deliver(marker)
    await human.wait_for_message(room, lambda m: m.body == "marker")
    return [m.body for m in human.messages if m.room_id == room and m.sender == bot.user_id]
