"""Command throughput and latency at national scale, against raw sqlite3 running the same SQL.

    .venv/bin/python bench/commands.py [--commands 5000] [--runs 5] [--sync full,normal] [--json out.json]

What it measures. 1,000 simulated members (`scale.MEMBERS`) send a realistic mix of commands to
the bot in private chats — `profile` (show or set), `asks` (all, by skill, mine), `claim`,
`update`, `done`, `contact note`, `followups`, `mine` — through the real console adapter, the
real dispatcher and the real storage, in-process, on a copy of the full-scale database
(`scale.py`: 100,000 volunteers, 1,000,000 contact-log entries). The mix is drawn from a seeded
stream against a model of the data (members claim asks that have room, update and finish what
they hold, note contacts they own), so every run sends the same commands. Each command is timed
from the console's `say` until its replies are printed and whatever it queued for others has
been handed to the deliverer: commands/s over the whole run, and p50/p99 latency.

The baseline. While the bot runs, every statement it sends to SQLite (SQL text and parameters,
including BEGIN/COMMIT/SAVEPOINT, and the switch to `synchronous=NORMAL` around a bookkeeping
transaction, whose COMMIT does not wait for the disk) is recorded per command. The same
statements are then replayed with plain `sqlite3` on a second copy of the same database with the
same pragmas, fetching every row, timing only the replay. That is what the bot would cost if Python, the dispatcher, the
feature code and aiosqlite's thread hops took no time: the physical limit of this mix on this
machine. The recording itself takes time (a wrapper around every call into SQLite, and
the growing record the collector walks), so the bot is timed in a second run of the same
commands on a fresh copy, not recorded; its replies must match the recorded run's word for
word. (Recording parameters instead of the expanded SQL of `set_trace_callback` keeps the
statement cache working for the replay, as it does for the bot; expanded SQL would make SQLite
parse every statement again and flatter the bot.)

Both `synchronous=FULL` (the default: every commit waits for the disk) and `NORMAL` are run;
the targets are judged at FULL. A first stretch of commands warms both sides up and is not
counted. Each is run `--runs` times (five: issue 15 judges the median of five), each run on
fresh copies of the database; the table shows the run with the median throughput ratio, and
the note every run's ratio, so the spread is in view.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite
import scale
from figures import Figure, percentile, report

from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock
from bot.config import Config, build, validate
from bot.storage.backends import sqlite as db_module
from bot.storage.backends import sqlite_tx

MIX = {  # command kind → weight (per cent)
    "profile": 10,
    "asks": 20,
    "claim": 10,
    "update": 15,
    "done": 5,
    "contact note": 15,
    "followups": 10,
    "mine": 15,
}
NOTE_WORDS = [
    "called",
    "met",
    "emailed",
    "agreed",
    "about",
    "the",
    "rally",
    "budget",
    "petition",
    "hearing",
    "staff",
    "meeting",
    "next",
    "week",
]


def make_config(synchronous: str) -> Config:
    data = {
        "organisation": {"name": "Library Workers", "timezone": "America/Chicago"},
        "database": {"synchronous": synchronous},
    }
    return validate(build(Config, data, ""))


@dataclass
class _Model:
    """What the generator knows of the data, kept up to date as it plans commands."""

    claims: dict[int, list[int]]  # member → asks they hold an active claim on
    contacts: dict[int, list[int]]  # member → contacts they own
    room: dict[int, int]  # open ask → slots still free
    need: dict[int, int]
    done: dict[int, int]  # open ask → claims finished
    finished: set[tuple[int, int]] = field(default_factory=set)  # (member, ask) done


def _model(path: Path) -> _Model:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        low, high = scale.MEMBERS.start, scale.MEMBERS.stop - 1
        claims: dict[int, list[int]] = {m: [] for m in scale.MEMBERS}
        for person, ask in conn.execute(
            "SELECT person_id, ask_id FROM claims WHERE status = 'active' AND person_id BETWEEN ? AND ? ORDER BY id",
            (low, high),
        ):
            claims[person].append(ask)
        contacts: dict[int, list[int]] = {m: [] for m in scale.MEMBERS}
        for owner, cid in conn.execute(
            "SELECT owner_id, id FROM contacts WHERE owner_id BETWEEN ? AND ? ORDER BY id", (low, high)
        ):
            contacts[owner].append(cid)
        room, need, done = {}, {}, {}
        for ask, n, taken, finished in conn.execute(
            "SELECT a.id, a.need, (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status != 'released'),"
            " (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status = 'done')"
            " FROM asks a WHERE a.status = 'open' ORDER BY a.id"
        ):
            room[ask], need[ask], done[ask] = n - taken, n, finished
    finally:
        conn.close()
    return _Model(claims, contacts, room, need, done)


def plan(model: _Model, count: int, seed: int) -> list[tuple[str, str, str]]:
    """`count` commands as (kind, member name, text), drawn from the mix against the model."""
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    open_asks = sorted(model.room)
    out: list[tuple[str, str, str]] = []
    while len(out) < count:
        member = rng.choice(scale.MEMBERS)
        kind = rng.choices(kinds, weights)[0]
        held = model.claims[member]
        if kind in {"update", "done"} and not held:
            kind = "claim"
        text = _command(rng, model, member, kind, held, open_asks)
        if text is not None:
            out.append((kind, f"v{member}", text))
    return out


def _command(
    rng: random.Random, model: _Model, member: int, kind: str, held: list[int], open_asks: list[int]
) -> str | None:
    words = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(3, 9)))
    if kind == "profile":
        return rng.choice(
            ["!profile", "!profile", '!profile hours:"weekday evenings, 3h a week"',
             f"!profile interests:{rng.choice(scale.INTERESTS)},{rng.choice(scale.INTERESTS)}",
             "!profile quiet:22:00-08:00"]
        )  # fmt: skip
    if kind == "asks":
        return rng.choice(["!asks", "!asks", f"!asks {rng.choice(scale.SKILLS)}", "!asks mine"])
    if kind == "claim":
        for _ in range(50):
            ask = rng.choice(open_asks)
            if model.room[ask] > 0 and ask not in held and (member, ask) not in model.finished:
                model.room[ask] -= 1
                held.append(ask)
                return f"!claim {ask}"
        return None
    if kind == "update":
        return f"!update {rng.choice(held)} {words}"
    if kind == "done":
        ask = held.pop(rng.randrange(len(held)))
        model.finished.add((member, ask))
        model.done[ask] += 1
        if model.done[ask] >= model.need[ask]:
            model.room[ask] = 0  # the ask closed
        return f"!done {ask} {words}" if rng.random() < 0.5 else f"!done {ask}"
    if kind == "contact note":
        if not model.contacts[member]:
            return None
        follow = " follow:friday" if rng.random() < 0.2 else ""
        return f"!contact note {rng.choice(model.contacts[member])} {words}{follow}"
    return f"!{kind}"  # followups, mine


Statement = tuple[str, str, Any]  # ("one" | "many", sql, parameters)


def _of_the_command(sql: str) -> bool:
    """Whether a statement sent in a batch is part of the command's SQL. A connection's settings
    and the checkpoints are not; the switch of `synchronous` around a bookkeeping transaction is
    (its COMMIT does not wait for the disk, so the replay's must not either)."""
    return not sql.startswith("PRAGMA") or sql.startswith("PRAGMA synchronous")


class Recorder:
    """Keeps every statement the bot's aiosqlite connection runs, per command."""

    def __init__(self) -> None:
        self.commands: list[list[Statement]] = []
        self._current: list[Statement] | None = None
        self._open: dict[int, list[Statement]] = {}  # per connection: its transaction so far

    def start(self) -> None:
        self._current = []
        self.commands.append(self._current)

    def install(self) -> Callable[[], None]:
        """Wrap the aiosqlite methods `bot.storage.db` uses, and its batches; returns the undo."""
        connection = aiosqlite.Connection
        execute, fetchall, executemany = connection.execute, connection.execute_fetchall, connection.executemany
        recorder = self

        def recording_execute(self: aiosqlite.Connection, sql: str, parameters: Any = None) -> Any:
            # The background checkpointer's own connection is not part of any command.
            # Connection settings (a reader's query_only) and the background checkpointer's own
            # work are not part of any command.
            if recorder._current is not None and not sql.startswith("PRAGMA"):
                recorder._current.append(("one", sql, parameters if parameters is not None else ()))
            return execute(self, sql, parameters)

        def recording_fetchall(self: aiosqlite.Connection, sql: str, parameters: Any = None) -> Any:
            if recorder._current is not None:
                recorder._current.append(("one", sql, parameters if parameters is not None else ()))
            return fetchall(self, sql, parameters)

        def recording_executemany(self: aiosqlite.Connection, sql: str, parameters: Iterable[Any]) -> Any:
            rows = list(parameters)
            if recorder._current is not None:
                recorder._current.append(("many", sql, rows))
            return executemany(self, sql, rows)

        batch = sqlite_tx._run_batch

        def recording_batch(conn: sqlite3.Connection, statements: Any, fetch: bool, *costs: Any) -> Any:
            # The writer and the readers run side by side: each connection's transaction is
            # recorded whole, when it ends, so the replay on one connection runs them one by one.
            held = recorder._open.setdefault(id(conn), [])
            held.extend(s for s in statements if _of_the_command(s[1]))
            try:
                return batch(conn, statements, fetch, *costs)
            finally:
                if not conn.in_transaction and recorder._current is not None:
                    recorder._current.extend(held)
                    held.clear()

        sqlite_tx._run_batch = recording_batch
        connection.execute = recording_execute  # type: ignore[method-assign]
        connection.execute_fetchall = recording_fetchall  # type: ignore[method-assign]
        connection.executemany = recording_executemany  # type: ignore[method-assign]

        def uninstall() -> None:
            sqlite_tx._run_batch = batch
            connection.execute = execute  # type: ignore[method-assign]
            connection.execute_fetchall = fetchall  # type: ignore[method-assign]
            connection.executemany = executemany  # type: ignore[method-assign]

        return uninstall


@dataclass(frozen=True)
class Run:
    latencies: list[float]  # seconds, per counted command
    wall: float  # seconds for the counted commands
    statements: int
    incidents: int


async def run_bot(
    path: Path, commands: list[tuple[str, str, str]], warmup: int, synchronous: str, *, record: bool = True
) -> tuple[Run, Recorder, list[str]]:
    """The commands through the bot; with `record`, every statement is kept for the replay (and
    the run is slower by the recording: the timed run is a second one, without it)."""
    recorder = Recorder()
    app = await App.open(make_config(synchronous), ManualClock(scale.NOW), str(path))
    gc.collect()
    gc.freeze()  # as `python -m bot run` does once started (bot/__main__.py)
    printed: list[str] = []
    console = Console(app, printed.append)
    console.in_dm = True  # people mostly talk to the bot privately, from their phones
    console.settles = False  # many people, as on a platform: reads' records are written behind, together
    uninstall = recorder.install() if record else lambda: None
    latencies: list[float] = []
    try:
        started = 0.0
        for index, (_, member, text) in enumerate(commands):
            if index == warmup:
                started = time.perf_counter()
            recorder.start()
            begin = time.perf_counter()
            await console.say(member, text)
            latencies.append(time.perf_counter() - begin)
        wall = time.perf_counter() - started
    finally:
        uninstall()
        await app.close()
        gc.unfreeze()
    incidents = sum("something went wrong on my side" in line for line in printed)
    counted = recorder.commands[warmup:]
    return Run(latencies[warmup:], wall, sum(len(c) for c in counted), incidents), recorder, printed


def replay(path: Path, recorder: Recorder, warmup: int, synchronous: str) -> Run:
    """The recorded statements on raw sqlite3, with the bot's pragmas, timed per command.

    The bot checkpoints the write-ahead log on a background thread, so its commits seldom pay
    for one; the replay does no background checkpoints, and its writer, like the bot's, only
    checkpoints when the log reaches the pragmas' limit (once in a run)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in db_module.pragmas(synchronous):  # the bot's own settings
        conn.execute(pragma)
    latencies: list[float] = []
    started = 0.0
    try:
        for index, statements in enumerate(recorder.commands):
            if index == warmup:
                started = time.perf_counter()
            begin = time.perf_counter()
            for kind, sql, parameters in statements:
                if kind == "one":
                    conn.execute(sql, parameters).fetchall()
                else:
                    conn.executemany(sql, parameters)
            latencies.append(time.perf_counter() - begin)
        wall = time.perf_counter() - started
    finally:
        conn.close()
    counted = recorder.commands[warmup:]
    return Run(latencies[warmup:], wall, sum(len(c) for c in counted), 0)


def figures_for(synchronous: str, runs: list[tuple[Run, Run]], judged: bool) -> list[Figure]:
    """The run whose throughput ratio is the median of all runs; every run's ratio in the note."""
    label = f"synchronous={synchronous.upper()}"
    ratios = sorted((raw.wall / bot.wall, index) for index, (bot, raw) in enumerate(runs))
    bot, raw = runs[ratios[len(ratios) // 2][1]]
    n = len(bot.latencies)
    rate, raw_rate = n / bot.wall, n / raw.wall
    p50, p99 = percentile(bot.latencies, 50) * 1e3, percentile(bot.latencies, 99) * 1e3
    raw50, raw99 = percentile(raw.latencies, 50) * 1e3, percentile(raw.latencies, 99) * 1e3
    per = f"{bot.statements / n:.1f} statements/command"
    spread = f"median of {len(runs)} runs, ratios {', '.join(f'{r:.2f}' for r, _ in ratios)}"
    p99s = f"runs {', '.join(f'{percentile(b.latencies, 99) * 1e3:.2f}' for b, _ in runs)}"
    return [
        Figure(f"command throughput, {label}", rate, "cmd/s", "≥ ½ of baseline" if judged else "",
               rate >= raw_rate / 2 if judged else None, raw_rate, "raw sqlite3, same SQL", f"{spread}; {per}"),
        Figure(f"command latency p50, {label}", p50, "ms", "", None, raw50, "raw sqlite3"),
        Figure(f"command latency p99, {label}", p99, "ms", "≤ 10 ms" if judged else "",
               p99 <= 10 if judged else None, raw99, "raw sqlite3", p99s),
    ]  # fmt: skip


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=5000, help="commands counted (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sync", default="full,normal")
    parser.add_argument("--fraction", type=float, default=1.0, help="data scale (1.0: issue 9's)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    sizes = scale.Sizes.fraction(args.fraction)
    base = scale.build(sizes, args.seed)
    commands = plan(_model(base), args.warmup + args.commands, args.seed)
    counts = {kind: sum(1 for k, _, _ in commands[args.warmup :] if k == kind) for kind in MIX}
    print(f"{sizes.label()}; {args.commands:,} commands from 1,000 members: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)  # fmt: skip
    results: list[Figure] = []
    for synchronous in args.sync.split(","):
        runs: list[tuple[Run, Run]] = []
        for _ in range(args.runs):
            work = scale.copy_of(base, scale.OUT / f"commands-{synchronous}.sqlite3")
            raw_copy = scale.copy_of(base, scale.OUT / f"commands-{synchronous}-raw.sqlite3")
            recorded, recorder, said = await run_bot(work, commands, args.warmup, synchronous)
            scale.discard(work)
            work = scale.copy_of(base, scale.OUT / f"commands-{synchronous}.sqlite3")
            bot, _, timed_said = await run_bot(work, commands, args.warmup, synchronous, record=False)
            if timed_said != said:
                raise SystemExit("the timed run answered differently from the recorded one: not the same SQL")
            bot = dataclasses.replace(bot, statements=recorded.statements)
            raw = replay(raw_copy, recorder, args.warmup, synchronous)
            if bot.incidents:
                print(f"!! {bot.incidents} commands ended in an incident (see the log)", flush=True)
            print(f"{synchronous}: {raw.wall / bot.wall:.2f}x raw sqlite3", flush=True)
            runs.append((bot, raw))
            scale.discard(work, raw_copy)
        results += figures_for(synchronous, runs, judged=synchronous.lower() == "full")
    report(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
