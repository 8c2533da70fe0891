"""The bot as a real process (`python -m bot run`), for tests that kill it.

A crash test must kill the bot at a known point, never after a sleep-and-hope: the bot is started
with `VOLUNTEER_BOT_PAUSE_AT=<point>` (see bot/crashpoints.py), the test waits for the line
`paused at <point>` on its standard error, then SIGKILLs it. Every line the process writes to
standard error is kept, so a test can also wait for a log line (`ready: matrix`) and show the
whole log when something fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import Any

import yaml

from .synapse import RegisteredUser

READY = "ready: matrix"
TIMEOUT_S = 20.0


class BotProcess:
    """One `python -m bot run` on a config file and a database, with Matrix credentials."""

    def __init__(self, directory: Path, config: dict[str, Any], account: RegisteredUser) -> None:
        self.config_path = directory / "config.yaml"
        self.db_path = directory / "bot.sqlite3"
        self.config_path.write_text(yaml.safe_dump(config))
        self.account = account
        self.lines: list[str] = []
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()

    async def start(self, *, pause_at: str | None = None, wait_for: str = READY) -> None:
        """Start the bot and wait for `wait_for` in its log (default: until it is ready)."""
        env = {**os.environ, "MATRIX_ACCESS_TOKEN": self.account.access_token}
        env.pop("VOLUNTEER_BOT_PAUSE_AT", None)
        if pause_at is not None:
            env["VOLUNTEER_BOT_PAUSE_AT"] = pause_at
        self.lines.clear()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(self.config_path),
            "--db",
            str(self.db_path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        self._reader = asyncio.create_task(self._read(self._process))
        await self.wait_for(wait_for)

    async def wait_for(self, text: str, timeout: float = TIMEOUT_S) -> str:  # noqa: ASYNC109
        """The first log line containing `text` (of this run), waiting for it if need be."""
        try:
            async with asyncio.timeout(timeout), self._changed:
                while True:
                    found = next((line for line in self.lines if text in line), None)
                    if found is not None:
                        return found
                    if self._reader is None or self._reader.done():
                        raise AssertionError(f"the bot exited before logging {text!r}:\n{self.log}")
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"the bot did not log {text!r} within {timeout} s:\n{self.log}") from None

    async def kill(self) -> None:
        """SIGKILL: no cleanup of any kind, as when the machine loses power."""
        await self._end(signal.SIGKILL)

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """A graceful stop (SIGTERM as systemd sends, or SIGINT as Ctrl-C); the exit code."""
        return await self._end(sig)

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    async def _end(self, sig: signal.Signals) -> int:
        process = self._process
        if process is None:
            return 0
        self._process = None
        if process.returncode is None:
            process.send_signal(sig)
        code = await asyncio.wait_for(process.wait(), TIMEOUT_S)
        if self._reader is not None:
            await self._reader
        return code

    async def _read(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        try:
            async for raw in process.stderr:
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))
                async with self._changed:
                    self._changed.notify_all()
        finally:
            async with self._changed:
                self._changed.notify_all()

    async def close(self) -> None:
        """Kill the process if a test left it running."""
        with contextlib.suppress(ProcessLookupError):
            await self.kill()
