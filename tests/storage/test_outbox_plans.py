"""No statement the bot runs in its daily work reads the whole outbox.

The outbox keeps every message sent for 90 days: 300,000 rows at national scale. A statement
that scans it costs 50 ms there, and when it runs inside a write transaction (the deliverer
planning a batch, a command moving a follow-up) every command that writes waits for it; one
such question asked per person of a batch of a hundred held the writer for 1.5 s. The plan a
statement gets does not depend on how many rows there are (SQLite plans from the schema), so the
example conversations on a small database show it: every statement they send that touches the
outbox is explained, and any that would read all of it fails the test, unless it is one of the
few that do so by design, rarely, and off the path of commands.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.conversations.test_examples import play_examples
from tests.storage.plans import whole_scans

#: Whole-outbox statements that are meant to be: the daily prune's look (beside the writer), the
#: admin's counts, and linking two accounts, which moves the messages of the one that goes (rare,
#: once per person: the index by person it would need cost every ask that tells 2,000 people
#: 17 ms; migration 0027, and `tests/storage/test_person_plans.py` for `forget me`).
BY_DESIGN = re.compile(
    r"SELECT id FROM outbox WHERE status IN \('sent', 'dropped'\) AND COALESCE"
    r"|SELECT status, COUNT\(\*\) AS n FROM outbox GROUP BY status$"
    r"|UPDATE outbox SET person_id = :keep WHERE person_id = :gone$"
)


def _whole_scans(db: Path, statements: dict[str, Any]) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            scan
            for sql, params in statements.items()
            if re.search(r"\boutbox\b", sql) and not BY_DESIGN.search(sql)
            for scan in whole_scans(conn, sql, params, {"outbox"})
        ]
    finally:
        conn.close()


async def test_the_examples_never_read_the_whole_outbox(tmp_path: Path, statements: dict[str, Any]) -> None:
    await play_examples(tmp_path, "8d")  # every reminder, digest and pairing round of a week, delivered
    touching = [sql for sql in statements if re.search(r"\boutbox\b", sql)]
    assert len(touching) > 10, "the examples should queue, plan, bundle and send messages"
    assert any("bundle = 1" in sql for sql in touching), "the examples should send a bundle of reminders"
    assert not _whole_scans(tmp_path / "bot0.sqlite3", statements)
