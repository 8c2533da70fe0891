"""Which Matrix rooms the bot is in, who may bring it into more, and who leads.

- The bot joins `matrix.rooms` and `matrix.main_room` at start (ids or aliases; a room it is
  not invited to yet is joined when the invite comes).
- An invite is accepted when the inviter's homeserver is in `matrix.allowed_servers` (by
  default only the bot's own server) or the room is one of the configured rooms; any other
  invite is declined, so strangers on other servers cannot pull the bot into their rooms.
- Roles come from the main room: a power level at or above `lead_power_level` makes a lead, at
  or above `admin_power_level` an admin. From room version 12 a room's creators outrank every
  power level (they are not even listed in the power levels), so they count as admins.
- Messages from before the bot joined a room were not said to it and are never commands, except
  in a direct chat: what its inviter said after the invitation was said to the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from nio import AsyncClient, JoinResponse, RoomCreateEvent, RoomMemberEvent, RoomResolveAliasResponse

from bot.config import MatrixSettings
from bot.ids import Role

log = logging.getLogger(__name__)


class Rooms:
    """The room rules of one bot account (see the module docstring)."""

    def __init__(self, settings: MatrixSettings, user_id: str) -> None:
        self.settings = settings
        self.user_id = user_id
        self.main_room: str | None = None
        self.configured: set[str] = set()
        self._creators: frozenset[str] = frozenset()

    async def join_configured(self, client: AsyncClient) -> None:
        """Learn the ids of the configured rooms and join those the bot may join now."""
        main = self.settings.main_room
        for room in dict.fromkeys([*self.settings.rooms, *([main] if main else [])]):
            room_id = await _room_id(client, room)
            if room_id is not None:
                self.configured.add(room_id)
                if room == main:
                    self.main_room = room_id
            joined = await client.join(room)
            if not isinstance(joined, JoinResponse):
                log.warning("could not join the configured room %s yet (%s); invite the bot", room, joined)

    def accepts_invite(self, room_id: str, inviter: str) -> bool:
        allowed = self.settings.allowed_servers or [server_of(self.user_id)]
        return server_of(inviter) in allowed or room_id in self.configured

    def note_state(self, room_id: str, events: Sequence[Any]) -> None:
        """Keep what roles depend on from a sync of the main room: who created it."""
        if room_id != self.main_room:
            return
        for event in events:
            if isinstance(event, RoomCreateEvent) and _creators_outrank(event.room_version):
                extra = event.source.get("content", {}).get("additional_creators", [])
                self._creators = frozenset({event.sender, *extra})

    def granted_role(self, client: AsyncClient, user_id: str) -> Role | None:
        """Lead or admin by power in the main room, else a member (a lead whose power was lowered
        is no longer one); None when there is no main room to tell by."""
        room = client.rooms.get(self.main_room) if self.main_room else None
        if room is None:
            return None
        if user_id in self._creators:
            return Role.ADMIN
        level = room.power_levels.get_user_level(user_id)
        if level >= self.settings.admin_power_level:
            return Role.ADMIN
        if level >= self.settings.lead_power_level:
            return Role.LEAD
        return Role.MEMBER

    def joins_in(self, events: Sequence[Any]) -> bool:
        """Whether the bot joined the room among `events`."""
        return any(self._is_own_join(event) for event in events)

    def since_joined(self, events: Sequence[Any], inviter: str | None = None) -> list[Any]:
        """The events after the bot's own join, if it is among them; else all of them. In a
        direct chat, what its `inviter` said after inviting the bot was said to the bot, even
        before it joined: a client opens a direct chat with its first message (Element does),
        and a chat opened while the bot was down is joined only when it is back."""
        for index in range(len(events) - 1, -1, -1):
            if self._is_own_join(events[index]):
                later = list(events[index + 1 :])
                invited = next((i for i in range(index - 1, -1, -1) if self._is_own_invite(events[i])), None)
                if inviter is None or invited is None:
                    return later
                said = [e for e in events[invited + 1 : index] if _said_by(e, inviter)]
                return said + later
        return list(events)

    def _is_own_invite(self, event: Any) -> bool:
        return isinstance(event, RoomMemberEvent) and event.state_key == self.user_id and event.membership == "invite"

    def _is_own_join(self, event: Any) -> bool:
        return (
            isinstance(event, RoomMemberEvent)
            and event.state_key == self.user_id
            and event.membership == "join"
            and event.prev_membership != "join"
        )


def _said_by(event: Any, sender: str) -> bool:
    """A message (not a membership change) by `sender`."""
    return not isinstance(event, RoomMemberEvent) and getattr(event, "sender", None) == sender


def server_of(user_id: str) -> str:
    return user_id.partition(":")[2]


async def _room_id(client: AsyncClient, room: str) -> str | None:
    if room.startswith("!"):
        return room
    resolved = await client.room_resolve_alias(room)
    if not isinstance(resolved, RoomResolveAliasResponse):
        log.warning("the configured room alias %s does not resolve: %s", room, resolved)
        return None
    return str(resolved.room_id)


def _creators_outrank(room_version: str) -> bool:
    """Room versions with MSC4289's rule: creators have unlimited power (12 and later)."""
    return room_version.startswith("org.matrix.hydra") or (room_version.isdigit() and int(room_version) >= 12)
