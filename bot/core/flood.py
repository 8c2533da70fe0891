"""Flood control: a per-person command budget, checked before any database work.

Each person may run `limits.commands_per_minute` commands a minute (a leaky bucket from
`aiolimiter`, so a short burst is fine). Past that, the first extra command gets one friendly
"slow down" reply and the rest are dropped unanswered until the bucket drains — so one person's
spam costs the others at most a burst's worth of commands ahead of theirs, never a queue of
thousands. Where every event must be answered (a Discord interaction), each extra command gets the
"slow down", shown to its sender alone; it costs no database work either.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from aiolimiter import AsyncLimiter

TRACKED = 10_000


class FloodGate:
    """Remembers each recent speaker's budget (the least recent are forgotten past 10,000)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: OrderedDict[tuple[str, str], AsyncLimiter] = OrderedDict()
        self._warned: dict[tuple[str, str], float] = {}

    async def admit(self, platform: str, user_id: str) -> bool | None:
        """True: go ahead. False: over budget, say "slow down" once. None: over budget, stay silent."""
        key = (platform, user_id)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = AsyncLimiter(self.per_minute, 60)
            self._buckets[key] = bucket
            if len(self._buckets) > TRACKED:
                old, _ = self._buckets.popitem(last=False)
                self._warned.pop(old, None)
        self._buckets.move_to_end(key)
        if bucket.has_capacity():
            await bucket.acquire()  # returns at once: there is capacity
            return True
        now = time.monotonic()
        if now - self._warned.get(key, 0.0) < 60:
            return None
        self._warned[key] = now
        return False
