"""The bot as a real process, stopped gently or killed with SIGKILL at chosen points, restarted:
what the people in the rooms saw is counted. Every message exactly once, nothing lost."""

from __future__ import annotations

import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.app import App
from bot.clock import SystemClock
from bot.config import Config, build, validate
from bot.core.messages import Incoming, Sender

from .bots import BotFactory, bot_config, command, direct_chat_from, room_with
from .humans import Human, HumanFactory, ReceivedMessage
from .process import BotProcess
from .synapse import Synapse

pytestmark = pytest.mark.slow


@pytest.fixture
async def bot_process(synapse: Synapse, make_bot: BotFactory, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """A bot process on a fresh account (not started); killed at the end if still running."""
    account = await make_bot.account()
    config = bot_config(synapse, account, tmp_path / "store", encryption=False)
    process = BotProcess(tmp_path, config, account)
    try:
        yield process
    finally:
        await process.close()


async def test_a_message_sent_just_before_a_kill_is_sent_again_and_the_homeserver_drops_the_copy(
    bot_process: BotProcess, make_human: HumanFactory
) -> None:
    vol = await make_human("vol")
    await _prepare_an_ask_ping(bot_process, vol)

    await bot_process.start(pause_at="deliver-after-send", wait_for="paused at deliver-after-send")
    await bot_process.kill()  # sent, but not yet marked sent in the database
    dm = await direct_chat_from(vol, bot_process.account)
    ping = await vol.wait_for_message(dm)
    await bot_process.start()
    resent = await bot_process.wait_for("delivered 1 outbox row(s) kind=ask")
    later = await command(vol, dm, "help")

    pings = [m for m in vol.messages if m.room_id == dm and "Crash-proof" in m.body]
    assert "Crash-proof" in ping.body and resent
    assert later.sender == bot_process.account.user_id
    assert len(pings) == 1, [m.body for m in pings]


async def test_after_a_kill_or_a_stop_every_command_is_answered_exactly_once(
    bot_process: BotProcess, make_human: HumanFactory
) -> None:
    alice = await make_human("alice")
    bob = await make_human("bob")
    await bot_process.start(pause_at="matrix-before-token")
    room = await room_with(alice, bob, bot_process.account)

    answered = await command(alice, room, "!volunteer research")
    await bot_process.wait_for("paused at matrix-before-token")
    await bot_process.kill()  # answered, but the sync token of that batch not stored
    while_dead = [await alice.send_text(room, f"!volunteer dead{n}") for n in range(2)]
    await bot_process.start()
    await bot_process.wait_for("ignored a redelivered event on matrix")
    for event in while_dead:
        await alice.wait_for_message(room, _reply_to(event))
    assert await bot_process.stop(signal.SIGTERM) == 0, bot_process.log  # as systemd stops it
    while_stopped = [await alice.send_text(room, f"!volunteer stopped{n}") for n in range(2)]
    await bot_process.start()
    for event in while_stopped:
        await alice.wait_for_message(room, _reply_to(event))
    last = await command(alice, room, "!skills")

    replies = Counter(m.in_reply_to for m in alice.messages if m.sender == bot_process.account.user_id)
    assert replies == Counter([answered.in_reply_to, *while_dead, *while_stopped, last.in_reply_to])


async def test_a_command_whose_answer_died_with_the_process_is_said_to_be_done_not_run_again(
    bot_process: BotProcess, make_human: HumanFactory
) -> None:
    """Killed between the command's commit and its answer: the replayed event runs nothing (the
    signup happened), and the person hears that it did, once, instead of nothing at all."""
    alice = await make_human("alice")
    bob = await make_human("bob")
    await bot_process.start(pause_at="reply-before-send")
    room = await room_with(alice, bob, bot_process.account)

    signup = await alice.send_text(room, "!volunteer research")
    await bot_process.wait_for("paused at reply-before-send")
    await bot_process.kill()  # the signup is committed; its answer never went out
    await bot_process.start()
    told = await alice.wait_for_message(room, _reply_to(signup))
    skills = await command(alice, room, "!skills")

    assert "just before I restarted" in told.body and "don't send it again" in told.body
    assert "research" in skills.body and "1" in skills.body  # signed up once
    answers = [m for m in alice.messages if m.sender == bot_process.account.user_id and m.in_reply_to == signup]
    assert len(answers) == 1, [m.body for m in answers]


async def _prepare_an_ask_ping(process: BotProcess, vol: Human) -> None:
    """Make a private message due for `vol` in the bot's database, as commands would: `vol`
    volunteers, and a lead posts a matching ask. It runs in-process on the same database before
    the bot process starts, so that the first thing the process sends is that message. The lead
    is the console's admin: a lead on Matrix would also be due a weekly digest, which could be
    sent (and paused at) first."""
    data = yaml.safe_load(process.config_path.read_text())
    data["admins"] = ["console:lea"]
    config: Config = validate(build(Config, data, ""))
    app = await App.open(config, SystemClock(), str(process.db_path))
    try:
        for sender, text in (
            (Sender("matrix", vol.user_id, "vol"), "!volunteer research"),
            (Sender("console", "lea", "lea"), '!ask title:"Crash-proof ping" skill:research'),
        ):
            await app.dispatcher.handle(
                Incoming(
                    platform=sender.platform,
                    event_id=f"prepared-{uuid.uuid4().hex}",
                    sender=sender,
                    channel_id="general",
                    private=False,
                    text=text,
                    at=datetime.now(UTC),
                )
            )
    finally:
        await app.close()


def _reply_to(event_id: str) -> Callable[[ReceivedMessage], bool]:
    return lambda message: message.in_reply_to == event_id
