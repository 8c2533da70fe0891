"""Converted arguments, handed to handlers with typed accessors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from types import MappingProxyType
from typing import TypeVar

from bot.core.values import When
from bot.zones import Quiet, ZoneMatch

T = TypeVar("T")


@dataclass(frozen=True)
class MemberRef:
    """Someone named in a command: a platform mention (with its user id) or typed text.

    Resolving it to a person needs the database, so features do that (`people.resolve`).
    """

    text: str
    platform: str | None = None
    user_id: str | None = None


Value = str | int | bool | tuple[str, ...] | When | timedelta | time | Quiet | ZoneMatch | MemberRef


class Args:
    """The arguments of one call; accessors check the type so handlers stay honest."""

    def __init__(self, values: dict[str, Value]) -> None:
        self._values = MappingProxyType(dict(values))

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def given(self) -> list[str]:
        """Names of the arguments that were given, in the order of the declaration."""
        return list(self._values)

    def raw(self, name: str) -> Value | None:
        """The value whatever its type, for code that only describes arguments (the audit log)."""
        return self._values.get(name)

    def _get(self, name: str, kind: type[T]) -> T | None:
        value = self._values.get(name)
        if value is None:
            return None
        if not isinstance(value, kind):
            raise TypeError(f"argument {name!r} is {type(value).__name__}, not {kind.__name__}")
        return value

    def _need(self, name: str, kind: type[T]) -> T:
        value = self._get(name, kind)
        if value is None:
            raise KeyError(name)
        return value

    def text(self, name: str) -> str:
        return self._need(name, str)

    def opt_text(self, name: str) -> str | None:
        return self._get(name, str)

    def number(self, name: str) -> int:
        return self._need(name, int)

    def opt_number(self, name: str) -> int | None:
        return self._get(name, int)

    def flag(self, name: str) -> bool:
        return bool(self._get(name, bool))

    def words(self, name: str) -> tuple[str, ...]:
        return self._get(name, tuple) or ()

    def member(self, name: str) -> MemberRef:
        return self._need(name, MemberRef)

    def opt_member(self, name: str) -> MemberRef | None:
        return self._get(name, MemberRef)

    def when(self, name: str) -> When:
        return self._need(name, When)

    def opt_when(self, name: str) -> When | None:
        return self._get(name, When)

    def duration(self, name: str) -> timedelta:
        return self._need(name, timedelta)

    def clock(self, name: str) -> time | None:
        return self._get(name, time)

    def quiet(self, name: str) -> Quiet | None:
        return self._get(name, Quiet)

    def zone(self, name: str) -> ZoneMatch | None:
        return self._get(name, ZoneMatch)
