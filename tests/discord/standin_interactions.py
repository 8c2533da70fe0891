"""Interactions: what a user's slash command, autocomplete or button click looks like on the wire,
and what the bot's answers to it (callback, followups, edits of the original) do.

Discord's clock rules, measured on the stand-in's clock (``Clock``, so tests can skip ahead):

- The first callback (``POST /interactions/{id}/{token}/callback``, any type) must come within
  3 seconds of INTERACTION_CREATE; a later one gets 404 ``Unknown interaction`` (10062) and the
  person sees "The application did not respond". A second callback gets 400, code 40060.
- The token then works for 15 minutes for followups and for reading, editing and deleting the
  original response and followups; after that, and for an interaction never acknowledged in
  time, 401 ``Invalid Webhook Token`` (50027). ("Interaction tokens are valid for 15 minutes …
  you must send an initial response within 3 seconds … If the 3 second deadline is exceeded, the
  token will be invalidated": developers/interactions/receiving-and-responding.)
- A followup right after a deferred ("thinking…") response fills the loading message, as
  Discord still does for backwards compatibility; Discord documents this as deprecated, so the
  stand-in also records it as a problem: edit ``@original`` instead.

Which person could do what is checked in ``standin_options``; a test that asks for anything
Discord's client would not offer fails at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .standin_clock import Changes
from .standin_errors import JSON, ApiError, Code, field_error
from .standin_gateway import Gateway
from .standin_handles import CallbackType, InteractionCallback, InteractionHandle, InteractionType, StoredInteraction
from .standin_messages import Chat, MessageBody
from .standin_model import Channel, Message, MessageFlag, User, World
from .standin_options import CommandInput
from .standin_payloads import interaction_payload, message_payload, user_payload
from .standin_validation import check_choices

#: Discord's limits: acknowledge within 3 s; the token then lasts 15 minutes.
ACKNOWLEDGE_WITHIN = 3.0
TOKEN_LIFETIME = 15 * 60.0


BUTTON = 2

#: Which callback types Discord accepts for which interaction type.
_ALLOWED_CALLBACKS = {
    InteractionType.APPLICATION_COMMAND: {
        CallbackType.CHANNEL_MESSAGE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.MESSAGE_COMPONENT: {
        CallbackType.CHANNEL_MESSAGE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.AUTOCOMPLETE: {CallbackType.AUTOCOMPLETE_RESULT},
}


class Interactions:
    """Builds and dispatches interactions; applies the bot's answers to them."""

    def __init__(self, world: World, gateway: Gateway, chat: Chat, changes: Changes, errors: list[str]) -> None:
        self._world = world
        self._gateway = gateway
        self._chat = chat
        self.changes = changes
        self._errors = errors
        self._input = CommandInput(world)
        self._by_id: dict[int, StoredInteraction] = {}
        self._by_token: dict[str, StoredInteraction] = {}
        self._timers: list[asyncio.TimerHandle] = []
        #: Seconds a bot has to acknowledge an interaction (Discord: 3).
        self.deadline = ACKNOWLEDGE_WITHIN
        #: Seconds an interaction token works after INTERACTION_CREATE (Discord: 15 minutes).
        self.token_lifetime = TOKEN_LIFETIME

    # --- what users do ------------------------------------------------------------------------

    async def command(
        self,
        user: User,
        channel: Channel,
        name: str,
        options: dict[str, Any],
        subcommand: str | None,
        *,
        focused: str | None = None,
    ) -> InteractionHandle:
        """A slash command (or, with ``focused``, an autocomplete request while typing it)."""
        command = self._input.offered_command(user, channel, name)
        data: JSON = {"id": str(command.id), "name": command.name, "type": command.type}
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        resolved: JSON = {}
        data["options"] = self._input.options(command, channel, options, subcommand, focused, resolved)
        if resolved:
            data["resolved"] = resolved
        kind = InteractionType.AUTOCOMPLETE if focused else InteractionType.APPLICATION_COMMAND
        return await self._dispatch(kind, user, channel, data)

    async def click(self, user: User, message: Message, custom_id: str) -> InteractionHandle:
        """A click on a button of ``message``."""
        if message.deleted:
            raise AssertionError(f"message {message.id} was deleted; nobody can click on it")
        kinds = message.custom_ids()
        if custom_id not in kinds:
            raise AssertionError(f"message {message.id} has no component {custom_id!r}: {kinds}")
        if kinds[custom_id] != BUTTON:
            raise AssertionError(f"component {custom_id!r} is type {kinds[custom_id]}, not a button")
        channel = self._world.channels[message.channel_id]
        self._input.check_presence(user, channel)
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return await self._dispatch(InteractionType.MESSAGE_COMPONENT, user, channel, data, component_message=message)

    # --- the clock ------------------------------------------------------------------------------

    def unanswered_handles(self) -> list[InteractionHandle]:
        """Interactions the bot let die, except those a test said it expected."""
        now = self._world.clock.now()
        return [self._handle(s) for s in self._by_id.values() if s.unanswered(now) and not s.unanswered_expected]

    def _handle(self, stored: StoredInteraction) -> InteractionHandle:
        return InteractionHandle(stored, self._world.clock, self.changes)

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    # --- what the bot does (called by the REST routes) -------------------------------------------

    async def callback(self, interaction_id: int, token: str, body: MessageBody) -> JSON:
        stored = self._by_id.get(interaction_id)
        if stored is None or stored.token != token:
            raise ApiError.unknown_interaction()
        if stored.callback is not None:
            raise ApiError.already_acknowledged()
        now = self._world.clock.now()
        if now > stored.answer_by:
            stored.late_by = now - stored.answer_by
            self.changes.notify()
            raise ApiError.unknown_interaction()
        kind = int(body.get("type", 0))
        if kind not in _ALLOWED_CALLBACKS[stored.type]:
            raise ApiError.invalid_form(
                {"type": field_error("INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid type {kind}")}
            )
        data = dict(body.get("data") or {})
        reply = MessageBody(fields=data, files=body.files)
        if kind == CallbackType.CHANNEL_MESSAGE:
            stored.original = await self._post(stored, reply)
        elif kind == CallbackType.DEFERRED_CHANNEL_MESSAGE:
            # "the only valid message flag you may use is EPHEMERAL"
            loading = MessageFlag.LOADING | (int(data.get("flags") or 0) & MessageFlag.EPHEMERAL)
            stored.original = await self._post(stored, MessageBody(fields={}), flags=loading)
        elif kind == CallbackType.UPDATE_MESSAGE:
            assert stored.component_message is not None
            stored.original = await self._chat.edit(stored.component_message, reply)
        elif kind == CallbackType.DEFERRED_UPDATE_MESSAGE:
            stored.original = stored.component_message
        elif kind == CallbackType.AUTOCOMPLETE_RESULT:
            check_choices(data)
        stored.callback = InteractionCallback(type=kind, data=data)
        self.changes.notify()
        return self._callback_answer(stored, kind)

    def _callback_answer(self, stored: StoredInteraction, kind: int) -> JSON:
        """The ``with_response`` body: the interaction and the message it made, if any."""
        answer: JSON = {
            "interaction": {
                "id": str(stored.id),
                "type": stored.type,
                "response_message_loading": kind == CallbackType.DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(stored.original and stored.original.ephemeral),
            },
            "resource": {"type": kind},
        }
        if stored.original is not None and kind != CallbackType.DEFERRED_UPDATE_MESSAGE:
            answer["interaction"]["response_message_id"] = str(stored.original.id)
            answer["resource"]["message"] = message_payload(self._world, stored.original)
        return answer

    async def followup(self, application_id: int, token: str, body: MessageBody) -> Message:
        """A new message with the interaction's token. The first one after a "thinking" defer
        fills the loading message instead, keeping the defer's ephemerality, as Discord does for
        backwards compatibility — and is recorded as a problem, since Discord deprecates it."""
        stored = self._live(application_id, token)
        original = stored.original
        if original is not None and original.flags & MessageFlag.LOADING:
            body.validate_new()
            fields = {k: v for k, v in body.fields.items() if k != "flags"}  # the defer's flags stay
            message = await self._chat.edit(original, MessageBody(fields=fields, files=body.files))
            self._errors.append(
                f"POST /webhooks/{{app}}/{{token}}: the first followup to {stored.describe()} filled its "
                "deferred 'thinking' message. Discord does this only for backwards compatibility and "
                "documents it as deprecated; edit the original response instead "
                "(PATCH /webhooks/{app}/{token}/messages/@original, discord.py: "
                "interaction.edit_original_response)."
            )
        else:
            message = await self._post(stored, body)
        stored.followups.append(message)
        self.changes.notify()
        return message

    def response_message(self, application_id: int, token: str, reference: str) -> Message:
        """``@original`` or a followup id, as in ``/webhooks/{app}/{token}/messages/{ref}``."""
        stored = self._live(application_id, token)
        if reference == "@original":
            message = stored.original
        else:
            message = next((m for m in stored.followups if str(m.id) == reference), None)
        if message is None or message.deleted:
            raise ApiError.not_found(Code.UNKNOWN_MESSAGE, "Message")
        return message

    async def edit_response(self, application_id: int, token: str, reference: str, body: MessageBody) -> Message:
        """Edit Original Interaction Response (``@original``; fills a "thinking" message) or Edit
        Followup Message, validated as an edit is."""
        message = await self._chat.edit(self.response_message(application_id, token, reference), body)
        self.changes.notify()
        return message

    # --- helpers --------------------------------------------------------------------------------

    def _live(self, application_id: int, token: str) -> StoredInteraction:
        """The interaction a webhook route's token belongs to, if the token still works."""
        stored = self._by_token.get(token)
        if stored is None or application_id != self._world.application_id:
            raise ApiError.not_found(Code.UNKNOWN_WEBHOOK, "Webhook")
        now = self._world.clock.now()
        if now > stored.expires or (stored.callback is None and now > stored.answer_by):
            raise ApiError.invalid_webhook_token()
        if stored.callback is None:
            raise ApiError.not_found(Code.UNKNOWN_WEBHOOK, "Webhook")
        return stored

    async def _post(self, stored: StoredInteraction, body: MessageBody, *, flags: int = 0) -> Message:
        metadata = {
            "id": str(stored.id),
            "type": stored.type,
            "user": user_payload(stored.user),
            "authorizing_integration_owners": stored.payload["authorizing_integration_owners"],
        }
        return await self._chat.post(
            stored.channel,
            self._world.bot,
            body,
            type=20 if stored.type == InteractionType.APPLICATION_COMMAND else 0,
            flags=flags,
            webhook_id=self._world.application_id,
            interaction_metadata=metadata,
            # A "thinking" message has no content yet.
            validate=not flags & MessageFlag.LOADING,
        )

    async def _dispatch(
        self,
        kind: int,
        user: User,
        channel: Channel,
        data: JSON,
        *,
        component_message: Message | None = None,
    ) -> InteractionHandle:
        world = self._world
        interaction_id = world.ids.next()
        token = f"standin-interaction-token-{interaction_id}"
        payload = interaction_payload(world, interaction_id, token, kind, user, channel, data, component_message)
        now = world.clock.now()
        stored = StoredInteraction(
            id=interaction_id,
            token=token,
            type=kind,
            user=user,
            channel=channel,
            payload=payload,
            created=now,
            answer_by=now + self.deadline,
            expires=now + self.token_lifetime,
            component_message=component_message,
        )
        self._by_id[interaction_id] = stored
        self._by_token[token] = stored
        # Wake waiters when the deadline passes, so a wait for the answer fails then, not later.
        loop = asyncio.get_running_loop()
        self._timers.append(loop.call_later(self.deadline + 0.001, self.changes.notify))
        await self._gateway.dispatch("INTERACTION_CREATE", lambda session: payload)
        return self._handle(stored)
