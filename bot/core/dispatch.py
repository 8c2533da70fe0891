"""Incoming message → command → one transaction → replies → the one send loop.

The dispatcher is the one place that decides: whether a message is a command at all, whether it
was already handled (a redelivered event), who the speaker is and what role they have, whether
they may run the command, and which replies are private — a reply marked sensitive never reaches
a public channel. `core.calls` reads which command a line calls, and with what; `core.routing`
then decides where each reply goes and sends it. Handlers never need to remember any of that.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any

from bot.clock import Clock, to_ts
from bot.config import Config
from bot.core import routing, speakers, words
from bot.core.calls import Parsed, converted, parse
from bot.core.commands import Command
from bot.core.context import Catalog, Context
from bot.core.errors import NotAllowed, UserError
from bot.core.flood import FloodGate
from bot.core.kinds import Id
from bot.core.messages import Incoming, Outgoing, Reply, lookable, not_text, without_nul
from bot.core.params import Args, Asker, Choice, MemberRef, Param
from bot.core.routing import Capabilities, Transport
from bot.core.text import is_private, mentioned
from bot.core.timing import Reader, person_zone, resolve
from bot.crashpoints import checkpoint
from bot.ids import PersonId, Role
from bot.storage import persons
from bot.storage.db import Database
from bot.storage.readers import Held, Readers, WriteBehind

log = logging.getLogger(__name__)

PREFIXES = ("!", "/")
#: What `_handle` says ran for an event it had handled before (`Transport.redelivered`).
REDELIVERED = "duplicate"
_PLAIN = Capabilities()


class Dispatcher:
    """Runs commands for every adapter."""

    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        config: Config,
        clock: Clock,
        *,
        after_commit: Callable[[], None] | None = None,
        readers: Readers | None = None,
    ) -> None:
        self.db = db
        self.readers = readers or Readers(db)
        self.behind = WriteBehind(db)
        self.catalog = catalog
        self.registry = catalog.registry
        self.config = config
        self.clock = clock
        self._after_commit = after_commit
        self._flood = FloodGate(config.limits.commands_per_minute)

    def command_line(self, incoming: Incoming) -> str | None:
        """The command text of a message, or None when it is not addressed to the bot."""
        text = incoming.text.strip()
        if incoming.invocation is not None:
            return incoming.invocation.name
        if text.startswith(PREFIXES):
            return self.registry.name_alone(text[1:]) or text[1:].lstrip()
        if incoming.private and (alone := self.registry.name_alone(text)):  # `Mine!`, `help?`
            return alone
        if incoming.private and text:
            # In a private chat everything is for the bot: a command without `!`, or a typo of one
            # or a word meant for one (answered "did you mean", as in a channel). A typo is one
            # slip away (`Registry.suggest`), so plain words ("hello") are not taken for one.
            words = text.lower().split(maxsplit=2)
            if words[0] in self.registry.heads() or self.registry.suggest(" ".join(words[:2])) is not None:
                return text
        return None

    async def answer(self, incoming: Incoming, transport: Transport) -> None:
        """Handle an event and send its replies through the one send loop. An event handled
        before (replayed after a crash) runs nothing, but its answer may have been lost with the
        process: the transport is told (`Transport.redelivered`)."""
        replies, name = await self._handle(incoming, transport.capabilities)
        if name == REDELIVERED:
            await transport.redelivered(incoming.event_id)
            return
        checkpoint("reply-before-send", incoming.platform)
        await routing.send(routing.plan(incoming, replies, transport.capabilities), transport)

    async def handle(self, incoming: Incoming, capabilities: Capabilities = _PLAIN) -> list[Outgoing]:
        """Everything to send back for one incoming message (often one reply, maybe none), before
        routing; `capabilities` of the platform it came from (by default: nothing special)."""
        return (await self._handle(incoming, capabilities))[0]

    async def _handle(self, incoming: Incoming, capabilities: Capabilities) -> tuple[list[Outgoing], str]:
        """`handle`, and what was run (a command's key, REDELIVERED …)."""
        started = time.perf_counter()
        incoming = without_nul(incoming)
        if incoming.kind == "join":
            await self.joined(incoming)
            return [], "join"
        line = self.command_line(incoming)
        if line is None and not incoming.private:
            return [], "none"
        # One person at the keyboard (the console, piped demo scripts): no flood to control.
        admitted = (
            True
            if capabilities.one_person
            else await self._flood.admit(incoming.sender.platform, incoming.sender.user_id)
        )
        if admitted is None and not capabilities.must_answer:
            log.info("dropped a command over the flood limit on %s", incoming.platform)
            return [], "flood"
        if not admitted:
            # Shown to the speaker alone where the platform can (an ephemeral reply), so a flood
            # is not echoed to the channel.
            slow_down = Reply(words.slow_down(self.config.limits.commands_per_minute), private=capabilities.ephemeral)
            return await self._outgoing(incoming, [slow_down], None), "flood"
        try:
            if not_text(incoming):  # a command or a plain answer (a check-in's): nothing can keep it
                replies, name, reader = [Reply(words.not_text())], "not text", None
            else:
                parsed = (
                    await parse(incoming, line, self.registry, self.config, self.clock) if line is not None else None
                )
                replies, name, reader = await self._run(incoming, parsed, self._prefixed(incoming))
        except Exception:
            incident = secrets.token_hex(3)
            log.exception("incident %s while handling an event from %s", incident, incoming.platform)
            replies, name, reader = [_apology(incident)], "error", None
        log.info(
            "handled platform=%s command=%s replies=%d ms=%.1f",
            incoming.platform,
            name,
            len(replies),
            (time.perf_counter() - started) * 1000,
        )
        return await self._outgoing(incoming, replies, reader), name

    async def joined(self, incoming: Incoming) -> None:
        """Someone joined the server or main room: the areas' `joined` hooks run once per platform
        event (a redelivered join is ignored like a redelivered message), with the newcomer as the
        speaker. Adapters leave out the bot's own joins."""
        try:
            await self._run(incoming, None, prefixed=False)
        except Exception:
            log.exception("incident while handling a join on %s", incoming.platform)
        log.info("handled a join on %s", incoming.platform)

    async def complete(self, param: Param[Any], typed: str, asker: Asker) -> list[Choice]:
        """Suggestions for a parameter while someone types (its type's completer, if any)."""
        if param.type.complete is None:
            return []
        async with self.readers.reading() as tx:
            return await param.type.complete(tx, lookable(typed).strip(), asker)

    async def settle(self) -> None:
        """Wait until what read-only commands recorded after their replies is written."""
        await self.behind.settle()

    async def close(self) -> None:
        await self.behind.settle()
        await self.readers.close()

    @staticmethod
    def _prefixed(incoming: Incoming) -> bool:
        """Whether the person marked the message as a command (`!`, `/`, a slash command, a click)."""
        return incoming.invocation is not None or incoming.text.strip().startswith(PREFIXES)

    async def _run(
        self, incoming: Incoming, parsed: Parsed | None, prefixed: bool
    ) -> tuple[list[Reply], str, Reader | None]:
        now = self.clock.now()
        name = parsed.command.key if parsed and parsed.command else "none"
        # A command that only looks runs beside the writer; an unprefixed private message may be
        # an answer instead (`_invoke`), which writes.
        if parsed and parsed.command and parsed.command.reads and (prefixed or not incoming.private):
            looked = await self._look(incoming, parsed, parsed.command)
            if looked is not None:
                return looked
        async with self.db.transaction() as tx:
            fresh, known = await persons.claim_event_and_find(
                tx, incoming.platform, incoming.event_id, incoming.sender.user_id, to_ts(now)
            )
            if not fresh:
                log.info("ignored a redelivered event on %s", incoming.platform)
                return [], REDELIVERED, None
            speaker = await speakers.speaker(tx, incoming, to_ts(now), known)
            role = await speakers.keep_role(tx, incoming, speaker, to_ts(now), self.config)
            ctx = Context(
                tx,
                now,
                self.config,
                self.catalog,
                incoming,
                speaker,
                role,
                person_zone(speaker, self.config),
            )
            replies = await self._invoke(ctx, parsed, prefixed)
        if ctx.erased:
            await self.db.erase_log()
        if self._after_commit is not None:
            self._after_commit()
        return replies, name, Reader.of(ctx.speaker, self.config)

    async def _look(
        self, incoming: Incoming, parsed: Parsed, command: Command[Context]
    ) -> tuple[list[Reply], str, Reader | None] | None:
        """A command that only reads, on a read-only connection of its own: never behind a write.
        What it must record (the event, so a redelivery is ignored; when the speaker was last
        seen; a lead's view in the audit) is written after the reply (`WriteBehind`). None when the
        speaker's own record must change first (a newcomer, a new display name, a role the
        platform now grants): then it runs as a writer."""
        now, sender = self.clock.now(), incoming.sender
        key = f"{incoming.platform} {incoming.event_id}"
        async with self.readers.reading(heavy=command.role >= Role.LEAD) as tx:
            fresh, speaker = await persons.seen_event_and_find(tx, incoming.platform, incoming.event_id, sender.user_id)
            if not fresh or self.behind.pending(key):
                log.info("ignored a redelivered event on %s", incoming.platform)
                return [], REDELIVERED, None
            if speaker is None or not speakers.settled(incoming, speaker, self.config):
                return None
            held = Held()
            zone = person_zone(speaker, self.config)
            ctx = Context(tx, now, self.config, self.catalog, incoming, speaker, speaker.role, zone, behind=held)
            replies = await self._invoke(ctx, parsed, prefixed=True)
        persons.record_event(held, incoming.platform, incoming.event_id, to_ts(now))
        if to_ts(now) - speaker.last_seen_at > 60:
            await persons.touch(held, speaker, sender.platform, sender.user_id, sender.display_name, to_ts(now))
        self.behind.add(held, key)
        return replies, command.key, Reader.of(speaker, self.config)

    async def _invoke(self, ctx: Context, parsed: Parsed | None, prefixed: bool) -> list[Reply]:
        if ctx.incoming.kind == "join":
            for hook in self.catalog.joined:
                await hook(ctx)
            return []
        offered = not prefixed and ctx.incoming.private
        # An unprefixed private message is first offered to what waits for one (an open
        # check-in's answer), so "Done three interviews" is an answer, not `done`, and so is "Help!"
        # (spec §11: only text starting with `!` or `/` is a command then); one that is no command
        # at all, to what may still take it (the rest of an answer just given).
        if offered and (taken := await self.catalog.offer(ctx, self.catalog.plain)) is not None:
            return taken
        if parsed is None or parsed.command is None:  # no command, or a word that is none ("aks Dana…")
            if offered and (taken := await self.catalog.offer(ctx, self.catalog.leftover)) is not None:
                return taken
            if parsed is None:
                return [Reply(words.not_a_command(ctx.speaker.signed_up))]
        if parsed.command is not None and ctx.role < parsed.command.role:
            # Before any word about the arguments: coached on a command they may not run, a
            # member would fix the line only to be told then that it is not theirs (spec §8).
            return [_error_reply(_forbidden(parsed.command), sensitive=False)]  # says nothing private
        if parsed.bound is not None and parsed.command is not None:
            parsed = await converted(ctx.incoming, parsed.command, parsed.bound, ctx.speaker, self.config, self.clock)
        sensitive = parsed.command is not None and parsed.command.sensitive
        if parsed.error is not None:
            return [_error_reply(parsed.error, sensitive)]
        assert parsed.command is not None and parsed.args is not None
        command = parsed.command
        try:
            async with ctx.tx.savepoint():
                result = await command.handler(ctx, parsed.args)
        except UserError as error:
            return [_error_reply(error, sensitive)]
        if command.role >= Role.LEAD and not ctx.audited:
            # Every use of a lead or admin command is on record, even a read (`checkins`, `network`):
            # one that changed something recorded itself, so this one was a look.
            await ctx.audit(command.key, _subject(command, parsed.args), view=True)
        replies = [result] if isinstance(result, Reply) else list(result)
        if command.sensitive:
            replies = [dataclasses.replace(reply, sensitive=True) for reply in replies]
        return replies

    async def _outgoing(self, incoming: Incoming, replies: Sequence[Reply], reader: Reader | None) -> list[Outgoing]:
        """The replies as they leave: private when they say so, when the command is about private
        data, or when any of their text came from a private field; times in the speaker's zone;
        each pinging only whom it mentions."""
        if not replies:
            return []
        each = [mentioned(reply.text) for reply in replies]
        mention_ids = await self._mention_ids(incoming.platform, sorted(set().union(*each)))
        reader = reader or Reader.of(None, self.config)
        # Times in a public reply are the speaker's, unless their zone is for leads' eyes: a
        # `visibility:leads` member's "due Fri 20:30" would tell the channel where they live.
        public = Reader.of(None, self.config) if reader.hidden else reader
        now = self.clock.now()
        out: list[Outgoing] = []
        for reply, pinged in zip(replies, each, strict=True):
            private = reply.private or reply.sensitive or incoming.private or is_private(reply.text)
            ping = {pid: uid for pid, uid in mention_ids.items() if pid in pinged}
            text = resolve(reply.text, reader if private else public, now)
            out.append(Outgoing(text, private, reply.buttons, reply.attachment, ping, reply.suppress_embeds))
        return out

    async def _mention_ids(self, platform: str, ids: Sequence[PersonId]) -> dict[PersonId, str]:
        if not ids:
            return {}
        async with self.readers.reading(single=True) as tx:
            return await persons.identities_on(tx, platform, ids)


def _subject(command: Command[Context], args: Args) -> str:
    """What a privileged command was about, for the audit log: its member or id, if any (not a
    number of another kind: `coverage page:2` is about no #2)."""
    ids = {param.name for param in command.params if isinstance(param.type, Id)}
    for name in args.given():
        value = args.raw(name)
        if isinstance(value, MemberRef):
            return value.text
        if name in ids and isinstance(value, int) and not isinstance(value, bool):
            return f"#{value}"
    return ""


def _error_reply(error: UserError, sensitive: bool) -> Reply:
    """An error's reply; private when the command is about private data, since errors can name it."""
    return Reply(error.message, sensitive=sensitive)


def _forbidden(command: Command[Context]) -> NotAllowed:
    return NotAllowed(words.forbidden(command.who_may(), command.name))


def _apology(incident: str) -> Reply:
    return Reply(words.apology(incident))
