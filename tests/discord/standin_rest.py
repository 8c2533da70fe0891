"""The stand-in's REST API, under ``/api/v10``: routes, transcript, faults and rate limits.

A small router of its own (instead of aiohttp's) lets every request, known or not, pass one
place that records it, applies injected faults, checks the bot token, counts it against its
rate-limit bucket (``standin_limits``) and renders the answer. JSON answers carry
``Content-Type: application/json`` exactly: discord.py compares the header verbatim and treats
``application/json; charset=utf-8`` (aiohttp's ``json_response``) as text.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from .standin_clock import Changes
from .standin_commands import overwrite_commands
from .standin_errors import JSON, ApiError, Code
from .standin_history import HistoryQuery
from .standin_interactions import Interactions
from .standin_limits import JSON_TYPE, Fault, GlobalRateLimit, RateLimits, json_response, too_many
from .standin_messages import Chat, MessageBody
from .standin_model import Channel, Guild, Message, Permission, World
from .standin_payloads import (
    channel_payload,
    member_payload,
    message_payload,
    rest_message_payload,
    role_payload,
    user_payload,
)
from .standin_transcript import RecordedRequest, compile_path, read_body

API_PREFIX = "/api/v10"
#: The bucket of ``POST /channels/{channel_id}/messages`` (other buckets are named after their route).
MESSAGES_BUCKET = "standin-messages"


@dataclass(frozen=True)
class Call:
    """What a route handler gets: the recorded request and the path's placeholders."""

    record: RecordedRequest
    params: dict[str, str]

    def id(self, name: str) -> int:
        return int(self.params[name])

    @property
    def body(self) -> MessageBody:
        fields = self.record.json if isinstance(self.record.json, dict) else {}
        return MessageBody(fields=fields, files=self.record.files)


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # "/channels/{channel_id}/messages"
    pattern: re.Pattern[str]
    handler: Handler
    bot_auth: bool  # interaction callbacks and webhooks carry their token in the path instead
    bucket: str  # X-RateLimit-Bucket
    major: tuple[str, ...]  # the placeholders that are top-level resources, counted apart

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"


def major_parameters(template: str) -> tuple[str, ...]:
    """Discord's top-level resources: channels, guilds, and webhooks (id and token); an
    interaction's callback counts per interaction."""
    if template.startswith("/webhooks/"):
        return ("application_id", "token")
    if template.startswith("/interactions/"):
        return ("interaction_id", "token")
    return tuple(name for name in ("channel_id", "guild_id") if f"{{{name}}}" in template)


class RestApi:
    """Every REST route the stand-in knows. Handlers return JSON data, or None for 204."""

    def __init__(
        self,
        world: World,
        chat: Chat,
        interactions: Interactions,
        changes: Changes,
        errors: list[str],
    ) -> None:
        self._world = world
        self._chat = chat
        self._interactions = interactions
        self._changes = changes
        self._errors = errors
        self.gateway_url = ""
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.rate_limits = RateLimits(world.clock)
        self.global_rate_limit = GlobalRateLimit(world.clock)
        self.routes: list[Route] = []
        self._add_routes()

    def _route(self, method: str, path: str, handler: Handler, *, bot_auth: bool = True, bucket: str = "") -> None:
        pattern = compile_path(path, numeric_ids=True)
        bucket = bucket or f"standin-{method.lower()}-" + re.sub(r"[^a-z@]+", "-", path.lower()).strip("-")
        self.routes.append(Route(method, path, pattern, handler, bot_auth, bucket, major_parameters(path)))

    def _add_routes(self) -> None:
        r = self._route
        r("GET", "/users/@me", self._get_me)
        r("POST", "/users/@me/channels", self._open_dm)
        r("GET", "/users/{user_id}", self._get_user)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/gateway/bot", self._get_gateway)  # asked by AutoShardedClient only
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("GET", "/channels/{channel_id}/messages", self._get_messages)
        r("POST", "/channels/{channel_id}/messages", self._send_message, bucket=MESSAGES_BUCKET)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        r("POST", "/channels/{channel_id}/typing", self._typing)
        r("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self._get_guild_roles)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        r("GET", "/applications/{application_id}/commands", self._get_commands)
        r("PUT", "/applications/{application_id}/commands", self._put_commands)
        r("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands)
        r("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands)
        r("POST", "/interactions/{interaction_id}/{token}/callback", self._callback, bot_auth=False)
        r("POST", "/webhooks/{application_id}/{token}", self._followup, bot_auth=False)
        hook_message = "/webhooks/{application_id}/{token}/messages/{message}"  # id or @original
        r("GET", hook_message, self._get_response, bot_auth=False)
        r("PATCH", hook_message, self._edit_response, bot_auth=False)
        r("DELETE", hook_message, self._delete_response, bot_auth=False)

    def route_named(self, name: str) -> Route:
        """``"POST /channels/{channel_id}/messages"`` → that route (ValueError for a typo)."""
        found = next((r for r in self.routes if r.name == name), None)
        if found is None:
            raise ValueError(f"the stand-in has no route {name!r}; it has {[r.name for r in self.routes]}")
        return found

    # --- the one entry point ------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        record = RecordedRequest(
            method=request.method,
            path=request.path.removeprefix(API_PREFIX),
            query=dict(request.query),
            json=None,
            files=[],
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
        )
        try:
            record.json, record.files = await read_body(request)
        except ValueError:
            self._errors.append(f"{record.method} {record.path}: the body is not valid JSON")
            body = {"message": "The request body contains invalid JSON.", "code": Code.INVALID_JSON}
            response = json_response(body, 400)
        else:
            response = await self._answer(record)
        record.status = response.status
        record.response_headers = CIMultiDictProxy(CIMultiDict(response.headers))
        if response.body:
            assert isinstance(response.body, bytes)
            is_json = response.headers.get("Content-Type") == JSON_TYPE
            record.response = json.loads(response.body) if is_json else response.body.decode()
        self.requests.append(record)
        self._changes.notify()
        return response

    async def _answer(self, record: RecordedRequest) -> web.Response:
        found = self._find_route(record)
        fault = next((f for f in self.faults if f.matches(record.method, record.path)), None)
        if fault is not None:
            fault.hits.append(record)
            if not fault.lose_response:
                return self._fault_response(fault, found)
        if found is None:
            self.unknown_routes.append(record)
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        route, params = found
        if route.bot_auth and record.headers.get("Authorization") != f"Bot {self._world.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        if route.bot_auth:  # interaction endpoints are not bound to the global limit
            wait = self.global_rate_limit.take()
            if wait is not None:
                return too_many(wait, {}, is_global=True)
        allowed, headers, retry_after = self.rate_limits.take(route.bucket, tuple(params[k] for k in route.major))
        if not allowed:
            return too_many(retry_after, headers, is_global=False)
        try:
            data = await route.handler(Call(record, params))
        except ApiError as error:
            return json_response(error.body, error.status, {**headers, **error.headers})
        except Exception:
            # A stand-in bug or a request it cannot digest. 400, not 500: discord.py would retry
            # a 500 for seconds. The fixture fails the test with this traceback at teardown.
            self._errors.append(f"{record.method} {record.path} crashed:\n{traceback.format_exc()}")
            return json_response({"message": "stand-in crashed; see the test failure", "code": 0}, 400)
        if fault is not None:
            return self._fault_response(fault, found)
        return web.Response(status=204, headers=headers) if data is None else json_response(data, 200, headers)

    def _fault_response(self, fault: Fault, found: tuple[Route, dict[str, str]] | None) -> web.Response:
        bucket = found[0].bucket if found is not None else "standin-unrouted"
        return fault.response(self.rate_limits.headers_when_exhausted(bucket, fault.retry_after))

    def _find_route(self, record: RecordedRequest) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            match = route.pattern.fullmatch(record.path)
            if match and route.method == record.method:
                return route, match.groupdict()
        return None

    # --- users, application, gateway ----------------------------------------------------------

    async def _get_me(self, call: Call) -> JSON:
        world = self._world
        return {**user_payload(world.bot), "verified": True, "mfa_enabled": False, "flags": 0}

    async def _get_user(self, call: Call) -> JSON:
        user = self._world.users.get(call.id("user_id"))
        if user is None:
            raise ApiError.not_found(Code.UNKNOWN_USER, "User")
        return user_payload(user)

    async def _open_dm(self, call: Call) -> JSON:
        user = self._world.users.get(int(call.body.get("recipient_id", 0)))
        if user is None:
            raise ApiError.not_found(Code.UNKNOWN_USER, "User")
        return channel_payload(self._world, self._world.dm_channel(user))

    async def _get_application(self, call: Call) -> JSON:
        world = self._world
        return {
            "id": str(world.application_id),
            "name": world.application_name,
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "bot": user_payload(world.bot),
            "owner": user_payload(world.bot),
            "team": None,
            "verify_key": "0" * 64,
            "flags": world.application_flags(),
            "interactions_endpoint_url": None,
            "summary": "",
        }

    async def _get_gateway(self, call: Call) -> JSON:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    # --- channels and messages ----------------------------------------------------------------

    def _channel(self, call: Call) -> Channel:
        """The channel in the path; 50001 Missing Access if the bot cannot see it."""
        channel = self._world.channels.get(call.id("channel_id"))
        if channel is None:
            raise ApiError.not_found(Code.UNKNOWN_CHANNEL, "Channel")
        if not self._bot_may(channel, Permission.VIEW_CHANNEL):
            raise ApiError.missing_access()
        return channel

    def _bot_may(self, channel: Channel, permission: int) -> bool:
        """Guild-level permissions (the model has no channel overwrites); DMs allow everything."""
        if channel.guild_id is None:
            return True
        guild = self._world.guilds[channel.guild_id]
        return self._world.guild_permissions(guild, self._world.bot.id) & permission == permission

    def _message(self, call: Call) -> Message:
        channel = self._channel(call)
        message = self._world.messages.get(call.id("message_id"))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise ApiError.not_found(Code.UNKNOWN_MESSAGE, "Message")
        return message

    async def _get_channel(self, call: Call) -> JSON:
        return channel_payload(self._world, self._channel(call))

    async def _send_message(self, call: Call) -> JSON:
        channel = self._channel(call)
        if channel.is_dm and not self._world.can_dm(self._world.users[channel.recipient_id or 0]):
            raise ApiError.cannot_message_user()
        needed = Permission.SEND_MESSAGES | (Permission.ATTACH_FILES if call.body.files else 0)
        if not self._bot_may(channel, needed):
            raise ApiError.missing_permissions()
        message = await self._chat.post(channel, self._world.bot, call.body)
        return message_payload(self._world, message, with_nonce=True)  # the only answer with the nonce

    async def _get_messages(self, call: Call) -> list[JSON]:
        """Get Channel Messages (``standin_history``): newest first; no messages at all, rather
        than an error, without READ_MESSAGE_HISTORY."""
        query = HistoryQuery.parse(call.record.query)
        channel = self._channel(call)
        if not self._bot_may(channel, Permission.READ_MESSAGE_HISTORY):
            return []
        return [rest_message_payload(self._world, m) for m in query.select(self._world.channel_messages(channel))]

    async def _get_message(self, call: Call) -> JSON:
        return rest_message_payload(self._world, self._message(call))

    async def _edit_message(self, call: Call) -> JSON:
        message = self._message(call)
        if message.author_id != self._world.bot.id:
            raise ApiError(403, Code.CANNOT_EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user")
        return message_payload(self._world, await self._chat.edit(message, call.body))

    async def _delete_message(self, call: Call) -> None:
        message = self._message(call)
        channel = self._world.channels[message.channel_id]
        if message.author_id != self._world.bot.id:
            if channel.is_dm:
                raise ApiError(403, Code.CANNOT_ACT_ON_DM, "Cannot execute action on a DM channel")
            if not self._bot_may(channel, Permission.MANAGE_MESSAGES):
                raise ApiError.missing_permissions()
        await self._chat.delete(message)

    async def _typing(self, call: Call) -> None:
        self._channel(call)

    # --- guilds ---------------------------------------------------------------------------------

    def _guild(self, call: Call) -> Guild:
        guild = self._world.guilds.get(call.id("guild_id"))
        if guild is None:
            raise ApiError.not_found(Code.UNKNOWN_GUILD, "Guild")
        return guild

    async def _get_guild_channels(self, call: Call) -> list[JSON]:
        return [channel_payload(self._world, c) for c in self._guild(call).channels.values()]

    async def _get_guild_roles(self, call: Call) -> list[JSON]:
        return [role_payload(r) for r in self._guild(call).roles.values()]

    async def _get_member(self, call: Call) -> JSON:
        member = self._guild(call).members.get(call.id("user_id"))
        if member is None:
            raise ApiError.not_found(Code.UNKNOWN_MEMBER, "Member")
        return member_payload(self._world, member)

    # --- application commands -------------------------------------------------------------------

    def _command_scope(self, call: Call) -> int | None:
        if call.id("application_id") != self._world.application_id:
            raise ApiError.not_found(Code.UNKNOWN_APPLICATION, "Application")
        return self._guild(call).id if "guild_id" in call.params else None

    async def _get_commands(self, call: Call) -> list[JSON]:
        return [c.payload() for c in self._world.commands.get(self._command_scope(call), [])]

    async def _put_commands(self, call: Call) -> list[JSON]:
        stored = overwrite_commands(self._world, self._command_scope(call), call.record.json)
        return [c.payload() for c in stored]

    # --- interactions ---------------------------------------------------------------------------

    async def _callback(self, call: Call) -> JSON | None:
        answer = await self._interactions.callback(call.id("interaction_id"), call.params["token"], call.body)
        return answer if call.record.query.get("with_response") in ("1", "true") else None

    async def _followup(self, call: Call) -> JSON:
        """Create Followup Message: as Execute Webhook, "but ``wait`` is always true"."""
        message = await self._interactions.followup(call.id("application_id"), call.params["token"], call.body)
        return message_payload(self._world, message)

    def _response_message(self, call: Call) -> Message:
        return self._interactions.response_message(
            call.id("application_id"), call.params["token"], call.params["message"]
        )

    async def _get_response(self, call: Call) -> JSON:
        return message_payload(self._world, self._response_message(call))

    async def _edit_response(self, call: Call) -> JSON:
        """Edit Original Interaction Response (``@original``) or Edit Followup Message."""
        message = await self._interactions.edit_response(
            call.id("application_id"), call.params["token"], call.params["message"], call.body
        )
        return message_payload(self._world, message)

    async def _delete_response(self, call: Call) -> None:
        await self._chat.delete(self._response_message(call))
