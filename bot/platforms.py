"""Connecting to the chat platforms at start, with one clear line when a server can't be reached.

A platform that cannot be reached when the bot starts stops the bot with one line naming the
server and the error, and exit code 3 (see `Unreachable`): systemd's `Restart=always` and PaaS
platforms start it again, so a passing outage heals by itself while a wrong address or a machine
without network is seen at once, instead of a silent retry loop. Once connected, a lost
connection is retried by the platform libraries, one log line per try (`bot.logs`).

Only this module and the adapters import the platform libraries, and only when credentials are
set, so the console starts without them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.config import Config, ConfigError, Secrets
from bot.logs import describe, network_error

if TYPE_CHECKING:
    from bot.adapters.base import Adapter
    from bot.app import App

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 20.0
EXIT_UNREACHABLE = 3


class Unreachable(Exception):
    """A platform's server did not answer; the message is the one line to show."""


class WrongServer(ConfigError):
    """A server answered, but not as a Matrix homeserver does: a setting to fix (exit code 2)."""


def adapters_for(app: App, secrets: Secrets) -> list[Adapter]:
    """An adapter for each platform that has credentials."""
    adapters: list[Adapter] = []
    if secrets.discord_token:
        from bot.adapters.discord import DiscordAdapter  # imports discord.py only when used

        adapters.append(DiscordAdapter(app, secrets.discord_token))
    if secrets.matrix:
        from bot.adapters.matrix import MatrixAdapter  # imports matrix-nio only when used

        adapters.append(MatrixAdapter(app, secrets))
    return adapters


async def start(adapter: Adapter, config: Config) -> None:
    """Start one adapter; a server that can't be reached raises `Unreachable` with its name."""
    if adapter.platform == "matrix" and config.matrix.homeserver:
        # nio retries an unreachable server forever without naming it: ask once first.
        await probe_homeserver(config.matrix.homeserver)
    try:
        await adapter.start()
    except Exception as error:
        if not network_error(error):
            raise
        where = _server(adapter.platform, config, error)
        raise Unreachable(
            f"{adapter.platform}: can't reach {where} ({describe(error)}). "
            "Check this machine's network, then start the bot again."
        ) from error


def _server(platform: str, config: Config, error: BaseException) -> str:
    host = getattr(error, "host", None)
    if platform == "matrix":
        return str(config.matrix.homeserver)
    return str(host) if host else "discord.com"


async def probe_homeserver(homeserver: str) -> None:
    """Ask the homeserver which Matrix versions it speaks: proof that it is there and is one."""
    import aiohttp

    url = homeserver.rstrip("/") + "/_matrix/client/versions"
    try:
        timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
        if not network_error(error):
            body = None
        else:
            reason = describe(error) if not isinstance(error, TimeoutError) else f"no answer in {PROBE_TIMEOUT_S:.0f}s"
            raise Unreachable(
                f"matrix: can't reach {homeserver} ({reason}). Check `matrix.homeserver` and this "
                "machine's network, then start the bot again."
            ) from error
    if not isinstance(body, dict) or "versions" not in body:
        raise WrongServer(
            f"matrix: {homeserver} does not answer as a Matrix homeserver (nothing at "
            "/_matrix/client/versions). Set `matrix.homeserver` to the URL your Matrix client "
            "uses, like https://matrix.example.org."
        )
