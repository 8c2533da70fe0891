"""A protocol-level Discord stand-in for tests: the real, unmodified discord.py client talks to it
over 127.0.0.1 (REST over HTTP, the gateway over a websocket).

Pinned expectations (tried with discord.py 2.7.1, aiohttp 3.14; ``pyproject.toml`` allows
``discord.py>=2.5,<2.8``). Two discord.py internals point a client here, set per test with
monkeypatch by ``conftest.py``:

- ``discord.http.Route.BASE`` — the REST base URL, used for bot routes and, through the webhook
  adapter, for interaction callbacks and followups. Set it to :attr:`DiscordStandin.api_base`.
- ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` — a ``yarl.URL`` a plain ``Client``
  connects to without asking ``GET /gateway``. Set it to :attr:`DiscordStandin.gateway_url`.
  READY's ``resume_gateway_url`` points back here too (:attr:`DiscordStandin.resume_url`).

If a discord.py upgrade renames either attribute, every test in ``tests/discord`` fails at
connect; that is the signal to update ``conftest.py``.

Behaviour a test can rely on (each mirrors Discord; see the modules for details):

- **State** (``standin_model``): one application (its enabled privileged intents: message
  content unless a test changes :attr:`DiscordStandin.privileged_intents`) and its bot user;
  guilds with @everyone (id = guild id), roles, text channels, members; DM channels (a person
  may close theirs: :meth:`DiscordStandin.close_dms`); messages; synced commands.
- **REST** (``standin_rest``): login (401 for a bad token → ``LoginFailure``), messages
  (``enforce_nonce`` dedupe per author for 5 minutes, the nonce echoed only on creation; replies,
  files), history (``standin_history``), DMs (403 50007 when closed or no server is shared), the
  bot's guild permissions (50001, 50013), command sync with Discord's validation, interaction
  callbacks, followups, ``@original`` edits. Bodies are validated as Discord does
  (``standin_validation``: 2000 characters, empty messages, nonces of 25, allowed mentions,
  components, embeds, autocomplete choices). Errors have Discord's codes and body
  (``standin_errors``). Every routed answer carries ``X-RateLimit-*`` headers of its bucket
  (``standin_limits``). Every request is recorded; an unknown route answers 404 and is listed in
  :attr:`DiscordStandin.unknown_routes`, which fails the test at teardown.
- **Gateway** (``standin_gateway``): HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE (all
  members only with the presences intent, else just the bot, so a client with the members intent
  chunks with op 8), close 4014 for a privileged intent the application lacks, sequence numbers,
  RESUME with replay, intents (no MESSAGE_CREATE without the guild/DM messages intent; blank
  content without message content unless the bot is mentioned, wrote it, or it is a DM).
- **Interactions** (``standin_interactions``, ``standin_options``, ``standin_handles``): slash
  commands, autocomplete and button clicks, refused when Discord's own client would not offer
  them; acknowledged within 3 s or dead (10062), tokens good for 15 minutes (then 50027), both
  configurable. An interaction the bot let die fails the test at teardown (unless the test
  called ``handle.expect_unanswered()``), and so does a followup that fills a deferred
  "thinking" message (deprecated on Discord). Waits fail as soon as the stand-in saw a problem.

Faults and time (``standin_faults``): :meth:`DiscordStandin.fail_next` (Discord's 429s, or
Cloudflare's without ``Via``; 5xx; other errors; lost responses), rate-limit bucket sizes,
:meth:`~DiscordStandin.advance` (the stand-in's clock), :meth:`~DiscordStandin.reconnect` (op 7,
optionally replaying events the client already had), :meth:`~DiscordStandin.invalidate_session`
(op 9), :meth:`~DiscordStandin.drop_connection` (the TCP connection closed without a close
frame) and :meth:`~DiscordStandin.outage` (the connection down for a while, events kept for the
RESUME).

A typical test (fixtures from ``conftest.py``)::

    async def test_ping(standin, start_client):
        alice = standin.add_user("alice")
        guild = standin.add_guild("Union", owner=alice)
        general = standin.add_text_channel(guild, "general")
        await start_client(build_the_client())  # built after the fixtures patched discord.py
        said = await standin.user_says(alice, general, "!ping")
        reply = await standin.wait_for_message(general, after=said)
        assert reply.content == "pong"
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from typing import Any, Self

from aiohttp import web

from .standin_arrivals import CDN_PATH, Arrivals
from .standin_clock import Changes, T
from .standin_faults import Faults
from .standin_gateway import Gateway, GatewayFrame, GatewaySession
from .standin_handles import InteractionHandle
from .standin_interactions import Interactions
from .standin_messages import Chat, MessageBody, UploadedFile
from .standin_model import Channel, Guild, Member, Message, Permission, Role, SyncedCommand, User, World
from .standin_rest import API_PREFIX, RestApi
from .standin_transcript import PathPattern, RecordedRequest, compile_path

Files = Sequence[UploadedFile]
GATEWAY_PATH = "/gateway"
RESUME_PATH = "/gateway/resume"


class DiscordStandin(Faults):
    """A fake Discord on 127.0.0.1. Build the world, start it, point discord.py at it, then act
    as users and observe what the bot did. Build guilds, channels and members before the client
    connects: later changes to them are not announced on the gateway."""

    def __init__(self, *, application_name: str = "volunteer-bot") -> None:
        self.world = World(application_name=application_name)
        #: Stand-in crashes and broken Discord rules; waits fail at once and the fixture fails
        #: the test if any (a test that provokes one on purpose clears it after checking it).
        self.errors: list[str] = []
        self._changes = Changes(self.errors)
        self._gateway = Gateway(self.world, self._changes, self.errors)
        self._chat = Chat(self.world, self._gateway)
        self._interactions = Interactions(self.world, self._gateway, self._chat, self._changes, self.errors)
        self._rest = RestApi(self.world, self._chat, self._interactions, self._changes, self.errors)
        self._arrivals = Arrivals(self.world, self._gateway)
        self.downloads = self._arrivals.downloads  # attachment ids the bot fetched from the CDN
        self._runner: web.AppRunner | None = None
        self._port = 0

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self._gateway.handle)
        app.router.add_get(RESUME_PATH, self._gateway.handle)
        app.router.add_get(CDN_PATH, self._arrivals.serve)
        app.router.add_route("*", "/{tail:.*}", self._rest.handle)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        self._gateway.resume_url = self.resume_url
        self.world.cdn = f"http://127.0.0.1:{self._port}/cdn"
        self._rest.gateway_url = self.gateway_url

    async def stop(self) -> None:
        self._interactions.stop()
        for session in self._gateway.sessions:
            if session.ws is not None:
                await session.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """The value for ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """The URL for ``DiscordWebSocket.DEFAULT_GATEWAY`` (and in ``GET /gateway/bot``)."""
        return f"ws://127.0.0.1:{self._port}{GATEWAY_PATH}"

    @property
    def resume_url(self) -> str:
        """READY's ``resume_gateway_url``: a different path, so a test can see it was used."""
        return f"ws://127.0.0.1:{self._port}{RESUME_PATH}"

    # --- the application and the world ----------------------------------------------------------

    @property
    def bot(self) -> User:
        return self.world.bot

    @property
    def token(self) -> str:
        """The bot token the stand-in accepts."""
        return self.world.token

    @property
    def application_id(self) -> int:
        return self.world.application_id

    def add_user(self, username: str, *, global_name: str | None = None) -> User:
        return self.world.add_user(username, global_name=global_name)

    def add_guild(self, name: str, *, owner: User, everyone_permissions: int = Permission.EVERYONE_DEFAULT) -> Guild:
        """A guild whose members are the owner and the bot; add others with add_member."""
        return self.world.add_guild(name, owner=owner, everyone_permissions=everyone_permissions)

    def add_role(self, guild: Guild, name: str, *, permissions: int = 0, mentionable: bool = False) -> Role:
        return self.world.add_role(guild, name, permissions=permissions, mentionable=mentionable)

    def add_text_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        return self.world.add_text_channel(guild, name, topic=topic)

    def add_member(self, guild: Guild, user: User, *, roles: tuple[Role, ...] = (), nick: str | None = None) -> Member:
        return self.world.add_member(guild, user, roles=roles, nick=nick)

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and ``user`` (the one ``POST /users/@me/channels``
        returns)."""
        return self.world.dm_channel(user)

    def close_dms(self, user: User) -> None:
        """``user`` no longer accepts DMs from the bot: sending one gets 403, code 50007."""
        self.world.close_dms(user)

    def open_dms(self, user: User) -> None:
        self.world.open_dms(user)

    @property
    def privileged_intents(self) -> int:
        """The privileged intents enabled for the application (``Intent`` bits; default: message
        content only). A client IDENTIFYing with another one is closed with 4014."""
        return self.world.privileged_intents

    @privileged_intents.setter
    def privileged_intents(self, intents: int) -> None:
        self.world.privileged_intents = intents

    @property
    def interaction_deadline(self) -> float:
        """Seconds a bot has to acknowledge an interaction (Discord: 3.0). Applies to
        interactions created after it is set."""
        return self._interactions.deadline

    @interaction_deadline.setter
    def interaction_deadline(self, seconds: float) -> None:
        self._interactions.deadline = seconds

    @property
    def interaction_token_lifetime(self) -> float:
        """Seconds an interaction token works for followups and edits (Discord: 15 minutes).
        Applies to interactions created after it is set."""
        return self._interactions.token_lifetime

    @interaction_token_lifetime.setter
    def interaction_token_lifetime(self, seconds: float) -> None:
        self._interactions.token_lifetime = seconds

    # --- what users do --------------------------------------------------------------------------

    async def user_says(self, user: User, channel: Channel, content: str, files: Files = ()) -> Message:
        """``user`` posts ``content`` (with ``files`` attached) in a guild text channel or their DM.
        ``<@id>`` and ``<@&id>`` in the content become ``mentions`` / ``mention_roles``. Returns
        after MESSAGE_CREATE was sent (to sessions whose intents ask for it)."""
        self._require_bot()
        if channel.is_dm and channel.recipient_id != user.id:
            raise AssertionError(f"{user.username} is not in DM channel {channel.id}")
        if not channel.is_dm and user.id not in self.world.guilds[channel.guild_id or 0].members:
            raise AssertionError(f"{user.username} is not a member of guild {channel.guild_id}")
        return await self._chat.post(channel, user, MessageBody(fields={"content": content}, files=list(files)))

    async def user_joins(self, guild: Guild, user: User) -> Member:
        """``user`` joins ``guild`` (GUILD_MEMBER_ADD to sessions with the members intent)."""
        return await self._arrivals.join(guild, user)

    async def user_dms(self, user: User, content: str, files: Files = ()) -> Message:
        """``user`` writes to the bot privately."""
        return await self.user_says(user, self.dm_channel(user), content, files)

    async def user_runs_slash(
        self,
        user: User,
        channel: Channel,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
    ) -> InteractionHandle:
        """``user`` runs ``/name`` in ``channel``; ``subcommand`` is ``"sub"`` or
        ``"group sub"``. Option values are Python values (str, int, bool, float) or the
        stand-in's User, Role and Channel objects, which are added to ``data.resolved``.

        Raises AssertionError for what Discord's client would not let the user do: a command
        never synced here, missing permissions, unknown or missing options, wrong types.
        """
        self._require_bot()
        return await self._interactions.command(user, channel, name, options or {}, subcommand)

    async def user_autocompletes(
        self,
        user: User,
        channel: Channel,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        subcommand: str | None = None,
    ) -> InteractionHandle:
        """``user`` is typing ``/name``; ``options[focused]`` is the partial text so far.
        ``await handle.response()`` gives the suggestions in ``.choices``."""
        self._require_bot()
        return await self._interactions.command(user, channel, name, options, subcommand, focused=focused)

    async def user_clicks(self, user: User, message: Message, custom_id: str) -> InteractionHandle:
        """``user`` clicks the button ``custom_id`` on ``message`` (which must carry it)."""
        self._require_bot()
        return await self._interactions.click(user, message, custom_id)

    def _require_bot(self) -> None:
        """What a user does reaches the bot only over the gateway; acting before any client
        has IDENTIFYed (or after it closed) is a mistake in the test."""
        if not self._gateway.has_live_session():
            raise AssertionError("no bot is connected to the gateway")

    # --- observing ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request so far, in order of completion."""
        return self._rest.requests

    @property
    def unknown_routes(self) -> list[RecordedRequest]:
        """Requests no route matched; each was answered 404."""
        return self._rest.unknown_routes

    @property
    def unanswered_interactions(self) -> list[InteractionHandle]:
        """Interactions whose deadline passed with no callback (the person saw "The application
        did not respond"), except those marked with ``handle.expect_unanswered()``. The fixture
        fails the test if any."""
        return self._interactions.unanswered_handles()

    @property
    def gateway_frames(self) -> list[GatewayFrame]:
        """Every frame clients sent on the gateway (heartbeats, IDENTIFY, RESUME, …)."""
        return self._gateway.frames

    @property
    def gateway_sessions(self) -> list[GatewaySession]:
        """Sessions in IDENTIFY order, with their intents and dispatch logs."""
        return self._gateway.sessions

    def messages_in(self, channel: Channel) -> list[Message]:
        """The channel's history, oldest first (ephemeral and deleted messages excluded)."""
        return self.world.channel_messages(channel)

    def dm_messages_to(self, user: User) -> list[Message]:
        """What the bot has said to ``user`` privately (not counting ephemeral replies)."""
        channel = self.world.dm_channel(user)
        return [m for m in self.messages_in(channel) if m.author_id == self.bot.id]

    def synced_commands(self, guild: Guild | None = None) -> list[SyncedCommand]:
        """Commands synced to ``guild``, or the global ones."""
        return list(self.world.commands.get(guild.id if guild else None, []))

    async def wait_until(self, check: Callable[[], T | None], *, timeout: float = 5.0, what: str = "a condition") -> T:
        """Re-check ``check`` whenever the stand-in's state changes; return its first result
        that is neither None nor False. Raise AssertionError after ``timeout`` seconds."""
        return await self._changes.wait_until(check, timeout=timeout, what=what)

    async def wait_for_request(
        self,
        method: str,
        path: PathPattern,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The first recorded request (already answered) matching ``method``, ``path`` (a
        template such as ``"/channels/{id}/messages"`` or a regex) and ``predicate``."""
        pattern = compile_path(path)

        def find() -> RecordedRequest | None:
            return next(
                (
                    r
                    for r in self.requests
                    if r.method == method and pattern.fullmatch(r.path) and (predicate is None or predicate(r))
                ),
                None,
            )

        return await self.wait_until(find, timeout=timeout, what=f"{method} {pattern.pattern}")

    async def wait_for_message(
        self,
        channel: Channel | None = None,
        predicate: Callable[[Message], bool] | None = None,
        *,
        after: Message | None = None,
        timeout: float = 5.0,
    ) -> Message:
        """The first message the bot posted (in ``channel`` if given, newer than ``after`` if
        given) that satisfies ``predicate``. Ephemeral replies are not in any channel: use the
        interaction handle for those."""

        def find() -> Message | None:
            return next(
                (
                    m
                    for m in self.world.messages.values()
                    if m.author_id == self.bot.id
                    and not m.deleted
                    and not m.ephemeral
                    and (channel is None or m.channel_id == channel.id)
                    and (after is None or m.id > after.id)
                    and (predicate is None or predicate(m))
                ),
                None,
            )

        where = f" in channel {channel.id}" if channel else ""
        return await self.wait_until(find, timeout=timeout, what=f"a bot message{where}")
