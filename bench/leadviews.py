"""The leads' views at national scale: each within 20 ms at 100,000 volunteers, and flat from 10,000.

    .venv/bin/python bench/leadviews.py [--runs 15] [--views network,coverage] [--json out.json]

What it measures. A lead (`v2`) sends each of the leads' chat views to the bot in a private
chat — `network` (the whole and one member), `coverage` by region, library type and skill,
`contacts` (every contact a lead may see, and a search), `digest`, `checkins` (everyone and one
member) — through the real console adapter, dispatcher and storage, in-process, on copies of two
databases built by `scale.py` with the same seed: 10,000 volunteers (100,000 contact-log entries)
and 100,000 volunteers (1,000,000 entries). Each view is timed from the console's `say` until its
reply is printed, `--runs` times after two warm-ups. Both databases are open at once and each
view is sent to one and then the other, the views taking turns, so a burst of load on this shared
machine lands on both sides of a ratio; the figure is the median, with the spread (fastest and
slowest) in the note, and the ratio is the median of the paired runs' ratios.

Baselines, measured in the same run:
- **raw sqlite3, same SQL**: every statement the bot sent for the view (recorded as in
  `commands.py`) replayed with plain `sqlite3` on another copy with the bot's pragmas — the
  physical limit of that SQL, without Python, the dispatcher or aiosqlite's thread.
- **naive SQL** (in the note): the queries the view ran before issue 15 (`NAIVE` below, each
  computing the same answer from the base tables), replayed the same way — what the view costs
  without its summaries and indexes.

Figures: each view at 100,000 volunteers (target ≤ 20 ms), and its 100,000 ÷ 10,000 ratio
(target ≤ 1.5: the view costs what it shows, not what is stored).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import scale
from commands import Recorder, make_config, replay
from figures import Figure, report

from bot.adapters.console import Console
from bot.app import App
from bot.clock import ManualClock
from tests.areas.leads import naive

LEAD = "v2"
MEMBER = f"v{scale.MEMBERS[0]}"
VIEWS = {  # name → what the lead types
    "network": "!network",
    "network @member": f"!network @{MEMBER}",
    "coverage": "!coverage",
    "coverage by:library": "!coverage by:library",
    "coverage by:skill": "!coverage by:skill",
    "contacts (all a lead may see)": "!contacts",
    "contacts budget (a search)": "!contacts budget",
    "contacts org (a word in 80% of contacts)": "!contacts org",
    "contacts budget union (two words)": "!contacts budget union",
    "digest": "!digest",
    "checkins": "!checkins",
    "checkins @member": f"!checkins @{MEMBER}",
}
SCALES = {"10k": 0.1, "100k": 1.0}

_SINCE = "(:now - 30 * 86400)"
_ISOLATED = (
    "p.signed_up_at IS NOT NULL AND (p.paused_at IS NULL OR (p.paused_until IS NOT NULL AND p.paused_until <= :now))"
    f" AND NOT EXISTS (SELECT 1 FROM ties t WHERE t.a_id = p.id AND t.last_at >= {_SINCE})"
    f" AND NOT EXISTS (SELECT 1 FROM ties t WHERE t.b_id = p.id AND t.last_at >= {_SINCE})"
)
_GROUPS = (
    "SELECT MAX(region) AS region, library, COUNT(*) AS n, MAX(CASE WHEN visibility = 'leads' THEN 1 ELSE 0 END)"
    " FROM people WHERE signed_up_at IS NOT NULL GROUP BY region_key, library"
)


def _searched(match: str) -> list[str]:
    """A lead's contact search as it was: every contact read, for the page and again for the count."""
    seen = f"(c.owner_id = 2 OR c.share = 'members' OR c.share = 'leads') AND {match}"
    return [
        f"SELECT c.*, p.display_name FROM contacts c JOIN people p ON p.id = c.owner_id WHERE {seen}"
        " ORDER BY c.name COLLATE NOCASE, c.id LIMIT 10",
        f"SELECT COUNT(*) FROM contacts c WHERE {seen}",
    ]


# The views' queries as they were before issue 15: the same answers, from the base tables.
NAIVE: dict[str, list[str]] = {
    "network": [
        "SELECT COUNT(*) FROM people WHERE signed_up_at IS NOT NULL",
        f"SELECT COUNT(*), SUM(CASE WHEN t.last_at >= {_SINCE} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {naive.CROSS['region']} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {naive.CROSS['library']} THEN 1 ELSE 0 END) {naive.TIED}",
        f"SELECT p.id, p.display_name FROM people p WHERE {_ISOLATED} ORDER BY p.signed_up_at, p.id LIMIT 10",
        f"SELECT COUNT(*) FROM people p WHERE {_ISOLATED}",
        naive.BRIDGES,
        *naive.unlinked("region"),
        *naive.unlinked("library"),
        "SELECT status, COUNT(*) FROM intros GROUP BY status",
        "SELECT COUNT(*) FROM pairing_members",
    ],
    "coverage": [_GROUPS],
    "coverage by:library": [_GROUPS],
    "coverage by:skill": [
        _GROUPS,
        "SELECT s.skill, COUNT(*) AS n FROM person_skills s JOIN people p ON p.id = s.person_id"
        " WHERE p.signed_up_at IS NOT NULL GROUP BY s.skill ORDER BY n, s.skill",
        "SELECT skill, COUNT(*) FROM asks WHERE status = 'open' AND skill IS NOT NULL GROUP BY skill",
    ],
    "contacts (all a lead may see)": [
        "SELECT c.*, p.display_name FROM contacts c JOIN people p ON p.id = c.owner_id"
        " WHERE (c.owner_id = 2 OR c.share = 'members' OR c.share = 'leads')"
        " ORDER BY c.name COLLATE NOCASE, c.id LIMIT 10",
        "SELECT COUNT(*) FROM contacts c WHERE (c.owner_id = 2 OR c.share = 'members' OR c.share = 'leads')",
    ],
    "contacts budget (a search)": _searched("c.search LIKE '%budget%'"),
    "contacts org (a word in 80% of contacts)": _searched("c.search LIKE '%org%'"),
    "contacts budget union (two words)": _searched("c.search LIKE '%budget%' AND c.search LIKE '%union%'"),
}


def _timed_raw(path: Path, statements: list[str], runs: int) -> float:
    """The median time of `statements` on raw sqlite3 (every row fetched), in ms."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            for sql in statements:
                conn.execute(sql, {"now": scale.NOW_TS} if ":now" in sql else ()).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times[1:])
    finally:
        conn.close()


async def measure(
    copies: dict[str, tuple[Path, Path]], views: dict[str, str], runs: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Per scale and view: the median, fastest and slowest time through the bot, the median of
    its time ÷ the smallest scale's in the same round (`ratio`), and its SQL on raw sqlite3 (ms).

    Both scales are open at once and take turns for each view, so a burst of load from another
    process lands on both sides of a ratio."""
    printed: list[str] = []
    apps, consoles = {}, {}
    for label, (work, _) in copies.items():
        apps[label] = await App.open(make_config("full"), ManualClock(scale.NOW), str(work))
        consoles[label] = Console(apps[label], printed.append)
        consoles[label].in_dm = True
    times: dict[str, dict[str, list[float]]] = {label: {name: [] for name in views} for label in copies}
    recorded: dict[str, dict[str, list[Any]]] = {label: {} for label in copies}
    recorder = Recorder()
    uninstall = recorder.install()
    try:
        for label, console in consoles.items():  # warm-ups; the second run's statements are the view's SQL
            for name, text in views.items():
                for _ in range(2):
                    recorder.start()
                    await console.say(LEAD, text)
                recorded[label][name] = recorder.commands[-1]
        recorder._current = None  # the timed runs are not recorded
        order = list(consoles)
        for run in range(runs):
            for name, text in views.items():
                for label in order if run % 2 else reversed(order):
                    started = time.perf_counter()
                    await consoles[label].say(LEAD, text)
                    times[label][name].append((time.perf_counter() - started) * 1000)
    finally:
        uninstall()
        for app in apps.values():
            await app.close()
    if any("something went wrong on my side" in line for line in printed):
        raise RuntimeError("a view ended in an incident:\n" + "\n".join(printed[-20:]))
    smallest = next(iter(copies))
    results: dict[str, dict[str, dict[str, float]]] = {label: {} for label in copies}
    for label, (_, raw_path) in copies.items():
        for name in views:
            per_run = Recorder()
            per_run.commands = [recorded[label][name]] * (runs + 1)
            raw = replay(raw_path, per_run, 1, "full")
            mine, base = times[label][name], times[smallest][name]
            results[label][name] = {
                "median": statistics.median(mine),
                "fastest": min(mine),
                "slowest": max(mine),
                "ratio": statistics.median(a / b for a, b in zip(mine, base, strict=True)),
                "raw": statistics.median(raw.latencies) * 1000,
                "statements": float(len(recorded[label][name])),
                "naive": _timed_raw(raw_path, NAIVE[name], runs) if name in NAIVE else float("nan"),
            }
    return results


def figures_for(by_scale: dict[str, dict[str, dict[str, float]]]) -> list[Figure]:
    small, full = by_scale["10k"], by_scale["100k"]
    out: list[Figure] = []
    for name in full:
        f, s = full[name], small[name]
        naive = f"; naive SQL {f['naive']:.1f} ms" if f["naive"] == f["naive"] else ""
        out.append(Figure(
            f"{name}, 100,000 volunteers", f["median"], "ms", "≤ 20 ms", f["median"] <= 20, f["raw"],
            "raw sqlite3, same SQL",
            f"median, {f['fastest']:.1f}–{f['slowest']:.1f} ms; {f['statements']:.0f} statements{naive}",
        ))  # fmt: skip
        out.append(Figure(
            f"{name}, 100,000 ÷ 10,000 volunteers", f["ratio"], "×", "≤ 1.5×", f["ratio"] <= 1.5,
            f["raw"] / s["raw"], "raw sqlite3's ratio",
            f"median of paired runs; 10,000: {s['median']:.1f} ms ({s['fastest']:.1f}–{s['slowest']:.1f})",
        ))  # fmt: skip
    return out


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--views", help="comma-separated view names (default: all)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    views = {name: text for name, text in VIEWS.items() if not args.views or name in args.views.split(",")}
    copies: dict[str, tuple[Path, Path]] = {}
    try:
        for label, fraction in SCALES.items():
            base = scale.build(scale.Sizes.fraction(fraction), args.seed)
            copies[label] = (
                scale.copy_of(base, scale.OUT / f"leadviews-{label}.sqlite3"),
                scale.copy_of(base, scale.OUT / f"leadviews-{label}-raw.sqlite3"),
            )
        by_scale = await measure(copies, views, args.runs)
    finally:
        scale.discard(*(path for pair in copies.values() for path in pair))
    for label, found_views in by_scale.items():
        for name, found in found_views.items():
            print(f"{label:>5} {name:<32} {found['median']:7.1f} ms ({found['fastest']:.1f}–{found['slowest']:.1f})"
                  f"  ×{found['ratio']:.2f}  raw {found['raw']:6.1f} ms  naive {found['naive']:6.1f} ms")  # fmt: skip
    figures = figures_for(by_scale)
    report(figures, args.json)
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
