"""How long a person waits for the bot's answer on Matrix, against a bare echo bot.

    .venv/bin/python bench/matrix_roundtrip.py [--rounds 50] [--command "!help"]

Starts its own Synapse on 127.0.0.1 (tests/matrix/synapse.py, about 3 s), then in one event loop:

- a person: a real matrix-nio client, syncing in the background (tests/matrix/humans.py);
- volunteer-bot: the real App and Matrix adapter on a temporary SQLite file (default settings,
  so `synchronous=full`), in a room with the person;
- a baseline: a bare matrix-nio bot in another room that answers every message with a notice as
  soon as its sync delivers it — the least any bot can do on this server.

Each round the person sends the command to volunteer-bot and waits for the reply, then sends a
message to the echo bot and waits for its reply (interleaved, so both see the same load). The
figures are the time from sending to the reply arriving in the person's sync: median and 95th
percentile for each, and the ratio of the medians. Both rooms are unencrypted, so the two bots
do the same work on the wire. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.matrix: the Synapse fixture and the nio "person"

from nio import AsyncClient, AsyncClientConfig, MatrixRoom, RoomMessageText  # noqa: E402

from bot.adapters.matrix import MatrixAdapter  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Config, Secrets, build, validate  # noqa: E402
from tests.matrix.humans import Human  # noqa: E402
from tests.matrix.synapse import RegisteredUser, Synapse  # noqa: E402

WARMUP = 5


class EchoBot:
    """The baseline: a matrix-nio client that answers each text message with a notice."""

    def __init__(self, homeserver: str, user: RegisteredUser) -> None:
        self.user_id = user.user_id
        self.client = AsyncClient(homeserver, config=AsyncClientConfig(encryption_enabled=False))
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.client.add_event_callback(self._answer, RoomMessageText)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.client.sync(timeout=0, full_state=True)
        self._task = asyncio.create_task(self._sync())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self.client.close()

    async def _sync(self) -> None:
        while True:
            await self.client.sync(timeout=30_000)

    async def _answer(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.user_id:
            return
        content: dict[str, Any] = {
            "msgtype": "m.notice",
            "body": f"echo: {event.body}",
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await self.client.room_send(room.room_id, "m.room.message", content)


async def round_trip(person: Human, room: str, text: str) -> float:
    started = time.perf_counter()
    event_id = await person.send_text(room, text)
    await person.wait_for_message(room, lambda m: m.in_reply_to == event_id, timeout=30)
    return time.perf_counter() - started


async def run(synapse: Synapse, directory: Path, rounds: int, command: str) -> None:
    person_account = await synapse.register("person")
    bot_account = await synapse.register("volunteer-bot", displayname="Volunteer Bot")
    echo_account = await synapse.register("echo")
    data = {
        "organisation": {"name": "Bench", "timezone": "UTC"},
        "limits": {"commands_per_minute": 1_000_000},  # one person sends every command here
        "matrix": {
            "homeserver": synapse.base_url,
            "user_id": bot_account.user_id,
            "store_path": str(directory / "store"),
            "encryption": False,
        },
    }
    config: Config = validate(build(Config, data, ""))
    app = await App.open(config, SystemClock(), str(directory / "bot.sqlite3"))
    adapter = MatrixAdapter(app, Secrets(None, bot_account.access_token, None))
    await adapter.start()
    app.scheduler.start()
    echo = EchoBot(synapse.base_url, echo_account)
    await echo.start()
    person = await Human.from_registered(synapse.base_url, person_account)
    try:
        bot_room = await person.create_room(invite=[bot_account.user_id], name="bot")
        echo_room = await person.create_room(invite=[echo_account.user_id], name="echo")
        await person.wait_for_member(bot_room, bot_account.user_id)
        await echo.client.join(echo_room)  # the echo bot has no invite handling of its own
        await person.wait_for_member(echo_room, echo_account.user_id)

        bot_times: list[float] = []
        echo_times: list[float] = []
        for n in range(WARMUP + rounds):
            bot_time = await round_trip(person, bot_room, command)
            echo_time = await round_trip(person, echo_room, f"ping {n}")
            if n >= WARMUP:
                bot_times.append(bot_time)
                echo_times.append(echo_time)
    finally:
        await person.close()
        await echo.stop()
        await adapter.stop()
        await app.close()
    _report(command, rounds, bot_times, echo_times)


def _report(command: str, rounds: int, bot: list[float], echo: list[float]) -> None:
    def figures(times: list[float]) -> str:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f"median {statistics.median(times) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"

    print(f"Matrix round trip: send, reply seen in the sender's sync ({rounds} rounds)")
    print(f"  bare matrix-nio echo bot:   {figures(echo)}")
    print(f"  volunteer-bot {command!r:<12} {figures(bot)}")
    print(f"  ratio of medians (bot / echo): {statistics.median(bot) / statistics.median(echo):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--command", default="!help")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # nio's key-sharing warnings are expected here
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "synapse").mkdir()
        with Synapse(Path(tmp) / "synapse") as synapse:
            asyncio.run(run(synapse, Path(tmp), args.rounds, args.command))


if __name__ == "__main__":
    main()
