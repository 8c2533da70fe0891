"""Logging for people who run the bot: one line per event, and never a traceback for the network.

A deployer reads these lines to know what to do. The platform libraries log a lost connection
with a whole traceback (discord.py: "Attempting a reconnect in 4.5s" and 40 lines of aiohttp) or
without naming the server (matrix-nio: "Timed out, sleeping for 51s"). The filters here turn
those into one line that names the platform, the server and the error, and drop discord.py's
warnings that voice needs PyNaCl or davey (the bot has no voice). Tracebacks of anything else stay: they
are bugs, and their details matter.
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(level: str, homeserver: str | None = None) -> None:
    """Log to standard error at `level`, with the filters below on the platform libraries."""
    logging.basicConfig(level=level, format=FORMAT, stream=sys.stderr)
    # A handler sees the records of every logger below the root (a logger's own filters would
    # miss those of its children, like `discord.client`).
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OneLine) for f in handler.filters):
            handler.addFilter(OneLine(homeserver or "the Matrix homeserver"))


def network_error(error: BaseException) -> bool:
    """Whether `error` means a server could not be reached (as opposed to a bug)."""
    if isinstance(error, OSError | TimeoutError):
        return True
    names = {f"{cls.__module__}.{cls.__name__}" for cls in type(error).__mro__}
    return bool(names & {"aiohttp.client_exceptions.ClientError", "discord.errors.ConnectionClosed",
                         "discord.errors.GatewayNotFound"})  # fmt: skip


def describe(error: BaseException) -> str:
    """An exception in a few words: its message, or its kind when it has none."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


class OneLine(logging.Filter):
    """Rewrites the platform libraries' connection records into one clear line each."""

    def __init__(self, homeserver: str) -> None:
        super().__init__()
        self.homeserver = homeserver

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("discord", "nio")):
            return True
        message = record.getMessage()
        if message.endswith("voice will NOT be supported"):
            return False  # "PyNaCl (or davey) is not installed": the bot has no voice, this is noise
        platform = "discord" if record.name.startswith("discord") else "matrix"
        if record.name.startswith("nio") and message.startswith("Timed out, sleeping for"):
            wait = message.rsplit(" ", 1)[-1]
            self._replace(record, f"matrix: no answer from {self.homeserver}; trying again in {wait}")
        elif record.exc_info and record.exc_info[1] is not None and network_error(record.exc_info[1]):
            self._replace(record, f"{platform}: {message} ({describe(record.exc_info[1])})")
        return True

    @staticmethod
    def _replace(record: logging.LogRecord, message: str) -> None:
        record.msg = message
        record.args = None
        record.exc_info = None
        record.exc_text = None
