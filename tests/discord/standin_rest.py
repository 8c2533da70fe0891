"""The stand-in's REST API, under ``/api/v10``: routes, transcript, faults and rate limits.

A small router of its own (instead of aiohttp's) lets every request, known or not, pass one
place that records it, applies injected faults, checks the bot token and renders the answer.
JSON answers carry ``Content-Type: application/json`` exactly: discord.py compares the header
verbatim and treats ``application/json; charset=utf-8`` (aiohttp's ``json_response``) as text.
"""

from __future__ import annotations

import json
import math
import re
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from .standin_commands import overwrite_commands
from .standin_interactions import Interactions
from .standin_messages import Chat, MessageBody, UploadedFile
from .standin_model import JSON, ApiError, Changes, Channel, Guild, Message, World
from .standin_payloads import channel_payload, member_payload, message_payload, role_payload, user_payload

API_PREFIX = "/api/v10"

#: Discord's route templates use ``{name}`` placeholders; so do fault patterns and waits.
PathPattern = str | re.Pattern[str]


@dataclass
class RecordedRequest:
    """One REST request as the stand-in saw it, and what it answered."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # the JSON body, or a multipart request's ``payload_json``; None without a body
    files: list[UploadedFile]
    headers: CIMultiDictProxy[str]
    status: int = 0
    response: Any = None  # the JSON answer; None for 204
    response_headers: CIMultiDictProxy[str] = field(default_factory=lambda: CIMultiDictProxy(CIMultiDict()))

    @property
    def audit_log_reason(self) -> str | None:
        """``X-Audit-Log-Reason``, URL-decoded as discord.py quotes it."""
        reason = self.headers.get("X-Audit-Log-Reason")
        return None if reason is None else unquote(reason)


def compile_path(pattern: PathPattern, *, numeric_ids: bool = False) -> re.Pattern[str]:
    """``"/channels/{channel_id}/messages"`` → a regex; ``{…}`` matches one path segment, or
    with ``numeric_ids`` only digits for names ending in ``_id`` (so an unimplemented route
    such as ``/channels/1/messages/pins/2`` is not taken for a message id)."""
    if isinstance(pattern, re.Pattern):
        return pattern
    parts = re.split(r"\{(\w+)\}", pattern)
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            segment = "[0-9]+" if numeric_ids and part.endswith("_id") else "[^/]+"
            regex += f"(?P<{part}>{segment})"
    return re.compile(regex)


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` instead of the real answer.

    With ``lose_response`` the request is carried out first and only the answer is replaced: the
    client believes it failed although it succeeded (a lost response).
    """

    method: str
    pattern: re.Pattern[str]
    status: int
    times: int = 1
    retry_after: float = 0.05
    is_global: bool = False
    lose_response: bool = False
    hits: list[RecordedRequest] = field(default_factory=list)

    def matches(self, record: RecordedRequest) -> bool:
        return (
            len(self.hits) < self.times
            and record.method == self.method
            and self.pattern.fullmatch(record.path) is not None
        )

    def response(self) -> web.Response:
        if self.status != 429:
            return _json({"message": f"{self.status}: stand-in fault", "code": 0}, self.status)
        body = {"message": "You are being rate limited.", "retry_after": self.retry_after}
        body["global"] = self.is_global
        headers = {
            "Via": "1.1 google",  # discord.py treats a 429 without Via as a Cloudflare ban
            "Retry-After": str(math.ceil(self.retry_after)),
            "X-RateLimit-Scope": "global" if self.is_global else "user",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(_bucket_headers(1, 0, self.retry_after, "standin-fault"))
        return _json(body, 429, headers)


@dataclass
class MessageRateLimit:
    """A per-channel bucket for message sends, announced in ``X-RateLimit-*`` headers.

    Discord's real bucket is 5 per 5 s; the default is generous so tests stay fast. A client
    that honours the headers waits when ``Remaining`` reaches 0 and never gets a 429 here.
    """

    limit: int = 50
    per_seconds: float = 1.0
    _windows: dict[int, tuple[float, int]] = field(default_factory=dict)

    def take(self, channel_id: int) -> tuple[bool, int, float]:
        """Use one request from the bucket: (allowed, remaining, reset_after)."""
        now = time.monotonic()
        start, used = self._windows.get(channel_id, (now, 0))
        if now - start >= self.per_seconds:
            start, used = now, 0
        reset_after = self.per_seconds - (now - start)
        if used >= self.limit:
            return False, 0, reset_after
        self._windows[channel_id] = (start, used + 1)
        return True, self.limit - used - 1, reset_after


@dataclass
class GlobalRateLimit:
    """Discord's global limit: a bot may make ``limit`` requests per ``per_seconds`` across the
    whole API (50 per second), interaction callbacks and webhooks excepted. Off unless set. It is
    not announced in headers, so a client must pace itself; one that does not gets global 429s,
    counted in :attr:`refused`."""

    limit: int = 0
    per_seconds: float = 1.0
    refused: int = 0
    _window: tuple[float, int] = (0.0, 0)

    def take(self) -> float | None:
        """Use one request; None if allowed, else the seconds until the window resets."""
        if self.limit <= 0:
            return None
        now = time.monotonic()
        start, used = self._window
        if now - start >= self.per_seconds:
            start, used = now, 0
        if used >= self.limit:
            self.refused += 1
            return self.per_seconds - (now - start)
        self._window = (start, used + 1)
        return None


def _bucket_headers(limit: int, remaining: int, reset_after: float, bucket: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


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
    pattern: re.Pattern[str]
    handler: Handler
    bot_auth: bool  # interaction callbacks and webhooks carry their token in the path instead
    message_bucket: bool  # counts against the per-channel message rate limit


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
        self.message_rate_limit = MessageRateLimit()
        self.global_rate_limit = GlobalRateLimit()
        self.message_refused = 0  # 429s from the per-channel message bucket
        self._routes: list[Route] = []
        self._add_routes()

    def _route(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        bot_auth: bool = True,
        message_bucket: bool = False,
    ) -> None:
        pattern = compile_path(path, numeric_ids=True)
        self._routes.append(Route(method, pattern, handler, bot_auth, message_bucket))

    def _add_routes(self) -> None:
        r = self._route
        r("GET", "/users/@me", self._get_me)
        r("POST", "/users/@me/channels", self._open_dm)
        r("GET", "/users/{user_id}", self._get_user)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/gateway/bot", self._get_gateway)  # asked by AutoShardedClient only
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("POST", "/channels/{channel_id}/messages", self._send_message, message_bucket=True)
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
            record.json, record.files = await _read_body(request)
        except ValueError:
            self._errors.append(f"{record.method} {record.path}: the body is not valid JSON")
            response = _json({"message": "The request body contains invalid JSON.", "code": 50109}, 400)
        else:
            response = await self._answer(record)
        record.status = response.status
        record.response_headers = CIMultiDictProxy(CIMultiDict(response.headers))
        if response.body:
            assert isinstance(response.body, bytes)
            record.response = json.loads(response.body)
        self.requests.append(record)
        self._changes.notify()
        return response

    async def _answer(self, record: RecordedRequest) -> web.Response:
        fault = next((f for f in self.faults if f.matches(record)), None)
        if fault is not None:
            fault.hits.append(record)
            if not fault.lose_response:
                return fault.response()
        found = self._find_route(record)
        if found is None:
            self.unknown_routes.append(record)
            return _json({"message": "404: Not Found", "code": 0}, 404)
        route, params = found
        if route.bot_auth and record.headers.get("Authorization") != f"Bot {self._world.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        if route.bot_auth:
            wait = self.global_rate_limit.take()
            if wait is not None:
                body = {"message": "You are being rate limited.", "retry_after": round(wait, 3), "global": True}
                return _json(body, 429, {"Via": "1.1 google", "Retry-After": str(math.ceil(wait)),
                                         "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"})  # fmt: skip
        headers: dict[str, str] = {}
        try:
            if route.message_bucket:
                headers = self._take_message_bucket(int(params["channel_id"]))
            data = await route.handler(Call(record, params))
        except ApiError as error:
            return _json(error.body, error.status, error.headers)
        except Exception:
            # A stand-in bug or a request it cannot digest. 400, not 500: discord.py would retry
            # a 500 for seconds. The fixture fails the test with this traceback at teardown.
            self._errors.append(f"{record.method} {record.path} crashed:\n{traceback.format_exc()}")
            return _json({"message": "stand-in crashed; see the test failure", "code": 0}, 400)
        if fault is not None:
            return fault.response()
        return web.Response(status=204) if data is None else _json(data, 200, headers)

    def _find_route(self, record: RecordedRequest) -> tuple[Route, dict[str, str]] | None:
        for route in self._routes:
            match = route.pattern.fullmatch(record.path)
            if match and route.method == record.method:
                return route, match.groupdict()
        return None

    def _take_message_bucket(self, channel_id: int) -> dict[str, str]:
        bucket = self.message_rate_limit
        allowed, remaining, reset_after = bucket.take(channel_id)
        headers = _bucket_headers(bucket.limit, remaining, reset_after, "standin-messages")
        if allowed:
            return headers
        self.message_refused += 1
        error = ApiError(
            429,
            20028,
            "You are being rate limited.",
            headers={**headers, "Via": "1.1 google", "X-RateLimit-Scope": "user"},
        )
        error.body.update({"retry_after": round(reset_after, 3), "global": False})
        raise error

    # --- users, application, gateway ----------------------------------------------------------

    async def _get_me(self, call: Call) -> JSON:
        world = self._world
        return {**user_payload(world.bot), "verified": True, "mfa_enabled": False, "flags": 0}

    async def _get_user(self, call: Call) -> JSON:
        user = self._world.users.get(call.id("user_id"))
        if user is None:
            raise ApiError.not_found(10013, "User")
        return user_payload(user)

    async def _open_dm(self, call: Call) -> JSON:
        user = self._world.users.get(int(call.body.get("recipient_id", 0)))
        if user is None:
            raise ApiError.not_found(10013, "User")
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
            "flags": 0,
            "interactions_endpoint_url": None,
            "summary": "",
        }

    async def _get_gateway(self, call: Call) -> JSON:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    # --- channels and messages ----------------------------------------------------------------

    def _channel(self, call: Call) -> Channel:
        channel = self._world.channels.get(call.id("channel_id"))
        if channel is None:
            raise ApiError.not_found(10003, "Channel")
        return channel

    def _message(self, call: Call) -> Message:
        channel = self._channel(call)
        message = self._world.messages.get(call.id("message_id"))
        if message is None or message.deleted or message.channel_id != channel.id:
            raise ApiError.not_found(10008, "Message")
        return message

    async def _get_channel(self, call: Call) -> JSON:
        return channel_payload(self._world, self._channel(call))

    async def _send_message(self, call: Call) -> JSON:
        message = await self._chat.post(self._channel(call), self._world.bot, call.body)
        return message_payload(self._world, message)

    async def _get_message(self, call: Call) -> JSON:
        return message_payload(self._world, self._message(call))

    async def _edit_message(self, call: Call) -> JSON:
        message = self._message(call)
        if message.author_id != self._world.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        return message_payload(self._world, await self._chat.edit(message, call.body))

    async def _delete_message(self, call: Call) -> None:
        await self._chat.delete(self._message(call))

    async def _typing(self, call: Call) -> None:
        self._channel(call)

    # --- guilds ---------------------------------------------------------------------------------

    def _guild(self, call: Call) -> Guild:
        guild = self._world.guilds.get(call.id("guild_id"))
        if guild is None:
            raise ApiError.not_found(10004, "Guild")
        return guild

    async def _get_guild_channels(self, call: Call) -> list[JSON]:
        return [channel_payload(self._world, c) for c in self._guild(call).channels.values()]

    async def _get_guild_roles(self, call: Call) -> list[JSON]:
        return [role_payload(r) for r in self._guild(call).roles.values()]

    async def _get_member(self, call: Call) -> JSON:
        member = self._guild(call).members.get(call.id("user_id"))
        if member is None:
            raise ApiError.not_found(10007, "Member")
        return member_payload(self._world, member)

    # --- application commands -------------------------------------------------------------------

    def _command_scope(self, call: Call) -> int | None:
        if call.id("application_id") != self._world.application_id:
            raise ApiError.not_found(10002, "Application")
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

    async def _followup(self, call: Call) -> JSON | None:
        message = await self._interactions.followup(call.id("application_id"), call.params["token"], call.body)
        waits = call.record.query.get("wait") in ("1", "true")
        return message_payload(self._world, message) if waits else None

    def _response_message(self, call: Call) -> Message:
        return self._interactions.response_message(
            call.id("application_id"), call.params["token"], call.params["message"]
        )

    async def _get_response(self, call: Call) -> JSON:
        return message_payload(self._world, self._response_message(call))

    async def _edit_response(self, call: Call) -> JSON:
        message = await self._chat.edit(self._response_message(call), call.body)
        return message_payload(self._world, message)

    async def _delete_response(self, call: Call) -> None:
        await self._chat.delete(self._response_message(call))


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """JSON body, or for multipart uploads (files) the ``payload_json`` part and the files."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        payload, files = None, []
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files.append(UploadedFile(value.filename, value.file.read(), value.content_type))
            elif name == "payload_json":
                payload = json.loads(str(value))
        return payload, files
    text = await request.text()
    return (json.loads(text) if text else None), []
