"""The test suite itself: a failure is reported, never turned into a hang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FAILING = """
from pathlib import Path

from tests.console_bot import ConsoleBot


async def test_fails_with_its_database_open(tmp_path: Path) -> None:
    bot = await ConsoleBot.start(tmp_path / "s.sqlite3")
    assert bot is None, "failing with the database open"
"""


def test_a_test_failing_with_its_database_open_still_lets_pytest_end(tmp_path: Path) -> None:
    """Without `tests/conftest.py`'s `pytest_unconfigure`, this run prints "1 failed" and then
    waits for aiosqlite's thread for ever."""
    test = tmp_path / "test_left_open.py"
    test.write_text(FAILING)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider", str(test),
         "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
