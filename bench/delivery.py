"""Nudging 10,000 people: within the platforms' rate limits, nothing dropped, and how long it takes.

    .venv/bin/python bench/delivery.py [--people 10000] [--speedup 10] [--json out.json]

Discord (measured). The real deliverer and the real discord.py adapter send one bundled reminder
to each of 10,000 people through the Discord stand-in (`tests/discord/standin.py`), which
enforces Discord's documented limits — 50 requests per second for the whole bot (the global
limit, not announced in headers) and 5 messages per 5 s per channel (announced in
`X-RateLimit-*` headers, which discord.py follows) — sped up `--speedup` times, with the
adapter's own pacing (`DELIVERY_REQUESTS_PER_SECOND`, 40 a second) sped up alike. On top, a few
429s are injected (per route and global) to show a refused request is retried, not lost.
Checked afterwards: every person got exactly one message, every outbox row is `sent`, and how
many requests a bucket refused (the pacing should make that zero). The time at Discord's real
limits is the requests made at the adapter's real pace (or the measured run, if the bot itself
were slower); the baseline is the same requests at Discord's full 50 a second.

Matrix (modelled). Synapse limits each sender with a token bucket and answers 429 with
`retry_after_ms`; the adapter pauses every request for that long and the deliverer defers a
message it could not send without counting a failed try (`tests/matrix/test_adapter_delivery.py`
proves nothing is lost, against a real Synapse). How long 10,000 nudges take is then set by the
homeserver's limits, computed here from Synapse 1.163's defaults (`rc_message` 0.2/s, burst 10;
`rc_room_creation` 0.016/s, burst 10, for a first direct chat) rather than waited out, which
would take hours; with the admin API's `override_ratelimit` for the bot account (0 messages per
second = no limit) the homeserver does not limit it at all.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import scale
import yarl
from figures import Figure, report

from bot.adapters import discord as discord_adapter
from bot.adapters.discord import DiscordAdapter
from bot.app import App
from bot.config import Config, build, validate
from bot.storage.db import Database
from tests.discord.standin import DiscordStandin

GLOBAL_LIMIT = 50  # requests per second for a whole bot (Discord's documented global limit)
CHANNEL_LIMIT = (5, 5.0)  # messages per channel per 5 s
SYNAPSE_MESSAGES = (0.2, 10)  # rc_message: per second, burst (Synapse 1.163 defaults)
SYNAPSE_ROOMS = (0.016, 10)  # rc_room_creation: a first direct chat needs a new room


class Running:
    """A clock that runs in real time from a fixed start, so waits (rate limits) really pass."""

    def __init__(self, start: datetime) -> None:
        self._start, self._at = start, time.monotonic()

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=time.monotonic() - self._at)).replace(microsecond=0)


def point_discord_at(standin: DiscordStandin) -> None:
    """What `tests/discord/conftest.py` does per test: discord.py talks to the stand-in."""
    discord.http.Route.BASE = standin.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)
    original = discord.Client.__init__

    def quick_ready(self: discord.Client, *args: Any, **options: Any) -> None:
        options.setdefault("guild_ready_timeout", 0.05)
        original(self, *args, **options)

    discord.Client.__init__ = quick_ready  # type: ignore[method-assign]


def populate(path: Path, user_ids: list[int]) -> None:
    """One person per Discord user, each with one reminder due now (bundled, as nudges are)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        now = scale.NOW_TS
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO people (id, display_name, name_key, signed_up_at, created_at, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(n, f"v{n}", f"v{n}", now, now, now) for n in range(1, len(user_ids) + 1)],  # (the name is its key)
        )
        conn.executemany(
            "INSERT INTO identities (platform, user_id, person_id, display_name, name_key, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [("discord", str(uid), n, f"v{n}", f"v{n}", now) for n, uid in enumerate(user_ids, start=1)],
        )
        body = '{"text":[["p","Ask 12 has had no update for 7 days. Next: update it or say done."]],"buttons":[]}'
        conn.executemany(
            "INSERT INTO outbox (key, person_id, kind, body, bundle, not_before, next_attempt_at, created_at)"
            " VALUES (?, ?, 'nudge.claim', ?, 1, ?, ?, ?)",
            [(f"nudge:claim:{n}:{now}", n, body, now, now, now) for n in range(1, len(user_ids) + 1)],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


async def discord_run(people: int, speedup: float) -> dict[str, float]:
    async with DiscordStandin() as standin:
        point_discord_at(standin)
        owner = standin.add_user("olive")
        guild = standin.add_guild("Library Workers", owner=owner)
        standin.add_text_channel(guild, "general")
        users = [standin.add_user(f"v{n}") for n in range(1, people + 1)]
        for user in users:  # Discord refuses a DM (50007) to someone who shares no server with the bot
            standin.add_member(guild, user)
        standin.set_global_rate_limit(GLOBAL_LIMIT, 1.0 / speedup)
        # Every route's own bucket (undocumented; the stand-in's default is the global limit's
        # 50 a second, so it never binds first) and the per-channel message bucket, sped up alike.
        standin.set_rate_limit(GLOBAL_LIMIT, 1.0 / speedup)
        standin.set_message_rate_limit(CHANNEL_LIMIT[0], CHANNEL_LIMIT[1] / speedup)
        injected = [
            standin.fail_next("POST", "/channels/{channel_id}/messages", 429, times=3, retry_after=0.2),
            standin.fail_next("POST", "/users/@me/channels", 429, times=2, retry_after=0.1, is_global=True),
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "delivery.sqlite3"
            await (await Database.open(path)).close()  # migrated as the bot migrates
            populate(path, [user.id for user in users])
            config: Config = validate(
                build(Config, {**_org(), "discord": {"guild_ids": [guild.id], "sync_commands_on_start": False}}, "")
            )
            app = await App.open(config, Running(scale.NOW), str(path))
            pace = discord_adapter.DELIVERY_REQUESTS_PER_SECOND
            adapter = DiscordAdapter(app, standin.token, delivery_rate=pace * speedup)
            await adapter.start()
            before = len(standin.requests)
            started = time.perf_counter()
            try:
                while True:
                    await app.deliverer.deliver_due()
                    async with app.db.reading() as tx:
                        left = int(await tx.value("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"))
                    if not left:
                        break
                    await asyncio.sleep(0.2)  # something was deferred (a long rate limit): wait for it
                elapsed = time.perf_counter() - started
                async with app.db.reading() as tx:
                    statuses = {
                        row[0]: row[1] for row in await tx.all("SELECT status, COUNT(*) FROM outbox GROUP BY 1")
                    }
            finally:
                await adapter.stop()
                await app.close()
        made = standin.requests[before:]
        by_channel = Counter(m.channel_id for m in standin.world.messages.values() if m.author_id == standin.bot.id)
        received = Counter(by_channel.get(standin.dm_channel(user).id, 0) for user in users)
        routes = Counter(f"{r.method} {r.path.split('/')[1]}" for r in made)
        retried = sum(len(f.hits) for f in injected)
        print(f"discord: {people:,} people in {elapsed:.1f} s at {speedup:g}× Discord's speed; "
              f"requests {dict(routes)}; refused by a bucket {standin.rate_limited}; injected 429s {retried}; "
              f"messages per person {dict(received)}; outbox {statuses}", flush=True)  # fmt: skip
        return {
            "elapsed": elapsed,
            "requests": float(len([r for r in made if r.status != 429])),
            "refused": float(sum(standin.rate_limited.values())),
            "injected": float(sum(len(f.hits) for f in injected)),
            "exactly_once": float(received.get(1, 0)),
            "lost": float(received.get(0, 0) + statuses.get("parked", 0) + statuses.get("dropped", 0)),
            "twice": float(sum(n for k, n in received.items() if k > 1)),
        }


def _org() -> dict[str, object]:
    return {"organisation": {"name": "Library Workers", "timezone": "America/Chicago"}}


def bucket_time(items: int, per_second: float, burst: float) -> float:
    """Seconds for a token bucket to let `items` through, starting full."""
    return max(items - burst, 0) / per_second


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--speedup", type=float, default=10.0, help="how much faster than Discord's limits to run")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    run = await discord_run(args.people, args.speedup)
    pace = discord_adapter.DELIVERY_REQUESTS_PER_SECOND
    at_real = max(run["requests"] / pace, run["elapsed"])
    physical = run["requests"] / GLOBAL_LIMIT
    messages = bucket_time(args.people, *SYNAPSE_MESSAGES)
    rooms = bucket_time(args.people, *SYNAPSE_ROOMS)
    figures = [
        Figure(f"Discord: nudge {args.people:,} people, time at Discord's limits", at_real / 60, "min", "", None,
               physical / 60, "same requests at 50/s", f"{int(run['requests']):,} requests; run {args.speedup:g}× "
               f"faster in {run['elapsed']:.0f} s"),
        Figure("Discord: requests refused by a rate-limit bucket", run["refused"], "", "0", run["refused"] == 0,
               note=f"{int(run['injected'])} injected 429s retried"),
        Figure("Discord: messages lost or sent twice", run["lost"] + run["twice"], "", "0",
               run["lost"] + run["twice"] == 0 and run["exactly_once"] == args.people,
               note=f"{int(run['exactly_once']):,} people got exactly one"),
        Figure(f"Matrix (modelled): {args.people:,} nudges at Synapse's default rc_message", messages / 3600, "h",
               "", None, note="0.2/s, burst 10; no limit with override_ratelimit"),
        Figure(f"Matrix (modelled): {args.people:,} first direct chats at default rc_room_creation", rooms / 86400,
               "days", "", None, note="0.016/s, burst 10; no limit with override_ratelimit"),
    ]  # fmt: skip
    report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
