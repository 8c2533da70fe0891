"""Reconnects and restarts: a replayed event never runs a command twice, events sent while the
connection was down are not lost, and buttons keep working after the bot restarted."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.adapters.discord import DiscordAdapter, DiscordSetupError
from bot.app import App
from bot.clock import ManualClock
from tests.console_bot import START

from .conftest import DiscordBot, Server, StartBot, discord_config, slash
from .standin import DiscordStandin

REDELIVERED = "ignored a redelivered event on discord"


class _Heard(logging.Handler):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message, self.heard = message, asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == self.message:
            self.heard.set()


async def logged(caplog: pytest.LogCaptureFixture, message: str, within: float = 5.0) -> bool:
    """Whether the dispatcher logs `message` within `within` seconds. A replayed command that
    writes learns it is a redelivery in the writer's transaction, so it waits for the writer (a
    sweep's share), while a later command that only looks is answered beside it: the replay's
    verdict may come after the later reply."""
    handler = _Heard(message)
    dispatch_log = logging.getLogger("bot.core.dispatch")
    dispatch_log.addHandler(handler)
    try:
        if message not in caplog.messages:
            await asyncio.wait_for(handler.heard.wait(), within)
    except TimeoutError:
        pass
    finally:
        dispatch_log.removeHandler(handler)
    return message in caplog.messages


def replay_from(standin: DiscordStandin, event_id: int) -> int:
    """How many of the session's last dispatches to replay so that `event_id` is among them."""
    log = standin.gateway_sessions[0].log
    index = next(i for i, d in enumerate(log) if d.data.get("id") == str(event_id))
    return len(log) - index


async def test_a_resume_that_replays_a_message_command_does_not_run_it_again(
    standin: DiscordStandin, server: Server, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core.dispatch")
    said = await standin.user_says(server.bob, server.general, "!volunteer research")
    await standin.wait_for_message(server.general, after=said)

    await standin.reconnect(replay_last=replay_from(standin, said.id))
    later = await standin.user_says(server.bob, server.general, "!skills")
    await standin.wait_for_message(server.general, after=later)
    assert await logged(caplog, REDELIVERED)

    replies = [m for m in standin.messages_in(server.general) if m.reference_id == said.id]
    assert len(replies) == 1


async def test_a_resume_that_replays_a_slash_command_does_not_answer_it_again(
    standin: DiscordStandin, server: Server, bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.core.dispatch")
    handle = await standin.user_runs_slash(server.bob, server.general, "volunteer", {"skill": "research"})
    await handle.response()

    await standin.reconnect(replay_last=replay_from(standin, handle.id))
    await slash(standin, server.bob, server.general, "skills")
    assert await logged(caplog, REDELIVERED)

    callbacks = [r for r in standin.requests if r.path.startswith(f"/interactions/{handle.id}/")]
    assert len(callbacks) == 1


async def test_a_command_sent_while_the_connection_was_down_is_answered_after_the_resume(
    standin: DiscordStandin, server: Server, bot: DiscordBot
) -> None:
    await standin.drop_connection()
    said = await standin.user_says(server.bob, server.general, "!volunteer research")
    await standin.invalidate_session(resumable=True)

    reply = await standin.wait_for_message(server.general, after=said)
    assert reply.content.startswith("Welcome aboard, bob!")
    assert standin.gateway_sessions[0].resumes == 2 and len(standin.gateway_sessions) == 1


async def test_a_button_clicked_after_the_bot_restarted_still_runs_its_command(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    before = await start_bot()
    await slash(standin, server.alice, server.general, "ask", {"title": "Mend the banner"}, subcommand="post")
    announced = await standin.wait_for_message(server.asks)
    await before.stop()

    await start_bot()  # a new process: new App, new client, the same database
    answer = await (await standin.user_clicks(server.bob, announced, "vb:claim 1")).response()

    assert answer.content is not None and answer.content.startswith("It's yours: ask **1**")
    assert before.adapter.client.is_closed() and len(standin.gateway_sessions) == 2


async def test_a_wrong_token_stops_the_start_with_a_clear_error(
    discord_at_standin: DiscordStandin, server: Server, tmp_path: Path
) -> None:
    app = await App.open(discord_config(server), ManualClock(START), str(tmp_path / "bot.sqlite3"))
    adapter = DiscordAdapter(app, "not-the-token")
    try:
        with pytest.raises(DiscordSetupError, match="Discord refused DISCORD_TOKEN"):
            await adapter.start()
        assert adapter.client.is_closed()
    finally:
        await app.close()
