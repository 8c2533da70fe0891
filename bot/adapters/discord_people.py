"""Who is who on Discord: the person behind an event, with the bot role their server roles grant
(by name, as `discord.lead_roles` and `discord.admin_roles` configure), the servers served, and
where in them a message goes."""

from __future__ import annotations

import contextlib
import dataclasses

import discord

from bot.adapters.base import DeliveryFailed
from bot.config import DiscordSettings
from bot.core.messages import Delivery, Mentioned, Sender
from bot.ids import Role

PLATFORM = "discord"


class DiscordPeople:
    """Reads roles from the event when Discord sends them, from the servers when it does not."""

    def __init__(self, client: discord.Client, settings: DiscordSettings) -> None:
        self._client = client
        self._settings = settings
        self._lead_roles = {name.casefold() for name in settings.lead_roles}
        self._admin_roles = {name.casefold() for name in settings.admin_roles}

    async def sender(self, user: discord.User | discord.Member) -> Sender:
        role = self._role(user) if isinstance(user, discord.Member) else await self._role_in_servers(user.id)
        return Sender(PLATFORM, str(user.id), user.display_name, role)

    def _role(self, member: discord.Member) -> Role:
        """The bot role that the member's Discord roles grant (by name, as configured): a member
        with none of them is a member, so a lead whose Lead role a moderator took away is no
        longer one (the core takes back only what the platform gave: `core.speakers.granted`)."""
        names = {role.name.casefold() for role in member.roles}
        if names & self._admin_roles:
            return Role.ADMIN
        if names & self._lead_roles:
            return Role.LEAD
        return Role.MEMBER

    async def _role_in_servers(self, user_id: int) -> Role | None:
        """In a DM Discord sends no roles: look the person up in the configured servers; a member
        if none has them (they left), None only when Discord could not be asked (can't tell).

        Without the privileged members intent the member cache is nearly empty, so this asks
        Discord (one request per DM command).
        """
        guilds, unknown = self.guilds(), False
        for guild in guilds:
            member = guild.get_member(user_id)
            if member is None:
                try:
                    member = await guild.fetch_member(user_id)
                except discord.NotFound:
                    continue
                except discord.HTTPException:
                    unknown = True
                    continue
            return self._role(member)
        return None if unknown or not guilds else Role.MEMBER

    async def named(self, mentions: tuple[Mentioned, ...], guild: discord.Guild | None) -> tuple[Mentioned, ...]:
        """A slash command's member options by name: Discord sends a mention typed in a text
        option as `<@id>` only, and someone with no account here would be "@user 1579…" in the
        reply. The server's member (cached, else asked for once), else the user, names them."""
        named = []
        for mention in mentions:
            person: discord.Member | discord.User | None = guild.get_member(int(mention.user_id)) if guild else None
            person = person or self._client.get_user(int(mention.user_id))
            if person is None and guild is not None:
                with contextlib.suppress(discord.HTTPException):
                    person = await guild.fetch_member(int(mention.user_id))
            named.append(dataclasses.replace(mention, display_name=person.display_name) if person else mention)
        return tuple(named)

    async def destination(self, delivery: Delivery) -> discord.abc.Messageable:
        """Where an outbox message goes: the person's DMs, or a server channel by id or by name."""
        if delivery.user_id is not None:
            if not delivery.user_id.isdigit():
                raise DeliveryFailed("not a Discord user id", permanent=True)
            return await self._client.create_dm(discord.Object(int(delivery.user_id)))
        if delivery.channel_id is None:
            raise DeliveryFailed("no destination", permanent=True)
        if delivery.channel_id.isdigit():
            return self._client.get_partial_messageable(int(delivery.channel_id))
        wanted = delivery.channel_id.lstrip("#").casefold()
        for guild in self.guilds():
            for channel in guild.text_channels:
                if channel.name.casefold() == wanted:
                    return channel
        raise DeliveryFailed(f"no channel #{wanted} in the configured servers")

    def guilds(self) -> list[discord.Guild]:
        if not self._settings.guild_ids:
            return list(self._client.guilds)
        return [g for g in map(self._client.get_guild, self._settings.guild_ids) if g is not None]

    def serves(self, guild: discord.Guild) -> bool:
        return not self._settings.guild_ids or guild.id in self._settings.guild_ids
