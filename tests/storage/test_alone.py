"""One running bot per SQLite file: a second is refused in one line, tools still run beside it,
and a bot killed with SIGKILL leaves nothing that stops the next start (`bot/storage/alone.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.storage.alone import AlreadyRunning, hold, running_alone

ROOT = Path(__file__).resolve().parents[2]
BOT = [sys.executable, "-m", "bot"]


def _environment() -> dict[str, str]:
    """Without platform credentials: `run` starts the console."""
    secret = ("DISCORD_TOKEN", "MATRIX_ACCESS_TOKEN", "MATRIX_PASSWORD", "DATABASE_URL")
    return {key: value for key, value in os.environ.items() if key not in secret}


def _holding(lock: Path, pid: int) -> None:
    """Until the process `pid` has written itself into the lock file (it holds the lock)."""
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(pid)):
        assert time.monotonic() < deadline, "the first bot never took the lock"
        time.sleep(0.05)


def test_a_second_bot_on_the_same_file_is_refused_until_the_first_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    first = subprocess.Popen(
        [*BOT, "run", "--db", str(db)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, cwd=ROOT, env=_environment(),
    )  # fmt: skip
    try:
        _holding(Path(f"{db}.lock"), first.pid)
        for command in (["run", "--db", str(db)], ["console", "--db", f"sqlite:///{db}"]):
            second = subprocess.run(
                [*BOT, *command], input="!volunteer research\n", capture_output=True, text=True, timeout=60,
                cwd=ROOT, env=_environment(),
            )  # fmt: skip
            assert second.returncode == 2
            assert second.stderr.splitlines()[-1] == (
                f"database error: another bot process (pid {first.pid}) is running on {db}; stop it first "
                "(one bot per SQLite file; several processes need PostgreSQL, docs/postgres.md)"
            )
        backup = subprocess.run(
            [*BOT, "backup", "--db", str(db), str(tmp_path / "copy.sqlite3")], capture_output=True, text=True,
            timeout=60, cwd=ROOT, env=_environment(),
        )  # fmt: skip
        assert backup.returncode == 0, backup.stderr  # a tool runs beside the bot
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    after = subprocess.run(
        [*BOT, "console", "--db", str(db)], input="!volunteer research\n", capture_output=True, text=True,
        timeout=60, cwd=ROOT, env=_environment(),
    )  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert "research" in after.stdout


def test_the_lock_is_let_go_when_the_bot_closes_and_postgresql_takes_none(tmp_path: Path) -> None:
    target = str(tmp_path / "bot.sqlite3")
    with (
        running_alone(target),
        pytest.raises(AlreadyRunning, match="another bot"),
        running_alone(f"sqlite:///{target}"),
    ):
        pass
    with running_alone(target):  # free again
        pass
    with running_alone("postgresql://bot@db.example/union"), running_alone("postgresql://bot@db.example/union"):
        pass


async def test_hold_waits_for_the_other_process_to_let_go_and_gives_up_after_its_patience(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = str(tmp_path / "bot.sqlite3")
    with contextlib.ExitStack() as other:
        other.enter_context(running_alone(target))
        started = time.monotonic()
        with pytest.raises(AlreadyRunning), contextlib.ExitStack() as mine:
            await hold(mine, target, 1)
        assert 1 <= time.monotonic() - started < 5
        waiting = asyncio.create_task(hold(mine := contextlib.ExitStack(), target, 30))
        await asyncio.sleep(0.3)
        assert not waiting.done()
    await asyncio.wait_for(waiting, 5)  # taken once the other let go
    mine.close()
    told = [r.getMessage() for r in caplog.records if "waiting up to" in r.getMessage()]
    assert told == [
        f"another bot process (pid {os.getpid()}) is running on {target}; waiting up to 1 s for it to stop",
        f"another bot process (pid {os.getpid()}) is running on {target}; waiting up to 30 s for it to stop",
    ]


def test_run_waits_for_the_bot_before_it_on_the_same_file(tmp_path: Path) -> None:
    """`run` (a service, whose restart may overlap the old process) waits; here it then goes on to
    its platform, which cannot be reached: exit code 3, not 2."""
    db = tmp_path / "bot.sqlite3"
    first = subprocess.Popen(
        [*BOT, "console", "--db", str(db)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, cwd=ROOT, env=_environment(),
    )  # fmt: skip
    _holding(Path(f"{db}.lock"), first.pid)
    config = tmp_path / "c.yaml"
    config.write_text('matrix:\n  homeserver: "http://127.0.0.1:9"\n  user_id: "@bot:localhost"\n')
    second = subprocess.Popen(
        [*BOT, "run", "--config", str(config), "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env={**_environment(), "MATRIX_ACCESS_TOKEN": "syt_x"},
    )  # fmt: skip
    try:
        time.sleep(3)
        assert second.poll() is None, second.communicate()  # still waiting
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    _, stderr = second.communicate(timeout=60)
    assert f"another bot process (pid {first.pid}) is running on {db}; waiting up to 60 s for it to stop" in stderr
    assert second.returncode == 3, stderr


def test_a_file_system_without_locks_lets_the_bot_run_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unsupported(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", unsupported)
    target = str(tmp_path / "bot.sqlite3")
    with running_alone(target):
        pass
    assert [r.getMessage() for r in caplog.records] == [
        f"can't lock {target}.lock (No locks available): a second bot on this file would not be refused"
    ]
