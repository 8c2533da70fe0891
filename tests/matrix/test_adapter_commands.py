"""Commands from Matrix rooms and direct chats, through a real Synapse and real nio clients."""

from __future__ import annotations

import re

from nio import RoomPreset

from .bots import BotFactory, command, direct_chat_from, room_with, set_power
from .humans import Human, HumanFactory

PRIVATELY = "I've sent you the details privately."


async def test_a_volunteer_signs_up_in_a_room_and_gets_a_notice_replying_to_the_command(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bob, bot)

    reply = await command(alice, room, "!volunteer research")

    assert reply.sender == bot.user_id
    assert reply.msgtype == "m.notice"
    assert reply.body.startswith(f"Welcome aboard, {_name(alice)}! You're signed up.")
    assert "`profile tz:America/Chicago`" in reply.body
    assert reply.format == "org.matrix.custom.html"
    assert reply.formatted_body is not None and "<code>profile tz:America/Chicago</code>" in reply.formatted_body
    assert reply.mentions is not None and (reply.mentions.user_ids, reply.mentions.room) == (
        frozenset(),
        False,
    )


async def test_a_lead_by_power_level_posts_an_ask_and_a_volunteer_claims_it_after_a_private_ping(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    account = await make_bot.account()
    ada = await make_human("ada")  # creates the main room: power 100, an admin
    lea = await make_human("lea")
    vol = await make_human("vol")
    main = await ada.create_room(invite=[lea.user_id, vol.user_id, account.user_id], name="union")
    await set_power(ada, main, lea.user_id, 50)
    bot = await make_bot(account=account, main_room=main)
    for member in (lea, vol, bot):
        await ada.wait_for_member(main, member.user_id)

    signed = await command(vol, main, "!volunteer research")
    refused = await command(vol, main, '!ask title:"Not mine to post" skill:research')
    posted = await command(lea, main, '!ask title:"Compile bargaining resources" skill:research need:2')
    dm = await direct_chat_from(vol, bot)
    ping = await vol.wait_for_message(dm)
    ask_id = re.search(r"claim (\d+)", ping.body)
    assert ask_id is not None, ping.body
    claimed = await command(vol, main, f"!claim {ask_id[1]}")
    audit = await command(ada, main, "!audit")

    assert "Welcome aboard" in signed.body
    assert refused.body.startswith("Only leads")
    assert f"claim {ask_id[1]}" in posted.body
    assert "Compile bargaining resources" in ping.body and ping.msgtype == "m.text"  # it notifies
    assert ping.in_reply_to is None
    assert claimed.body.startswith(f"It's yours: ask {ask_id[1]}")
    assert not audit.body.startswith("Only"), audit.body
    # Her power lowered, she is a member again: a lead by power level was never taken back.
    await set_power(ada, main, lea.user_id, 0)
    again = await command(lea, main, '!ask title:"One more" skill:research')
    assert again.body.startswith("Only leads"), again.body


async def test_private_details_go_to_one_direct_chat_reused_after_a_restart(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bob, bot)

    pointer = await command(alice, room, "!profile visibility:leads region:Midwest")
    dm = await direct_chat_from(alice, bot)
    details = await alice.wait_for_message(dm)
    bot = await make_bot.restart(bot)
    again = await command(alice, room, "!profile")
    details_again = await alice.wait_for_message(dm)

    assert pointer.body == PRIVATELY
    assert "Midwest" in details.body and "Midwest" not in pointer.body
    # `m.mentions` where bob could be pinged; none in the direct chat, where only alice could be
    assert pointer.mentions is not None and pointer.mentions.user_ids == frozenset() and not pointer.mentions.room
    assert details.mentions is None
    assert again.body == PRIVATELY
    assert "Midwest" in details_again.body
    assert [invite.room_id for invite in alice.invites if invite.inviter == bot.user_id] == [dm]
    assert all("Midwest" not in m.body for m in bob.messages if m.sender == bot.user_id)


async def test_an_empty_m_mentions_only_where_someone_besides_the_reader_could_be_pinged(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bot, name="planning")  # not a direct chat, but nobody else in it

    alone = await command(alice, room, "!help")
    await alice.invite(room, bob.user_id)
    invited = await command(alice, room, "!help")  # bob has not joined yet: an invite is enough
    await alice.wait_for_member(room, bob.user_id)
    joined = await command(alice, room, "!help")

    assert alone.mentions is None  # the legacy push rules could reach alice alone
    for reply in (invited, joined):
        assert reply.mentions is not None and (reply.mentions.user_ids, reply.mentions.room) == (frozenset(), False)


async def test_a_direct_chat_opened_by_a_person_takes_commands_without_prefix_and_keeps_details_there(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    dm = await alice.create_dm(bot.user_id)
    await alice.wait_for_member(dm, bot.user_id)
    room = await room_with(alice, bob, bot)

    signed = await command(alice, dm, "volunteer research")
    details = await command(alice, dm, "!profile visibility:leads region:Midwest")
    pointer = await command(alice, room, "!profile")
    later = await alice.wait_for_message(dm)

    assert "Welcome aboard" in signed.body
    assert "Midwest" in details.body
    assert pointer.body == PRIVATELY
    assert "Midwest" in later.body
    assert not [invite for invite in alice.invites if invite.inviter == bot.user_id], "no second chat"


async def test_invites_are_accepted_from_allowed_servers_and_configured_rooms_only(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    alice = await make_human("alice")
    configured = await alice.create_room(name="configured")
    bot = await make_bot(allowed_servers=["example.org"], rooms=[configured])
    stranger = await alice.create_room(invite=[bot.user_id], name="elsewhere")

    await alice.invite(configured, bot.user_id)
    await alice.wait_for_member(configured, bot.user_id)
    await _wait_until_gone(alice, stranger, bot.user_id)

    reply = await command(alice, configured, "!help")
    assert reply.sender == bot.user_id


async def _wait_until_gone(human: Human, room: str, user_id: str) -> None:
    """Until `human` sees that `user_id` is neither joined nor invited (an invite was declined)."""
    await human.wait_for_state(room, lambda r: user_id not in r.users)


def _name(human: Human) -> str:
    return human.user_id[1:].split(":")[0]


async def test_a_room_someone_else_marked_direct_is_no_private_chat_of_whoever_stays(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """Mallory opens a public room marked direct with the bot and a lead, then leaves: the lead
    and the bot alone there is not the lead's private chat, and leads-only data never goes there
    (Mallory can come back and read it)."""
    lead, mallory, alice = await make_human("lead"), await make_human("mallory"), await make_human("alice")
    bot = await make_bot(admins=[f"matrix:{lead.user_id}"])
    group = await room_with(lead, alice, bot)
    await command(alice, group, "!volunteer research")
    await command(alice, group, "!profile visibility:leads region:Kalamazoo")
    made = await mallory.client.room_create(
        name="Volunteer Bot", is_direct=True, preset=RoomPreset.public_chat, invite=[bot.user_id, lead.user_id]
    )
    trap = made.room_id
    await mallory.wait_for_member(trap, bot.user_id)
    await mallory.wait_for_member(trap, lead.user_id)
    await mallory.client.room_leave(trap)
    await lead.wait_for_state(trap, lambda room: mallory.user_id not in room.users)

    answer = await command(lead, trap, f"!whois {alice.user_id}")
    details = await lead.wait_for_message(await direct_chat_from(lead, bot))

    assert answer.body == PRIVATELY
    assert "Kalamazoo" in details.body and details.room_id != trap
    assert await bot.adapter.outbound.memory.private_chat(lead.user_id) != trap
