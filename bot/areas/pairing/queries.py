"""The pairing area's SQL: who opted in, the rounds that ran, and every pair ever made (never
made twice)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.ids import PersonId
from bot.storage.db import Row, Tx, bound_ids
from bot.storage.persons import NOT_PAUSED


@dataclass(frozen=True, slots=True)
class Candidate:
    """An opted-in member as the matcher sees them. Words are sorted tuples, each word once: a
    round holds 10,000 of these, and a tuple of two words is 56 bytes where a frozenset is 216
    (2 MB of the round's peak)."""

    id: PersonId
    name: str
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    region_key: str | None = None
    region: str | None = None
    library: str | None = None
    visibility: str = "members"
    moments: tuple[str, ...] = ()  # what they shared lately (an event), from other areas


async def opted_in(tx: Tx, person_id: PersonId) -> bool:
    return await tx.value("SELECT 1 FROM pairing_members WHERE person_id = :p", {"p": person_id}) is not None


async def set_opt_in(tx: Tx, person_id: PersonId, on: bool, now: int) -> bool:
    """Opt in or out; True if that changed anything."""
    if on:
        changed = await tx.execute(
            "INSERT INTO pairing_members (person_id, joined_at) VALUES (:p, :now) ON CONFLICT (person_id) DO NOTHING",
            {"p": person_id, "now": now},
        )
    else:
        changed = await tx.execute("DELETE FROM pairing_members WHERE person_id = :p", {"p": person_id})
    return changed > 0


PAGE = 1000


async def candidates(tx: Tx, now: int) -> list[Candidate]:
    """Opted-in members who are not paused, with their skills and interests, by id.

    Read a page of members at a time (their skills and interests with them), each word kept once
    however many people share it: the rows of 10,000 members and their 45,000 skills and
    interests are never all held at once (they were 20 MB at the peak of a round)."""
    words: dict[str, str] = {}
    sets: dict[tuple[str, ...], tuple[str, ...]] = {}  # one copy of each set of skills (or interests)
    found: list[Candidate] = []
    async for rows in _members(tx, now, "p.id, p.display_name, p.region, p.region_key, p.library, p.visibility"):
        span = {"low": rows[0]["id"], "high": rows[-1]["id"]}
        skills = await _words_of(tx, "person_skills", "skill", span, words)
        interests = await _words_of(tx, "person_interests", "interest", span, words)
        found += [
            Candidate(
                id=PersonId(row["id"]),
                name=row["display_name"],
                skills=_same(sets, skills.get(row["id"], ())),
                interests=_same(sets, interests.get(row["id"], ())),
                region_key=_once(words, row["region_key"]),
                region=_once(words, row["region"]),
                library=_once(words, row["library"]),
                visibility=words.setdefault(row["visibility"], row["visibility"]),
            )
            for row in rows
        ]
    return found


async def candidate_ids(tx: Tx, now: int) -> set[PersonId]:
    """Who `candidates` would find now, by id alone: whether a round matched a moment ago still holds.

    A page at a time, as `candidates`: 10,000 rows at once cost the round's peak 3 MB."""
    found: set[PersonId] = set()
    async for rows in _members(tx, now, "p.id"):
        found.update(PersonId(row[0]) for row in rows)
    return found


async def _members(tx: Tx, now: int, columns: str) -> AsyncIterator[list[Row]]:
    """Opted-in members who are not paused, `PAGE` at a time by id; `columns` begin with `p.id`."""
    after = 0
    while rows := await tx.all(
        f"SELECT {columns} FROM pairing_members m JOIN people p ON p.id = m.person_id"
        f" WHERE m.person_id > :after AND {NOT_PAUSED} ORDER BY m.person_id LIMIT :n",
        {"now": now, "after": after, "n": PAGE},
    ):
        yield rows
        after = rows[-1][0]


def _once(words: dict[str, str], word: str | None) -> str | None:
    """The one copy of a word that many people share (a region, a library type)."""
    return None if word is None else words.setdefault(word, word)


def _same(sets: dict[tuple[str, ...], tuple[str, ...]], words: Collection[str]) -> tuple[str, ...]:
    """The one copy of a set of skills (or interests, `words` distinct) that many people share,
    as a sorted tuple."""
    found = tuple(sorted(words))
    return sets.setdefault(found, found)


async def _words_of(
    tx: Tx, table: str, column: str, span: dict[str, int], words: dict[str, str]
) -> dict[int, set[str]]:
    """Skills (or interests, lower-cased) of the opted-in members with ids in the span."""
    found: dict[int, set[str]] = {}
    for row in await tx.all(
        f"SELECT w.person_id, w.{column} FROM {table} w JOIN pairing_members m ON m.person_id = w.person_id"
        " WHERE w.person_id BETWEEN :low AND :high",
        span,
    ):
        word = row[1].casefold() if column == "interest" else row[1]
        found.setdefault(row[0], set()).add(words.setdefault(word, word))
    return found


async def excluded_pairs(tx: Tx) -> set[tuple[PersonId, PersonId]]:
    """Pairs of opted-in members never to be paired: they met, were paired, or have an intro on file.

    An intro on file includes a declined one: someone who said "not now" is never paired instead.
    """
    both_in = "JOIN pairing_members ma ON ma.person_id = {a} JOIN pairing_members mb ON mb.person_id = {b}"
    rows = await tx.all(
        f"SELECT t.a_id AS a, t.b_id AS b FROM ties t {both_in.format(a='t.a_id', b='t.b_id')}"
        " UNION "
        f"SELECT g.a_id, g.b_id FROM pairings g {both_in.format(a='g.a_id', b='g.b_id')}"
        " UNION "
        "SELECT CASE WHEN i.a_id < i.b_id THEN i.a_id ELSE i.b_id END,"
        " CASE WHEN i.a_id < i.b_id THEN i.b_id ELSE i.a_id END"
        f" FROM intros i {both_in.format(a='i.a_id', b='i.b_id')} WHERE i.b_id IS NOT NULL"
    )
    return {(PersonId(row[0]), PersonId(row[1])) for row in rows}


async def round_ran(tx: Tx, round_key: str) -> bool:
    return await tx.value("SELECT 1 FROM pairing_rounds WHERE round_key = :k", {"k": round_key}) is not None


async def record_round(tx: Tx, round_key: str, groups: Sequence[Sequence[PersonId]], unpaired: int, now: int) -> None:
    """The round and each pair of each group (a trio is three pairs), so none is ever repeated."""
    await tx.execute(
        "INSERT INTO pairing_rounds (round_key, ran_at, groups, unpaired) VALUES (:k, :now, :g, :u)",
        {"k": round_key, "now": now, "g": len(groups), "u": unpaired},
    )
    await tx.executemany(
        "INSERT INTO pairings (a_id, b_id, round_key, group_no) VALUES (:a, :b, :k, :g)",
        [
            {"a": min(x, y), "b": max(x, y), "k": round_key, "g": number}
            for number, group in enumerate(groups, start=1)
            for x, y in combinations(group, 2)
        ],
    )


async def groups_of_round(tx: Tx, round_key: str) -> list[tuple[PersonId, ...]]:
    """The groups a round made (pairs, and trios), in the order they were made."""
    rows = await tx.all(
        "SELECT group_no, a_id, b_id FROM pairings WHERE round_key = :k ORDER BY group_no, a_id, b_id",
        {"k": round_key},
    )
    groups: dict[int, list[PersonId]] = {}
    for row in rows:
        members = groups.setdefault(row["group_no"], [])
        for person in (PersonId(row["a_id"]), PersonId(row["b_id"])):
            if person not in members:
                members.append(person)
    return [tuple(sorted(members)) for _, members in sorted(groups.items())]


async def partners_in_round(tx: Tx, round_key: str, person_id: PersonId) -> list[PersonId]:
    """Whom a person was paired with in a round: one, two in a trio, none if they sat it out (or
    their partner was forgotten since)."""
    rows = await tx.all(  # (by person, then round: by round first, SQLite read the round's every pair)
        "SELECT b_id, round_key FROM pairings WHERE a_id = :p"
        " UNION ALL SELECT a_id, round_key FROM pairings WHERE b_id = :p",
        {"p": person_id},
    )
    return [PersonId(row[0]) for row in rows if row[1] == round_key]


async def all_in(tx: Tx, people: Sequence[PersonId], now: int) -> bool:
    """Whether all these people are opted in to the pairing and not paused at `now`."""
    marks, params = bound_ids(people)
    found = await tx.value(
        f"SELECT COUNT(*) FROM pairing_members m JOIN people p ON p.id = m.person_id"
        f" WHERE m.person_id IN ({marks}) AND {NOT_PAUSED}",
        {**params, "now": now},
    )
    return int(found) == len(set(people))
