"""Log lines a deployer reads: the platform libraries' connection noise becomes one clear line."""

from __future__ import annotations

import logging
import sys

from bot.logs import OneLine

HOMESERVER = "https://matrix.example.org"


def _record(name: str, message: str, *args: object, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, None) if error is not None else None
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)


def _shown(record: logging.LogRecord) -> str | None:
    if not OneLine(HOMESERVER).filter(record):
        return None
    return logging.Formatter("%(name)s: %(message)s").format(record)


def test_nios_retry_names_the_homeserver() -> None:
    shown = _shown(_record("nio.client.async_client", "Timed out, sleeping for %ds", 51))
    assert shown == f"nio.client.async_client: matrix: no answer from {HOMESERVER}; trying again in 51s"


def test_a_lost_discord_connection_is_one_line_without_a_traceback() -> None:
    try:
        raise ConnectionResetError(104, "Connection reset by peer")
    except ConnectionResetError:
        record = _record("discord.client", "Attempting a reconnect in %.2fs", 4.5)
        record.exc_info = sys.exc_info()
    shown = _shown(record)
    assert shown == "discord.client: discord: Attempting a reconnect in 4.50s ([Errno 104] Connection reset by peer)"


def test_a_bugs_traceback_is_kept() -> None:
    try:
        raise KeyError("oops")
    except KeyError:
        record = _record("discord.client", "Ignoring exception in on_message")
        record.exc_info = sys.exc_info()
    assert "Traceback" in (_shown(record) or "")


def test_the_no_voice_warnings_are_dropped() -> None:
    assert _shown(_record("discord.client", "PyNaCl is not installed, voice will NOT be supported")) is None
    assert _shown(_record("discord.client", "davey is not installed, voice will NOT be supported")) is None
    assert _shown(_record("bot", "ready: discord")) == "bot: ready: discord"
