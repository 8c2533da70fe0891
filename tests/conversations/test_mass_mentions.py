"""Nothing a user types can ping anyone: every command, every argument, every trick, both platforms.

Each command of the registry is run with hostile text in every argument, as Discord and as Matrix
users. Every message the bot sends as a result — replies and queued messages alike — is rendered
by the real Discord and Matrix renderers, and must ping nobody beyond the people the message is
about: no @everyone/@here/roles on Discord (allowed_mentions, and broken syntax in the text), no
@room and only the intended users in `m.mentions` on Matrix.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.adapters import discord_render, matrix_render
from bot.catalog import REGISTRY
from bot.core.commands import Command
from bot.core.kinds import Choices
from bot.core.messages import Delivery, Mentioned, Outgoing
from bot.core.params import Param
from bot.ids import Role
from tests.console_bot import ConsoleBot, make_config, platform_message

HOSTILE = [
    "@everyone", "@here", "<@&123456789012345678>", "<@999999999999999999>", "@room", "@Room", "@ROOM",
    "＠everyone", "@\u200beveryone", "@every\u200bone", "@\u2060here", "<@!999999999999999999>",
    '<a href="https://matrix.to/#/@victim:example.org">victim</a>', "@victim:example.org",
    "https://matrix.to/#/@victim:example.org", "**@everyone**", "`@here`", "[@room](https://x.org)",
]  # fmt: skip
_RAW_MASS = re.compile(r"@(everyone|here)(?!\w)|<@&\d+>")


class Recorder:
    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.sent: list[Outgoing] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def deliver(self, delivery: Delivery) -> None:
        self.sent.append(delivery.message)


def _line(command: Command[Any], hostile: str) -> str:
    parts = [command.name]
    for param in command.params:
        value = _value(param, hostile)
        if param.type.flag:
            parts.append(param.name)
        elif param.positional:
            parts.append(value)
        else:
            parts.append(f'{param.name}:"{value}"')
    return " ".join(parts)


def _value(param: Param[Any], hostile: str) -> str:
    label = param.type.label
    if label == "member":
        return hostile if "@" in hostile else "@victim"
    if label in ("text", "list", "skills", "word", "date", "timezone", "duration or date"):
        return hostile
    if isinstance(param.type, Choices):
        return param.type.choices[0]
    return {"id": "1", "number": "1", "duration": "3d", "time": "10:00", "time range": "21:00-09:00"}.get(label, "x")


def _check_discord(out: Outgoing) -> None:
    content = discord_render.render(out.text, out.mention_ids)
    allowed = discord_render.allowed_mentions(out)
    assert allowed.everyone is False and allowed.roles is False and allowed.replied_user is False
    intended = {int(uid) for uid in out.mention_ids.values() if uid.isdigit()}
    users = allowed.users if isinstance(allowed.users, list) else []
    assert {u.id for u in users} <= intended
    assert not _RAW_MASS.search(content), content
    for pinged in re.findall(r"<@!?(\d+)>", content):
        assert int(pinged) in intended, content


def _check_matrix(out: Outgoing) -> None:
    content = matrix_render.render(out)
    mentions = content["m.mentions"]
    assert set(mentions) == {"user_ids"}  # never "room": true
    assert set(mentions["user_ids"]) <= set(out.mention_ids.values())
    for field in ("body", "formatted_body"):
        assert not re.search(r"@(room|everyone|here)(?!\w)", content[field], re.IGNORECASE), content[field]
    links = _Links()
    links.feed(content["formatted_body"])
    for href in links.hrefs:  # real <a> tags only: typed HTML arrives escaped, as text
        assert href.removeprefix("https://matrix.to/#/") in out.mention_ids.values(), content["formatted_body"]
    assert links.tags <= {"a", "br", "code", "strong"}, links.tags
    alone = matrix_render.render(out, alone=True)  # the bot and the reader only: `m.mentions` if anyone
    rest = {k: v for k, v in content.items() if k != "m.mentions"}
    assert {k: v for k, v in alone.items() if k != "m.mentions"} == rest
    assert alone.get("m.mentions") == (mentions if mentions["user_ids"] else None)


class _Links(HTMLParser):
    """The tags and link targets a Matrix client would see in `formatted_body`."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[ConsoleBot]:
    """A bot that takes any number of commands a minute: this test sends hundreds."""
    harness = await ConsoleBot.start(tmp_path / "m.sqlite3", make_config(limits={"commands_per_minute": 100_000}))
    yield harness
    await harness.close()


@pytest.mark.parametrize("platform", ["discord", "matrix"])
async def test_no_command_lets_typed_text_ping_anyone(bot: ConsoleBot, platform: str) -> None:
    recorder = Recorder(platform)
    bot.app.deliverer.adapters[platform] = recorder
    ids = {"alice": "101", "bob": "102", "lead": "103"} if platform == "discord" else {
        "alice": "@alice:example.org", "bob": "@bob:example.org", "lead": "@lead:example.org"}  # fmt: skip

    async def say(name: str, text: str, private: bool = False) -> list[Outgoing]:
        raw = f"<@{ids['bob']}>" if platform == "discord" else ids["bob"]
        role = Role.LEAD if name == "lead" else None
        mention = Mentioned(raw, ids["bob"], "bob")
        incoming = platform_message(
            bot, platform, ids[name], name, text, private=private, role=role, mentions=[mention]
        )
        return await bot.app.dispatcher.handle(incoming)

    for name in ("alice", "bob", "lead"):
        await say(name, "!volunteer research")
    await say("lead", '!ask title:"A fine ask" skill:research need:3')
    outgoing: list[Outgoing] = []
    for command in REGISTRY.commands:
        if command.name == "forget me":
            continue
        for hostile in HOSTILE:
            for speaker in ("alice", "lead"):
                outgoing += await say(speaker, "!" + _line(command, hostile), private=speaker == "alice")
        await bot.app.deliverer.deliver_due()
    await bot.advance("8d")
    outgoing += recorder.sent
    assert len(outgoing) > 500 and recorder.sent
    for out in outgoing:
        _check_discord(out) if platform == "discord" else _check_matrix(out)
    # The one legitimate way to ping still works: an introduction mentions the other person.
    made = [o for o in outgoing if o.mention_ids]
    assert made, "some message should mention someone it is about"
