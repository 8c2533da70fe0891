"""Long lists in pages: the page asked for, how many there are, and a clear refusal past the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core import words
from bot.core.errors import UsageError

T = TypeVar("T")


def offset(page: int, size: int) -> int:
    """Where a page starts (pages count from 1; anything lower is the first)."""
    return (max(page, 1) - 1) * size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items, how many there are in all, which page of how many, and
    `command`, the listing with its search words and filters (`asks research`), which the next
    page's hint and the refusal past the end repeat: `asks page:2` after `asks research` paged
    through every ask."""

    items: tuple[T, ...]
    total: int
    page: int
    pages: int
    command: str

    @classmethod
    def of(cls, items: Sequence[T], total: int, page: int, size: int, command: str) -> Page[T]:
        """The page, or a usage error naming the last page when `page` is past it."""
        pages = max(1, -(-total // size))
        if page > pages and total:
            raise UsageError(words.only_pages(command, pages))
        return cls(tuple(items), total, max(page, 1), pages, command)

    @property
    def next_page(self) -> str:
        """The command for the page after this one."""
        return f"{self.command} page:{self.page + 1}"
