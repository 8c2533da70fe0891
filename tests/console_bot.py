"""Talk to the bot as people do, through the real console adapter, in-process.

`ConsoleBot` is the harness the conversation tests use: each call returns the lines the bot
printed in response, exactly as the terminal would show them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock
from bot.config import Config, build, validate
from bot.core.messages import Incoming, Mentioned, Sender
from bot.ids import Role
from bot.storage.fills import FILLS

START = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # a Monday, 10:00 in Chicago
#: Columns the bot computes in Python from others in their row (a name's key, an ask's search
#: text), as the migrations fill them: every write must keep them in step.
COMPUTED = tuple(step for steps in FILLS.values() for step in steps if not step.every)


def make_config(**overrides: object) -> Config:
    """The test configuration: Chicago as the organisation's zone, console user `you`."""
    data: dict[str, object] = {"organisation": {"name": "Library Workers", "timezone": "America/Chicago"}}
    data.update(overrides)
    return validate(build(Config, data, ""))


class ConsoleBot:
    """One bot with a frozen clock and a console attached."""

    def __init__(self, app: App, clock: ManualClock, console: Console, out: list[str]) -> None:
        self.app = app
        self.clock = clock
        self.console = console
        self._out = out

    @classmethod
    async def start(cls, db_path: Path | str, config: Config | None = None, start: datetime = START) -> ConsoleBot:
        """A bot on `db_path`: a SQLite file, or any database URL (`postgresql://…`)."""
        clock = ManualClock(start)
        app = await App.open(config or make_config(), clock, str(db_path))
        out: list[str] = []
        console = Console(app, out.append)
        return cls(app, clock, console, out)

    async def close(self) -> None:
        """Close the bot, once every computed column holds what its sources give: a write that set
        a name without its key would sort it apart and hide it from lookups, an ask's title without
        its search text from completion (`bot/core/names.py`)."""
        try:
            async with self.app.db.single_read() as tx:
                for step in COMPUTED:
                    rows = await tx.all(f"SELECT {', '.join(step.sources)}, {step.target} FROM {step.table}")
                    wrong = [
                        tuple(row) for row in rows if row[-1] != (None if row[0] is None else step.compute(*row[:-1]))
                    ]
                    assert not wrong, f"{step.table}: {step.target} stored wrong: {wrong}"
        finally:
            await self.app.close()

    async def feed(self, line: str) -> list[str]:
        """One console line (a message or a `::` directive); returns what the bot printed."""
        mark = len(self._out)
        await self.console.feed(line)
        return self._out[mark:]

    async def say(self, name: str, text: str) -> list[str]:
        return await self.feed(f"{name}: {text}")

    async def script(self, text: str) -> list[str]:
        """Several console lines; returns everything printed."""
        mark = len(self._out)
        for line in text.strip().splitlines():
            await self.console.feed(line)
        return self._out[mark:]

    async def advance(self, span: str) -> list[str]:
        return await self.feed(f"::advance {span}")

    def dm(self) -> None:
        self.console.in_dm = True

    def public(self) -> None:
        self.console.in_dm = False

    @property
    def transcript(self) -> list[str]:
        return list(self._out)


_event_ids = itertools.count()


def platform_message(
    bot: ConsoleBot,
    platform: str,
    user_id: str,
    name: str,
    text: str,
    *,
    private: bool = False,
    role: Role | None = None,
    channel: str = "room",
    mentions: Sequence[Mentioned] = (),
    event_id: str | None = None,
) -> Incoming:
    """A message as a chat platform's adapter hands it to the dispatcher (for tests that need a
    platform other than the console, several senders at once, or a chosen event id)."""
    return Incoming(
        platform=platform,
        event_id=event_id or f"{platform}-{next(_event_ids)}",
        sender=Sender(platform, user_id, name, role),
        channel_id=channel,
        private=private,
        text=text,
        at=bot.clock.now(),
        mentions=tuple(mentions),
    )


def joined(lines: Sequence[str]) -> str:
    return "\n".join(lines)


def to(name: str, lines: Sequence[str]) -> list[str]:
    """The messages sent privately to `name` (each with its continuation lines)."""
    return _messages(lines, f"[to {name}]")


def public(lines: Sequence[str], channel: str = "general") -> list[str]:
    return _messages(lines, f"[#{channel}]")


def _messages(lines: Sequence[str], label: str) -> list[str]:
    messages: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("["):
            if current is not None:
                messages.append("\n".join(current))
            current = [line[len(label) + 1 :]] if line.startswith(label + " ") else None
        elif current is not None:
            current.append(line.strip())
    if current is not None:
        messages.append("\n".join(current))
    return messages
