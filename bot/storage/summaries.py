"""Summaries: counts the leads' views read instead of scanning 100,000 people (issue 15).

Each summary is a small table of counts — signed-up volunteers by region and library type, ties
by the regions and library types of their two ends, volunteers per skill, open asks per skill,
intros by status, contacts by share, contacts by the prefixes of their words, people by the hour
they were last asked a check-in and last heard from — defined here once, as the grouped query
over its source tables that it must always equal (`Summary.source`). It is kept in step *in the
same transaction* as every change to its sources: the code that changes a source row shifts that
row's contribution out of the summary just before the change and back in just after (`shift`),
both sent with the transaction's next trip (`Tx.later`), so a command pays no extra round trip. A row
whose count falls to zero is deleted, so a summary never keeps the text of a forgotten person's
skill or region.

Whole-person changes (merging two accounts, forgetting someone, a profile's region) shift every
summary a person contributes to (`people_out` before, `people_in` after); the network's per-person
figures are recomputed for the people concerned and their neighbours (`refresh_people`). Each
person's check-in times are recomputed when they are asked one or answer (`checkins_changed`).

`rebuild` recomputes everything from the sources (the migration that created the tables did the
same, and the benchmarks' bulk loader calls it); `differences` compares the summaries with a
rebuild, which the tests assert is always empty after any sequence of commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.storage.db import Tx, bound_ids


@dataclass(frozen=True)
class Summary:
    """A table of counts and the grouped query it equals. `source` yields the key columns and the
    count under the table's own column names, and has a `{where}` for the rows to count; `people`
    is the condition selecting the rows a set of people (`{ids}`) contributes."""

    table: str
    keys: tuple[str, ...]
    count: str
    source: str
    people: str | None = None

    def shift_sql(self, where: str, sign: str = ":shift_sign") -> list[str]:
        """Add (or with a negative `sign`, take out) what the source rows matching `where` count,
        then drop the rows that fell to zero."""
        keys = ", ".join(self.keys)
        return [
            f"INSERT INTO {self.table} ({keys}, {self.count})"
            f" SELECT {keys}, {sign} * {self.count} FROM ({self.source.format(where=where)}) s WHERE true"
            f" ON CONFLICT ({keys}) DO UPDATE SET {self.count} = {self.table}.{self.count} + excluded.{self.count}",
            f"DELETE FROM {self.table} WHERE {self.count} = 0",
        ]


def _ordered(column: str) -> str:
    """The two ends of a tie's values for `column`, lower first ('' for not said)."""
    a, b = f"COALESCE(pa.{column}, '')", f"COALESCE(pb.{column}, '')"
    return f"CASE WHEN {a} <= {b} THEN {a} ELSE {b} END AS low, CASE WHEN {a} <= {b} THEN {b} ELSE {a} END AS high"


_TIES = "FROM ties t JOIN people pa ON pa.id = t.a_id JOIN people pb ON pb.id = t.b_id WHERE {where}"

#: Signed-up volunteers by region (as shown, and its key), library type and profile visibility.
PEOPLE_GROUPS = Summary(
    "people_groups",
    ("region", "region_key", "library", "visibility"),
    "members",
    "SELECT COALESCE(p.region, '') AS region, COALESCE(p.region_key, '') AS region_key,"
    " COALESCE(p.library, '') AS library, p.visibility AS visibility, COUNT(*) AS members"
    " FROM people p WHERE p.signed_up_at IS NOT NULL AND {where} GROUP BY 1, 2, 3, 4",
    "p.id IN ({ids})",
)
#: Ties by the region keys (and library types) of their two ends, lower value first.
TIE_GROUPS = Summary(
    "tie_groups",
    ("kind", "low", "high"),
    "ties",
    f"SELECT 'region' AS kind, {_ordered('region_key')}, COUNT(*) AS ties {_TIES} GROUP BY 2, 3"
    f" UNION ALL SELECT 'library' AS kind, {_ordered('library')}, COUNT(*) AS ties {_TIES} GROUP BY 2, 3",
    "(t.a_id IN ({ids}) OR t.b_id IN ({ids}))",
)
#: Signed-up volunteers per skill.
SKILLS = Summary(
    "tallies",
    ("name", "key"),
    "n",
    "SELECT 'skills' AS name, s.skill AS key, COUNT(*) AS n FROM person_skills s JOIN people p ON p.id = s.person_id"
    " WHERE p.signed_up_at IS NOT NULL AND {where} GROUP BY s.skill",
    "p.id IN ({ids})",
)
#: Open asks per skill ('' for none), and open asks nobody has taken (no active or finished claim).
OPEN_ASKS = Summary(
    "tallies",
    ("name", "key"),
    "n",
    "SELECT 'open asks' AS name, COALESCE(a.skill, '') AS key, COUNT(*) AS n FROM asks a"
    " WHERE a.status = 'open' AND {where} GROUP BY 2"
    " UNION ALL SELECT 'unclaimed asks' AS name, '' AS key, COUNT(*) AS n FROM asks a WHERE a.status = 'open'"
    " AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.status != 'released') AND {where}"
    " HAVING COUNT(*) > 0",
)
#: Intros by status.
INTROS = Summary(
    "tallies",
    ("name", "key"),
    "n",
    "SELECT 'intros' AS name, i.status AS key, COUNT(*) AS n FROM intros i WHERE {where} GROUP BY i.status",
    "(i.a_id IN ({ids}) OR i.b_id IN ({ids}) OR i.contact_id IN (SELECT id FROM contacts WHERE owner_id IN ({ids})))",
)
#: Contacts by share.
CONTACTS = Summary(
    "tallies",
    ("name", "key"),
    "n",
    "SELECT 'contacts' AS name, c.share AS key, COUNT(*) AS n FROM contacts c WHERE {where} GROUP BY c.share",
    "c.owner_id IN ({ids})",
)
#: Contacts by each prefix of each word they are searched by (`contact_words`) and share: how many
#: contacts `contacts <word>` finds, read in one row. A contact counts once per prefix however many
#: of its words start with it. (Recomputed after the words, so not in `ALL`.)
CONTACT_PREFIXES = Summary(
    "contact_prefixes",
    ("prefix", "share"),
    "contacts",
    "WITH RECURSIVE cut (contact_id, share, word, n) AS ("
    " SELECT w.contact_id, w.share, w.word, length(w.word) FROM contact_words w WHERE {where}"
    " UNION ALL SELECT contact_id, share, word, n - 1 FROM cut WHERE n > 1)"
    " SELECT substr(word, 1, n) AS prefix, share, COUNT(DISTINCT contact_id) AS contacts FROM cut GROUP BY 1, 2",
    "w.contact_id IN (SELECT id FROM contacts WHERE owner_id IN ({ids}))",
)
#: People by the hour they were last asked a check-in, and by the hour they were last heard from
#: (`people.checkin_asked_at`, `checkin_heard_at`, kept by `checkins_changed`): the digest adds up
#: a week of hours. (Recomputed after those times, so not in `ALL`.)
CHECKIN_HOURS = Summary(
    "checkin_hours",
    ("kind", "hour"),
    "people",
    "SELECT 'asked' AS kind, p.checkin_asked_at / 3600 AS hour, COUNT(*) AS people FROM people p"
    " WHERE p.checkin_asked_at IS NOT NULL AND {where} GROUP BY 2"
    " UNION ALL SELECT 'heard' AS kind, p.checkin_heard_at / 3600 AS hour, COUNT(*) AS people FROM people p"
    " WHERE p.checkin_heard_at IS NOT NULL AND {where} GROUP BY 2",
    "p.id IN ({ids})",
)
ALL = (PEOPLE_GROUPS, TIE_GROUPS, SKILLS, OPEN_ASKS, INTROS, CONTACTS)
#: Everything a person's rows count towards (what `people_out` and `people_in` shift).
OF_PEOPLE = (*(summary for summary in ALL if summary.people is not None), CONTACT_PREFIXES, CHECKIN_HOURS)


def shift(tx: Tx, summaries: Iterable[Summary], where: str, params: dict[str, object], sign: int) -> None:
    """Count the source rows matching `where` in (`sign` 1) or out (-1) of each summary; sent with
    the transaction's next trip, in order with the change it goes around."""
    for summary in summaries:
        insert, delete = summary.shift_sql(where)
        tx.later(insert, {**params, "shift_sign": sign})
        tx.later(delete)


def _people_shift(tx: Tx, summaries: Iterable[Summary], ids: Sequence[int], sign: int) -> None:
    summaries = list(summaries)
    if not ids or not summaries:
        return
    marks, params = bound_ids(ids)
    for summary in summaries:
        assert summary.people is not None
        shift(tx, [summary], summary.people.format(ids=marks), params, sign)


def people_out(tx: Tx, ids: Sequence[int], summaries: Iterable[Summary] = OF_PEOPLE) -> None:
    """Take what these people's rows count out of the summaries, before a change to them."""
    _people_shift(tx, summaries, ids, -1)


def people_in(tx: Tx, ids: Sequence[int], summaries: Iterable[Summary] = OF_PEOPLE) -> None:
    """Count these people's rows in again, after the change."""
    _people_shift(tx, summaries, ids, 1)


# --- the network's per-person figures ---------------------------------------------------------------

# How many other regions and library types each of `{ids}`'s ties reach (a "bridge" reaches some).
_REACH = """
SELECT e.me AS person_id,
  COUNT(DISTINCT CASE WHEN o.region_key IS NOT NULL AND m.region_key IS NOT NULL
        AND o.region_key != m.region_key THEN o.region_key END) AS regions,
  COUNT(DISTINCT CASE WHEN o.library IS NOT NULL AND m.library IS NOT NULL
        AND o.library != m.library THEN o.library END) AS libraries
FROM (SELECT a_id AS me, b_id AS other FROM ties WHERE {a}
      UNION ALL SELECT b_id, a_id FROM ties WHERE {b}) e
JOIN people m ON m.id = e.me JOIN people o ON o.id = e.other
GROUP BY e.me
"""


#: When each person last met anyone: the latest of their ties.
_MET_AT = (
    "UPDATE people SET met_at = (SELECT MAX(t.last_at) FROM ties t WHERE t.a_id = people.id OR t.b_id = people.id)"
)


def _reach_into(a: str, b: str) -> str:
    return (
        "INSERT INTO network_reach (person_id, regions, libraries, span)"
        f" SELECT person_id, regions, libraries, regions + libraries FROM ({_REACH.format(a=a, b=b)}) r"
        " WHERE regions + libraries > 0"
    )


async def neighbours(tx: Tx, ids: Sequence[int]) -> list[int]:
    """Everyone these people have a tie with."""
    if not ids:
        return []
    marks, params = bound_ids(ids)
    rows = await tx.all(
        f"SELECT b_id AS other FROM ties WHERE a_id IN ({marks}) UNION SELECT a_id FROM ties WHERE b_id IN ({marks})",
        params,
    )
    return [int(row["other"]) for row in rows]


def refresh_people(tx: Tx, ids: Iterable[int]) -> None:
    """Recompute these people's reach (`network_reach`) and when they last met anyone (`met_at`)
    from their ties: after their ties, or their own or a neighbour's region or library, changed."""
    unique = sorted({int(i) for i in ids})
    if not unique:
        return
    marks, params = bound_ids(unique)
    tx.later(f"DELETE FROM network_reach WHERE person_id IN ({marks})", params)
    tx.later(_reach_into(f"a_id IN ({marks})", f"b_id IN ({marks})"), params)
    tx.later(f"{_MET_AT} WHERE id IN ({marks})", params)


def met(tx: Tx, a: int, b: int, now: int, *, new: bool) -> None:
    """Two people met now: when they last met anyone, and — for a first meeting — the tie's groups
    and both people's reach."""
    tx.later(
        "UPDATE people SET met_at = CASE WHEN met_at IS NULL OR met_at < :now THEN :now ELSE met_at END"
        " WHERE id IN (:a, :b)",
        {"now": now, "a": a, "b": b},
    )
    if new:
        low, high = min(a, b), max(a, b)
        shift(tx, [TIE_GROUPS], "t.a_id = :low AND t.b_id = :high", {"low": low, "high": high}, 1)
        refresh_people(tx, (a, b))


# --- the check-ins each person was asked and answered ------------------------------------------------

#: When each person was last asked a check-in, and last heard from: the earlier of that and their
#: latest answer (so "heard from this week" implies "asked this week").
_CHECKIN_TIMES = (
    "UPDATE people SET (checkin_asked_at, checkin_heard_at) = (SELECT MAX(c.due_at),"
    " CASE WHEN MAX(c.answered_at) IS NULL THEN NULL WHEN MAX(c.answered_at) < MAX(c.due_at)"
    " THEN MAX(c.answered_at) ELSE MAX(c.due_at) END FROM checkins c WHERE c.person_id = people.id)"
)


def checkins_changed(tx: Tx, ids: Sequence[int]) -> None:
    """These people were asked a check-in, answered one, or gained an account's check-ins: their
    check-in times again, and the hours they count in."""
    if not ids:
        return
    marks, params = bound_ids(ids)
    people_out(tx, ids, [CHECKIN_HOURS])
    tx.later(f"{_CHECKIN_TIMES} WHERE id IN ({marks})", params)
    people_in(tx, ids, [CHECKIN_HOURS])


# --- the words of contacts -------------------------------------------------------------------------

# Each word of a contact's search text (its name, org and interests, lower-cased, split at spaces)
# with the contact's share: the index `contacts <words>` starts from and counts in.
_WORDS = """
INSERT INTO contact_words (word, share, contact_id)
WITH RECURSIVE split (contact_id, share, word, rest) AS (
  SELECT c.id, c.share, substr(c.search, 1, 0), c.search || ' ' FROM contacts c WHERE {where}
  UNION ALL
  SELECT contact_id, share, CASE WHEN substr(rest, 1, 1) = ' ' THEN '' ELSE word || substr(rest, 1, 1) END,
         substr(rest, 2)
  FROM split WHERE rest != ''
)
SELECT DISTINCT word, share, contact_id FROM split WHERE word != '' AND substr(rest, 1, 1) = ' '
"""


_ITS_WORDS = "w.contact_id = :c"


def contact_changed(tx: Tx, contact_id: int) -> None:
    """A contact's search text or share changed (or it is new): its words, and what their
    prefixes count, again."""
    shift(tx, [CONTACT_PREFIXES], _ITS_WORDS, {"c": contact_id}, -1)
    tx.later("DELETE FROM contact_words WHERE contact_id = :c", {"c": contact_id})
    tx.later(_WORDS.format(where="c.id = :c"), {"c": contact_id})
    shift(tx, [CONTACT_PREFIXES], _ITS_WORDS, {"c": contact_id}, 1)


def contact_dropped(tx: Tx, contact_id: int) -> None:
    """A contact is about to be deleted (its words go with it): what their prefixes count, out."""
    shift(tx, [CONTACT_PREFIXES], _ITS_WORDS, {"c": contact_id}, -1)


# --- from scratch -----------------------------------------------------------------------------------

#: Every summary's table (the columns kept on `people` aside: met_at and the check-in times).
TABLES = (
    "people_groups",
    "tie_groups",
    "tallies",
    "network_reach",
    "contact_words",
    "contact_prefixes",
    "checkin_hours",
)


def rebuild_sql() -> list[str]:
    """Every summary recomputed from its sources (the bulk loader runs these after loading)."""
    statements = [f"DELETE FROM {table}" for table in TABLES]
    for summary in ALL:
        statements.append(summary.shift_sql("1 = 1", sign="1")[0])
    statements.append(_reach_into("1 = 1", "1 = 1"))
    statements.extend(_words_sql())
    statements.append(_MET_AT)
    statements.append(_CHECKIN_TIMES)
    statements.append(CHECKIN_HOURS.shift_sql("1 = 1", sign="1")[0])
    return statements


def regrouped_sql() -> list[str]:
    """The summaries that group people by their region recomputed, after every key changed (a
    migration reading regions anew): volunteers and ties by region, and the network's reach."""
    return [
        *(f"DELETE FROM {table}" for table in ("people_groups", "tie_groups", "network_reach")),
        PEOPLE_GROUPS.shift_sql("1 = 1", sign="1")[0],
        TIE_GROUPS.shift_sql("1 = 1", sign="1")[0],
        _reach_into("1 = 1", "1 = 1"),
    ]


def reworded_sql() -> list[str]:
    """The contacts' words and their prefix counts recomputed, after every contact's search text
    was (a migration folding it anew)."""
    return [
        *(f"DELETE FROM {table}" for table in ("contact_words", "contact_prefixes")),
        *_words_sql(),
    ]


def _words_sql() -> list[str]:
    """Every contact's words, then their prefixes' counts, from empty tables."""
    return [_WORDS.format(where="1 = 1"), CONTACT_PREFIXES.shift_sql("1 = 1", sign="1")[0]]


async def rebuild(tx: Tx) -> None:
    for sql in rebuild_sql():
        await tx.execute(sql)


async def _contents(tx: Tx) -> dict[str, list[tuple[object, ...]]]:
    found = {table: sorted((tuple(row) for row in await tx.all(f"SELECT * FROM {table}")), key=repr)
             for table in TABLES}  # fmt: skip
    found["people"] = [tuple(row) for row in await tx.all(
        "SELECT id, met_at, checkin_asked_at, checkin_heard_at FROM people ORDER BY id"
    )]  # fmt: skip
    return found


async def differences(tx: Tx) -> dict[str, tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """Where the summaries differ from a rebuild from their sources: {table: (kept, rebuilt)},
    empty when they agree. Nothing is changed (the rebuild is rolled back)."""
    kept = await _contents(tx)
    rebuilt: dict[str, list[tuple[object, ...]]] = {}
    try:
        async with tx.savepoint():
            await rebuild(tx)
            rebuilt = await _contents(tx)
            raise _Undo
    except _Undo:
        pass
    return {table: (kept[table], rebuilt[table]) for table in kept if kept[table] != rebuilt[table]}


class _Undo(Exception):
    """Rolls back the rebuild `differences` compares with."""
