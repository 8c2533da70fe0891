"""Where replies go: the one place that decides "here, in place, or privately", and the one loop
that sends them.

An adapter describes what its platform can do (`Capabilities`) and, for each event, hands over a
`Transport` that can post in the event's place (`here`, as a reply, in its thread) and reach the
speaker privately (`privately`). Everything else is decided here, the same way on every platform:
a private reply in a private chat stays there; in public it is shown in place to the speaker
alone where the platform can (a Discord ephemeral response), else sent to their private chat with
a public "I've sent you the details privately"; a private chat that cannot be reached is
explained in public, without the private text, and no pointer claims otherwise. Each message's
idempotency key is `reply:<event id>:<n>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.core import words
from bot.core.messages import Incoming, Outgoing
from bot.core.text import Rich

Where = Literal["here", "in place", "privately"]


@dataclass(frozen=True)
class Capabilities:
    """What a platform can do with a reply.

    `ephemeral`: show a reply in place to the speaker alone (Discord interactions). `one_person`:
    a single person at the keyboard (the console), so there is no flood to control.
    `must_answer`: every event needs an answer (a Discord interaction left unanswered shows
    "The application did not respond"), so even a command over the flood limit is told to slow
    down rather than dropped.
    """

    ephemeral: bool = False
    buttons: bool = True
    files: bool = True
    threads: bool = False
    one_person: bool = False
    must_answer: bool = False


class Unreachable(Exception):
    """The speaker's private chat cannot be reached (DMs closed, an invite refused);
    `explanation` tells them, in the platform's own terms, what to change."""

    def __init__(self, explanation: Rich) -> None:
        super().__init__("private chat unreachable")
        self.explanation = explanation


class Transport(Protocol):
    """How an adapter answers one event."""

    @property
    def capabilities(self) -> Capabilities: ...

    async def here(self, message: Outgoing, key: str, *, in_place: bool) -> None:
        """Post where the event happened; `in_place` shows it to the speaker alone."""

    async def privately(self, message: Outgoing, key: str) -> None:
        """Send to the speaker's private chat; raises `Unreachable` when it cannot be reached."""

    async def redelivered(self, event_id: str) -> None:
        """The event was handled before, and nothing runs again; but a replay after a crash may
        come of one whose answer died with the process (killed between the commit and the send).
        A platform that replays after a crash says so if no answer to it is to be found."""


@dataclass(frozen=True)
class Planned:
    """One message of a plan: what, where, with which key; `pointer` for the public note."""

    message: Outgoing
    where: Where
    key: str
    pointer: bool = False


def plan(incoming: Incoming, replies: Sequence[Outgoing], capabilities: Capabilities) -> list[Planned]:
    """Decide where each reply goes (private ones only ever to their reader)."""
    planned: list[Planned] = []
    pointed = False
    for reply in replies:
        key = f"reply:{incoming.event_id}:{len(planned)}"
        if not reply.private or incoming.private:
            planned.append(Planned(reply, "here", key))
        elif capabilities.ephemeral:
            planned.append(Planned(reply, "in place", key))
        else:
            planned.append(Planned(reply, "privately", key))
            if not pointed:
                pointed = True
                pointer = Outgoing(words.sent_privately(), False)
                planned.append(Planned(pointer, "here", f"reply:{incoming.event_id}:{len(planned)}", pointer=True))
    return planned


async def send(planned: Sequence[Planned], transport: Transport) -> None:
    """Send a plan in order; the one loop every adapter's replies go through."""
    unreachable = False
    for item in planned:
        if item.where == "privately":
            if unreachable:
                continue
            try:
                await transport.privately(item.message, item.key)
            except Unreachable as closed:
                unreachable = True
                await transport.here(Outgoing(closed.explanation, False), item.key, in_place=False)
        elif not (item.pointer and unreachable):
            await transport.here(item.message, item.key, in_place=item.where == "in place")
