"""A kind of scheduled work, as the sweep runs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config
from bot.storage.db import Tx


@dataclass(frozen=True)
class Job:
    """What to do now (`run`), and when it next has something to do (`next_due`, for `::advance`)."""

    name: str
    run: Callable[[Tx, datetime, Config], Awaitable[None]]
    next_due: Callable[[Tx, datetime, Config], Awaitable[datetime | None]]
