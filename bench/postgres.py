"""PostgreSQL next to SQLite at national scale, several processes delivering, and failover.

    .venv/bin/python bench/postgres.py [--commands 2000] [--messages 10000] [--only commands,delivery]
                                       [--json out.json]

What it measures, in one run on one machine:
- **Loading**: the national-scale SQLite dataset (`scale.py`: 100,000 volunteers, 1,000,000
  contact-log entries) copied into PostgreSQL with `python -m bot copy-db`'s code, once: the copy
  is kept as a template database (`loaded`), and each run works on a clone of it.
- **Commands**: the command mix of `commands.py` (same seeded commands from 1,000 members, same
  starting data) through the real console adapter and dispatcher, on SQLite and on PostgreSQL,
  three times (`--runs`), each on fresh copies: p50 and p99 latency of the run whose p99 ratio is
  the median, and every run's ratio. Aim: PostgreSQL's p99 within 2× SQLite's.
- **Sweep**: one sweep with about 100 reminders due, on each backend (`sweep.py`'s arrangement).
- **Delivery**: 10,000 outbox messages drained by 1, 2 and 4 bot processes on one PostgreSQL
  database, each sending through a stand-in platform that answers after `--latency` seconds
  (a fast platform, never the limit: no rate limit, calls in parallel across processes).
  Throughput and its ratio to one process; every message must arrive exactly once. Aim: 4
  processes ≥ 3× one.
- **Failover**: two processes want the same platform connection; the holder is SIGKILLed; the
  time until the other has started the platform.

PostgreSQL is the `pgserver` wheel's server (16.2) on a Unix socket, with its default settings
(`synchronous_commit=on`, `fsync=on`), or the server named by `VOLUNTEER_BOT_BENCH_POSTGRES`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import commands
import scale
import sweep as sweep_bench
from figures import Figure, percentile, report, table

from bot.app import App
from bot.clock import ManualClock
from bot.core.messages import Delivery
from bot.core.notices import encode
from bot.core.text import fmt
from bot.storage import outbox
from bot.storage.copy import copy_database
from bot.storage.db import open_database
from bot.storage.outbox import OutboxMessage

HERE = Path(__file__).resolve().parent


def server() -> str:
    given = os.environ.get("VOLUNTEER_BOT_BENCH_POSTGRES")
    if given:
        return given
    import pgserver

    folder = scale.OUT / "postgres"
    folder.mkdir(parents=True, exist_ok=True)
    return str(pgserver.get_server(folder, cleanup_mode="stop").get_uri())


def _named(base: str, name: str) -> str:
    head, _, tail = base.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{tail}" if tail else "")


async def fresh(name: str, template: str | None = None) -> str:
    """An empty database `name` (or a copy of the database `template`, made by the server).

    The copy is made from the template's files (`STRATEGY FILE_COPY`, PostgreSQL 15 and later),
    which the server checkpoints as it copies. Its default since 15 copies block by block through
    the write-ahead log: ≈ 540 MB of it at national scale, which sets off a checkpoint that writes
    for the next 10–15 s, while the commands are being timed (they then measured the clone's
    aftermath: p99 21 ms where it is 14 ms without it). A running bot never follows such a burst."""
    base = server()
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        strategy = " STRATEGY FILE_COPY" if conn.get_server_version().major >= 15 else ""
        await conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}{strategy}" if template else ""))
    finally:
        await conn.close()
    return _named(base, name)


def tag(dataset: Path) -> str:
    """The hash in a dataset cache file's name (`scale.cache_path`: its sizes, seed and schema)."""
    return dataset.stem.rsplit("-", 1)[-1]


async def loaded(source: Path, name: str, tag: str) -> tuple[str, float | None]:
    """A fresh copy of `source` (a SQLite dataset) in PostgreSQL as database `name`, and the
    seconds `copy-db` took if it ran now. The first copy is vacuumed and kept as a template named
    by `tag`, and later runs have the server clone it in seconds instead of copying 2.6 million
    rows again; the template gets its name only once the copy is complete."""
    template = f"vb_tpl_{tag}_{name}"
    conn = await asyncpg.connect(server())
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", template)
    finally:
        await conn.close()
    took = None
    if not exists:
        url = await fresh(f"{template}_partial")
        started = time.perf_counter()
        await copy_database(str(source), url)
        took = time.perf_counter() - started
        conn = await asyncpg.connect(url)
        try:  # what autovacuum does within minutes of a bulk load: the visibility map, statistics
            await conn.execute("VACUUM (ANALYZE)")
        finally:
            await conn.close()
        conn = await asyncpg.connect(server())
        try:
            await conn.execute(f"ALTER DATABASE {template}_partial RENAME TO {template}")
        finally:
            await conn.close()
    return await fresh(name, template), took


async def command_mix(base: Path, count: int, warmup: int, seed: int, runs: int) -> list[Figure]:
    """The mix on each backend, `runs` times, each time on fresh copies of the data. A p99 over
    2,000 commands is the 20th slowest, and SQLite's moves with the disk's `fsync` (0.8 to 1.2 ms
    in one afternoon): the table shows the run whose p99 ratio is the median, and every run's."""
    plan = commands.plan(commands._model(base), warmup + count, seed)
    pairs: list[tuple[commands.Run, commands.Run]] = []
    copied: list[Figure] = []
    for _ in range(runs):
        url, took = await loaded(base, "vb_bench_national", tag(base))
        if took is not None:
            copied = [Figure("copy-db of the dataset into PostgreSQL", took, "s", "", None, None, "")]
        work = scale.copy_of(base, scale.OUT / "pg-commands.sqlite3")
        lite, _, _ = await commands.run_bot(work, plan, warmup, "full", record=False)
        scale.discard(work)
        pg, _, _ = await commands.run_bot(url, plan, warmup, "full", record=False)  # type: ignore[arg-type]
        pairs.append((lite, pg))
    p99 = [(percentile(pg.latencies, 99) / percentile(lite.latencies, 99), i) for i, (lite, pg) in enumerate(pairs)]
    lite, pg = pairs[sorted(p99)[len(p99) // 2][1]]
    p99s = percentile(lite.latencies, 99) * 1e3, percentile(pg.latencies, 99) * 1e3
    spread = f"median of {runs} runs, ratios {', '.join(f'{r:.2f}' for r, _ in sorted(p99))}"
    return [
        *copied,
        Figure("command latency p50, PostgreSQL", percentile(pg.latencies, 50) * 1e3, "ms", "", None,
               percentile(lite.latencies, 50) * 1e3, "SQLite, same commands"),
        Figure("command latency p99, PostgreSQL", p99s[1], "ms", "≤ 2× SQLite", p99s[1] <= 2 * p99s[0],
               p99s[0], "SQLite, same commands", spread),
        Figure("command throughput, PostgreSQL", count / pg.wall, "cmd/s", "", None, count / lite.wall,
               "SQLite, same commands", f"incidents: {pg.incidents} (SQLite {lite.incidents})"),
    ]  # fmt: skip


async def sweep_figures(base: Path) -> list[Figure]:
    arranged = scale.copy_of(base, scale.OUT / "pg-sweep.sqlite3")
    sweep_bench.arrange(arranged, 1)
    url, _ = await loaded(arranged, "vb_bench_sweep", tag(base))
    lite, lite_queued, _ = await sweep_bench.measure(arranged, 1)
    pg, pg_queued, _ = await sweep_bench.measure(url, 1)  # type: ignore[arg-type]
    scale.discard(arranged)
    return [
        Figure(f"sweep with {pg_queued[0]} due, full scale, PostgreSQL", pg[0] * 1e3, "ms", "", None,
               lite[0] * 1e3, f"SQLite, {lite_queued[0]} due"),
    ]  # fmt: skip


# -- delivery by several processes ------------------------------------------------------------


class Platform:
    """A stand-in platform: answers each message after `latency` seconds, remembers keys."""

    platform = "console"

    def __init__(self, latency: float, log: Path) -> None:
        self.latency = latency
        self.log = log.open("a", encoding="utf-8")

    async def deliver(self, delivery: Delivery) -> None:
        await asyncio.sleep(self.latency)
        self.log.write(delivery.key + "\n")
        self.log.flush()


async def drain(url: str, latency: float, log: Path) -> None:
    """One bot process's deliverer, sending until nothing is due (the `--drain` subprocess)."""
    app = await App.open(commands.make_config("full"), ManualClock(scale.NOW), url)
    app.attach(Platform(latency, log))
    try:
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        sys.stdin.readline()
        while await app.deliverer.deliver_due():
            pass
    finally:
        await app.close()


async def queue_messages(url: str, n: int) -> None:
    db = await open_database(url)
    try:
        now = int(scale.NOW.timestamp())
        async with db.transaction() as tx:
            body = encode(fmt("A message for the whole channel: nothing urgent."))
            messages = [
                OutboxMessage(f"bench:{i}", "note", body, now - 1, channel=f"console:c{i % 50}") for i in range(n)
            ]
            await outbox.queue(tx, messages, now - 1)
    finally:
        await db.close()


def deliver_with(processes: int, n: int, latency: float) -> tuple[float, int, int]:
    """Seconds for `processes` processes to drain `n` messages; messages received, distinct."""
    url = asyncio.run(fresh(f"vb_bench_deliver_{processes}"))
    asyncio.run(queue_messages(url, n))
    log = scale.OUT / f"delivered-{processes}.txt"
    log.unlink(missing_ok=True)
    command = [sys.executable, str(HERE / "postgres.py"), "--drain", url, "--latency", str(latency), "--log", str(log)]
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(processes)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.wait(timeout=3600)
    wall = time.perf_counter() - started
    keys = log.read_text("utf-8").split()
    return wall, len(keys), len(set(keys))


def delivery_figures(n: int, latency: float) -> list[Figure]:
    results = {}
    for processes in (1, 2, 4):
        results[processes] = deliver_with(processes, n, latency)
        print(f"  {processes} process(es): {results[processes][0]:.1f} s", flush=True)
    one = n / results[1][0]
    figures = []
    for processes, (wall, received, distinct) in results.items():
        rate = n / wall
        judged = processes == 4
        figures.append(Figure(
            f"outbox delivery, {processes} process{'es' if processes > 1 else ''}, {n:,} messages", rate, "msg/s",
            "≥ 3× one process" if judged else "", rate >= 3 * one if judged else None, one, "1 process",
            f"platform answers in {latency * 1e3:.0f} ms; received {received:,}, distinct {distinct:,}",
        ))  # fmt: skip
    return figures


# -- failover -----------------------------------------------------------------------------------


async def hold(url: str) -> None:
    """A process that wants the `bench` platform connection (the `--hold` subprocess)."""
    from bot.holding import Holder

    class Stand:
        platform = "bench"

        async def start(self) -> None:
            sys.stdout.write(f"holding {time.time()}\n")
            sys.stdout.flush()

        async def stop(self) -> None:
            return None

        async def deliver(self, delivery: Delivery) -> None:
            return None

    app = await App.open(commands.make_config("full"), ManualClock(scale.NOW), url)
    failed: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
    holder = Holder(app, Stand(), "bench")  # type: ignore[arg-type]
    await holder.start(failed)
    sys.stdout.write("started\n")
    sys.stdout.flush()
    await failed


async def _migrated(name: str) -> str:
    url = await fresh(name)
    await (await open_database(url)).close()
    return url


def failover_figures(rounds: int) -> list[Figure]:
    url = asyncio.run(_migrated("vb_bench_failover"))
    times = []
    command = [sys.executable, str(HERE / "postgres.py"), "--hold", url]
    for _ in range(rounds):
        first = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert first.stdout is not None
        assert first.stdout.readline().startswith("holding")
        second = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert second.stdout is not None and second.stdout.readline().strip() == "started"
        killed = time.time()
        first.send_signal(signal.SIGKILL)
        first.wait()
        line = second.stdout.readline()
        times.append(float(line.split()[1]) - killed)
        second.kill()
        second.wait()
    return [Figure("platform failover after SIGKILL of the holder (lease)", max(times), "s", "< 60 s",
                   max(times) < 60, None, "", f"worst of {rounds}; median {percentile(times, 50):.1f} s")]  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="of the command mix on each backend")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.010)
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    parser.add_argument("--only", help="some of commands,sweep,delivery,failover (all by default)")
    parser.add_argument("--drain", help=argparse.SUPPRESS)
    parser.add_argument("--hold", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drain:
        asyncio.run(drain(args.drain, args.latency, Path(args.log)))
        return 0
    if args.hold:
        asyncio.run(hold(args.hold))
        return 0
    sizes = scale.Sizes.fraction(args.fraction)
    base = scale.build(sizes, args.seed)
    results: list[Figure] = []
    parts = {
        "commands": lambda: asyncio.run(command_mix(base, args.commands, args.warmup, args.seed, args.runs)),
        "sweep": lambda: asyncio.run(sweep_figures(base)),
        "delivery": lambda: delivery_figures(args.messages, args.latency),
        "failover": lambda: failover_figures(3),
    }
    for name, part in parts.items():
        if args.only and name not in args.only.split(","):
            continue
        found = part()
        print(table(found), flush=True)  # each part's figures as soon as they are known
        results += found
    report(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
