"""The leads' dashboard in the browser (spec §16): an aiohttp server, presentation only.

`serve` runs it on its own (`python -m bot web`); `start` runs it inside the bot's process when
`web.listen` is set; `link` makes a one-time link for the deployer (`python -m bot dashboard-link`).
"""

from __future__ import annotations

from bot.web.run import LinkError, cli, link, serve, start

__all__ = ["LinkError", "cli", "link", "serve", "start"]
