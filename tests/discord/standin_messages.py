"""Messages: created, edited and deleted, then announced on the gateway as Discord would.

One place decides who sees what: MESSAGE_* events go only to sessions with the matching intent
(guild messages or direct messages), and content is blanked for sessions without the
message-content intent unless the bot wrote the message, it is a DM, or it mentions the bot.
MESSAGE_CREATE echoes the nonce a message was sent with; MESSAGE_UPDATE does not (Discord does not
store nonces; the stand-in keeps them only for its ``enforce_nonce`` window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .standin_errors import JSON, ApiError, field_error
from .standin_gateway import Gateway, GatewaySession, Render
from .standin_model import Attachment, Channel, Intent, Message, MessageFlag, User, World
from .standin_payloads import content_exempt, message_payload
from .standin_validation import check_edit, check_new_message, has_content

DEFAULT, REPLY = 0, 19

#: How long a nonce sent with ``enforce_nonce`` keeps a resend from creating a second message.
#: Discord documents "the past few minutes".
NONCE_WINDOW_SECONDS = 300.0

#: The flags a bot may set when creating a message (Create Message: "only SUPPRESS_EMBEDS,
#: SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, and IS_COMPONENTS_V2 can be set"); interaction
#: responses and followups may also be EPHEMERAL. Others are dropped, so a channel message
#: claiming to be ephemeral is posted for everyone, as on Discord.
SETTABLE_FLAGS = (1 << 2) | (1 << 12) | (1 << 13) | (1 << 15)


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class MessageBody:
    """The fields of a create/edit request body that the stand-in understands."""

    fields: JSON
    files: list[UploadedFile] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def validate_new(self) -> None:
        """Refuse what Discord refuses in a new message (see ``standin_validation``)."""
        check_new_message(self.fields, has_files=bool(self.files))


class Chat:
    """Creates, edits and deletes messages in the world and dispatches the matching events."""

    def __init__(self, world: World, gateway: Gateway) -> None:
        self._world = world
        self._gateway = gateway

    async def post(
        self,
        channel: Channel,
        author: User,
        body: MessageBody,
        *,
        type: int = DEFAULT,
        flags: int = 0,
        webhook_id: int | None = None,
        interaction_metadata: JSON | None = None,
        validate: bool = True,
    ) -> Message:
        """Store a new message and dispatch MESSAGE_CREATE (not for ephemeral ones).

        With ``enforce_nonce``, a nonce this author already used within the window returns that
        original message instead, creating and dispatching nothing.
        """
        if validate:
            body.validate_new()
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            original = self._find_by_nonce(author, nonce)
            if original is not None:
                return original
        world = self._world
        reference_id = self._reference(channel, body)
        settable = SETTABLE_FLAGS | (MessageFlag.EPHEMERAL if webhook_id is not None else 0)
        message = Message(
            id=world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=author.id,
            content=body.get("content") or "",
            type=REPLY if reference_id is not None and type == DEFAULT else type,
            flags=flags | (int(body.get("flags") or 0) & settable),
            nonce=nonce,
            allowed_mentions=body.get("allowed_mentions"),
            components=list(body.get("components") or []),
            embeds=list(body.get("embeds") or []),
            attachments=self._attachments(body),
            webhook_id=webhook_id,
            interaction_metadata=interaction_metadata,
            reference_id=reference_id,
            created=world.clock.now(),
        )
        world.messages[message.id] = message
        if not message.ephemeral:
            await self._gateway.dispatch("MESSAGE_CREATE", self._render_message(message, with_nonce=True))
        return message

    async def edit(self, message: Message, body: MessageBody) -> Message:
        """Apply the fields present in ``body`` and dispatch MESSAGE_UPDATE (not if ephemeral).

        Validated as Discord validates an edit: the fields it sets, and the message may not end
        up empty (a "thinking" message must get some content).
        """
        fields = body.fields
        after = {
            "content": fields.get("content", message.content),
            "embeds": fields.get("embeds", message.embeds),
            "components": fields.get("components", message.components),
        }
        has_files = bool(message.attachments or body.files) and fields.get("attachments") != []
        check_edit(fields, would_be_empty=not has_content(after, has_files=has_files))
        message.content = after["content"] or ""
        for key in ("embeds", "components"):
            if key in fields:
                setattr(message, key, list(fields[key] or []))
        if "allowed_mentions" in fields:
            message.allowed_mentions = fields["allowed_mentions"]
        if fields.get("attachments") == []:
            message.attachments = []
        message.attachments += self._attachments(body)
        message.flags &= ~MessageFlag.LOADING
        message.edited_timestamp = datetime.now(UTC).isoformat()
        if not message.ephemeral:
            await self._gateway.dispatch("MESSAGE_UPDATE", self._render_message(message, with_nonce=False))
        return message

    async def delete(self, message: Message) -> None:
        message.deleted = True
        if message.ephemeral:
            return
        data: JSON = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        await self._gateway.dispatch("MESSAGE_DELETE", self._render_deletion(message, data))

    def _find_by_nonce(self, author: User, nonce: str | int) -> Message | None:
        """Discord documents the check per author, not per channel: the same nonce sent to
        another channel also returns the first message and posts nothing."""
        horizon = self._world.clock.now() - NONCE_WINDOW_SECONDS
        for message in self._world.messages.values():
            if message.author_id == author.id and str(message.nonce) == str(nonce) and message.created >= horizon:
                return message
        return None

    def _reference(self, channel: Channel, body: MessageBody) -> int | None:
        """The id of the message replied to; Discord refuses a reply to an unknown message
        unless ``fail_if_not_exists`` is false, in which case it sends a plain message."""
        reference = body.get("message_reference")
        if not reference:
            return None
        target = self._world.messages.get(int(reference.get("message_id") or 0))
        if target is not None and not target.deleted and target.channel_id == channel.id:
            return target.id
        if reference.get("fail_if_not_exists", True):
            raise ApiError.invalid_form(
                {"message_reference": field_error("MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")}
            )
        return None

    def _attachments(self, body: MessageBody) -> list[Attachment]:
        return [
            Attachment(
                id=self._world.ids.next(),
                filename=f.filename,
                data=f.data,
                content_type=f.content_type,
            )
            for f in body.files
        ]

    def _receives(self, session: GatewaySession, message: Message) -> bool:
        needed = Intent.DIRECT_MESSAGES if message.guild_id is None else Intent.GUILD_MESSAGES
        return session.has(needed)

    def _render_message(self, message: Message, *, with_nonce: bool) -> Render:
        """MESSAGE_CREATE carries the nonce the message was sent with; MESSAGE_UPDATE does not."""
        world = self._world

        def render(session: GatewaySession) -> JSON | None:
            if not self._receives(session, message):
                return None
            visible = session.has(Intent.MESSAGE_CONTENT) or content_exempt(world, message)
            return message_payload(world, message, content_visible=visible, with_nonce=with_nonce)

        return render

    def _render_deletion(self, message: Message, data: JSON) -> Render:
        return lambda session: data if self._receives(session, message) else None
