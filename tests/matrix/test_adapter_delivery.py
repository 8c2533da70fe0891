"""Outbox delivery on Matrix: nudges to direct chats, idempotent sends, rate limits, files."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from nio.crypto.attachments import decrypt_attachment

from bot.adapters.base import DeliveryFailed
from bot.clock import ManualClock, to_ts
from bot.core.messages import Attachment, Delivery, Outgoing
from bot.core.notices import encode
from bot.core.text import Plain, fmt
from bot.ids import PersonId
from bot.storage import outbox
from bot.storage.outbox import OutboxMessage

from .bots import Bot, BotFactory, command, direct_chat_from, room_with
from .humans import Human, HumanFactory, Invite, ReceivedMessage
from .synapse import Synapse


async def test_a_stale_claim_nudge_falls_due_and_rings_in_the_volunteers_direct_chat(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    clock = ManualClock(datetime.now(UTC))
    alice = await make_human("alice")
    vol = await make_human("vol")
    bot = await make_bot(clock=clock, scheduler=False, admins=[f"matrix:{alice.user_id}"])
    room = await room_with(alice, vol, bot)
    dm = await vol.create_dm(bot.user_id)
    await vol.wait_for_member(dm, bot.user_id)
    posted = await command(alice, room, '!ask title:"Map the branch libraries"')
    ask_id = re.search(r"claim (\d+)", posted.body)
    assert ask_id is not None, posted.body
    await command(vol, dm, f"claim {ask_id[1]}")
    before = vol.client.rooms[dm].unread_notifications

    await bot.app.scheduler.run_until(clock, clock.now() + timedelta(days=8))
    nudge = await vol.wait_for_message(dm)

    assert f"Ask {ask_id[1]} “Map the branch libraries”: no update for" in nudge.body
    assert f"`update {ask_id[1]} <text>`" in nudge.body
    assert nudge.mentions is None  # her direct chat: nobody but her to ping, `m.mentions` left out
    assert nudge.msgtype == "m.text", "a reminder must make the phone ring: notices never do"
    assert vol.client.rooms[dm].unread_notifications == before + 1


async def test_a_delivery_sent_again_with_the_same_key_is_posted_once_even_after_a_restart(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await room_with(alice, bob, bot)
    delivery = Delivery("nudge:claim:7:1764000000", "matrix", None, room, Outgoing((Plain("once"),), False))

    await bot.adapter.deliver(delivery)
    await bot.adapter.deliver(delivery)
    bot = await make_bot.restart(bot)
    await bot.adapter.deliver(delivery)
    marker = await command(alice, room, "!skills")

    assert [m.body for m in alice.messages if m.sender == bot.user_id] == ["once", marker.body]


async def test_under_a_rate_limit_short_pauses_are_waited_out_long_ones_deferred_and_nothing_is_lost(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    alice = await make_human("alice")
    vol = await make_human("vol")
    bot = await make_bot(admins=[f"matrix:{alice.user_id}"])
    room = await room_with(alice, vol, bot)
    dm = await _signed_up_in_own_direct_chat(vol, bot.user_id)

    await synapse.override_ratelimit(bot.user_id, messages_per_second=3, burst_count=1)
    first = await command(alice, room, '!ask title:"Staff the picket table" skill:research')
    waited = await vol.wait_for_message(dm)
    await synapse.override_ratelimit(bot.user_id, messages_per_second=1, burst_count=1)
    bot.adapter.outbound.max_wait_s = 0.0  # from now on every pause is too long to wait out
    refused = await _rate_limited_probe(bot, room)  # the homeserver now wants a pause of ≈ 1 s
    second = await command(alice, room, '!ask title:"Phone bank" skill:research')
    deferred = await vol.wait_for_message(dm)
    await bot.app.deliverer.deliver_due()  # returns once the round that sent it is over

    logged = [r.getMessage() for r in caplog.records]
    assert any("matrix rate limit" in line for line in logged), "no 429: the test proved nothing"
    assert any(line.startswith("rate limited on ask:") for line in logged), "the ping was not deferred"
    assert "Posted ask" in first.body and "Posted ask" in second.body
    assert "Staff the picket table" in waited.body and "Phone bank" in deferred.body
    assert refused.retry_after is not None and 0 < refused.retry_after <= 1
    assert _outbox(bot.db_path) == [("sent", 0), ("sent", 0)], "a rate limit is not a failed attempt"
    assert len([m for m in vol.messages if m.room_id == dm and m.sender == bot.user_id]) == 3


async def test_an_attachment_is_encrypted_uploaded_and_posted_as_a_file(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot(encryption=True)
    alice = await make_human("alice", encrypted=True)
    dm = await alice.create_dm(bot.user_id, encrypted=True)
    await alice.wait_for_member(dm, bot.user_id)
    await alice.trust_devices(bot.user_id)
    await command(alice, dm, "help")  # the bot now knows this chat as alice's
    data = b'{"name": "alice"}'
    message = Outgoing((Plain("Everything I keep about you:"),), True, attachment=Attachment("me.json", data))

    await bot.adapter.deliver(Delivery("export:1", "matrix", alice.user_id, None, message))
    text = await alice.wait_for_message(dm, lambda m: m.body.startswith("Everything"))
    file = await alice.wait_for_message(dm, lambda m: m.msgtype == "m.file")
    downloaded = await alice.client.download(file.content["file"]["url"])

    assert text.encrypted and file.encrypted
    assert file.body == "me.json" and file.content["info"] == {
        "mimetype": "application/json",
        "size": len(data),
    }
    keys = file.content["file"]
    plain = decrypt_attachment(downloaded.body, keys["key"]["k"], keys["hashes"]["sha256"], keys["iv"])
    assert plain == data


async def _rate_limited_probe(bot: Bot, room: str) -> DeliveryFailed:
    """Deliver probes until the homeserver refuses one (the second at the latest: burst 1)."""
    for n in range(3):
        try:
            await bot.adapter.deliver(Delivery(f"probe:{n}", "matrix", None, room, Outgoing((Plain("probe"),), False)))
        except DeliveryFailed as refused:
            return refused
    raise AssertionError("the homeserver never refused a probe")


async def _signed_up_in_own_direct_chat(vol: Human, bot_id: str) -> str:
    dm = await vol.create_dm(bot_id)
    await vol.wait_for_member(dm, bot_id)
    await command(vol, dm, "volunteer research")
    return dm


def _outbox(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(str(path)) as db:
        rows = db.execute("SELECT status, attempts FROM outbox WHERE kind = 'ask' ORDER BY id").fetchall()
    return [(str(status), int(attempts)) for status, attempts in rows]


async def _ask_opens_bobs_direct_chat(
    make_bot: BotFactory, make_human: HumanFactory
) -> tuple[Human, Human, Bot, str, ReceivedMessage, Invite]:
    """alice (an admin) and bob (a research volunteer) in a room with the bot; alice's ask pings
    bob privately, which opens a direct chat with him: the ask's reply, and bob's invitation."""
    alice = await make_human("alice")
    bob = await make_human("bob", auto_join=False)
    bot = await make_bot(admins=[f"matrix:{alice.user_id}"])
    room = await alice.create_room(invite=[bob.user_id, bot.user_id], name="general")
    await bob.wait_for_invite(lambda invite: invite.room_id == room)
    await bob.join(room)
    await alice.wait_for_member(room, bot.user_id)
    await command(bob, room, "!volunteer skill:research")
    posted = await command(alice, room, '!ask title:"Read up" skill:research')  # bob is told privately
    offered = await bob.wait_for_invite(lambda invite: invite.inviter == bot.user_id)
    return alice, bob, bot, room, posted, offered


async def test_a_person_who_declines_the_direct_chat_is_not_invited_again_by_a_delivery(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """The deliverer reports such a failure to whoever caused the message (tests/scheduling)."""
    _, bob, bot, room, _, offered = await _ask_opens_bobs_direct_chat(make_bot, make_human)

    await bob.client.room_leave(offered.room_id)  # bob declines the direct chat
    async with asyncio.timeout(10):  # until the bot has read it from its sync
        while not await bot.adapter.outbound.memory.get(f"declined:{bob.user_id}"):  # noqa: ASYNC110 (no event)
            await asyncio.sleep(0.05)
    nudge = Delivery("nudge:test:1", "matrix", bob.user_id, None, Outgoing((Plain("still there?"),), False))
    with pytest.raises(DeliveryFailed) as failed:
        await bot.adapter.deliver(nudge)

    assert failed.value.unreachable and "accept my invitation" in "".join(s.text for s in failed.value.advice)
    await command(bob, room, "!mine")  # bob asks: a new direct chat is offered for the answer
    again = await bob.wait_for_invite(lambda invite: invite.inviter == bot.user_id)
    assert again.room_id != offered.room_id
    assert [i.room_id for i in bob.invites if i.inviter == bot.user_id] == [offered.room_id, again.room_id]


async def test_whoever_caused_a_message_posted_with_an_invitation_that_is_declined_is_told(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """The audit's reproduction (h5, finding 5): the first ask ping opened bob's direct chat and
    went in with the invitation; bob declined it, so never read it. alice, whose ask it was, is
    told at once (not when a second message fails), once, and the ping counts as not delivered."""
    alice, bob, bot, room, posted, offered = await _ask_opens_bobs_direct_chat(make_bot, make_human)

    await bob.client.room_leave(offered.room_id)  # bob declines the direct chat, the ping unread
    told = await alice.wait_for_message(await direct_chat_from(alice, bot))

    assert "I'm telling 1 matching volunteer privately." in posted.body
    assert told.body.startswith("I couldn't reach bob") and "accept my invitation to a direct chat" in told.body
    assert _outbox(bot.db_path) == [("parked", 1)]
    await command(alice, room, "!help")  # a sync later: nothing more
    assert [m.body[:20] for m in alice.messages if m.sender == bot.user_id and m.room_id != room] == [told.body[:20]]
    assert _kinds(bot.db_path, "unreachable") == 1


async def test_a_declined_invitation_tells_nobody_of_a_message_nobody_caused_and_an_accepted_one_nothing(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob", auto_join=False)
    carol = await make_human("carol", auto_join=False)
    bot = await make_bot(admins=[f"matrix:{alice.user_id}"])
    room = await room_with(alice, bot)
    for human in (bob, carol):
        await alice.invite(room, human.user_id)
        await human.wait_for_invite(lambda invite, human=human: invite.room_id == room)
        await human.join(room)
        await command(human, room, "!volunteer skill:research")
    await command(alice, room, "!help")
    async with bot.app.db.transaction() as tx:
        ids = {
            str(row["user_id"]): PersonId(int(row["person_id"]))
            for row in await tx.all("SELECT user_id, person_id FROM identities WHERE platform = 'matrix'")
        }
        now = to_ts(bot.app.clock.now())
        body = encode(fmt("A word about your ask."), ())
        caused = {"bob": ids[alice.user_id], "carol": ids[alice.user_id]}
        await outbox.queue(
            tx,
            [
                OutboxMessage(f"note:{name}", "note", body, now, ids[human.user_id], caused_by=caused[name])
                for name, human in (("bob", bob), ("carol", carol))
            ]
            + [OutboxMessage("reminder:bob", "note", body, now, ids[bob.user_id])],  # nobody caused it
            now,
        )
    bot.app.scheduler.kick()
    for human in (bob, carol):
        await human.wait_for_invite(lambda invite: invite.inviter == bot.user_id)
    await _until_status(bot.db_path, "note", {"sent"}, 3)

    await carol.join(next(i.room_id for i in carol.invites if i.inviter == bot.user_id))  # carol reads hers
    await carol.wait_for_message(next(i.room_id for i in carol.invites if i.inviter == bot.user_id))
    await bob.client.room_leave(next(i.room_id for i in bob.invites if i.inviter == bot.user_id))
    await _until_status(bot.db_path, "note", {"sent", "parked"}, 3, parked=2)
    told = await alice.wait_for_message(await direct_chat_from(alice, bot))

    assert told.body.startswith("I couldn't reach bob")  # for note:bob; reminder:bob had no cause
    assert _kinds(bot.db_path, "unreachable") == 1
    await carol.client.room_leave(next(i.room_id for i in carol.invites if i.inviter == bot.user_id))
    await command(alice, room, "!help")  # carol left after reading: nothing to tell
    assert _kinds(bot.db_path, "unreachable") == 1


def _kinds(path: Path, kind: str) -> int:
    with sqlite3.connect(str(path)) as db:
        return int(db.execute("SELECT COUNT(*) FROM outbox WHERE kind = ?", [kind]).fetchone()[0])


async def _until_status(path: Path, kind: str, statuses: set[str], count: int, *, parked: int = 0) -> None:
    async with asyncio.timeout(15):
        while True:
            with sqlite3.connect(str(path)) as db:
                rows = [str(r[0]) for r in db.execute("SELECT status FROM outbox WHERE kind = ?", [kind])]
            if len(rows) == count and set(rows) <= statuses and rows.count("parked") == parked:
                return
            await asyncio.sleep(0.05)


async def test_replies_go_first_while_a_backlog_drains_at_the_homeserver_rate_limit(
    synapse: Synapse, make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """A week's reminders would use the bot's whole allowance (here 1 message a second, a burst of
    3); once the homeserver has shown its rate, the backlog keeps to half of it, so a command's
    reply finds the allowance ready instead of queueing behind reminders (issue 15)."""
    alice = await make_human("alice")
    vol = await make_human("vol")
    bot = await make_bot()
    room = await room_with(alice, vol, bot)
    dm = await _signed_up_in_own_direct_chat(vol, bot.user_id)
    async with bot.app.db.transaction() as tx:
        person = PersonId(int(await tx.value("SELECT person_id FROM identities WHERE user_id = ?", [vol.user_id])))
        due = to_ts(bot.app.clock.now() - timedelta(days=1))
        body = encode(fmt("A reminder from last week."), ())
        await outbox.queue(tx, [OutboxMessage(f"old:{n}", "old", body, due, person) for n in range(40)], due)
    await synapse.override_ratelimit(bot.user_id, messages_per_second=1, burst_count=3)
    bot.app.scheduler.kick()
    for _ in range(5):  # the burst, a 429, and the backlog at its pace
        await vol.wait_for_message(dm, lambda m: "last week" in m.body)

    waited = []
    for _ in range(3):
        started = time.perf_counter()
        await command(alice, room, "!skills")
        waited.append(time.perf_counter() - started)
        await asyncio.sleep(1.5)  # a person reads the answer before the next command

    assert max(waited) < 1.0, f"replies waited {waited} s behind the backlog"
    async with bot.app.db.reading() as tx:
        sent = await tx.value("SELECT COUNT(*) FROM outbox WHERE kind = 'old' AND status = 'sent'")
        tries = await tx.value("SELECT MAX(attempts) FROM outbox WHERE kind = 'old'")
    assert 0 < sent < 40 and tries == 0, "the backlog goes on, and waiting is not a failed try"
