"""`copy-db`: a network moved from SQLite to PostgreSQL and back, verified row for row."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.alone import AlreadyRunning, running_alone
from bot.storage.copy import CopyRefused, copy_database
from bot.storage.db import open_database
from tests.console_bot import ConsoleBot, joined
from tests.postgres import fresh_database

ROOT = Path(__file__).resolve().parents[2]
NETWORK = """
!profile tz:America/Chicago
alice: !volunteer research writing
alice: !profile region:"Upper Midwest" library:public
bob: !volunteer design
!ask title:"Compile sectoral-bargaining resources" skill:research need:2
alice: !claim 1
alice: !update 1 Found three good sources
alice: !contact add name:"Jordan Lee" org:"Teachers Union" follow:friday
bob: !met @alice coffee
"""


async def _rows(target: str) -> dict[str, list[tuple[object, ...]]]:
    db = await open_database(target)
    try:
        tables = await db.tables()
        async with db.reading() as tx:
            return {t: sorted(tuple(r) for r in await tx.all(f"SELECT * FROM {t}")) for t in tables}
    finally:
        await db.close()


async def test_a_network_copied_to_postgresql_and_back_is_the_same_and_keeps_working(tmp_path: Path) -> None:
    source = str(tmp_path / "bot.sqlite3")
    bot = await ConsoleBot.start(source)
    await bot.script(NETWORK)
    await bot.say("alice", "!contact drop 1")  # the newest contact: its number is not free again
    await bot.close()
    async with fresh_database(migrated=False) as url:
        counts = await copy_database(source, url)
        assert counts["people"] == 3 and counts["asks"] == 1 and counts["outbox"] > 0
        back = str(tmp_path / "back.sqlite3")
        await copy_database(url, back)
        assert await _rows(back) == await _rows(source)
        moved = await ConsoleBot.start(url)
        try:
            assert "Claimed by: alice" in joined(await moved.say("bob", "!ask 1"))
            posted = joined(await moved.say("you", '!ask title:"A second ask"'))
            assert "Posted ask 2." in posted  # new ids continue after the copied ones
            added = joined(await moved.say("alice", '!contact add "Sam Ho"'))
            assert "Added contact 2" in added  # and after those handed out before, copied with the counters
        finally:
            await moved.close()


async def test_copying_into_a_database_that_holds_data_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    source, target = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    for path, script in ((source, NETWORK), (target, "carol: !volunteer law")):
        bot = await ConsoleBot.start(path)
        await bot.script(script)
        await bot.close()
    before = await _rows(target)
    with pytest.raises(CopyRefused, match="is not empty"):
        await copy_database(source, target)
    assert await _rows(target) == before


def test_copy_db_on_the_command_line_reports_the_rows_and_refuses_the_same_database(tmp_path: Path) -> None:
    source = tmp_path / "bot.sqlite3"
    run = [sys.executable, "-m", "bot"]
    subprocess.run([*run, "migrate", "--db", str(source)], cwd=ROOT, check=True, capture_output=True, timeout=60)
    done = subprocess.run(
        [*run, "copy-db", "--from", str(source), "--to", str(tmp_path / "copy.sqlite3")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "row counts match in every table" in done.stdout
    same = subprocess.run(
        [*run, "copy-db", "--from", str(source), "--to", str(source)], cwd=ROOT, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert same.returncode == 2 and "the same database" in same.stderr


def test_copy_db_names_the_database_at_fault_and_never_makes_a_missing_source(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "bot", "copy-db"]
    target = tmp_path / "copy.sqlite3"
    missing = subprocess.run(
        [*run, "--from", str(tmp_path / "typo.sqlite3"), "--to", str(target)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr == f"copy-db: {tmp_path / 'typo.sqlite3'} does not exist; --from names the database to copy\n"
    assert not (tmp_path / "typo.sqlite3").exists() and not target.exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, " * 1000)
    wrong = subprocess.run(
        [*run, "--from", str(notes), "--to", str(target)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert wrong.returncode == 2
    assert wrong.stderr.startswith(f"database error: {notes} is not a volunteer-bot database")
    source = tmp_path / "bot.sqlite3"
    subprocess.run([sys.executable, "-m", "bot", "migrate", "--db", str(source)], cwd=ROOT, check=True, timeout=60)
    same = subprocess.run(
        [*run, "--from", str(source), "--to", f"sqlite:///{os.path.relpath(source, ROOT)}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert same.returncode == 2 and same.stderr == "copy-db: --from and --to are the same database\n"


async def test_copying_from_or_to_a_file_a_bot_runs_on_is_refused(tmp_path: Path) -> None:
    source, target = str(tmp_path / "a.sqlite3"), str(tmp_path / "b.sqlite3")
    bot = await ConsoleBot.start(source)
    await bot.script(NETWORK)
    await bot.close()
    for running in (source, target):
        with running_alone(running), pytest.raises(AlreadyRunning) as refused:
            await copy_database(source, target)
        assert refused.value.running.endswith(f"is running on {running}")
    assert not await asyncio.to_thread(Path(target).exists)
    assert (await copy_database(source, target))["people"] == 3  # once nothing runs on either
