"""The Synapse fixture and the humans work, and the Matrix behaviour the adapter relies on holds.

These tests double as documentation for the adapter's author: the sync-token, encryption and
rate-limit tests pin down how Synapse 1.163 and matrix-nio 0.26 really behave.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

import pytest
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    RoomMessageText,
    RoomSendError,
    RoomSendResponse,
    SyncResponse,
)

from .humans import Human, HumanFactory, ReceivedMessage, RequestFailed, Session
from .synapse import Synapse

ROUND_TRIPS = 20


async def test_two_humans_exchange_messages_in_a_room(make_human: HumanFactory) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob")  # accepts invites by itself (auto_join=True)
    room = await alice.create_room(name="general")
    await alice.invite(room, bob.user_id)
    await alice.wait_for_member(room, bob.user_id)

    await alice.send_text(room, "hello bob")
    got = await bob.wait_for_message(room)
    await bob.send_text(room, "hi alice", reply_to=got.event_id)
    answer = await alice.wait_for_message(room)

    assert (got.sender, got.msgtype, got.body, got.encrypted) == (
        alice.user_id,
        "m.text",
        "hello bob",
        False,
    )
    assert (answer.sender, answer.body, answer.in_reply_to) == (
        bob.user_id,
        "hi alice",
        got.event_id,
    )


async def test_a_dm_arrives_as_a_direct_invite_and_both_sides_can_talk(
    make_human: HumanFactory,
) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob", auto_join=False)

    dm = await alice.create_dm(bob.user_id)
    invite = await bob.wait_for_invite()
    await bob.join(invite.room_id)
    await alice.wait_for_member(dm, bob.user_id)
    await alice.send_text(dm, "psst")
    await bob.send_text(dm, "yes?")

    assert (invite.room_id, invite.inviter, invite.is_direct) == (dm, alice.user_id, True)
    assert (await bob.wait_for_message(dm)).body == "psst"
    assert (await alice.wait_for_message(dm)).body == "yes?"


async def test_a_notice_keeps_its_html_mentions_and_reply_target(make_human: HumanFactory) -> None:
    alice = await make_human("alice")
    bot = await make_human("bot")
    room = await alice.create_room(invite=[bot.user_id])
    await alice.wait_for_member(room, bot.user_id)
    question = await alice.send_text(room, "bot: !claim 3", "<b>bot</b>: !claim 3", mentions=[bot.user_id])
    asked = await bot.wait_for_message(room)

    # What a bot reply looks like on the wire; the adapter will send these.
    await bot.client.room_send(
        room,
        "m.room.message",
        {
            "msgtype": "m.notice",
            "body": "alice: you claimed ask 3",
            "format": "org.matrix.custom.html",
            "formatted_body": '<a href="https://matrix.to/#/@alice">alice</a>: you claimed ask 3',
            "m.mentions": {"user_ids": [alice.user_id]},
            "m.relates_to": {"m.in_reply_to": {"event_id": question}},
        },
    )
    reply = await alice.wait_for_message(room)

    assert (asked.formatted_body, asked.format) == (
        "<b>bot</b>: !claim 3",
        "org.matrix.custom.html",
    )
    assert asked.mentions is not None and asked.mentions.user_ids == {bot.user_id}
    assert reply.msgtype == "m.notice"
    assert reply.formatted_body is not None and reply.formatted_body.startswith("<a href=")
    assert reply.mentions is not None
    assert (reply.mentions.user_ids, reply.mentions.room) == (frozenset({alice.user_id}), False)
    assert reply.in_reply_to == question


async def test_a_plain_message_round_trip_takes_well_under_a_second(
    make_human: HumanFactory,
) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await alice.create_room(invite=[bob.user_id])
    await alice.wait_for_member(room, bob.user_id)

    median = await _median_round_trip(alice, bob, room)

    print(f"plain round trip (send, reply, receive): median {median * 1000:.0f} ms")
    assert median < 1.0, "a slow round trip means throttling or a stale /sync cache"


async def test_two_encrypted_clients_read_each_other(make_human: HumanFactory) -> None:
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id], encrypted=True)
    await alice.wait_for_member(room, bob.user_id)
    await alice.trust_devices(bob.user_id)
    await bob.trust_devices(alice.user_id)

    await alice.send_text(room, "the door code is 1234")
    got = await bob.wait_for_message(room)
    median = await _median_round_trip(alice, bob, room)

    print(f"encrypted round trip (send, reply, receive): median {median * 1000:.0f} ms")
    assert (got.body, got.encrypted) == ("the door code is 1234", True)
    assert not bob.undecryptable
    assert median < 1.0


async def test_a_client_reconnected_with_its_store_device_and_token_still_decrypts(
    make_human: HumanFactory,
) -> None:
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id], encrypted=True)
    await alice.wait_for_member(room, bob.user_id)
    await alice.trust_devices(bob.user_id)
    await bob.trust_devices(alice.user_id)
    await alice.send_text(room, "before")
    await bob.wait_for_message(room)

    bob = await make_human.reconnect(bob)
    await alice.send_text(room, "after")
    got = await bob.wait_for_message(room)
    await bob.send_text(room, "still here")
    back = await alice.wait_for_message(room)

    assert (got.body, got.encrypted) == ("after", True)
    assert (back.body, back.encrypted) == ("still here", True)
    assert "before" not in [m.body for m in bob.messages], "resumed from its token: no replay"
    assert not bob.undecryptable


async def test_a_new_device_reads_what_is_sent_after_it_is_trusted_but_not_before(
    make_human: HumanFactory,
) -> None:
    alice = await make_human("alice", encrypted=True)
    bob = await make_human("bob", encrypted=True)
    room = await alice.create_room(invite=[bob.user_id], encrypted=True)
    await alice.wait_for_member(room, bob.user_id)
    await alice.trust_devices(bob.user_id)
    before = await alice.send_text(room, "before")

    phone = await make_human.new_device(bob)  # same person, new device, new keys
    await alice.trust_devices(bob.user_id)  # now both of bob's devices
    await alice.send_text(room, "after")
    got = await phone.wait_for_message(room, _body_is("after"))

    assert got.encrypted
    assert [event.event_id for event in phone.undecryptable] == [before]
    assert "before" not in [m.body for m in phone.messages]


async def test_syncing_from_scratch_replays_old_events_but_a_stored_since_token_does_not(
    make_human: HumanFactory,
) -> None:
    alice = await make_human("alice")
    bot = await make_human("bot")
    room = await alice.create_room(invite=[bot.user_id])
    await alice.wait_for_member(room, bot.user_id)
    await alice.send_text(room, "!claim 3")
    await bot.wait_for_message(room)
    stored = bot.session  # what a bot would persist: next_batch after handling "!claim 3"
    await bot.close()
    await alice.send_text(room, "!claim 4")

    from_scratch = await _texts_in_first_sync(stored, since=None, room=room)
    resumed = await _texts_in_first_sync(stored, since=stored.since, room=room)

    assert from_scratch == ["!claim 3", "!claim 4"], "a restart without the token re-runs commands"
    assert resumed == ["!claim 4"]


async def test_a_lowered_rate_limit_gives_a_real_429_that_nio_retries_by_default(
    synapse: Synapse, make_human: HumanFactory
) -> None:
    alice = await make_human("alice")
    await synapse.override_ratelimit(alice.user_id, messages_per_second=1, burst_count=1)

    room = await alice.create_room()  # spends the burst of one: rooms, joins, messages share it
    with pytest.raises(RequestFailed) as refused:  # humans have max_limit_exceeded=0
        await alice.send_text(room, "one")

    error = refused.value.response
    assert isinstance(error, RoomSendError)
    assert error.status_code == "M_LIMIT_EXCEEDED"
    assert error.retry_after_ms is not None and 0 < error.retry_after_ms <= 1000

    # nio's default (max_limit_exceeded=None): sleep retry_after_ms, retry, never give up.
    patient = _plain_client(alice.session)
    throttled: list[ErrorResponse] = []
    patient.add_response_callback(throttled.append, ErrorResponse)  # nio reports each 429 here
    try:
        sent = [
            await patient.room_send(room, "m.room.message", {"msgtype": "m.text", "body": body})
            for body in ("two", "three")
        ]
    finally:
        await patient.close()

    assert all(isinstance(response, RoomSendResponse) for response in sent)
    assert throttled and all(e.status_code == "M_LIMIT_EXCEEDED" for e in throttled)


async def test_humans_ride_through_a_synapse_restart(synapse: Synapse, make_human: HumanFactory) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob")
    room = await alice.create_room(invite=[bob.user_id])
    await alice.wait_for_member(room, bob.user_id)

    started = time.perf_counter()
    await asyncio.to_thread(synapse.restart)  # the loop keeps running, as in real life
    print(f"Synapse restart: {time.perf_counter() - started:.1f} s")
    await alice.send_text(room, "are you still there?")

    assert (await bob.wait_for_message(room)).body == "are you still there?"


async def _median_round_trip(alice: Human, bob: Human, room: str) -> float:
    """Alice says something, Bob answers as soon as he sees it, Alice sees the answer."""
    durations = []
    for n in range(ROUND_TRIPS):
        started = time.perf_counter()
        await alice.send_text(room, f"ping {n}")
        await bob.wait_for_message(room, _body_is(f"ping {n}"))
        await bob.send_text(room, f"pong {n}")
        await alice.wait_for_message(room, _body_is(f"pong {n}"))
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def _body_is(text: str) -> Callable[[ReceivedMessage], bool]:
    return lambda message: message.body == text


async def _texts_in_first_sync(session: Session, *, since: str | None, room: str) -> list[str]:
    """The message bodies a new nio client gets from its first /sync, as a restarted bot would:
    from scratch (since=None) or from a stored token."""
    client = _plain_client(session)
    try:
        response = await client.sync(timeout=0, since=since)
    finally:
        await client.close()
    assert isinstance(response, SyncResponse)
    timeline = response.rooms.join[room].timeline.events if room in response.rooms.join else []
    return [event.body for event in timeline if isinstance(event, RoomMessageText)]


def _plain_client(session: Session) -> AsyncClient:
    """A bare nio client on an existing device, with nio's default settings otherwise."""
    client = AsyncClient(session.homeserver, config=AsyncClientConfig(encryption_enabled=False))
    client.restore_login(session.user_id, session.device_id, session.access_token)
    return client
