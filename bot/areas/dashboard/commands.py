"""The `dashboard` command (spec §16): a one-time link to the leads' dashboard, sent privately."""

from __future__ import annotations

from bot.areas.dashboard import access, words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.params import Args
from bot.ids import Role

dashboard = CommandSet[Context](Section.LEADS)


def address(base: str, token: str) -> str:
    """Where a link token is opened (the token is a credential, not personal data)."""
    return f"{base}/login/{token}"


@dashboard.command(
    "dashboard", "A one-time link to the dashboard in your browser (sent privately).", role=Role.LEAD,
    example="dashboard", sensitive=True,
)  # fmt: skip
async def open_dashboard(ctx: Context, args: Args) -> Reply:
    base = ctx.config.web.link_base()
    if base is None:
        return Reply(words.not_set_up())
    token = await access.new_link(ctx.tx, ctx.speaker, ctx.role, ctx.ts)
    return Reply(words.link(address(base, token), access.LINK_SECONDS // 60), sensitive=True)
