"""Encrypted rooms and direct chats: the bot reads and answers, and keeps its device to do so."""

from __future__ import annotations

from .bots import BotFactory, command, direct_chat_from
from .humans import HumanFactory


async def test_the_bot_reads_and_answers_commands_in_an_encrypted_room(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot(encryption=True)
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id, bot.user_id], encrypted=True)
    for member in (bob, bot):
        await alice.wait_for_member(room, member.user_id)
    await alice.trust_devices(bot.user_id, bob.user_id)

    reply = await command(alice, room, "!volunteer research")
    seen_by_bob = await bob.wait_for_message(room, lambda m: m.sender == bot.user_id)

    assert (reply.encrypted, reply.msgtype) == (True, "m.notice")
    assert "Welcome aboard" in reply.body
    assert seen_by_bob.body == reply.body and seen_by_bob.encrypted
    assert not alice.undecryptable and not bob.undecryptable


async def test_private_details_arrive_in_an_encrypted_direct_chat_the_bot_opens(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot(encryption=True)
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id, bot.user_id], encrypted=True)
    for member in (bob, bot):
        await alice.wait_for_member(room, member.user_id)
    await alice.trust_devices(bot.user_id, bob.user_id)

    pointer = await command(alice, room, "!profile visibility:leads region:Midwest")
    dm = await direct_chat_from(alice, bot)
    details = await alice.wait_for_message(dm)

    assert pointer.body == "I've sent you the details privately."
    assert details.encrypted and "Midwest" in details.body
    assert alice.client.rooms[dm].encrypted


async def test_a_bot_restarted_with_its_password_keeps_its_device_and_still_reads_the_room(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot(encryption=True, password=True)
    device = bot.adapter.client.device_id
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id, bot.user_id], encrypted=True)
    for member in (bob, bot):
        await alice.wait_for_member(room, member.user_id)
    await alice.trust_devices(bot.user_id, bob.user_id)  # once: the bot must not change device
    before = await command(alice, room, "!volunteer research")

    bot = await make_bot.restart(bot)
    after = await command(alice, room, "!volunteer writing")

    assert bot.adapter.client.device_id == device
    assert "research" in before.body and "writing" in after.body
    assert after.encrypted and not alice.undecryptable
