"""A person's own commands and their leaving read no big table whole.

At national scale (100,000 people, 1,000,000 contact notes, 300,000 queued messages) a lookup by
person without an index read a whole table: `export me` took 1.0 s looking for the speaker's
notes, and deleting a person (`forget me`) scanned each table pointing at people to follow its
foreign keys, 0.2 s with the writer held (migration 0023). SQLite plans from the schema, so the
plans of the statements these commands send on a small database are the plans a national one
gets; the foreign keys' own lookups show in the plan of the person's DELETE (on a connection that
enforces them, as the bot's do).

One whole read is by design: the outbox's, to delete the messages to and from the person (its
index by person cost every ask that tells 2,000 people 17 ms; `forget me` reads the whole outbox
anyway, to scrub the person's name from its messages: migration 0027).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.console_bot import ConsoleBot, joined
from tests.storage.plans import whole_scans

#: Tables that grow with the network. (Events, resources and announcements are a lead's, a few
#: hundred; attempts to link or `iam` are pruned within the hour.)
BIG = {
    "people", "identities", "person_skills", "asks", "claims", "ask_updates", "contacts", "contact_notes",
    "contact_words", "contact_prefixes", "followups", "intros", "meetings", "ties", "pairings", "outbox", "audit",
    "checkins", "network_reach",
}  # fmt: skip
#: `forget me` looks for the person's name in free text (notes, messages, how contacts were met)
#: to scrub it, which no index can answer: by design, once per person (spec §11).
SCRUB = re.compile(r" LIKE ")
#: The one whole read of a big table by design (see the module docstring): the cascade to the outbox.
CASCADE_BY_DESIGN = "SCAN outbox: DELETE FROM people WHERE id = "


async def test_a_persons_commands_and_forgetting_them_read_no_big_table_whole(
    tmp_path: Path, statements: dict[str, Any]
) -> None:
    bot = await ConsoleBot.start(tmp_path / "bot.sqlite3")
    try:
        await bot.say("bob", "!volunteer writing")
        bot.dm()
        for line in (
            "!volunteer research", '!profile region:"Upper Midwest" library:public', '!contact add name:"Pat Ally"',
            "!contact note 1 met at the rally follow:friday", "!contact edit 1 org:Teachers", "!met @bob",
            '!intro @bob 1 why:"both teach"', "!update 1 x", "!export me", "!forget me",
        ):  # fmt: skip
            await bot.say("alice", line)
        assert "I've forgotten you" in joined(await bot.say("alice", "!forget me confirm"))
        ran = dict(statements)  # not the harness's own checks at closing
    finally:
        await bot.close()
    assert any("author_id" in sql for sql in ran), "export and forget should look up notes by author"
    conn = sqlite3.connect(tmp_path / "bot.sqlite3")
    try:
        conn.execute("PRAGMA foreign_keys = ON")  # else a DELETE's plan leaves out the keys' lookups
        scans = [
            scan for sql, params in ran.items() if not SCRUB.search(sql) for scan in whole_scans(conn, sql, params, BIG)
        ]
        cascades = whole_scans(conn, "DELETE FROM people WHERE id = ?", (1,), BIG)
    finally:
        conn.close()
    assert any(scan.startswith(CASCADE_BY_DESIGN) for scan in cascades), "the plan should show the cascade"
    scans = [scan for scan in scans + cascades if not scan.startswith(CASCADE_BY_DESIGN)]
    assert not scans, "\n".join(scans)
