"""Hypothesis fuzzing of the dispatcher: whatever people type, nothing breaks and nothing half-happens."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog import REGISTRY
from tests.console_bot import ConsoleBot
from tests.postgres import fresh_database

NAMES = sorted({c.name for c in REGISTRY.commands})
KEYS = sorted({p.name for c in REGISTRY.commands for p in c.params if not p.type.flag})
HOSTILE = [
    "@everyone", "@here", "<@&123>", "@room", "@\u200beveryone", "＠everyone", "**bold**", "`code`", "<b>x</b>",
    "\u202etxet", "\x00", "😀" * 3, "'", '"', "“", "#1", "1", "2", "-1", "99999999999", "me", "@alice", "@bob",
    "friday", "3d", "2026-12-01", "confirm", "on", "off", "mine", "stale", "f1", "c1", "checkin", "x" * 300,
]  # fmt: skip

word = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.from_regex(r"[a-z]{1,10}", fullmatch=True))
argument = st.one_of(word, st.builds(lambda k, v: f"{k}:{v}", st.sampled_from(KEYS), word))
line = st.builds(
    lambda prefix, name, args: f"{prefix}{name} {' '.join(args)}",
    st.sampled_from(["!", "!", "/", ""]),
    st.one_of(st.sampled_from(NAMES), st.text(max_size=12)),
    st.lists(argument, max_size=6),
)
speaker = st.sampled_from(["alice", "bob", "you"])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])  # fmt: skip
@given(script=st.lists(st.tuples(speaker, line, st.booleans()), min_size=10, max_size=40))
async def test_no_input_breaks_the_bot_or_its_data(
    tmp_path_factory: pytest.TempPathFactory, backend: str, script: list[tuple[str, str, bool]]
) -> None:
    """On both backends: what one can store, the other might not (a NUL in text ended in an
    incident on PostgreSQL alone)."""
    async with contextlib.AsyncExitStack() as stack:
        if backend == "sqlite":
            target = str(tmp_path_factory.mktemp("fuzz") / "f.sqlite3")
        else:
            target = await stack.enter_async_context(fresh_database())
        await _fuzz(target, script, backend)


async def _fuzz(target: str, script: list[tuple[str, str, bool]], backend: str) -> None:
    bot = await ConsoleBot.start(target)
    try:
        await bot.say("alice", "!volunteer research")
        await bot.say("bob", "!volunteer research")
        await bot.feed('!ask title:"Fuzz target" skill:research need:1')
        for who, text, in_dm in script:
            bot.console.in_dm = in_dm
            for output in await bot.say(who, text.replace("\n", " ")):
                assert "incident" not in output, (who, text, output)
            await bot.advance("7h")
        db = bot.app.db
        assert await db.integrity_check() == "ok"
        async with db.reading() as tx:
            if backend == "sqlite":  # (PostgreSQL checks every foreign key as each row is written)
                assert await tx.all("PRAGMA foreign_key_check") == []
            over = await tx.all(
                "SELECT a.id FROM asks a WHERE (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id"
                " AND c.status IN ('active', 'done')) > a.need"
            )
            assert over == []
            assert await tx.value("SELECT COUNT(*) FROM outbox WHERE status = 'parked'") == 0
    finally:
        await bot.close()
