"""Plain HTTP to the stand-in, as a bot sends it, for the tests of the stand-in's own rules.

``api`` (a fixture in ``conftest.py``) sends requests with the bot's token and hands back status,
JSON body and headers untouched, so a test sees exactly what Discord would answer; ``place`` is a
small guild with the bot online (a plain discord.py client that answers nothing itself) and one
synced command, ``/claim``, with an autocompleted option.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
from multidict import CIMultiDictProxy

from .standin import DiscordStandin
from .standin_handles import InteractionHandle
from .standin_model import Channel, Guild, User

COMMANDS = [
    {
        "name": "claim",
        "description": "Claim an ask",
        "type": 1,
        "options": [
            {"name": "ask", "description": "The ask", "type": 4, "required": True},
            {"name": "skill", "description": "A skill", "type": 3, "autocomplete": True},
        ],
    }
]
BUTTON_ROW = {"type": 1, "components": [{"type": 2, "style": 1, "label": "Claim", "custom_id": "claim:7"}]}


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # JSON, text, or None for 204
    headers: CIMultiDictProxy[str]


class Api:
    """Plain HTTP to the stand-in with the bot's token."""

    def __init__(self, standin: DiscordStandin, session: aiohttp.ClientSession) -> None:
        self.standin = standin
        self.session = session

    async def __call__(self, method: str, path: str, body: Any = None) -> Answer:
        headers = {"Authorization": f"Bot {self.standin.token}"}
        url = self.standin.api_base + path
        async with self.session.request(method, url, json=body, headers=headers) as response:
            text = await response.text()
            is_json = response.headers.get("Content-Type") == "application/json"
            data = json.loads(text) if is_json else (text or None)
            return Answer(response.status, data, response.headers)

    async def callback(self, handle: InteractionHandle, kind: int, data: Any = None) -> Answer:
        body = {"type": kind, **({"data": data} if data is not None else {})}
        return await self("POST", f"/interactions/{handle.id}/{handle.payload['token']}/callback", body)

    def hook(self, handle: InteractionHandle, tail: str = "") -> str:
        return f"/webhooks/{self.standin.application_id}/{handle.payload['token']}{tail}"


@dataclass(frozen=True)
class Place:
    """A guild with #general and #asks; alice and bob are members; the bot is online."""

    guild: Guild
    general: Channel
    asks: Channel
    alice: User
    bob: User


async def post(api: Api, channel: Channel, body: dict[str, Any]) -> Answer:
    return await api("POST", f"/channels/{channel.id}/messages", body)


async def online_place(
    standin: DiscordStandin, api: Api, connect: Callable[[discord.Client], Awaitable[discord.Client]]
) -> Place:
    """The guild of these tests, the bot online (a client that answers nothing itself), and
    ``/claim`` synced to the guild."""
    alice, bob = standin.add_user("alice"), standin.add_user("bob")
    guild = standin.add_guild("Library Workers", owner=alice)
    standin.add_member(guild, bob)
    general, asks = standin.add_text_channel(guild, "general"), standin.add_text_channel(guild, "asks")
    await connect(discord.Client(intents=discord.Intents.default()))
    synced = await api("PUT", f"/applications/{standin.application_id}/guilds/{guild.id}/commands", COMMANDS)
    assert synced.status == 200, synced.body
    return Place(guild, general, asks, alice, bob)


async def interact(standin: DiscordStandin, place: Place, api: Api, kind: str) -> InteractionHandle:
    """bob runs /claim, types into its autocompleted option, or clicks a button of the bot's."""
    if kind == "slash":
        return await standin.user_runs_slash(place.bob, place.general, "claim", {"ask": 7})
    if kind == "autocomplete":
        return await standin.user_autocompletes(place.bob, place.general, "claim", {"skill": "ca"}, focused="skill")
    posted = await post(api, place.asks, {"content": "Ask 7", "components": [BUTTON_ROW]})
    return await standin.user_clicks(place.bob, standin.world.messages[int(posted.body["id"])], "claim:7")
