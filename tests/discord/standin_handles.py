"""What a test holds after a person interacted (:class:`InteractionHandle`), and the stand-in's
record of each interaction (:class:`StoredInteraction`): its payload, the bot's callback, the
response message, followups, and the clock times that decide whether the bot was in time.
"""

# ruff: noqa: ASYNC109 -- waits take a ``timeout`` so that, on expiry, they fail with what they
# were waiting for; a caller's ``asyncio.timeout`` could only raise a bare TimeoutError.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .standin_clock import Changes, Clock, T
from .standin_errors import JSON
from .standin_model import Channel, Message, MessageFlag, User


class InteractionType:
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4


class CallbackType:
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


@dataclass(frozen=True)
class InteractionCallback:
    """The bot's answer to ``POST /interactions/{id}/{token}/callback``."""

    type: int
    data: JSON

    @property
    def content(self) -> str | None:
        return self.data.get("content")

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def components(self) -> list[JSON]:
        return list(self.data.get("components") or [])

    @property
    def embeds(self) -> list[JSON]:
        return list(self.data.get("embeds") or [])

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete suggestions (callback type 8)."""
        return list(self.data.get("choices") or [])


@dataclass
class StoredInteraction:
    id: int
    token: str
    type: int
    user: User
    channel: Channel
    payload: JSON
    created: float  # the stand-in clock's time at INTERACTION_CREATE
    answer_by: float  # the clock time after which a first callback is refused
    expires: float  # the clock time after which the token is refused
    component_message: Message | None = None
    callback: InteractionCallback | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    late_by: float | None = None  # how late a refused first callback came
    unanswered_expected: bool = False

    def describe(self) -> str:
        data = self.payload["data"]
        return f"interaction {self.id} ({data.get('name') or data.get('custom_id')})"

    def unanswered(self, now: float) -> bool:
        """True once the deadline passed with no callback: the person saw the command fail."""
        return self.callback is None and now > self.answer_by

    def why_unanswered(self) -> str:
        limit = self.answer_by - self.created
        autocomplete = self.type == InteractionType.AUTOCOMPLETE
        shown = "Loading options failed" if autocomplete else "The application did not respond"
        why = f"{self.describe()} was not acknowledged within {limit:g} s: {self.user.username} saw {shown!r}"
        if self.late_by is not None:
            why += f"; the bot's callback came {self.late_by:.2f} s too late and got 404 Unknown interaction (10062)"
        return why


class InteractionHandle:
    """What a test holds after a user interacted: the payload sent, and the bot's answers."""

    def __init__(self, stored: StoredInteraction, clock: Clock, changes: Changes) -> None:
        self._stored = stored
        self._clock = clock
        self._changes = changes

    @property
    def id(self) -> int:
        return self._stored.id

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE body as dispatched."""
        return self._stored.payload

    @property
    def callback(self) -> InteractionCallback | None:
        """The bot's accepted callback, if any yet."""
        return self._stored.callback

    @property
    def original(self) -> Message | None:
        """The response message: the one created by callback 4/5, or for a component answered
        with 6/7 the message the component is on. Reflects later edits."""
        return self._stored.original

    @property
    def followups(self) -> list[Message]:
        return list(self._stored.followups)

    @property
    def unanswered(self) -> bool:
        """True once the deadline passed with no callback: the person saw the command fail."""
        return self._stored.unanswered(self._clock.now())

    def why_unanswered(self) -> str:
        """What the person saw, and why (for failure messages)."""
        return self._stored.why_unanswered()

    def expect_unanswered(self) -> None:
        """Say that this interaction is meant to go unanswered (the fixture fails a test in which
        any other interaction did)."""
        self._stored.unanswered_expected = True

    async def response(self, timeout: float = 5.0) -> InteractionCallback:
        """Wait for the bot's callback. Fails as soon as the acknowledgement deadline passed."""
        return await self._wait(lambda: self._stored.callback, timeout, f"a callback to {self._stored.describe()}")

    async def wait_for_original(self, timeout: float = 5.0) -> Message:
        """Wait until the response message shows something: sent with callback 4 or 7, or a
        deferred "thinking…" message filled by editing ``@original``."""
        stored = self._stored

        def shown() -> Message | None:
            original = stored.original
            return original if original is not None and not original.flags & MessageFlag.LOADING else None

        return await self._wait(shown, timeout, f"the response to {stored.describe()}")

    async def wait_for_followups(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        """Wait until the bot has sent at least ``count`` followups; return them all."""
        return await self._wait(
            lambda: self.followups if len(self._stored.followups) >= count else None,
            timeout,
            f"{count} followup(s) to {self._stored.describe()}",
        )

    async def _wait(self, check: Callable[[], T | None], timeout: float, what: str) -> T:
        def check_alive() -> T | None:
            if self._stored.unanswered(self._clock.now()):
                raise AssertionError(self._stored.why_unanswered())
            return check()

        return await self._changes.wait_until(check_alive, timeout=timeout, what=what)
