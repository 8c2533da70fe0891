"""The bot under test, in-process: the real App and MatrixAdapter against the session's Synapse.

`make_bot()` registers a fresh bot account and starts a bot on its own database and key store;
`make_bot.restart(bot)` stops it and starts it again on the same account, device, database and
store, as a restarted process would. Quiet hours are off and the organisation's zone is UTC, so
messages the real clock makes due go out at any time of day. Encryption is off unless a test
asks for it (`make_bot(encryption=True)`): the direct chats an encrypting bot opens are
encrypted, and only humans made with `encrypted=True` can read them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from bot.adapters.matrix import MatrixAdapter
from bot.app import App
from bot.clock import Clock, SystemClock
from bot.config import Config, Secrets, build, validate

from .humans import Human, ReceivedMessage
from .synapse import RegisteredUser, Synapse


@dataclass
class Bot:
    """A running bot: its app (database, dispatcher, scheduler) and its Matrix adapter."""

    app: App
    adapter: MatrixAdapter
    account: RegisteredUser
    db_path: Path
    store_path: Path
    settings: dict[str, Any] = field(default_factory=dict)
    running: bool = True

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def stop(self) -> None:
        if self.running:
            self.running = False
            await self.adapter.stop()
            await self.app.close()


def bot_config(synapse: Synapse, account: RegisteredUser, store_path: Path, **matrix: Any) -> dict[str, Any]:
    """The YAML-shaped config of a test bot (also written to a file for subprocess bots)."""
    return {
        "organisation": {"name": "Library Workers", "timezone": "UTC"},
        "quiet_hours": {"start": "00:00", "end": "00:00"},
        "matrix": {
            "homeserver": synapse.base_url,
            "user_id": account.user_id,
            "store_path": str(store_path),
            **matrix,
        },
    }


class BotFactory:
    """Starts bots for one test and stops them all at its end (the `make_bot` fixture)."""

    _serial: ClassVar[itertools.count[int]] = itertools.count(1)

    def __init__(self, synapse: Synapse, directory: Path) -> None:
        self.synapse = synapse
        self.directory = directory
        self._bots: list[Bot] = []

    async def account(self) -> RegisteredUser:
        """A fresh bot account (for tests that run the bot some other way)."""
        return await self.synapse.register(f"bot-{next(self._serial)}", displayname="Volunteer Bot")

    async def __call__(
        self,
        *,
        account: RegisteredUser | None = None,
        clock: Clock | None = None,
        admins: list[str] | None = None,
        scheduler: bool = True,
        password: bool = False,
        **matrix: Any,
    ) -> Bot:
        """A started bot, on `account` or a fresh one. `matrix` overrides keys of the `matrix:`
        config section; `scheduler` runs the real-time scheduler (off for tests that drive a
        ManualClock themselves); `password` logs in with the password (MATRIX_PASSWORD) instead
        of the access token of the device made at registration."""
        account = account or await self.account()
        serial = next(self._serial)
        return await self._start(
            account,
            self.directory / f"bot-{serial}.sqlite3",
            self.directory / f"store-{serial}",
            {"admins": admins or [], "matrix": matrix, "password": password},
            clock or SystemClock(),
            scheduler,
        )

    async def restart(self, bot: Bot, *, clock: Clock | None = None, scheduler: bool = True) -> Bot:
        """Stop `bot` and start it again as the same account and device, on the same files,
        with the same settings."""
        await bot.stop()
        return await self._start(
            bot.account, bot.db_path, bot.store_path, bot.settings, clock or SystemClock(), scheduler
        )

    async def close_all(self) -> None:
        for bot in reversed(self._bots):
            await bot.stop()

    async def _start(
        self,
        account: RegisteredUser,
        db_path: Path,
        store_path: Path,
        settings: dict[str, Any],
        clock: Clock,
        scheduler: bool,
    ) -> Bot:
        data = bot_config(self.synapse, account, store_path, **{"encryption": False, **settings["matrix"]})
        data["admins"] = settings["admins"]
        config: Config = validate(build(Config, data, ""))
        app = await App.open(config, clock, str(db_path))
        if settings["password"]:
            secrets = Secrets(None, None, account.password)
        else:
            secrets = Secrets(None, account.access_token, None)
        adapter = MatrixAdapter(app, secrets)
        bot = Bot(app, adapter, account, db_path, store_path, settings)
        try:
            await adapter.start()
        except BaseException:
            await app.close()
            raise
        if scheduler:
            app.scheduler.start()
        self._bots.append(bot)
        return bot


async def command(human: Human, room_id: str, text: str, **send: Any) -> ReceivedMessage:
    """`human` sends `text` in `room_id`; returns the bot's reply to that message."""
    event_id = await human.send_text(room_id, text, **send)
    return await human.wait_for_message(room_id, lambda message: message.in_reply_to == event_id)


class Member(Protocol):
    """Anyone in a room: a Human, a Bot, or a bot account run as a process."""

    @property
    def user_id(self) -> str: ...


async def direct_chat_from(human: Human, bot: Member) -> str:
    """The direct chat the bot opened with `human` (who accepts invites by itself)."""
    invite = await human.wait_for_invite(lambda invite: invite.inviter == bot.user_id)
    assert invite.is_direct
    await human.wait_for_member(invite.room_id, human.user_id)
    return invite.room_id


async def room_with(owner: Human, *members: Member, name: str = "general") -> str:
    """A group room created by `owner`, with everyone in it joined."""
    room = await owner.create_room(invite=[m.user_id for m in members], name=name)
    for member in members:
        await owner.wait_for_member(room, member.user_id)
    return room


async def set_power(owner: Human, room: str, user_id: str, level: int) -> None:
    """`owner` (the room's creator) gives `user_id` a power level in `room`."""
    current = await owner.client.room_get_state_event(room, "m.room.power_levels")
    content = dict(current.content)
    content["users"] = {**content.get("users", {}), user_id: level}
    await owner.client.room_put_state(room, "m.room.power_levels", content)
