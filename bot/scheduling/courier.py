"""What the deliverer and an adapter agree on: how a message is handed over (`Courier`), how
an adapter says it did not go out (`DeliveryFailed`), so the deliverer can wait, retry or park it,
and when a message may have gone out already (`tried_since`), so the adapter looks first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.clock import from_ts
from bot.core.messages import Delivery
from bot.core.text import Rich
from bot.storage.outbox import OutboxRow


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


def tried_since(rows: Sequence[OutboxRow], started: int) -> datetime | None:
    """When an earlier try of these rows may have reached the platform, if one may have: a row
    left `sending` (a crash between sending and marking it sent), a row that failed before (a
    timeout may have posted it), or a prompt row due before this process `started` (the prompt
    lane sends without marking first). Since when: the oldest row's creation, which the
    adapter's look must cover (`Delivery.tried_since`)."""
    if any(
        row.status == "sending"
        or row.attempts > 0
        or (row.caused_by is not None and max(row.created_at, row.not_before) < started)
        for row in rows
    ):
        return from_ts(min(row.created_at for row in rows))
    return None
