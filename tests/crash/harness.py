"""The bot as real processes: one database, config and journal in a folder, and each `run` one
process lifetime (`python -m bot console --start <clock>` fed a script), optionally frozen at a
named crash point (`bot/crashpoints.py`) and killed there with SIGKILL.

Each process is forked by `forkserver.py` from one that imported the bot once (a few
milliseconds instead of half a second of start-up), and is still a process of its own, killed for
real. Output goes to files, not pipes, so a chatty process never blocks on a full pipe before
reaching its pause point; every wait has a deadline.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot.crashpoints import ENV, TRACE

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0  # seconds: the longest one process may take to reach its pause point or its end
CONFIG = 'organisation:\n  timezone: "America/Chicago"\n'
#: Outbox columns that only record delivery; what a sweep job did is everything else.
DELIVERY_COLUMNS = frozenset({"status", "attempts", "next_attempt_at", "last_error", "sent_at", "batch_key"})

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Life:
    """One process lifetime: its clock starts at `start` (frozen but for `::` directives), it reads
    `script`, and, with `pause_at`, it is killed when it reaches that crash point."""

    start: str
    script: str = ""
    pause_at: str | None = None
    trace: bool = False  # note every crash point reached (`Ran.reached`)


@dataclass(frozen=True)
class Ran:
    life: Life
    stdout: str
    stderr: str
    paused: str | None  # where it was killed (`sweep-before-commit:stale claims (#1)`), None if it ran to its end

    @property
    def reached(self) -> list[str]:
        """Every crash point it reached, in order (with `Life.trace`)."""
        return [line.removeprefix("reached ") for line in self.stderr.splitlines() if line.startswith("reached ")]


@dataclass
class Bot:
    """One database, config and journal; each `run` is one process lifetime."""

    folder: Path
    config: str = CONFIG
    runs: list[Ran] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "config.yaml").write_text(self.config)

    @property
    def db(self) -> Path:
        return self.folder / "bot.sqlite3"

    @property
    def journal(self) -> Path:
        return self.folder / "journal.txt"

    def clone(self, folder: Path) -> Bot:
        """Another bot carrying on from this one's database and journal (this one must not be running)."""
        other = Bot(folder, self.config)
        for path in self.folder.iterdir():
            if path.name.startswith(("bot.sqlite3", "journal")):
                shutil.copy2(path, folder / path.name)
        return other

    def run(self, life: Life) -> Ran:
        n = len(self.runs)
        script, out, err = (self.folder / f"{what}{n}.txt" for what in ("in", "out", "err"))
        script.write_text(life.script)
        out.write_text("")
        err.write_text("")
        argv = ["console", "--config", str(self.folder / "config.yaml"), "--db", str(self.db),
                "--journal", str(self.journal), "--start", life.start]  # fmt: skip
        child = forker().spawn(argv, {ENV: life.pause_at, TRACE: "1" if life.trace else None}, script, out, err)
        paused = _until_paused_or_done(child, err, life)
        ran = Ran(life, out.read_text(), err.read_text(), paused)
        self.runs.append(ran)
        return ran

    def live(self, lives: Iterable[Life]) -> list[Ran]:
        return [self.run(life) for life in lives]

    def seen(self, text: str) -> int:
        """How many times `text` was printed, over every run (what a person at the console saw)."""
        return sum(ran.stdout.count(text) for ran in self.runs)

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Ask a copy of the database (as a kill left it: the copy, not the test, recovers its log)."""
        copy = self.folder / "read"
        shutil.rmtree(copy, ignore_errors=True)
        copy.mkdir()
        for path in self.folder.glob("bot.sqlite3*"):
            shutil.copy2(path, copy / path.name)
        conn = sqlite3.connect(copy / "bot.sqlite3")
        try:
            return query(conn)
        finally:
            conn.close()

    def tables(self) -> dict[str, frozenset[tuple[object, ...]]]:
        """Every table's rows (the outbox without its delivery columns): what the sweeps wrote."""
        return self.read(_tables)


def _tables(conn: sqlite3.Connection) -> dict[str, frozenset[tuple[object, ...]]]:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for name in names:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
        kept = ", ".join(f'"{c}"' for c in columns if name != "outbox" or c not in DELIVERY_COLUMNS)
        found[name] = frozenset(conn.execute(f'SELECT {kept} FROM "{name}"'))
    return found


def _until_paused_or_done(child: Child, err: Path, life: Life) -> str | None:
    """Wait for the process to end, or to pause at its crash point (then SIGKILL it)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if life.pause_at is not None:
            paused = next((line for line in err.read_text().splitlines() if line.startswith("paused at ")), None)
            if paused is not None:
                child.kill()
                return paused.removeprefix("paused at ")
        code = child.exit_code()
        if code is not None:
            if code != 0:
                raise AssertionError(f"the bot exited with {code} at {life}: {err.read_text()}")
            return None
        time.sleep(0.005)
    child.kill()
    raise AssertionError(f"the bot took more than {WAIT:.0f}s at {life}: {err.read_text()}")


class Child:
    """A bot process the fork server started."""

    def __init__(self, server: Forker, request: int) -> None:
        self.server = server
        self.request = request
        self.pid = server.reply(request, "pid")

    def exit_code(self) -> int | None:
        return self.server.replies.get((self.request, "exit"))

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.server.reply(self.request, "exit")


class Forker:
    """The client of `forkserver.py`: bot processes for a few milliseconds each instead of half a second."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, str(Path(__file__).with_name("forkserver.py"))]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.replies: dict[tuple[int, str], int] = {}
        self._changed = threading.Condition()
        self._requests = itertools.count()
        threading.Thread(target=self._read, daemon=True).start()

    def spawn(self, argv: list[str], env: dict[str, str | None], stdin: Path, out: Path, err: Path) -> Child:
        request = next(self._requests)
        line = json.dumps({"id": request, "argv": argv, "env": env, "stdin": str(stdin), "stdout": str(out),
                           "stderr": str(err)})  # fmt: skip
        with self._changed:
            assert self.proc.stdin is not None
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        return Child(self, request)

    def reply(self, request: int, what: str) -> int:
        with self._changed:
            if not self._changed.wait_for(lambda: (request, what) in self.replies or self.proc.poll() is not None, 10):
                raise AssertionError(f"the fork server gave no {what} for request {request} in 10s")
            if (request, what) not in self.replies:
                raise AssertionError(f"the fork server stopped (exit {self.proc.returncode})")
            return self.replies[request, what]

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            reply = json.loads(line)
            with self._changed:
                what = "pid" if "pid" in reply else "exit"
                self.replies[reply["id"], what] = reply[what]
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


_forker: Forker | None = None
_forker_lock = threading.Lock()


def forker() -> Forker:
    """The session's fork server, started on first use (`stop_forker` ends it)."""
    global _forker
    with _forker_lock:
        if _forker is None:
            _forker = Forker()
        return _forker


def stop_forker() -> None:
    global _forker
    with _forker_lock:
        if _forker is not None:
            _forker.close()
            _forker = None


def in_parallel(work: Callable[[T], R], items: Sequence[T], workers: int = 3) -> list[R]:
    """`work` on every item, a few processes at a time (each process is mostly waiting on a core)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, items))
