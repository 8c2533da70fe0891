"""The asks area's SQL: asks, claims on them, progress notes, who matches an ask, and the
completion of an ask's number. What the reminders read is in `reminder_queries.py`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.asks.records import Ask, Claim, Due, Update
from bot.core.names import fold, searched
from bot.core.params import Asker, Choice
from bot.ids import AskId, ClaimId, PersonId
from bot.storage import summaries
from bot.storage.db import Row, Tx, like_literal, record, written
from bot.storage.persons import NOT_PAUSED, P_COLUMNS, Person, person_from

ASK_FIELDS = ("title", "details", "skill", "need", "due_at", "due_zone")
# One ask, as the leads' summaries count it (open asks per skill, and those nobody has taken):
# every change to an ask's status, skill or claims shifts it out just before and in just after.
_ONE = "a.id = :a"
_OF_CLAIM = "a.id = (SELECT ask_id FROM claims WHERE id = :c)"


_ASK_COLUMNS = """a.*,
  (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status = 'active') AS active,
  (SELECT COUNT(*) FROM claims c WHERE c.ask_id = a.id AND c.status = 'done') AS done"""
_ASK = f"SELECT {_ASK_COLUMNS} FROM asks a"


def _ask(row: Row) -> Ask:
    return record(Ask, row)


def _claim(row: Row) -> Claim:
    return record(Claim, row)


async def create(
    tx: Tx,
    *,
    title: str,
    details: str | None,
    skill: str | None,
    need: int,
    due: Due | None,
    posted_by: PersonId,
    now: int,
) -> Ask:
    ask_id = await tx.insert(
        "INSERT INTO asks (title, search, details, skill, need, due_at, due_zone, posted_by, created_at, updated_at)"
        " VALUES (:title, :search, :details, :skill, :need, :due, :zone, :by, :now, :now)",
        {"title": title, "search": searched(title), "details": details, "skill": skill, "need": need,
         "due": due.at if due else None, "zone": due.zone if due else None, "by": posted_by, "now": now},
    )  # fmt: skip
    summaries.shift(tx, [summaries.OPEN_ASKS], _ONE, {"a": ask_id}, 1)
    return written(await get(tx, AskId(ask_id)))


async def get(tx: Tx, ask_id: AskId) -> Ask | None:
    row = await tx.one(f"{_ASK} WHERE a.id = :id", {"id": ask_id})
    return _ask(row) if row else None


async def listing(
    tx: Tx,
    *,
    viewer: PersonId,
    skill: str | None,
    claimed_by: PersonId | None,
    stale_before: int | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Ask, str | None]], int]:
    """Open asks, newest first, filtered, each with the viewer's own claim on it ('active',
    'done' or None, as `get_with_mine`); also the total count for paging."""
    where = ["a.status = 'open'"]
    params: dict[str, object] = {"limit": limit, "offset": offset, "p": viewer}
    if skill is not None:
        where.append("a.skill = :skill")
        params["skill"] = skill
    if claimed_by is not None:
        # From the person's claims to their asks (an index lookup), not a probe per open ask.
        where.append("a.id IN (SELECT c.ask_id FROM claims c WHERE c.person_id = :me AND c.status = 'active')")
        params["me"] = claimed_by
    if stale_before is not None:
        where.append(
            "EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.status = 'active'"
            " AND c.last_activity_at < :stale)"
        )
        params["stale"] = stale_before
    clause = " AND ".join(where)
    # Two queries on purpose: a window count (`COUNT(*) OVER ()`) would compute every matching
    # ask's claim counts instead of the page's ten; the plain count is answered from an index.
    # The page's ids are found first, from an index alone: asked for whole rows newest first,
    # PostgreSQL walks the primary key and skips every closed ask newer than the open ones (3 ms
    # at national scale, where they are 20,000).
    page = f"SELECT a.id FROM asks a WHERE {clause} ORDER BY a.id DESC LIMIT :limit OFFSET :offset"
    rows = await tx.all(
        f"SELECT {_ASK_COLUMNS}, {_MINE} AS mine FROM asks a WHERE a.id IN ({page}) ORDER BY a.id DESC", params
    )
    total = await tx.value(f"SELECT COUNT(*) FROM asks a WHERE {clause}", params)
    return [(_ask(row), row["mine"]) for row in rows], int(total)


async def open_for_skills(tx: Tx, skills: Sequence[str], exclude_claimed_by: PersonId, limit: int) -> list[Ask]:
    """Open asks with room, for any of the skills, that the person has not claimed."""
    if not skills:
        return []
    marks = ",".join("?" for _ in skills)
    rows = await tx.all(
        f"""{_ASK} WHERE a.status = 'open' AND a.skill IN ({marks})
        AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.person_id = ?
                        AND c.status IN ('active', 'done'))
        ORDER BY a.due_at IS NULL, a.due_at, a.id DESC""",
        [*skills, exclude_claimed_by],
    )
    return [ask for ask in map(_ask, rows) if not ask.full][:limit]


async def update_fields(tx: Tx, ask_id: AskId, changes: dict[str, str | int | None], now: int) -> None:
    unknown = set(changes) - set(ASK_FIELDS)
    if unknown:
        raise ValueError(f"not ask fields: {sorted(unknown)}")
    if "title" in changes:  # what its completion looks in follows it
        changes = {**changes, "search": searched(str(changes["title"]))}
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    counted = [summaries.OPEN_ASKS] if "skill" in changes else []
    summaries.shift(tx, counted, _ONE, {"a": ask_id}, -1)
    await tx.execute(
        f"UPDATE asks SET {assignments}, updated_at = :now WHERE id = :id",
        {**changes, "now": now, "id": ask_id},
    )
    summaries.shift(tx, counted, _ONE, {"a": ask_id}, 1)


async def set_status(tx: Tx, ask_id: AskId, status: str, now: int) -> None:
    summaries.shift(tx, [summaries.OPEN_ASKS], _ONE, {"a": ask_id}, -1)
    await tx.execute(
        "UPDATE asks SET status = :s, updated_at = :now,"
        " closed_at = CASE WHEN :s = 'open' THEN NULL ELSE :now END WHERE id = :id",
        {"s": status, "now": now, "id": ask_id},
    )
    summaries.shift(tx, [summaries.OPEN_ASKS], _ONE, {"a": ask_id}, 1)


async def bump_round(tx: Tx, ask_id: AskId) -> int:
    await tx.execute("UPDATE asks SET notice_round = notice_round + 1 WHERE id = :id", {"id": ask_id})
    return int(await tx.value("SELECT notice_round FROM asks WHERE id = :id", {"id": ask_id}))


_CLAIM = """
SELECT c.*, p.display_name AS person_name FROM claims c LEFT JOIN people p ON p.id = c.person_id
"""


async def claims_of(tx: Tx, ask_id: AskId) -> list[Claim]:
    rows = await tx.all(f"{_CLAIM} WHERE c.ask_id = :id AND c.status != 'released' ORDER BY c.id", {"id": ask_id})
    return [_claim(row) for row in rows]


async def with_own_claim(tx: Tx, ask_id: AskId, person_id: PersonId) -> tuple[Ask, ClaimId | None] | None:
    """The ask and the id of the person's active claim on it (at most one: `claims_one_active`),
    in one query: `update`, `done`, `release` and `snooze` read both, and on PostgreSQL each
    query is a round trip."""
    row = await tx.one(
        f"""SELECT {_ASK_COLUMNS},
  (SELECT c.id FROM claims c WHERE c.ask_id = a.id AND c.person_id = :p AND c.status = 'active') AS own_claim
FROM asks a WHERE a.id = :id""",
        {"id": ask_id, "p": person_id},
    )
    return None if row is None else (_ask(row), row["own_claim"])


async def active_claims_of_person(tx: Tx, person_id: PersonId) -> list[tuple[Claim, Ask]]:
    rows = await tx.all(f"{_CLAIM} WHERE c.person_id = :p AND c.status = 'active' ORDER BY c.id", {"p": person_id})
    claims = [_claim(row) for row in rows]
    if not claims:
        return []
    marks = ",".join("?" for _ in claims)
    asks = {
        AskId(row["id"]): _ask(row)
        for row in await tx.all(f"{_ASK} WHERE a.id IN ({marks})", [c.ask_id for c in claims])
    }
    return [(claim, asks[claim.ask_id]) for claim in claims if claim.ask_id in asks]


async def get_with_mine(tx: Tx, ask_id: AskId, person_id: PersonId) -> tuple[Ask | None, str | None]:
    """An ask, and the person's own claim on it: 'active', 'done', or None — in one query."""
    row = await tx.one(
        f"SELECT {_ASK_COLUMNS}, {_MINE} AS mine FROM asks a WHERE a.id = :id",
        {"id": ask_id, "p": person_id},
    )
    return (_ask(row), row["mine"]) if row else (None, None)


_MINE = (
    "(SELECT c.status FROM claims c WHERE c.ask_id = a.id AND c.person_id = :p AND c.status IN ('active', 'done')"
    " ORDER BY c.status = 'active' DESC LIMIT 1)"
)


async def add_claim(tx: Tx, ask_id: AskId, person_id: PersonId, now: int, nudge_at: int) -> None:
    """A new active claim (sent with the transaction's next statement: nobody needs its id)."""
    summaries.shift(tx, [summaries.OPEN_ASKS], _ONE, {"a": ask_id}, -1)
    tx.later(
        "INSERT INTO claims (ask_id, person_id, status, claimed_at, last_activity_at, next_nudge_at)"
        " VALUES (:a, :p, 'active', :now, :now, :nudge)",
        {"a": ask_id, "p": person_id, "now": now, "nudge": nudge_at},
    )
    summaries.shift(tx, [summaries.OPEN_ASKS], _ONE, {"a": ask_id}, 1)


async def finish_claim(tx: Tx, claim_id: ClaimId, status: str, note: str | None, now: int) -> None:
    summaries.shift(tx, [summaries.OPEN_ASKS], _OF_CLAIM, {"c": claim_id}, -1)
    tx.later(
        "UPDATE claims SET status = :s, finished_at = :now, last_activity_at = :now, note = :note WHERE id = :id",
        {"s": status, "now": now, "note": note, "id": claim_id},
    )
    summaries.shift(tx, [summaries.OPEN_ASKS], _OF_CLAIM, {"c": claim_id}, 1)


async def touch_claim(tx: Tx, claim_id: ClaimId, now: int, nudge_at: int) -> None:
    """Activity on a claim: it is fresh again, and its stale reminder moves out."""
    tx.later(
        "UPDATE claims SET last_activity_at = :now, next_nudge_at = :nudge WHERE id = :id",
        {"now": now, "nudge": nudge_at, "id": claim_id},
    )


async def snooze_claim(tx: Tx, claim_id: ClaimId, until: int) -> None:
    """No reminders about this claim before `until` (stale or due-soon)."""
    await tx.execute(
        "UPDATE claims SET next_nudge_at = MAX(COALESCE(next_nudge_at, 0), :u),"
        " due_nudged_at = CASE WHEN due_nudged_at IS NULL THEN :u ELSE due_nudged_at END WHERE id = :id",
        {"u": until, "id": claim_id},
    )


async def reset_due_reminders(tx: Tx, ask_id: AskId) -> None:
    """A new due date: claimants may be reminded of it again."""
    await tx.execute("UPDATE claims SET due_nudged_at = NULL WHERE ask_id = :a AND status = 'active'", {"a": ask_id})


async def add_update(tx: Tx, ask_id: AskId, person_id: PersonId, kind: str, text: str, now: int) -> None:
    tx.later(
        "INSERT INTO ask_updates (ask_id, person_id, kind, text, created_at) VALUES (:a, :p, :k, :t, :now)",
        {"a": ask_id, "p": person_id, "k": kind, "t": text, "now": now},
    )
    tx.later("UPDATE asks SET updated_at = :now WHERE id = :a", {"now": now, "a": ask_id})


async def updates_of(tx: Tx, ask_id: AskId, limit: int) -> list[Update]:
    rows = await tx.all(
        "SELECT u.*, p.display_name AS person_name FROM ask_updates u"
        " LEFT JOIN people p ON p.id = u.person_id WHERE u.ask_id = :a ORDER BY u.id DESC LIMIT :n",
        {"a": ask_id, "n": limit},
    )
    return [record(Update, row) for row in rows]


async def posted_by(tx: Tx, person_id: PersonId, limit: int) -> list[Ask]:
    rows = await tx.all(
        f"{_ASK} WHERE a.posted_by = :p AND a.status = 'open' ORDER BY a.id DESC LIMIT :n",
        {"p": person_id, "n": limit},
    )
    return [_ask(row) for row in rows]


async def matching_volunteers(
    tx: Tx, skill: str, exclude: Sequence[PersonId], now: int, default_max_claims: int
) -> list[Person]:
    """Signed-up volunteers with a skill, not paused, and under their stated load of claims, by id.

    Whole profiles, read in the same pass that checks them (there may be thousands)."""
    rows = await tx.all(
        f"""
        SELECT {P_COLUMNS} FROM person_skills s
        JOIN people p ON p.id = s.person_id
        WHERE s.skill = :skill
          AND p.signed_up_at IS NOT NULL
          AND {NOT_PAUSED}
          AND (SELECT COUNT(*) FROM claims c WHERE c.person_id = p.id AND c.status = 'active')
              < COALESCE(p.max_claims, :max)
        ORDER BY p.id
        """,
        {"skill": skill, "now": now, "max": default_max_claims},
    )
    excluded = set(exclude)
    return [person_from(row) for row in rows if row["id"] not in excluded]


async def skills_of(tx: Tx, person_id: PersonId) -> list[str]:
    rows = await tx.all("SELECT skill FROM person_skills WHERE person_id = :id", {"id": person_id})
    return [row["skill"] for row in rows]


async def active_claimants(tx: Tx, ask_id: int) -> list[tuple[ClaimId, PersonId]]:
    """Who is working on an ask now (their claims neither done nor released), with their claims."""
    rows = await tx.all(
        "SELECT id, person_id FROM claims WHERE ask_id = :a AND status = 'active' AND person_id IS NOT NULL"
        " ORDER BY id",
        {"a": ask_id},
    )
    return [(ClaimId(row[0]), PersonId(row[1])) for row in rows]


async def complete_open_asks(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
    """Open asks, newest first, whose number starts with what was typed or whose title has it
    (folded: `emile` finds "Émile's zine", see `bot/core/names.py`)."""
    typed = typed.strip().lstrip("#")
    rows = await tx.all(
        "SELECT id, title FROM asks WHERE status = 'open'"
        " AND (CAST(id AS TEXT) LIKE :prefix ESCAPE '\\' OR search LIKE :inside ESCAPE '\\')"
        " ORDER BY id DESC LIMIT 25",
        {"prefix": f"{like_literal(typed)}%", "inside": f"%{like_literal(fold(typed))}%"},
    )
    return [Choice(f"{row['id']} · {row['title']}", row["id"]) for row in rows]
