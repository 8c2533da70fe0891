"""The console adapter: the bot in a terminal, for local use, demos and end-to-end tests.

It is a real adapter, not a test hack: the same dispatcher, database and scheduler as in
production. Each input line is a message (`NAME: text` speaks as NAME, a plain line as the
console's own user); `::` directives move the clock (`::advance 3d`, `::at …`, `::now`),
switch between the public channel and private chats (`::in dm`, `::in #general`), play someone
joining (`::join NAME`; a first message from a new name is not a join) or attach a file to the
next message (`::attach PATH`, for `signatures import`); lines starting `# ` are comments, for
scripts. Every output
line starts `[to NAME]` (private) or `[#channel]` (public); further lines of one message are
indented.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bot.adapters.base import DeliveryFailed
from bot.app import App
from bot.clock import MovableClock, iso
from bot.console_input import NAME, name_problem
from bot.core.dispatch import PREFIXES
from bot.core.errors import UsageError
from bot.core.messages import MAX_UPLOAD_BYTES, Attachment, Delivery, Incoming, Mentioned, Outgoing, Sender, Upload
from bot.core.routing import Capabilities
from bot.core.text import Rich, plain_text
from bot.core.values import parse_duration
from bot.ids import Role

PLATFORM = "console"
#: What may name a speaker: `NAME: text`, or `NAME:!command` without the space. Without a space
#: only a command counts, so a link (`https://…`) or a time (`10:30`) stays what it is.
_LABELLED = re.compile(r"^(\S+?):(?:\s+|(?=!|/\w))(.*)$", re.DOTALL)
#: `@NAME` and the punctuation after it: the whole of `@alice.` is the mention's text, so the
#: command that reads it as a person finds alice, as a platform's mention would.
_MENTION = re.compile(rf"(?<![\w@])@({NAME})[^\s\w@]*")


def render(text: Rich) -> str:
    """Console text: code in backticks, mentions as @name, everything else as typed."""
    return plain_text(text)


class Console:
    """Speaks for console users and prints what the bot says."""

    platform = PLATFORM
    #: One person at the keyboard; no buttons to click; files are saved or summarised.
    capabilities = Capabilities(buttons=False, one_person=True)

    def __init__(
        self,
        app: App,
        write: Callable[[str], None],
        *,
        user: str = "you",
        channel: str = "general",
        journal: Path | None = None,
        downloads: Path | None = None,
    ) -> None:
        self.app = app
        self.write = write
        self.user = user
        self.channel = channel.lstrip("#")  # `#general` in the config is the channel general
        self.in_dm = False
        # What a command that only reads records (its event, a lead's view in the audit) is written
        # behind its reply; the console waits for it, so a script's next line sees it. A benchmark
        # playing many people turns this off, as on a chat platform.
        self.settles = True
        self._speaking = user
        self._journal = journal
        self._delivered: set[str] = set()
        self.downloads = downloads
        self.files: dict[str, bytes] = {}
        self._attached: tuple[Upload, ...] = ()
        self._hinted: set[str] = set()
        # Event ids: random once per session, numbered within it — as unique as a uuid4 each, which
        # reads the system's randomness every time (a measurable share of a command here).
        session = uuid.uuid4().hex
        self._events = (f"{session}-{n}" for n in itertools.count())
        if journal is not None:
            self._delivered.update(entry.key for entry in read_journal(journal))
        app.attach(self)

    async def start(self) -> None:
        """Nothing to connect: the terminal is always there."""

    async def stop(self) -> None:
        """Nothing to disconnect."""

    async def feed(self, line: str) -> None:
        """Handle one input line: a directive or a message."""
        stripped = line.rstrip("\n")
        if not stripped.strip() or stripped.lstrip().startswith("# "):
            return  # blank lines and `# comments` in scripts
        if stripped.lstrip().startswith("::"):
            await self.directive(stripped.strip()[2:].strip())
            return
        name, text = self.user, stripped
        if (labelled := _LABELLED.match(stripped)) is not None:
            problem = name_problem(labelled.group(1))
            if problem is None:
                name, text = labelled.groups()
            elif labelled.group(2).lstrip().startswith(PREFIXES):
                # Meant for someone who can't be: run as the console's own user, it would act
                # for the wrong person, and the hint would say commands need a `!` it has.
                self.write(f"[console] Not sent: {problem}.")
                return
        await self.say(name, text)
        self.hint_prefix(name, text)

    def hint_prefix(self, name: str, text: str) -> None:
        """In the channel a line without `!` is not for the bot, and the bot stays silent, as on a
        platform; at the console that silence reads as a broken bot, so the first such line from
        each person gets a hint instead."""
        if self.in_dm or text.lstrip().startswith(PREFIXES) or name in self._hinted:
            return
        self._hinted.add(name)
        self.write("[console] Commands start with `!` here, e.g. `!help`.")

    async def say(self, name: str, text: str) -> None:
        """`name` says `text` where the console currently is; prints every reply. A file named by
        `::attach` comes with it."""
        incoming = Incoming(
            platform=PLATFORM,
            event_id=next(self._events),
            sender=self._sender(name),
            channel_id=f"dm:{name}" if self.in_dm else self.channel,
            private=self.in_dm,
            text=text,
            at=self.app.clock.now(),
            mentions=tuple(Mentioned(m.group(), m.group(1), m.group(1)) for m in _MENTION.finditer(text)),
            attachments=self._attached,
        )
        self._attached = ()
        self._speaking = name
        await self.app.dispatcher.answer(incoming, self)
        if self.settles:  # one person at the keyboard reads their own records right after
            await self.app.dispatcher.settle()
        await self.app.deliverer.deliver_due()

    async def join(self, name: str) -> None:
        """`name` joins, as a member joining a server or the main room would (`::join NAME`)."""
        if not name:
            raise ValueError("::join takes one name, like ::join dana")
        if (problem := name_problem(name)) is not None:
            raise ValueError(problem)
        incoming = Incoming(PLATFORM, next(self._events), self._sender(name), self.channel, False, "",
                            self.app.clock.now(), kind="join")  # fmt: skip
        await self.app.dispatcher.answer(incoming, self)
        await self.app.deliverer.deliver_due()

    def attach(self, path: str) -> None:
        """Attach the file at `path` to the next message said (`::attach PATH`), as an upload would."""
        if not path:
            raise ValueError("::attach takes a file's path, like ::attach examples/signatories.csv")
        file = Path(path).expanduser()
        if not file.is_file():
            raise ValueError(f"::attach: no file at {path}")
        size = file.stat().st_size
        content = file.read_bytes() if size <= MAX_UPLOAD_BYTES else None
        self._attached = (Upload(file.name, size, content),)
        self.write(f"[console] attached {file.name} ({size} bytes) to the next message")

    def _sender(self, name: str) -> Sender:
        return Sender(PLATFORM, name, name, Role.ADMIN if name == self.user else None)

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        """A reply where the line was said (the console is its own transport: it prints)."""
        self.show(message, self._speaking)

    async def privately(self, message: Outgoing, key: str) -> None:
        """A reply in the speaker's private chat: printed `[to NAME]`."""
        self.show(message, self._speaking)

    async def redelivered(self, event_id: str) -> None:
        """Nothing to do: the console reads each line once, and a line is answered in the same
        step that runs it."""

    async def directive(self, body: str) -> None:
        verb, _, rest = body.partition(" ")
        verb, rest = verb.lower(), rest.strip()
        try:
            if verb == "advance" and not rest:
                raise ValueError("::advance takes a length of time, like ::advance 3d (or 2h, 30m)")
            if verb == "at" and not rest:
                raise ValueError("::at takes a time, like ::at 2026-12-01T09:00Z")
            if verb == "advance":
                await self._advance_to(self._clock().now() + parse_duration(rest))
            elif verb == "at":
                await self._advance_to(parse_instant(rest))
            elif verb == "now":
                self.write(f"[clock] {iso(self.app.clock.now())}")
            elif verb == "join":
                await self.join(rest)
            elif verb == "attach":
                self.attach(rest)
            elif verb == "in" and rest.lower() == "dm":
                self.in_dm = True
            elif verb == "in" and rest.lstrip("#").casefold() == self.channel.casefold():
                self.in_dm = False
            else:
                self.write(
                    f"[console] I don't know ::{body}. Try ::advance 3d, ::at 2026-12-01T09:00Z, ::now, "
                    f"::in dm, ::in #{self.channel}, ::join NAME or ::attach PATH."
                )
        except (UsageError, ValueError) as error:
            self.write(f"[console] {error}")

    async def _advance_to(self, target: datetime) -> None:
        clock = self._clock()
        if target < clock.now():
            raise ValueError("the clock only moves forward")
        await self.app.scheduler.run_until(clock, target)

    def _clock(self) -> MovableClock:
        clock = self.app.clock
        if not hasattr(clock, "set"):
            raise ValueError("this clock cannot be moved")
        return clock  # type: ignore[return-value]

    async def deliver(self, delivery: Delivery) -> None:
        """Print an outbox message; a key printed before is not printed again, as platforms do.

        The journal is the receiving side's memory, and may be shared by several console
        processes on one PostgreSQL database (`tests/crash/test_several_processes.py`): it is
        read again and appended under a lock, and a key shown before, by any of them, is recorded
        as a `repeat` (sent twice, dropped by the receiving side) instead of being shown."""
        if delivery.key in self._delivered:
            return
        if delivery.user_id is None and delivery.channel_id is None:
            raise DeliveryFailed("no destination", permanent=True)
        if self._journal is not None:  # first, as a platform records a key before anyone sees the message
            to = delivery.user_id or f"#{delivery.channel_id}"
            entry = Entry(delivery.key, iso(self.app.clock.now()), to, render(delivery.message.text))
            with self._journal.open("a", encoding="utf-8") as journal:
                fcntl.flock(journal, fcntl.LOCK_EX)  # released when the file closes
                self._delivered.update(seen.key for seen in read_journal(self._journal))
                if delivery.key in self._delivered:
                    entry = replace(entry, repeat=True)
                journal.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            if entry.repeat:
                return
        self._delivered.add(delivery.key)
        self.show(delivery.message, delivery.user_id or "", channel=delivery.channel_id)

    def _keep(self, attachment: Attachment) -> str:
        """Keep a file the bot sent (for tests) and save it if a downloads folder was given."""
        self.files[attachment.filename] = attachment.content
        if self.downloads is None:
            return f"(attached: {attachment.filename}, {len(attachment.content)} bytes)"
        path = self.downloads / Path(attachment.filename).name
        path.write_bytes(attachment.content)
        return f"(saved {attachment.filename}, {len(attachment.content)} bytes, to {path})"

    def show(self, outgoing: Outgoing, person: str, channel: str | None = None) -> None:
        """Print a message as the terminal shows it."""
        label = f"[to {person}]" if outgoing.private else f"[#{channel or self.channel}]"
        text = render(outgoing.text)
        if outgoing.attachment is not None:
            text += "\n" + self._keep(outgoing.attachment)
        first, *more = text.split("\n")
        self.write(f"{label} {first}")
        for line in more:
            self.write(f"  {line}")


@dataclass(frozen=True)
class Entry:
    """One message the console delivered from the outbox: its idempotency key, when (the bot's
    clock, ISO 8601), to whom (`alice`, `#general`) and its text. Lines of journals written before
    the journal held JSON are bare keys: their other fields are empty."""

    key: str
    at: str = ""
    to: str = ""
    text: str = ""
    repeat: bool = False  # not shown: another process had delivered this key already


def read_journal(path: Path, *, repeats: bool = False) -> list[Entry]:
    """The journal's entries, oldest first (nothing if there is no journal yet); with `repeats`,
    also the sends the receiving side dropped as repeats."""
    if not path.exists():
        return []
    whole, _, _ = path.read_text("utf-8").rpartition("\n")  # a line a kill cut short was never delivered
    entries = []
    for line in whole.splitlines():
        if line.startswith("{"):
            entries.append(Entry(**json.loads(line)))
        else:
            entries.extend(Entry(key) for key in line.split())
    return entries if repeats else [entry for entry in entries if not entry.repeat]


def parse_instant(text: str) -> datetime:
    """A moment in ISO 8601 (`2026-12-01T09:00Z`), in UTC unless it says otherwise; `::at` and
    `console --start`. ValueError saying what to write."""
    cleaned = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"I can't read {text.strip()[:60]!r} as a time. Try 2026-12-01T09:00Z.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
