"""What the deliverer and an adapter agree on: how a message is handed over (`Courier`) and how
an adapter says it did not go out (`DeliveryFailed`), so the deliverer can wait, retry or park it.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Delivery
from bot.core.text import Rich


class DeliveryFailed(Exception):
    """A delivery did not happen. `retry_after` (seconds) when the platform said when to retry;
    `permanent` when retrying cannot help (the account is gone, the bot was blocked);
    `unreachable` when the person's private messages are closed to the bot, with `advice` in the
    platform's own terms for whoever caused the message (they are told)."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        unreachable: bool = False,
        advice: Rich = (),
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent or unreachable
        self.unreachable = unreachable
        self.advice = advice


class Courier(Protocol):
    """What the deliverer needs of an adapter: its platform, and a way to send one message."""

    @property
    def platform(self) -> str: ...

    async def deliver(self, delivery: Delivery) -> None:
        """Send one outbox message; the platform must de-duplicate on `delivery.key`.

        Raises `DeliveryFailed` when the message did not go out."""
