"""The Adapter protocol: the one boundary between the core and a chat platform.

An adapter turns platform events into `Incoming` messages for the dispatcher, renders the
core's `Outgoing` replies in the platform's own way, and delivers outbox messages with their
idempotency key. Only adapters import a platform library.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Delivery


class DeliveryFailed(Exception):
    """A delivery did not happen. `retry_after` (seconds) when the platform said when to retry;
    `permanent` when retrying cannot help (the account is gone, the bot was blocked)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


class Adapter(Protocol):
    """A chat platform the bot is connected to."""

    platform: str

    async def start(self) -> None:
        """Connect and begin passing events to the dispatcher."""

    async def stop(self) -> None:
        """Disconnect cleanly; events not yet handled are left for the platform to redeliver."""

    async def deliver(self, delivery: Delivery) -> None:
        """Send one outbox message; the platform must de-duplicate on `delivery.key`.

        Raises `DeliveryFailed` when the message did not go out.
        """
