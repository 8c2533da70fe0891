"""Restarts: no command answered twice, none sent while the bot was down missed, history not run."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from .bots import Bot, BotFactory, command, room_with
from .humans import Human, HumanFactory, ReceivedMessage
from .synapse import Synapse

MISSED = 12  # more than one sync page (Synapse sends 10 events per room), so the bot must page back


async def test_commands_sent_while_the_bot_was_stopped_are_answered_once_after_the_restart(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bob, bot)
    before = await command(alice, room, "!volunteer research")

    await bot.stop()
    sent = [await alice.send_text(room, f"!volunteer skill{n}") for n in range(MISSED)]
    bot = await make_bot.restart(bot)
    answers = [await alice.wait_for_message(room, _reply_to(event)) for event in sent]
    last = await command(alice, room, "!skills")

    replies = Counter(m.in_reply_to for m in alice.messages if m.sender == bot.user_id)
    assert [f"skill{n}" in answer.body for n, answer in enumerate(answers)] == [True] * MISSED
    assert replies[before.in_reply_to] == 1
    assert all(replies[event] == 1 for event in sent)
    assert sum(replies.values()) == MISSED + 2
    assert last.sender == bot.user_id


async def test_on_its_first_run_the_bot_treats_earlier_messages_as_history(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    account = await make_bot.account()
    alice = await make_human("alice")
    bob = await make_human("bob")
    early = await Human.from_registered(synapse.base_url, account)  # the bot's account joins first
    try:
        room = await room_with(alice, bob, early)
        old = await alice.send_text(room, "!volunteer research")
    finally:
        await early.close()

    bot = await make_bot(account=account)
    new = await command(alice, room, "!skills")

    answered = [m.in_reply_to for m in alice.messages if m.sender == bot.user_id]
    assert answered == [new.in_reply_to]
    assert old not in answered


async def test_commands_that_only_read_are_answered_while_a_long_write_holds_the_writer(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    alice, bot = await make_human("alice"), await make_bot()
    room = await room_with(alice, bot, name="reading")
    known = await command(alice, room, "!volunteer research")  # so her looks need no write first
    release = asyncio.Event()
    holder = asyncio.create_task(_hold_writer(bot, release))
    try:
        # Each in a sync batch of its own: the first batch's sync token waits for the writer,
        # and the next batch must not wait for that token.
        looks = [await command(alice, room, "!help") for _ in range(3)]
    finally:
        release.set()
        await holder
    bot = await make_bot.restart(bot)  # the stop stored the newest token: nothing comes again
    last = await command(alice, room, "!skills")

    answered = Counter(m.in_reply_to for m in alice.messages if m.sender == bot.user_id)
    assert answered == Counter(m.in_reply_to for m in [known, *looks, last])


async def _hold_writer(bot: Bot, release: asyncio.Event) -> None:
    """Keep the write lock until `release`, as a sweep or a backlog's bookkeeping can, for seconds."""
    async with bot.app.db.transaction():
        await release.wait()


def _reply_to(event_id: str) -> Callable[[ReceivedMessage], bool]:
    return lambda message: message.in_reply_to == event_id


async def test_a_direct_chat_a_newcomer_opened_stays_their_chat_after_a_restart(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """Her first command ever came in a chat she opened, before the bot knew her: the chat was
    not recorded, and after a restart her private answers came with an invitation to a second."""
    bot = await make_bot()
    alice, bob = await make_human("alice"), await make_human("bob")
    dm = await alice.create_dm(bot.user_id)
    await alice.wait_for_member(dm, bot.user_id)
    await command(alice, dm, "volunteer research")
    await command(alice, dm, "profile visibility:leads region:Midwest")  # her profile is private now
    room = await room_with(alice, bob, bot)

    bot = await make_bot.restart(bot)
    await command(alice, room, "!profile")
    details = await alice.wait_for_message(dm)

    assert "Midwest" in details.body
    assert not [invite for invite in alice.invites if invite.inviter == bot.user_id], "no second chat"


async def test_the_first_words_of_a_direct_chat_said_before_the_bot_joined_are_answered(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """Element opens a direct chat with its first message, before the invitee has joined; a chat
    opened while the bot was down is joined only when it is back. Both first words are answered."""
    bot = await make_bot()
    alice, bob = await make_human("alice"), await make_human("bob")
    dm = await alice.create_dm(bot.user_id)
    first = await alice.send_text(dm, "help")
    await bot.stop()
    bob_dm = await bob.create_dm(bot.user_id)
    bobs_first = await bob.send_text(bob_dm, "volunteer research")
    bot = await make_bot.restart(bot)

    answered = await alice.wait_for_message(dm, _reply_to(first))
    bobs = await bob.wait_for_message(bob_dm, _reply_to(bobs_first))

    assert answered.sender == bot.user_id and "volunteer" in answered.body
    assert bobs.sender == bot.user_id and "Welcome aboard" in bobs.body
