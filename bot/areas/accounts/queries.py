"""The accounts area's SQL, the whole-person operations: link codes, merging two people into one,
forgetting, exporting.

These touch every table that refers to a person, so they live together; a test walks SQLite's
own list of foreign keys to people to prove none is missed. The scrub of a forgotten person's
names from the words that stay is in `scrub_queries.py`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bot.areas import signatures
from bot.areas.accounts.document import PARTS, Field
from bot.areas.intros import pair_key
from bot.ids import PersonId
from bot.storage import summaries
from bot.storage.db import Tx
from bot.storage.fills import FILLS


async def save_link_code(tx: Tx, person_id: PersonId, platform: str, code_hash: str, expires_at: int) -> None:
    """Keep a new code's hash; a person has one live code at a time."""
    await tx.execute("DELETE FROM link_codes WHERE person_id = :p", {"p": person_id})
    await tx.execute(
        "INSERT INTO link_codes (code_hash, person_id, platform, expires_at) VALUES (:h, :p, :pl, :e)",
        {"h": code_hash, "p": person_id, "pl": platform, "e": expires_at},
    )


async def take_link_code(tx: Tx, code_hash: str, now: int) -> tuple[PersonId, str] | None:
    """The person and platform of a live code, marking it used; None if unknown, used or expired."""
    row = await tx.one(
        "SELECT person_id, platform FROM link_codes WHERE code_hash = :h AND used_at IS NULL AND expires_at > :now",
        {"h": code_hash, "now": now},
    )
    if row is None:
        return None
    await tx.execute("UPDATE link_codes SET used_at = :now WHERE code_hash = :h", {"now": now, "h": code_hash})
    return PersonId(row["person_id"]), row["platform"]


async def record_link_failure(tx: Tx, person_id: PersonId, now: int) -> None:
    await tx.execute("INSERT INTO link_attempts (person_id, at) VALUES (:p, :at)", {"p": person_id, "at": now})


async def link_failures(tx: Tx, person_id: PersonId | None, since: int) -> int:
    """Failed `link <code>` tries since `since`, by one person or (None) by everyone."""
    if person_id is None:
        return int(await tx.value("SELECT COUNT(*) FROM link_attempts WHERE at >= :s", {"s": since}))
    return int(
        await tx.value(
            "SELECT COUNT(*) FROM link_attempts WHERE person_id = :p AND at >= :s",
            {"p": person_id, "s": since},
        )
    )


async def merge(tx: Tx, keep: PersonId, gone: PersonId, now: int) -> None:
    """Fold person `gone` into `keep`: accounts, profile gaps, work, contacts, history. Loses nothing.

    The higher role wins and keeps where it came from, so a role a platform granted to either
    account is still taken back when that platform stops granting it."""
    p = {"keep": keep, "gone": gone, "now": now}
    around = await summaries.neighbours(tx, [keep, gone])
    summaries.people_out(tx, [keep, gone])  # counted again as one person at the end
    await tx.execute(
        """
        UPDATE people SET
          tz = COALESCE(tz, (SELECT tz FROM people WHERE id = :gone)),
          region = COALESCE(region, (SELECT region FROM people WHERE id = :gone)),
          region_key = COALESCE(region_key, (SELECT region_key FROM people WHERE id = :gone)),
          library = COALESCE(library, (SELECT library FROM people WHERE id = :gone)),
          job = COALESCE(job, (SELECT job FROM people WHERE id = :gone)),
          hours = COALESCE(hours, (SELECT hours FROM people WHERE id = :gone)),
          max_claims = COALESCE(max_claims, (SELECT max_claims FROM people WHERE id = :gone)),
          quiet_start = COALESCE(quiet_start, (SELECT quiet_start FROM people WHERE id = :gone)),
          quiet_end = COALESCE(quiet_end, (SELECT quiet_end FROM people WHERE id = :gone)),
          signed_up_at = COALESCE(signed_up_at, (SELECT signed_up_at FROM people WHERE id = :gone)),
          welcomed_at = COALESCE(welcomed_at, (SELECT welcomed_at FROM people WHERE id = :gone)),
          visibility = CASE WHEN visibility = 'leads' OR (SELECT visibility FROM people WHERE id = :gone) = 'leads'
                            THEN 'leads' ELSE 'members' END,
          role_source = CASE WHEN (SELECT role FROM people WHERE id = :gone) = role
                               THEN COALESCE(role_source, (SELECT role_source FROM people WHERE id = :gone))
                             WHEN (SELECT role FROM people WHERE id = :gone) = 'admin'
                               OR ((SELECT role FROM people WHERE id = :gone) = 'lead' AND role = 'member')
                             THEN (SELECT role_source FROM people WHERE id = :gone) ELSE role_source END,
          role = CASE WHEN 'admin' IN (role, (SELECT role FROM people WHERE id = :gone)) THEN 'admin'
                      WHEN 'lead' IN (role, (SELECT role FROM people WHERE id = :gone)) THEN 'lead'
                      ELSE 'member' END
        WHERE id = :keep
        """,
        p,
    )
    for statement in (
        "UPDATE identities SET person_id = :keep WHERE person_id = :gone",
        "INSERT OR IGNORE INTO person_skills (person_id, skill, added_at)"
        " SELECT :keep, skill, added_at FROM person_skills WHERE person_id = :gone",
        "INSERT OR IGNORE INTO person_interests (person_id, interest)"
        " SELECT :keep, interest FROM person_interests WHERE person_id = :gone",
        # One human holds one slot: a claim both accounts hold on the same ask becomes one.
        "UPDATE claims SET status = 'released', finished_at = :now WHERE person_id = :gone AND status = 'active'"
        " AND ask_id IN (SELECT ask_id FROM claims WHERE person_id = :keep AND status = 'active')",
        "UPDATE claims SET person_id = :keep WHERE person_id = :gone",
        "UPDATE ask_updates SET person_id = :keep WHERE person_id = :gone",
        "UPDATE asks SET posted_by = :keep WHERE posted_by = :gone",
        "UPDATE events SET posted_by = :keep WHERE posted_by = :gone",
        # One human, one answer per occurrence: where both accounts answered, the kept one's stays.
        "UPDATE event_rsvps SET person_id = :keep WHERE person_id = :gone"
        " AND time_id NOT IN (SELECT time_id FROM event_rsvps WHERE person_id = :keep)",
        "UPDATE audit SET actor_id = :keep WHERE actor_id = :gone",
        "UPDATE outbox SET person_id = :keep WHERE person_id = :gone",
        "UPDATE outbox SET caused_by = :keep WHERE caused_by = :gone",
        "INSERT OR IGNORE INTO checkin_schedules (person_id, every, weekday, at_minute, anchor, next_due_at,"
        " created_at) SELECT :keep, every, weekday, at_minute, anchor, next_due_at, created_at"
        " FROM checkin_schedules WHERE person_id = :gone",
        # (UPDATE OR IGNORE, written so PostgreSQL runs it too: a check-in both had at one time stays one)
        "UPDATE checkins SET person_id = :keep WHERE person_id = :gone"
        " AND due_at NOT IN (SELECT due_at FROM checkins WHERE person_id = :keep)",
        "UPDATE contacts SET owner_id = :keep WHERE owner_id = :gone",
        "UPDATE contact_notes SET author_id = :keep WHERE author_id = :gone",
        "UPDATE followups SET person_id = :keep WHERE person_id = :gone",
        "UPDATE intros SET proposer_id = :keep WHERE proposer_id = :gone",
        "DELETE FROM meetings WHERE (a_id = :keep AND b_id = :gone) OR (a_id = :gone AND b_id = :keep)",
        "UPDATE meetings SET a_id = :keep WHERE a_id = :gone",
        "UPDATE meetings SET b_id = :keep WHERE b_id = :gone",
        "UPDATE meetings SET recorded_by = :keep WHERE recorded_by = :gone",
        "INSERT OR IGNORE INTO pairing_members (person_id, joined_at)"
        " SELECT :keep, joined_at FROM pairing_members WHERE person_id = :gone",
        "UPDATE link_attempts SET person_id = :keep WHERE person_id = :gone",
        # One human, one signature: if both accounts linked one, the older account's stays linked.
        "UPDATE signatories SET person_id = NULL, joined_at = NULL WHERE person_id = :gone"
        " AND EXISTS (SELECT 1 FROM signatories WHERE person_id = :keep)",
        "UPDATE signatories SET person_id = :keep WHERE person_id = :gone",
        "UPDATE iam_attempts SET person_id = :keep WHERE person_id = :gone",
        "UPDATE announcements SET posted_by = :keep WHERE posted_by = :gone",
        "UPDATE resources SET added_by = :keep WHERE added_by = :gone",
        "UPDATE resources SET note_by = :keep WHERE note_by = :gone",
        "DELETE FROM link_codes WHERE person_id = :gone",  # the code just used, or one no longer needed
        # A browser signed in as the account that goes away signs in again (as the one kept).
        "DELETE FROM dashboard_sessions WHERE person_id = :gone",
        "DELETE FROM dashboard_links WHERE person_id = :gone",
        "DELETE FROM network_reach WHERE person_id = :gone",  # a summary: `keep`'s is recomputed at the end
    ):
        await tx.execute(statement, p)
    await _merge_intros(tx, keep, gone)
    await _merge_pairs(tx, "ties", keep, gone, combine=True)
    await _merge_pairs(tx, "pairings", keep, gone, combine=False)
    await tx.execute("DELETE FROM people WHERE id = :gone", p)  # what is left of `gone` was duplicate
    summaries.people_in(tx, [keep])
    summaries.refresh_people(tx, [keep, *(other for other in around if other != gone)])
    summaries.checkins_changed(tx, [keep])  # `gone`'s check-ins are theirs now


async def _merge_intros(tx: Tx, keep: PersonId, gone: PersonId) -> None:
    rows = await tx.all("SELECT id, a_id, b_id, contact_id FROM intros WHERE a_id = :g OR b_id = :g", {"g": gone})
    for row in rows:
        a = keep if row["a_id"] == gone else row["a_id"]
        b = keep if row["b_id"] == gone else row["b_id"]
        if b is not None and a == b:  # an intro between the two accounts of one person
            await tx.execute("DELETE FROM intros WHERE id = :id", {"id": row["id"]})
            continue
        key = pair_key(PersonId(a), PersonId(b) if b is not None else None, row["contact_id"])
        if await tx.value("SELECT 1 FROM intros WHERE pair_key = :k AND id != :id", {"k": key, "id": row["id"]}):
            await tx.execute("DELETE FROM intros WHERE id = :id", {"id": row["id"]})
        else:
            await tx.execute(
                "UPDATE intros SET a_id = :a, b_id = :b, pair_key = :k WHERE id = :id",
                {"a": a, "b": b, "k": key, "id": row["id"]},
            )


async def _merge_pairs(tx: Tx, table: str, keep: PersonId, gone: PersonId, *, combine: bool) -> None:
    """Re-point rows of a (lower id, higher id) pair table; `combine` sums a `ties` row into one."""
    rows = await tx.all(f"SELECT * FROM {table} WHERE a_id = :g OR b_id = :g", {"g": gone})
    await tx.execute(f"DELETE FROM {table} WHERE a_id = :g OR b_id = :g", {"g": gone})
    for row in rows:
        other = row["b_id"] if row["a_id"] == gone else row["a_id"]
        if other == keep:
            continue
        low, high = sorted((int(keep), int(other)))
        values = dict(row) | {"a_id": low, "b_id": high}
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        if combine:
            await tx.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT (a_id, b_id) DO UPDATE SET"
                f" first_at = MIN({table}.first_at, excluded.first_at), last_at = MAX({table}.last_at,"
                f" excluded.last_at), times = {table}.times + excluded.times",  # (named: PostgreSQL asks)
                values,
            )
        else:
            await tx.execute(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", values)


async def hand_over_contacts(tx: Tx, person_id: PersonId, heir: PersonId) -> int:
    """Give a leaving person's shared contacts to a lead, without the leaver's own words."""
    moved = await tx.execute(
        "UPDATE contacts SET owner_id = :heir, how = NULL WHERE owner_id = :p AND share != 'private'",
        {"heir": heir, "p": person_id},
    )
    await tx.execute(
        "UPDATE followups SET person_id = :heir WHERE person_id = :p"
        " AND contact_id IN (SELECT id FROM contacts WHERE owner_id = :heir)",
        {"heir": heir, "p": person_id},
    )
    return moved


async def forget(tx: Tx, person_id: PersonId, now: int, outlasting: Collection[str] = ()) -> None:
    """Delete the person and every word they wrote; finished work stays, by "a former member".

    Their signatory row goes too (it holds their name and email), leaving only hashes of its key
    and of its name as a list without emails keys it, so that no re-import brings it back. The
    messages they caused go with them, but for those of the `outlasting` kinds: they stay, queued
    as no one's.
    """
    p = {"p": person_id}
    around = await summaries.neighbours(tx, [person_id])
    summaries.people_out(tx, [person_id])
    signed = await tx.all("SELECT key, name FROM signatories WHERE person_id = :p", p)
    for hashed in sorted({h for row in signed for h in signatures.remembered_as(row["key"], row["name"])}):
        await tx.execute(
            "INSERT INTO signatories_forgotten (key_hash, at) VALUES (:h, :now) ON CONFLICT DO NOTHING",
            {"h": hashed, "now": now},
        )
    if signed:
        await tx.execute("DELETE FROM signatories WHERE person_id = :p", p)
    for table, column, author, blank in _WRITTEN_IN_ROWS_THAT_STAY:
        await _blank(tx, table, column, blank, f"{author} = :p", p)
    if outlasting:
        kinds = {f"k{i}": kind for i, kind in enumerate(sorted(outlasting))}
        marks = ", ".join(f":{name}" for name in kinds)
        await tx.execute(f"UPDATE outbox SET caused_by = NULL WHERE caused_by = :p AND kind IN ({marks})", p | kinds)
    for statement in (
        "DELETE FROM ask_updates WHERE person_id = :p",
        "DELETE FROM contact_notes WHERE author_id = :p",
        "DELETE FROM state WHERE key = 'forget:' || :p",
        # An adapter's memory of the person (a Matrix direct chat) is keyed to their platform ids.
        "DELETE FROM state WHERE value IN (SELECT user_id FROM identities WHERE person_id = :p)",
        "DELETE FROM dashboard_sessions WHERE person_id = :p",  # signed out of the dashboard at once
        "DELETE FROM dashboard_links WHERE person_id = :p",
        # Cascades: accounts, skills, check-ins, own contacts, the messages to them and those they
        # caused (the outbox's by a read of it all, which the scrub makes anyway: migration 0027)…
        "DELETE FROM people WHERE id = :p",
    ):
        await tx.execute(statement, p)
    summaries.refresh_people(tx, around)  # those who met them may be isolated now, or reach less


#: Words a person wrote in rows that stay when they go (finished work, others' meetings, intros
#: and shared links): the table, the column, who wrote it, and what it reads afterwards. A shared
#: link's note may be another's than the link's owner's: it was filled by adding the link again.
_WRITTEN_IN_ROWS_THAT_STAY: tuple[tuple[str, str, str, str | None], ...] = (
    ("claims", "note", "person_id", None), ("meetings", "note", "recorded_by", None),
    ("intros", "why", "proposer_id", ""), ("resources", "note", "note_by", None),
)  # fmt: skip
#: Each column the bot computes from others of its row, as the latest migration computes it
#: (`bot/storage/fills.py`): a shared link's search text from its title, tags and note.
_COMPUTED = tuple({(step.table, step.target): step for steps in FILLS.values() for step in steps}.values())


async def _blank(tx: Tx, table: str, column: str, blank: str | None, where: str, params: dict[str, Any]) -> None:
    """Blank a column in the rows `where` picks, and compute again what is computed from it: the
    words would live on there (a search text holds them folded)."""
    await tx.execute(f"UPDATE {table} SET {column} = :blank WHERE {where}", params | {"blank": blank})
    for step in (step for step in _COMPUTED if step.table == table and column in step.sources):
        width, match = len(step.keys), " AND ".join(f"{key} = :k{n}" for n, key in enumerate(step.keys))
        for row in await tx.all(f"SELECT {', '.join((*step.keys, *step.sources))} FROM {table} WHERE {where}", params):
            values = tuple(row)
            keys = {f"k{n}": value for n, value in enumerate(values[:width])}
            await tx.execute(
                f"UPDATE {table} SET {step.target} = :v WHERE {match}", keys | {"v": step.compute(*values[width:])}
            )


def _value(field: Field) -> list[str]:
    """The SQL for a field's value: each of its columns (or its `case`), followed along `via`."""
    exprs = [field.case] if field.case else [f"t.{column}" for column in field.columns]
    for table, column in field.via:
        exprs = [f"(SELECT {column} FROM {table} WHERE id = {expr})" for expr in exprs]
    return exprs


#: A row of the export: each field with its raw values (one per column, or one for a `case`).
Exported = tuple[tuple[Field, tuple[Any, ...]], ...]


async def export(tx: Tx, person_id: PersonId) -> dict[str, list[Exported]]:
    """Every part of `document.PARTS` for a person, row by row, as stored."""
    found: dict[str, list[Exported]] = {}
    for part in PARTS:
        selected = [(field, _value(field)) for field in part.fields]
        columns = ", ".join(expr for _, exprs in selected for expr in exprs)
        where = " OR ".join(f"t.{owner} = :p" for owner in part.owners)
        only = f" AND {part.only}" if part.only else ""
        rows = await tx.all(f"SELECT {columns} FROM {part.table} t WHERE ({where}){only} ORDER BY 1", {"p": person_id})
        found[part.name] = []
        for row in rows:
            flat = iter(tuple(row))
            found[part.name].append(tuple((field, tuple(next(flat) for _ in exprs)) for field, exprs in selected))
    return found
