"""The stand-in's sense of time: its clock, its snowflake ids, and waiting for its state to change.

Tests never sleep to let something happen: they wait on a condition, re-checked whenever the
stand-in's state changes (:class:`Changes`), and they move the stand-in's clock forward instead of
waiting out a deadline (:class:`Clock`).
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DISCORD_EPOCH_MS = 1_420_070_400_000


class Clock:
    """The stand-in's time in seconds: monotonic time plus whatever tests skipped with
    :meth:`advance`. The interaction deadlines, token lifetimes, rate-limit windows and the nonce
    window are measured with it, so a test can move past any of them without waiting."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def now(self) -> float:
        return time.monotonic() + self.skipped

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the stand-in's time only moves forward")
        self.skipped += seconds


class Changes:
    """Wakes waiters whenever the stand-in's state changes, so tests wait on conditions, not time.

    A wait also ends, with the stand-in's complaint, as soon as ``errors`` is not empty: a test
    that broke Discord's rules fails at once and says why, instead of timing out later.
    """

    def __init__(self, errors: list[str] | None = None) -> None:
        self._event = asyncio.Event()
        self._errors = errors if errors is not None else []

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, check: Callable[[], T | None], *, timeout: float, what: str) -> T:
        """Return ``check()``'s first result that is not None (nor False), re-checking on changes.

        Raises AssertionError naming ``what`` if ``timeout`` seconds pass first.
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = self._event
                    if self._errors:
                        problems = "\n".join(self._errors)
                        raise AssertionError(f"while waiting for {what}, the Discord stand-in saw:\n{problems}")
                    result = check()
                    if result is not None and result is not False:
                        return result
                    await event.wait()
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


class Snowflakes:
    """Strictly increasing snowflake ids whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last = max(now_ms << 22, self._last + 1)
        return self._last
