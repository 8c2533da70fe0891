"""The leads' dashboard at national scale: every page within 500 ms, small enough for a phone.

    .venv/bin/python bench/dashboard.py [--runs 5] [--json out.json]

What it measures. The dashboard (`bot/web`) serves a copy of the full-scale database
(`bench/scale.py`: 100,000 volunteers, 1,000,000 contact-log entries, ≈45,000 ties) from a real
server on 127.0.0.1, signed in as a lead; an aiohttp client asks for each page `--runs` times
after one warm-up, and the figure is the median answer, with the slowest in the note (the whole
HTTP request: the session check, the page's queries on the read connection, rendering; on a
shared 2-core machine the slowest of a few moves with whatever else runs). Pages: the network as the whole
(drawn by region, above 2,000 members), a region drilled into, a region and library type (members
drawn one by one), coloured by library type; coverage (and for one skill); the asks board with
10,000 open asks; follow-ups and check-ins; one member; and three CSV downloads of whole tables.
Also the largest page's size (target: under 200 KB, for a phone). Baseline: a static file from
the same server (the HTTP round trip with nothing to compute).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import scale
from figures import Figure, report

from bot.areas import dashboard
from bot.clock import ManualClock, to_ts
from bot.config import Config, build, validate
from bot.storage.db import Database
from bot.web.server import Dashboard

TARGET_MS = 500


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _biggest_region(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(
            conn.execute(
                "SELECT region_key FROM people WHERE region_key IS NOT NULL GROUP BY region_key ORDER BY COUNT(*) DESC"
            ).fetchone()[0]
        )
    finally:
        conn.close()


def _pages(path: Path, region_id: str) -> list[tuple[str, str]]:
    """The pages timed; a region goes in an address by its opaque id (`dashboard.addresses`)."""
    conn = sqlite3.connect(path)
    try:
        skill = conn.execute("SELECT skill FROM person_skills WHERE skill = 'research' LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    key = region_id
    return [
        ("network, 100,000 members drawn by region", "/network"),
        ("network, coloured (and drawn) by library type", "/network?colour=library"),
        ("network, one region (drill-down)", f"/network?region={key}"),
        ("network, one region and library type (members drawn)", f"/network?region={key}&library=public"),
        ("coverage heat map", "/coverage"),
        ("coverage for one skill", f"/coverage?skill={skill}"),
        ("asks board, 10,000 open asks", "/asks"),
        ("follow-ups and check-ins", "/follow-ups"),
        ("one member", f"/people/{scale.MEMBERS[0]}"),
        ("CSV: every open ask", "/asks/asks.csv"),
        ("CSV: every isolated member", "/network/isolated.csv"),
        ("CSV: every open follow-up on a shared contact", "/follow-ups/followups.csv"),
    ]


async def measure(path: Path, runs: int) -> list[Figure]:
    import aiohttp

    config = validate(build(Config, {"organisation": {"timezone": "America/Chicago"}}, ""))
    clock = ManualClock(scale.NOW)
    db = await Database.open(path, synchronous="normal")
    reader = await Database.open_reader(path)
    server = Dashboard(db, reader, config, clock)
    port = _port()
    await server.start("127.0.0.1", port)
    figures: list[Figure] = []
    try:
        async with db.transaction() as tx:
            lead = await dashboard.access.viewer(tx, None, 0, config)  # (no session: just warms the connection)
            from bot.storage import persons

            person = await persons.get(tx, persons.PersonId(2))
            assert person is not None and lead is dashboard.Refused.NO_SESSION
            token = await dashboard.access.new_link(tx, person, person.role, to_ts(scale.NOW))
            session = await dashboard.access.open_session(tx, token, to_ts(scale.NOW), config)
            region = _biggest_region(path)
            region_id = (await dashboard.addresses.regions(tx, [region])).id_of(region)
        assert isinstance(session, str) and region_id is not None
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession(cookies={"vb_session": session}) as client:

            async def timed(url: str) -> tuple[float, int, int]:
                started = time.perf_counter()
                async with client.get(base + url) as response:
                    body = await response.read()
                return (time.perf_counter() - started) * 1000, response.status, len(body)

            static = []
            for _ in range(runs + 1):
                static.append((await timed("/static/style.css"))[0])
            floor = min(static)
            biggest = (0, "")
            for name, url in _pages(path, region_id):
                await timed(url)  # warm-up
                times = []
                for _ in range(runs):
                    took, status, size = await timed(url)
                    if status != 200:
                        raise RuntimeError(f"{url} answered {status}")
                    times.append(took)
                    if not url.endswith(".csv") and size > biggest[0]:
                        biggest = (size, name)
                median, slowest = statistics.median(times), max(times)
                csv = url.endswith(".csv")
                figures.append(Figure(
                    name, median, "ms", "" if csv else f"< {TARGET_MS} ms", None if csv else median < TARGET_MS,
                    floor, "a static file", note=f"median of {runs}, slowest {slowest:,.0f} ms, {size / 1024:,.0f} KB",
                ))  # fmt: skip
            figures.append(Figure("largest page", biggest[0] / 1024, "KB", "< 200 KB", biggest[0] < 200 * 1024,
                                  note=biggest[1]))  # fmt: skip
    finally:
        await server.stop()
        await reader.close()
        await db.close()
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    source = scale.build(scale.Sizes.full())
    work = scale.copy_of(source, scale.OUT / "dashboard-work.sqlite3")
    try:
        figures = asyncio.run(measure(work, args.runs))
    finally:
        scale.discard(work)
    report(figures, args.json)
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
