"""Both backends tell people the same: every example script, and the week after it, played on
SQLite and on PostgreSQL, reads alike line for line (spec §17: the areas' SQL runs on both).

Ties in an ORDER BY are where they parted: SQLite returns them in the order the rows were
written, PostgreSQL in no particular order, so the digest named volunteers who signed up in the
same second in another order there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console_bot import ConsoleBot
from tests.conversations.test_examples import EXAMPLES, START
from tests.postgres import fresh_database


@pytest.mark.parametrize("name", sorted(EXAMPLES))
async def test_an_example_and_its_week_read_the_same_on_both_backends(tmp_path: Path, name: str) -> None:
    transcripts = []
    async with fresh_database() as url:
        for target in (str(tmp_path / "bot.sqlite3"), url):
            bot = await ConsoleBot.start(target, start=START)
            try:
                transcripts.append([*await bot.script(EXAMPLES[name]), *await bot.advance("8d")])
            finally:
                await bot.close()
    lite, postgres = transcripts
    assert len(lite) > 20
    assert postgres == lite
