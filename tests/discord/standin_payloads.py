"""JSON payloads generated from the stand-in's state, shaped as Discord sends them.

Everything the stand-in says on the wire (REST answers, gateway dispatches) is built here, so a
user, channel or message looks the same wherever it appears. Ids go out as strings, as Discord
sends them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .standin_clock import DISCORD_EPOCH_MS
from .standin_errors import JSON
from .standin_model import (
    Attachment,
    Channel,
    ChannelType,
    Guild,
    Intent,
    Member,
    Message,
    Role,
    User,
    World,
)


def snowflake_time(snowflake: int) -> str:
    """The ISO-8601 timestamp Discord would show for an object with this id."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def user_payload(user: User) -> JSON:
    return {
        "id": str(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def member_payload(world: World, member: Member, *, with_user: bool = True) -> JSON:
    payload: JSON = {
        "roles": [str(r) for r in member.role_ids],
        "nick": member.nick,
        "avatar": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user_payload(world.users[member.user_id])
    return payload


def role_payload(role: Role) -> JSON:
    return {
        "id": str(role.id),
        "name": role.name,
        "position": role.position,
        "permissions": str(role.permissions),
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": role.mentionable,
        "flags": 0,
    }


def channel_payload(world: World, channel: Channel) -> JSON:
    if channel.is_dm:
        assert channel.recipient_id is not None
        return {
            "id": str(channel.id),
            "type": ChannelType.DM,
            "last_message_id": None,
            "flags": 0,
            "recipients": [user_payload(world.users[channel.recipient_id])],
        }
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "topic": channel.topic,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def guild_payload(world: World, guild: Guild, *, all_members: bool) -> JSON:
    """The GUILD_CREATE body. Without all_members only the bot is listed, as Discord does
    for clients without the presences intent; such clients chunk members with op 8."""
    members = [m for m in guild.members.values() if all_members or m.user_id == world.bot.id]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "features": [],
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "application_id": None,
        "roles": [role_payload(r) for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "unavailable": False,
        "joined_at": guild.members[world.bot.id].joined_at,
        "large": False,
        "member_count": len(guild.members),
        "members": [member_payload(world, m) for m in members],
        "channels": [channel_payload(world, c) for c in guild.channels.values()],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def message_payload(world: World, message: Message, *, content_visible: bool = True, with_nonce: bool = False) -> JSON:
    """A full message object. ``content_visible=False`` blanks what the message-content
    intent guards (content, embeds, attachments, components).

    Discord does not store a message's nonce: it is echoed only in the answer to the POST that
    created the message and in that message's MESSAGE_CREATE (``with_nonce``). A message fetched
    later, edited, or nested as a ``referenced_message`` has none. The stand-in keeps it on
    :class:`~.standin_model.Message` for its own ``enforce_nonce`` window.
    """
    author = world.users[message.author_id]
    guild = world.guilds.get(message.guild_id) if message.guild_id else None
    mentions = []
    for user_id in message.mentioned_user_ids:
        user = world.users.get(user_id)
        if user is None:
            continue
        mention = user_payload(user)
        if guild is not None and user_id in guild.members:
            mention["member"] = member_payload(world, guild.members[user_id], with_user=False)
        mentions.append(mention)
    payload: JSON = {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "author": user_payload(author),
        "content": message.content if content_visible else "",
        "timestamp": snowflake_time(message.id),
        "edited_timestamp": message.edited_timestamp,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions,
        "mention_roles": [str(r) for r in message.mentioned_role_ids],
        "attachments": [attachment_payload(a, world.cdn) for a in message.attachments] if content_visible else [],
        "embeds": message.embeds if content_visible else [],
        "components": message.components if content_visible else [],
        "pinned": False,
        "type": message.type,
        "flags": message.flags,
    }
    if with_nonce and message.nonce is not None:
        payload["nonce"] = message.nonce
    if guild is not None:
        payload["guild_id"] = str(guild.id)
        if author.id in guild.members and message.webhook_id is None:
            payload["member"] = member_payload(world, guild.members[author.id], with_user=False)
    if message.webhook_id is not None:
        payload["webhook_id"] = str(message.webhook_id)
        payload["application_id"] = str(world.application_id)
    if message.interaction_metadata is not None:
        payload["interaction_metadata"] = message.interaction_metadata
    if message.reference_id is not None:
        referenced = world.messages[message.reference_id]
        payload["message_reference"] = {
            "type": 0,
            "message_id": str(referenced.id),
            "channel_id": str(referenced.channel_id),
            **({"guild_id": str(guild.id)} if guild is not None else {}),
        }
        payload["referenced_message"] = (
            None if referenced.deleted else message_payload(world, referenced, content_visible=content_visible)
        )
    return payload


def content_exempt(world: World, message: Message) -> bool:
    """Messages whose content an app sees without the message-content intent: its own, those in
    DMs, and those that mention it."""
    return message.author_id == world.bot.id or message.guild_id is None or world.bot.id in message.mentioned_user_ids


def rest_message_payload(world: World, message: Message) -> JSON:
    """A stored message as a REST read (Get Channel Message(s)) returns it. No gateway intents
    apply there: the content is blank unless the application has the message-content intent
    enabled (in the developer portal) or the message is exempt."""
    visible = bool(world.privileged_intents & Intent.MESSAGE_CONTENT) or content_exempt(world, message)
    return message_payload(world, message, content_visible=visible)


def attachment_payload(attachment: Attachment, cdn: str = "https://cdn.discordapp.invalid") -> JSON:
    url = f"{cdn}/attachments/{attachment.id}/{attachment.filename}"
    return {
        "id": str(attachment.id),
        "filename": attachment.filename,
        "size": len(attachment.data),
        "url": url,
        "proxy_url": url,
        "content_type": attachment.content_type,
    }


def interaction_payload(
    world: World,
    interaction_id: int,
    token: str,
    kind: int,
    user: User,
    channel: Channel,
    data: JSON,
    component_message: Message | None,
) -> JSON:
    """The INTERACTION_CREATE body: guild interactions carry the member and permissions, DM ones
    the user; a component interaction carries the message the component is on."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "channel_id": str(channel.id),
        "channel": channel_payload(world, channel),
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if channel.is_dm:
        payload["user"] = user_payload(user)
        payload["context"] = 1
        payload["authorizing_integration_owners"] = {}
        payload["app_permissions"] = str(0)
    else:
        guild = world.guilds[channel.guild_id or 0]
        member = member_payload(world, guild.members[user.id])
        member["permissions"] = str(world.guild_permissions(guild, user.id))
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            member=member,
            context=0,
            authorizing_integration_owners={"0": str(guild.id)},
            app_permissions=str(world.guild_permissions(guild, world.bot.id)),
        )
    if component_message is not None:
        payload["message"] = message_payload(world, component_message)
    return payload
