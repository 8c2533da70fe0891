"""Everything the dashboard area says in chat: the one-time link, and why there is none.

What the pages themselves say is in their templates (`bot/web/templates`), which is presentation.
"""

from __future__ import annotations

from bot.core.text import Rich, fmt, lines, private


def link(url: str, minutes: int) -> Rich:
    once = f"It works once, for {minutes} minutes, and keeps you signed in for 12 hours. Don't share it."
    return lines(fmt("Your dashboard link: {url}", url=private(url)), once, "Next: open it in your browser.")


def not_set_up() -> Rich:
    return fmt(
        "The dashboard isn't switched on. An admin sets `web.listen` (or `web.base_url`) in the config "
        "(docs/dashboard.md). Meanwhile: `network`, `coverage`, `digest`."
    )


def leads_only(name: str) -> Rich:
    return fmt("The dashboard is for leads, and {name} isn't one. An admin can `role @{name} lead`.", name=name)
