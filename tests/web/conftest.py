"""Fixtures for the dashboard's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.web.site import Site, site


@pytest.fixture
async def web(tmp_path: Path) -> AsyncIterator[Site]:
    """The seeded network, its dashboard, and an HTTP client with no session yet."""
    async with site(tmp_path) as found:
        yield found
