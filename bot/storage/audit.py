"""The record of privileged actions: who did what, to what, when (read by `audit`).

A change made by a person names them (`actor_id`); one no person made names its `source` (the
console, the config's admins, a platform's role sync). A read-only use of a lead or admin command
is kept too, marked as a `view`, so `audit` can leave it out unless asked.
"""

from __future__ import annotations

from bot.ids import PersonId
from bot.storage.db import Tx


async def record(tx: Tx, actor_id: PersonId | None, action: str, subject: str, detail: str, now: int, *,
                 view: bool = False, source: str | None = None) -> None:  # fmt: skip
    tx.later(
        "INSERT INTO audit (at, actor_id, action, subject, detail, view, source)"
        " VALUES (:at, :a, :act, :s, :d, :v, :src)",
        {"at": now, "a": actor_id, "act": action, "s": subject, "d": detail, "v": int(view), "src": source},
    )
