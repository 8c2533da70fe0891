"""The Adapter protocol: the one boundary between the core and a chat platform.

An adapter turns platform events into `Incoming` messages and hands each, with a `Transport` that
can answer it, to `Dispatcher.answer`; the core decides what to say and where (`core.routing`),
the adapter decides how it looks. It also delivers outbox messages with their idempotency key,
and says what its platform can do (`Capabilities`). Its own memory between runs goes through an
`AdapterState`, never SQL. Only adapters import a platform library.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.messages import Delivery
from bot.core.routing import Capabilities
from bot.scheduling.courier import DeliveryFailed

__all__ = ["Adapter", "DeliveryFailed"]


class Adapter(Protocol):
    """A chat platform the bot is connected to."""

    @property
    def platform(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    async def start(self) -> None:
        """Connect and begin passing events to the dispatcher."""

    async def stop(self) -> None:
        """Disconnect cleanly; events not yet handled are left for the platform to redeliver."""

    async def deliver(self, delivery: Delivery) -> None:
        """Send one outbox message; the platform must de-duplicate on `delivery.key`.

        Raises `DeliveryFailed` when the message did not go out.
        """
