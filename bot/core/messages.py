"""Platform-neutral messages: what adapters hand the core and what the core hands back."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.text import Rich
from bot.ids import PersonId, Role


@dataclass(frozen=True)
class Sender:
    """Who spoke, as the platform knows them.

    `granted_role` is the role the platform itself grants (a Discord role, a Matrix power level,
    the console's own user) as mapped by the adapter from config: `MEMBER` when it grants
    nothing, which takes back a role the platform gave; None only when the platform cannot tell
    (no main room, Discord unreachable). The core raises the stored role to it, and lowers one
    the platform gave (`core.speakers.granted`), never one an admin gave with `role`.
    """

    platform: str
    user_id: str
    display_name: str
    granted_role: Role | None = None


@dataclass(frozen=True)
class Mentioned:
    """A user mentioned in a message, and the exact text that mentioned them (`<@123>`)."""

    raw: str
    user_id: str
    display_name: str


@dataclass(frozen=True)
class Invocation:
    """A command already split by the platform (a Discord slash command): name and options."""

    name: str
    options: tuple[tuple[str, str], ...] = ()


#: The largest file an adapter fetches with a message; a larger one arrives without its content.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file that came with a message (a Discord attachment, a Matrix `m.file`, `::attach`).

    `content` is None when the adapter did not fetch it because it is over `MAX_UPLOAD_BYTES`
    (`size` then says how large it is), so a handler can refuse it by name."""

    filename: str
    size: int
    content: bytes | None
    mime_type: str = ""


@dataclass(frozen=True)
class Incoming:
    """One message or command from a platform, or (`kind="join"`) someone joining the server or
    main room, which runs the areas' `joined` hooks instead of a command."""

    platform: str
    event_id: str
    sender: Sender
    channel_id: str
    private: bool
    text: str
    at: datetime
    mentions: tuple[Mentioned, ...] = ()
    invocation: Invocation | None = None
    attachments: tuple[Upload, ...] = ()
    kind: str = "message"


def without_nul(incoming: Incoming) -> Incoming:
    """`incoming` with no NUL character in what people wrote (the text, the options of a slash
    command, names). A NUL is invisible and means nothing in chat, and PostgreSQL cannot store one
    in text: a message with it ended in an incident there and was stored on SQLite."""
    sender, options = incoming.sender, incoming.invocation.options if incoming.invocation else ()
    if "\x00" not in incoming.text and "\x00" not in sender.display_name and not options and not incoming.mentions:
        return incoming  # (most messages: every command goes through here)
    names = [sender.display_name, *(m.display_name for m in incoming.mentions)]
    written = [incoming.text, *names, *(value for _, value in options)]
    if not any("\x00" in text for text in written):
        return incoming
    clean = without_nul_text
    invocation = incoming.invocation
    return dataclasses.replace(
        incoming,
        text=clean(incoming.text),
        sender=dataclasses.replace(sender, display_name=clean(sender.display_name)),
        invocation=invocation and dataclasses.replace(invocation, options=tuple((k, clean(v)) for k, v in options)),
        mentions=tuple(dataclasses.replace(m, display_name=clean(m.display_name)) for m in incoming.mentions),
    )


def not_text(incoming: Incoming) -> bool:
    """Whether what was written holds a lone surrogate (invalid UTF-8 decoded with
    `surrogateescape`, a broken `\\ud800` escape in a Matrix event): no database can store it."""
    options = incoming.invocation.options if incoming.invocation else ()
    return any(_SURROGATE.search(text) for text in (incoming.text, *(value for _, value in options)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_nul_text(text: str) -> str:
    """`text` with no NUL character (`without_nul`)."""
    return text.replace("\x00", "")


def lookable(text: str) -> str:
    """What someone is typing, fit to look up: no NUL and no lone surrogate, which no database
    can bind (autocomplete of `a\ud800` raised, and Discord showed no suggestions at all)."""
    return _SURROGATE.sub("", without_nul_text(text))


@dataclass(frozen=True)
class Button:
    """A one-click action; clicking it runs `command` as the person who clicked."""

    label: str
    command: str
    style: str = "primary"


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (an export)."""

    filename: str
    content: bytes
    mime_type: str = "application/json"


@dataclass(frozen=True)
class Reply:
    """What a handler answers.

    `private` sends it to the speaker's private chat. `sensitive` marks private data: the
    dispatcher never lets a sensitive reply reach a public channel, whatever the handler asked.
    `suppress_embeds` asks platforms that preview links (Discord) not to: links people shared
    are shown as plain links, never as a preview fetched from an arbitrary site.
    """

    text: Rich
    private: bool = False
    sensitive: bool = False
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    suppress_embeds: bool = False


@dataclass(frozen=True)
class Outgoing:
    """A reply ready for an adapter to render: `private` when only its reader may see it.

    `mention_ids` maps each person the text mentions to their user id on this platform; a
    renderer pings exactly these and nobody else.
    """

    text: Rich
    private: bool
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    mention_ids: Mapping[PersonId, str] = field(default_factory=dict)
    suppress_embeds: bool = False


@dataclass(frozen=True)
class Delivery:
    """An outbox message to one recipient on one platform, sent with an idempotency key.

    `prompt`: a person's command queued it (someone is waiting for it to arrive), unlike a
    reminder of a backlog, which an adapter may pace to leave room for replies.

    `tried_since`: an earlier try may have reached the platform (a crash between sending and
    recording it, or a failure whose outcome is unknown), no earlier than this. A platform forgets
    idempotency keys (Discord's nonce after minutes, Synapse's transaction id after a day) while a
    message can wait far longer (quiet hours, a pause, backoff), so the adapter first looks for it
    among what the bot posted there since, and sends only what it does not find."""

    key: str
    platform: str
    user_id: str | None
    channel_id: str | None
    message: Outgoing
    prompt: bool = False
    tried_since: datetime | None = None
