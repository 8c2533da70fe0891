"""When the bot syncs (`matrix_sync.SyncPace`): the next `/sync` waits until the batch before
it is answered, unless a reply needs a sync to go out, and never longer than `HOLD_S`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from nio import SyncResponse

from bot.adapters import matrix_sync
from bot.adapters.matrix_sync import SyncPace

from .bots import BotFactory, command, direct_chat_from, room_with
from .humans import HumanFactory

PRIVATELY = "I've sent you the details privately."


class Calls:
    """The bot's client calls in order, to wait on: the order is tested, not the timing."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._changed = asyncio.Condition()

    async def note(self, call: str) -> None:
        async with self._changed:
            self.seen.append(call)
            self._changed.notify_all()

    async def until(self, condition: Callable[[list[str]], bool]) -> None:
        async with asyncio.timeout(10), self._changed:
            await self._changed.wait_for(lambda: condition(self.seen))


async def test_the_next_sync_starts_once_the_reply_is_sent(
    make_bot: BotFactory, make_human: HumanFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix_sync, "HOLD_S", 30.0)  # only the answer may end the hold here
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)
    client = bot.adapter.client
    real_sync, real_send = client.sync, client.room_send
    calls = Calls()

    async def sync(*args: Any, **kwargs: Any) -> Any:
        await calls.note("sync")
        response = await real_sync(*args, **kwargs)
        if isinstance(response, SyncResponse) and any(
            getattr(event, "body", None) == "!help"
            for joined in response.rooms.join.values()
            for event in joined.timeline.events
        ):
            await calls.note("command")
        return response

    async def room_send(*args: Any, **kwargs: Any) -> Any:
        await calls.note("send")
        response = await real_send(*args, **kwargs)
        await calls.note("sent")
        return response

    monkeypatch.setattr(client, "sync", sync)
    monkeypatch.setattr(client, "room_send", room_send)
    await alice.send_text(room, "hello")  # ends the sync under way, begun before the wrappers
    await calls.until(lambda seen: "sync" in seen)
    await command(alice, room, "!help")
    await calls.until(lambda seen: "command" in seen and "sync" in seen[seen.index("command") :])

    after = calls.seen[calls.seen.index("command") + 1 :]
    assert after[:3] == ["send", "sent", "sync"], calls.seen


async def test_a_first_private_answer_gets_the_syncs_its_new_direct_chat_needs(
    make_bot: BotFactory, make_human: HumanFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix_sync, "HOLD_S", 60.0)  # were the hold kept, the reply would wait a minute
    bot = await make_bot()
    alice = await make_human("alice")
    room = await room_with(alice, bot)

    pointer = await command(alice, room, "!profile visibility:leads region:Midwest")
    dm = await direct_chat_from(alice, bot)
    details = await alice.wait_for_message(dm)

    assert pointer.body == PRIVATELY
    assert "Midwest" in details.body


async def test_the_hold_waits_for_the_answer_and_ends_early_when_a_sync_is_needed() -> None:
    batches: asyncio.Queue[str] = asyncio.Queue()
    pace = SyncPace(batches)
    await batches.put("batch")
    holding = asyncio.create_task(pace.hold())
    await asyncio.sleep(0.05)
    waited_for_the_answer = not holding.done()
    await batches.get()
    batches.task_done()
    await asyncio.wait_for(holding, 1)

    await batches.put("another")
    holding = asyncio.create_task(pace.hold())
    await asyncio.sleep(0.05)
    with pace.needed():
        await asyncio.wait_for(holding, 1)
        await asyncio.wait_for(pace.hold(), 1)  # no hold at all while a reply waits for a sync

    assert waited_for_the_answer


async def test_the_hold_ends_after_hold_s_however_slow_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matrix_sync, "HOLD_S", 0.1)
    batches: asyncio.Queue[str] = asyncio.Queue()
    await batches.put("a slow command")
    started = time.monotonic()

    await asyncio.wait_for(SyncPace(batches).hold(), 5)

    assert time.monotonic() - started >= 0.1
