"""What people bring to a server besides words: files attached to their messages, which the bot
downloads from Discord's CDN at the attachment's URL (here: the stand-in's own `/cdn/…` path),
and joining a server, which Discord tells a bot with the members intent as GUILD_MEMBER_ADD."""

from __future__ import annotations

from aiohttp import web

from .standin_gateway import Gateway
from .standin_model import Guild, Intent, Member, User, World
from .standin_payloads import member_payload

CDN_PATH = "/cdn/attachments/{attachment_id}/{filename}"


class Arrivals:
    """Joins and the CDN: `downloads` lists each attachment id fetched, in order."""

    def __init__(self, world: World, gateway: Gateway) -> None:
        self._world = world
        self._gateway = gateway
        self.downloads: list[int] = []

    async def join(self, guild: Guild, user: User) -> Member:
        member = self._world.add_member(guild, user)
        data = {**member_payload(self._world, member), "guild_id": str(guild.id)}
        await self._gateway.dispatch("GUILD_MEMBER_ADD", lambda s: data if s.has(Intent.GUILD_MEMBERS) else None)
        return member

    async def serve(self, request: web.Request) -> web.Response:
        """An attachment's bytes, as the CDN answers (no bot token needed: the URL is the key)."""
        wanted = int(request.match_info["attachment_id"])
        uploaded = [message.attachments for message in self._world.messages.values()] + [
            [*self._world.uploads.values()]
        ]
        for attachments in uploaded:
            for attachment in attachments:
                if attachment.id == wanted and attachment.filename == request.match_info["filename"]:
                    self.downloads.append(wanted)
                    return web.Response(body=attachment.data, content_type=attachment.content_type or "text/plain")
        return web.Response(status=404)
