"""The accounts area's SQL that scrubs a forgotten person from the words that stay: what names
them (`names_and_ids`: display names and platform ids), and its replacement by "a former member"
in every column where words about a person can hide (`TEXT_COLUMNS`), with what the bot computes
from those columns (`DERIVED_COLUMNS`, `COMPOSED`) and the summaries that copy them.

Kept apart from `queries.py` (link codes, merging, forgetting, exporting), which works on the rows
that refer to one person: the scrub searches every row of free text. A test checks `TEXT_COLUMNS`
and `DERIVED_COLUMNS` against the schema, so no column of free text is missed.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Sequence
from typing import Any

from bot.core.names import fold
from bot.core.words import FORMER, FORMER_FIRST
from bot.ids import PersonId
from bot.storage import summaries
from bot.storage.db import Tx
from bot.storage.fills import FILLS, Fill

# Every column where words about a person can hide once they are gone: the scrub replaces their
# names and platform ids there with "a former member".
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("asks", "title"), ("asks", "details"), ("ask_updates", "text"), ("claims", "note"),
    ("contacts", "name"), ("contacts", "org"), ("contacts", "how"), ("contacts", "interests"),
    ("contacts", "search"), ("contact_notes", "text"), ("intros", "why"), ("meetings", "note"),
    ("checkins", "answer"), ("outbox", "body"), ("outbox", "last_error"), ("audit", "subject"),
    ("audit", "detail"), ("people", "job"), ("people", "hours"), ("people", "region"), ("events", "title"),
    ("events", "place"), ("events", "region"),
    ("signatories", "workplace"), ("signatories", "region"), ("signatories", "job"), ("signatories", "skills"),
    ("signatories", "notes"), ("signatories", "search"), ("announcements", "text"), ("announcements", "target"),
    ("resources", "url"), ("resources", "title"), ("resources", "tags"), ("resources", "note"),
    ("resources", "search"),
)  # fmt: skip
#: What the bot computes from several columns of a row (`bot/storage/fills.py`: the search text of a
#: contact, a signatory, a shared link) is computed again from the scrubbed columns, never scrubbed
#: as text: it also holds forms of their words no needle matches (`renees` for "Renée's", the
#: `mary` and `jane` of Mary-Jane: `bot/core/names.py`). It is still searched, to find the rows.
COMPOSED: dict[tuple[str, str], Fill] = {
    (step.table, step.target): step for steps in FILLS.values() for step in steps if len(step.sources) > 1
}
#: The same, a table at a time: one pass over each table finds the needles in all its columns (and
#: reads the other columns a composed one is computed from).
_SCRUBBED: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (
        table,
        tuple(column for name, column in TEXT_COLUMNS if name == table),
        tuple(dict.fromkeys(source for (t, _), step in COMPOSED.items() if t == table for source in step.sources)),
    )
    for table in dict.fromkeys(t for t, _ in TEXT_COLUMNS)
)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _alone(needle: str) -> str:
    """A needle as a pattern that matches it only as a whole word where words have edges: `tj`
    in "talked to tj" but not in "tjunction"; `李明` wherever it stands (no spaces around it)."""
    start = r"(?<![A-Za-z0-9_])" if needle[0].isascii() and needle[0].isalnum() else ""
    end = r"(?![A-Za-z0-9_])" if needle[-1].isascii() and needle[-1].isalnum() else ""
    return start + re.escape(needle) + end


async def scrub(tx: Tx, needles: Sequence[str]) -> int:
    """Replace each needle (a name or platform id, of any length) in free text; returns rows changed.

    Case-blind, except a one-letter name, which is replaced only as typed (`A`, not every "a")."""
    usable = sorted({n.strip() for n in needles if n.strip()}, key=len, reverse=True)
    if not usable:
        return 0
    # As typed, as JSON writes it (a stored message's body), in lower and upper case (SQLite's LIKE
    # ignores the case of ASCII letters only: `émile` in a note did not match Émile), and folded
    # as search texts keep it (`bot/core/names.py`: `renee marchand` for Renée Marchand), which also
    # finds it typed without accents; not a one-letter name's other forms (`a` would be every "a").
    variants = {v for n in usable for v in (n, json.dumps(n, ensure_ascii=False)[1:-1], json.dumps(n)[1:-1])}
    variants |= {v for n in usable if len(fold(n)) > 1 for v in (n.lower(), n.upper(), fold(n))}
    ordered = sorted(variants, key=len, reverse=True)
    pattern = re.compile("|".join(_alone(v) if len(v) > 1 else f"(?-i:{_alone(v)})" for v in ordered), re.IGNORECASE)
    # LIKE finds the rows (the pattern decides): variants that differ only in the case of ASCII
    # letters find the same ones, and each LIKE more costs every row of every table a comparison.
    likes = sorted({f"%{v.translate(_ASCII_LOWER)}%" for v in variants})
    changed = 0
    for table, columns, sources in _SCRUBBED:
        key = "id" if any((table, column) in _SUMMARISED for column in columns) else "rowid"
        clause = " OR ".join(f"{column} LIKE ?" for column in columns for _ in likes)
        read = ", ".join(dict.fromkeys((*columns, *sources)))
        rows = await tx.all(f"SELECT {key} AS rid, {read} FROM {table} WHERE {clause}", likes * len(columns))
        for row in rows:
            new = {
                column: pattern.sub(_former if (table, column) in _SENTENCES else _as_name, row[column])
                for column in columns
                if isinstance(row[column], str) and (table, column) not in COMPOSED
            }
            new = {column: value for column, value in new.items() if value != row[column]}
            if new:
                await _rewrite(tx, table, key, row["rid"], new, {column: row[column] for column in sources})
                changed += 1
    return changed


#: Columns that hold what people wrote in sentences (a note, an answer, a message): where one starts
#: with the name, "A former member" starts it. The others hold names, titles and places that the
#: bot's own sentences say ("you made a former member a lead", "ask 3 “a former member's zine”").
_SENTENCES = frozenset({
    ("asks", "details"), ("ask_updates", "text"), ("claims", "note"), ("contact_notes", "text"), ("intros", "why"),
    ("meetings", "note"), ("checkins", "answer"), ("announcements", "text"), ("resources", "note"), ("outbox", "body"),
})  # fmt: skip
#: What comes before a sentence's first word, but a text's own start: a message body's first span
#: (in the outbox's JSON), or the end of a sentence or line.
_SENTENCE_ENDS = ('{"text":[["p","', ". ", "! ", "? ", "\n", "\\n")


def _former(match: re.Match[str]) -> str:
    """The forgotten person's name in sentences, with a capital where one starts."""
    before = match.string[max(0, match.start() - len(_SENTENCE_ENDS[0])) : match.start()]
    starts = match.start() == 0 or before.endswith(_SENTENCE_ENDS)
    return FORMER_FIRST if starts else FORMER


def _as_name(match: re.Match[str]) -> str:
    """The forgotten person's name where a name or a title stood."""
    return FORMER


async def _rewrite(tx: Tx, table: str, key: str, rid: int, new: dict[str, str], sources: dict[str, Any]) -> None:
    """One row's scrubbed columns written in one UPDATE (a PostgreSQL row moves when updated, so
    its `ctid` would not find it twice), with what is computed from them (`sources`: the columns
    a composed one is computed from, as read) and what summarises them."""
    values: dict[str, Any] = dict(new)
    for column, value in new.items():
        derived = DERIVED_COLUMNS.get((table, column))
        if derived is not None:
            values[derived[0]] = derived[1](value)
    for (composed_in, target), step in COMPOSED.items():
        if composed_in == table and new.keys() & set(step.sources):
            values[target] = step.compute(*({**sources, **new}[source] for source in step.sources))
    grouped = [summaries.PEOPLE_GROUPS] if table == "people" and "region" in new else []
    if grouped:
        summaries.people_out(tx, [rid], grouped)  # a region is counted as shown
    sets = ", ".join(f"{column} = :v{n}" for n, column in enumerate(values))
    params = {f"v{n}": value for n, value in enumerate(values.values())}
    await tx.execute(f"UPDATE {table} SET {sets} WHERE {key} = :r", params | {"r": rid})
    if grouped:
        summaries.people_in(tx, [rid], grouped)
    if table == "contacts" and "search" in values:  # its words, as they read now
        summaries.contact_changed(tx, rid)


# Scrubbed columns a summary copies (bot/storage/summaries.py): their rows are found by id, the
# person or contact whose counts or words are redone (a rowid, PostgreSQL's ctid, names neither).
_SUMMARISED = {("people", "region"), ("contacts", "search")}
#: What the bot computes from one column alone (`bot/storage/fills.py`: a name's key, an ask's
#: search text, a region's grouping key) is computed again when that column is scrubbed: it would
#: still spell the name. (A region's display form, computed from itself, stays as scrubbed.)
DERIVED_COLUMNS: dict[tuple[str, str], tuple[str, Callable[..., str]]] = {
    (step.table, step.sources[0]): (step.target, step.compute)
    for steps in FILLS.values()
    for step in steps
    if len(step.sources) == 1 and step.target != step.sources[0]
}


async def names_and_ids(tx: Tx, person_id: PersonId) -> list[str]:
    """Everything that identifies a person in text: display names and platform ids."""
    found: list[str] = []
    row = await tx.one("SELECT display_name FROM people WHERE id = :p", {"p": person_id})
    if row is not None:
        found.append(row["display_name"])
    for identity in await tx.all("SELECT user_id, display_name FROM identities WHERE person_id = :p", {"p": person_id}):
        found += [identity["user_id"], identity["display_name"]]
    return found
