"""A person's own commands and their leaving read no big table whole.

At national scale (100,000 people, 1,000,000 contact notes, 300,000 queued messages) a lookup by
person without an index read a whole table: `export me` took 1.0 s looking for the speaker's
notes, and deleting a person (`forget me`) scanned each table pointing at people to follow its
foreign keys, 0.2 s with the writer held (migration 0023). SQLite plans from the schema, so the
plans of the statements these commands send on a small database are the plans a national one
gets; the foreign keys' own lookups show in the plan of the person's DELETE.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.console_bot import ConsoleBot, joined

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
_STEP = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?$")
_NAMED = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(?!WHERE|ON|SET|JOIN|LEFT|USING)(\w+))?", re.I)


def _whole_scans(conn: sqlite3.Connection, sql: str, params: Any) -> list[str]:
    """Steps of the plan that read a big table whole: its rows, or an index of every row (an
    index with a WHERE, of the few rows the statement wants, is the point of one)."""
    aliases = {alias or table: table for table, alias in _NAMED.findall(sql)}
    partial = {name for name, made in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
               if made and " WHERE " in made}  # fmt: skip
    plan = [detail for *_, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
    subqueries = {detail.split()[-1] for detail in plan if detail.startswith(("CO-ROUTINE", "MATERIALIZE"))}
    found = []
    for detail in plan:
        step = _STEP.match(detail)
        if step is None or step[1] in subqueries or (step[2] or "") in partial:
            continue
        if aliases.get(step[1], step[1]) in BIG:
            found.append(f"{detail}: {sql[:300]}")
    return found


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
        scans = [
            scan
            for sql, params in ran.items()
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT", "WITH"))
            and not SCRUB.search(sql)
            for scan in _whole_scans(conn, sql, params)
        ]
        scans += _whole_scans(conn, "DELETE FROM people WHERE id = ?", (1,))
    finally:
        conn.close()
    assert not scans, "\n".join(scans)
