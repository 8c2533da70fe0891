"""The one source of "now".

Every piece of code asks a `Clock`, never `datetime.now()`, so tests and the console can move
time and the scheduler can be driven through a week in a second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


def to_ts(moment: datetime) -> int:
    """Epoch seconds, the one way timestamps are stored."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every moment must carry its timezone")
    return int(moment.timestamp())


def from_ts(ts: int) -> datetime:
    """An aware UTC datetime from stored epoch seconds."""
    return datetime.fromtimestamp(ts, UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z`, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock(Protocol):
    """Something that tells the time."""

    def now(self) -> datetime:
        """The current moment, an aware UTC datetime."""


class MovableClock(Clock, Protocol):
    """A clock the console can move forward."""

    def set(self, moment: datetime) -> None:
        """Jump forward to `moment`."""


class SystemClock:
    """Wall-clock time, for production."""

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class ManualClock:
    """A clock that only moves when told to: tests and piped console scripts."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the start time must carry a timezone")
        self._now = start.astimezone(UTC).replace(microsecond=0)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Move to `moment`; time never runs backwards, so neither may this."""
        moment = moment.astimezone(UTC).replace(microsecond=0)
        if moment < self._now:
            raise ValueError("the clock only moves forward")
        self._now = moment


class OffsetClock:
    """Wall-clock time plus an offset: an interactive console whose clock can jump ahead."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return (datetime.now(UTC) + self._offset).replace(microsecond=0)

    def set(self, moment: datetime) -> None:
        current = self.now()
        if moment < current:
            raise ValueError("the clock only moves forward")
        self._offset += moment - current
