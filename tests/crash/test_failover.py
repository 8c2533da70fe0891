"""A platform connection moves to another process within seconds of its holder's SIGKILL."""

from __future__ import annotations

import asyncio
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import holding
from tests.postgres import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]


def _start(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash.holder_process", url], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def _line(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    """The process's next line of output, or a failure (never a hang) after `timeout` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline() if proc.stdout else ""), daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        pytest.fail(f"no output within {timeout} s")


def test_a_stand_by_takes_the_platform_over_when_the_holder_is_killed() -> None:
    url = asyncio.run(create_database())
    first = second = None
    try:
        first = _start(url)
        assert _line(first) == "holding"
        second = _start(url)
        assert _line(second) == "started"  # standing by: no "holding" first
        killed = time.monotonic()
        first.kill()
        first.wait(timeout=10)
        assert _line(second) == "holding"
        assert time.monotonic() - killed < holding.RETRY_SECONDS + 5  # well within the minute promised
    finally:
        for proc in (first, second):
            if proc is not None:
                proc.kill()
                proc.wait(timeout=10)
        asyncio.run(drop_database(url))
