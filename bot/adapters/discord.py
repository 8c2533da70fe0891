"""The Discord adapter, on discord.py 2.x.

Every registry command works three ways, all through the one dispatcher (same parsing, same
permission checks, same transaction and event dedupe):

- as a slash command (`/claim id:12`), generated from the registry (`discord_commands`);
- as a message starting with `!` in a server channel, or any message in a DM with the bot;
- as a button under a message (`Claim`, `Accept`, …): a click runs the button's command as the
  person who clicked.

Where replies go. A private reply to a slash command or a click in a server is an *ephemeral*
response (only the speaker sees it), so the public "I've sent you the details privately" note
is left out. A private reply to a `!` message in a server goes to the speaker's DMs and the note
stays in the channel. In a DM everything stays in the DM. Interactions must be answered within
3 seconds, counted from their arrival (before any lookup): a command that takes longer is
deferred ("thinking…"), and its answer fills that message. An interaction Discord no longer
accepts an answer to (replayed after an outage) is answered by a message in its channel or DMs.
A private message Discord refuses with 50007 (DMs closed) is reported to whoever caused it.

Nothing twice. Event ids are Discord's message and interaction ids, so an event replayed by a
gateway RESUME is recognised by the dispatcher and ignored. Outbox deliveries carry a nonce
derived from the outbox key with `enforce_nonce`, so Discord drops a resend after a crash.
Short 429s are waited out by discord.py; long ones, and Cloudflare's (which discord.py raises at
once), come back as `DeliveryFailed(retry_after=…)` and the deliverer waits, without counting a
failed try.

Intents: `guilds` (channels and role names) and `dm_messages` always; `guild_messages` and the
privileged `message_content` only with `discord.message_commands: true` (for `!` commands in
servers); the privileged `members` only with `discord.welcome` and `welcome.enabled` (member
joins, for the welcome). Slash commands, buttons and DMs work without them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

import aiohttp
import discord
from aiolimiter import AsyncLimiter

from bot.adapters.base import DeliveryFailed
from bot.adapters.discord_commands import SlashCommands, choices
from bot.adapters.discord_inbound import arrival, fetched, mentioned, uploads
from bot.adapters.discord_people import PLATFORM, DiscordPeople
from bot.adapters.discord_render import CommandButton
from bot.adapters.discord_replies import OPEN_DMS, InteractionReply, MessageReply, after_defer, posted, send
from bot.app import App
from bot.config import Config, ConfigError, DiscordSettings
from bot.core import routing
from bot.core.commands import Registry
from bot.core.messages import Delivery, Incoming, Invocation, Mentioned, Outgoing
from bot.core.params import Asker
from bot.core.routing import Capabilities

log = logging.getLogger(__name__)

PREFIX = "!"
#: discord.py sleeps through a 429 shorter than this; a longer one is handed to the deliverer.
RATE_LIMIT_WAIT = 30.0
#: Discord drops an interaction not answered within 3 s; past this, defer and follow up.
ANSWER_WITHIN = 2.0
#: Discord's error code for an interaction that can no longer be answered (too old, or answered).
UNKNOWN_INTERACTION = 10062
#: Discord's error code for a private message to someone whose DMs are closed to the bot.
CANNOT_SEND_TO_USER = 50007
#: How long `stop` lets commands under way finish.
STOP_WAIT = 10.0
#: Discord allows a bot 50 requests a second across its whole API, and does not announce it in
#: headers (discord.py only waits once refused). Outbox deliveries pace themselves under it, so
#: 10,000 nudges never earn a 429; the rest is left for replies to commands.
DELIVERY_REQUESTS_PER_SECOND = 40.0
DELIVERY_BURST = 10  # at most this many at once: a burst plus a second at the rate stays within 50

_OUT_OF_DATE = "That command is out of date: I was updated since. Try `/help` to see what I can do now."
_TOKEN_HELP = "Discord refused DISCORD_TOKEN: copy the token again from the Bot page of the developer portal."
_INTENT_HELP = (
    "Discord refused a privileged intent. On the Bot page of the developer portal enable Message "
    "Content (or set `discord.message_commands: false` to use slash commands only) and Server "
    "Members (or set `discord.welcome: false`: no welcome to newcomers)."
)


class DiscordSetupError(ConfigError):
    """Discord refused the bot's setup (token, intents); the message says what to change.

    A ConfigError, so `run` reports it in one line and exits 2, like any other setting to fix."""


def intents_for(settings: DiscordSettings, welcome: bool = False) -> discord.Intents:
    """Only what the configured features need; `message_content` and `members` (member joins,
    for the welcome) are privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.dm_messages = True
    intents.members = welcome
    if settings.message_commands:
        intents.guild_messages = True
        intents.message_content = True
    return intents


class _Client(discord.Client):
    """discord.py's client, passing events to the adapter."""

    def __init__(self, adapter: DiscordAdapter, intents: discord.Intents) -> None:
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=RATE_LIMIT_WAIT,
            chunk_guilds_at_startup=False,  # the members intent is for joins only
        )
        self.adapter = adapter

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CommandButton)

    async def on_button_command(self, interaction: discord.Interaction[Any], command: str) -> None:
        await self.adapter.handle(self.adapter.clicked(interaction, command))

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.handle(self.adapter.received(message))

    async def on_member_join(self, member: discord.Member) -> None:
        await self.adapter.handle(self.adapter.member_joined(member))

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.application_command:
            await self.adapter.handle(self.adapter.slash_command(interaction))
        elif interaction.type is discord.InteractionType.autocomplete:
            await self.adapter.handle(self.adapter.autocomplete(interaction))


class DiscordAdapter:
    """The bot on Discord: one client, the servers in `discord.guild_ids` (all, if none)."""

    platform = PLATFORM
    #: Messages carry buttons and files; private answers to slash commands and clicks in a server
    #: are shown in place, to the speaker alone (the interaction's own capabilities).
    capabilities = Capabilities(buttons=True, files=True, threads=True)

    def __init__(
        self,
        app: App,
        token: str,
        *,
        answer_within: float = ANSWER_WITHIN,
        delivery_rate: float = DELIVERY_REQUESTS_PER_SECOND,
    ) -> None:
        self.app = app
        self.settings = app.config.discord
        self.slash = SlashCommands(app.dispatcher.registry)
        welcome = app.config.welcome.enabled and self.settings.welcome
        self.client = _Client(self, intents_for(self.settings, welcome))
        self._token = token
        self._answer_within = answer_within
        self.people = DiscordPeople(self.client, self.settings)
        self._connection: asyncio.Task[None] | None = None
        self._stopping = False
        self._under_way: set[asyncio.Task[Any]] = set()
        # A small burst refilled at the rate (10 every 0.25 s), so no second holds more than
        # burst + rate requests (a 40-per-second window would allow 80 across its edge).
        self._pace = AsyncLimiter(DELIVERY_BURST, DELIVERY_BURST / delivery_rate)
        app.attach(self)

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in, connect to the gateway, wait until ready; sync slash commands if configured.
        Raises `DiscordSetupError` (after closing the client) when Discord refuses."""
        try:
            await _login(self.client, self._token)
            self._connection = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
            self._connection.add_done_callback(self._gateway_ended)
            ready = asyncio.create_task(self.client.wait_until_ready())
            await asyncio.wait({ready, self._connection}, return_when=asyncio.FIRST_COMPLETED)
            if not ready.done():
                ready.cancel()
                try:
                    self._connection.result()
                except discord.PrivilegedIntentsRequired as error:
                    raise DiscordSetupError(_INTENT_HELP) from error
                raise DiscordSetupError("the Discord gateway closed before the bot was ready")
            if self.settings.sync_commands_on_start:
                await self.slash.push(self.client, self.settings.guild_ids)
        except BaseException:
            await self.stop()
            raise
        log.info("discord ready guilds=%d", len(self.people.guilds()))

    async def stop(self) -> None:
        """Take no new events, let the ones under way finish (their replies need the connection),
        then disconnect. An event refused here was never committed, so nothing is half done."""
        self._stopping = True
        if self._under_way:
            await asyncio.wait(set(self._under_way), timeout=STOP_WAIT)
        await self.client.close()
        if self._connection is not None:
            # A connection that failed (a refused intent) was already reported by `start` or logged.
            with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                await self._connection
            self._connection = None

    def _gateway_ended(self, connection: asyncio.Task[None]) -> None:
        """discord.py reconnects by itself; if it gives up, say so loudly (the process keeps
        running for the other platforms)."""
        if not connection.cancelled() and connection.exception() is not None and not self._stopping:
            log.critical("the Discord connection ended: %r", connection.exception())

    # --- what people do --------------------------------------------------------------------------

    async def handle(self, work: Coroutine[Any, Any, None]) -> None:
        """Run one event's handling, unless stopping; `stop` waits for those under way."""
        task = asyncio.current_task()
        if self._stopping or task is None:
            work.close()
            return
        self._under_way.add(task)
        try:
            await work
        finally:
            self._under_way.discard(task)

    async def received(self, message: discord.Message) -> None:
        """A message: DMs always, `!` messages in the configured servers."""
        if message.author.bot or message.webhook_id is not None:
            return
        guild = message.guild
        if guild is not None and not (
            self.settings.message_commands and self.people.serves(guild) and message.content.startswith(PREFIX)
        ):
            return
        incoming = Incoming(
            platform=PLATFORM,
            event_id=str(message.id),
            sender=await self.people.sender(message.author),
            channel_id=str(message.channel.id),
            private=guild is None,
            text=message.content,
            at=self.app.clock.now(),
            mentions=mentioned(message.mentions),
        )
        if message.attachments and self.app.dispatcher.command_line(incoming) is not None:
            incoming = dataclasses.replace(incoming, attachments=await uploads(message))
        await self.app.dispatcher.answer(incoming, MessageReply.to(message))

    async def member_joined(self, member: discord.Member) -> None:
        """Someone joined a served server: the core welcomes them (once, at a waking hour)."""
        incoming = arrival(member, await self.people.sender(member), self.app.clock.now())
        if incoming is not None and self.people.serves(member.guild):
            await self.app.dispatcher.handle(incoming)

    async def slash_command(self, interaction: discord.Interaction[Any]) -> None:
        called = self.slash.read(interaction.data or {})
        if called is None:  # synced by another version of the bot
            await interaction.response.send_message(_OUT_OF_DATE, ephemeral=True)
            return
        await self._answer(
            interaction, called.text, called.command.sensitive, called.invocation, called.mentions, called.files
        )

    async def clicked(self, interaction: discord.Interaction[Any], command: str) -> None:
        """A button: the same as typing its command where the button is."""
        found = self.app.dispatcher.registry.lookup(command.split())
        sensitive = found is not None and any(form.sensitive for form in found[1])
        await self._answer(interaction, PREFIX + command, sensitive)

    async def autocomplete(self, interaction: discord.Interaction[Any]) -> None:
        called = self.slash.read(interaction.data or {})
        if called is None or called.focused is None:
            await interaction.response.autocomplete([])
            return
        param, typed = called.focused
        found = await self.app.dispatcher.complete(param, typed, Asker(PLATFORM, str(interaction.user.id)))
        await interaction.response.autocomplete(choices(found))

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        text: str,
        sensitive: bool,
        invocation: Invocation | None = None,
        mentions: tuple[Mentioned, ...] = (),
        files: tuple[Mapping[str, Any], ...] = (),
    ) -> None:
        """Handle an interaction and answer it within Discord's 3 seconds: the budget starts now,
        before any lookup (the sender's roles in a DM may wait out a 429), and a command not
        done by then is deferred ("thinking…") and answered when it is."""
        transport = InteractionReply(interaction)
        handling = asyncio.create_task(
            self._handled(interaction, text, invocation, mentions, files, transport.capabilities)
        )
        done, _ = await asyncio.wait({handling}, timeout=self._answer_within)
        try:
            if not done:
                await transport.defer(ephemeral=sensitive and interaction.guild_id is not None)
            incoming, replies = await handling
            planned = routing.plan(incoming, replies, transport.capabilities)
            if not done:
                if not planned:
                    await transport.withdraw()
                planned = after_defer(planned, sensitive and interaction.guild_id is not None)
            await routing.send(planned, transport)
        except discord.NotFound as error:
            if error.code != UNKNOWN_INTERACTION or transport.answered:
                raise
            # Replayed after an outage, or past Discord's deadline: the interaction can no
            # longer be answered, so the answer goes as a message (never silence).
            log.info("interaction %s expired before its answer; answering by message", interaction.id)
            incoming, replies = await handling
            channel = self.client.get_partial_messageable(interaction.channel_id or 0)
            by_message = MessageReply(channel, interaction.user)
            await routing.send(routing.plan(incoming, replies, by_message.capabilities), by_message)

    async def _handled(
        self,
        interaction: discord.Interaction[Any],
        text: str,
        invocation: Invocation | None,
        mentions: tuple[Mentioned, ...],
        files: tuple[Mapping[str, Any], ...],
        capabilities: Capabilities,
    ) -> tuple[Incoming, list[Outgoing]]:
        """The interaction as the dispatcher sees it (with the files attached to a slash command,
        fetched as a message's are), and what it answers."""
        incoming = Incoming(
            platform=PLATFORM,
            event_id=str(interaction.id),
            sender=await self.people.sender(interaction.user),
            channel_id=str(interaction.channel_id),
            private=interaction.guild_id is None,
            text=text,
            at=self.app.clock.now(),
            mentions=await self.people.named(mentions, interaction.guild),
            invocation=invocation,
            attachments=await fetched(self.client.http, files),
        )
        return incoming, await self.app.dispatcher.handle(incoming, capabilities)

    # --- sending -----------------------------------------------------------------------------------

    async def deliver(self, delivery: Delivery) -> None:
        """Send an outbox message, with its key as the nonce Discord de-duplicates on; one that
        may have gone out already (`Delivery.tried_since`) only where it is not found."""
        # Two requests for a person (opening the DM, unless discord.py still has it, then the
        # message), one for a channel, one more to look; a longer message is split, but rarely.
        since = delivery.tried_since
        await self._pace.acquire((2 if delivery.user_id is not None else 1) + (since is not None))
        try:
            target = await self.people.destination(delivery)
            me = self.client.user
            there = frozenset[int]()
            if since is not None and me is not None:  # (not logged in: the send fails anyway)
                there = await posted(target, delivery.message, since, me.id)
            await send(target, delivery.message, delivery.key, skip=there)
        except discord.RateLimited as error:
            raise DeliveryFailed("rate limited", retry_after=error.retry_after) from error
        except discord.Forbidden as error:
            if error.code == CANNOT_SEND_TO_USER and delivery.user_id is not None:
                raise DeliveryFailed("DMs closed (50007)", unreachable=True, advice=OPEN_DMS) from error
            raise DeliveryFailed(f"refused: HTTP {error.status} code {error.code}", permanent=True) from error
        except discord.NotFound as error:
            raise DeliveryFailed(f"refused: HTTP {error.status} code {error.code}", permanent=True) from error
        except discord.HTTPException as error:
            if error.status == 429:  # from Cloudflare (no Via header), which discord.py does not wait out
                raise DeliveryFailed("rate limited by Cloudflare", retry_after=_retry_after(error)) from error
            raise DeliveryFailed(f"HTTP {error.status} code {error.code}") from error
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise DeliveryFailed(type(error).__name__) from error


async def sync_commands(config: Config, registry: Registry[Any], token: str) -> list[str]:
    """`python -m bot discord-sync`: log in over HTTP only (no gateway) and push the commands."""
    client = discord.Client(intents=intents_for(config.discord))
    try:
        await _login(client, token)
        return await SlashCommands(registry).push(client, config.discord.guild_ids)
    finally:
        await client.close()


def _retry_after(error: discord.HTTPException) -> float:
    """Seconds to wait, as the response's Retry-After header says (a minute if it does not)."""
    try:
        return max(0.0, float(error.response.headers.get("Retry-After", 60)))
    except ValueError:
        return 60.0


async def _login(client: discord.Client, token: str) -> None:
    try:
        await client.login(token)
    except discord.LoginFailure as error:
        raise DiscordSetupError(_TOKEN_HELP) from error
