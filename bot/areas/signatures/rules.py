"""Signatories (spec §13): importing the list, who has joined, where the gaps are, invite codes,
and `iam`.

An import compares the whole file with what is stored, by each row's key (its email, else its
name): a new key is a new signatory, a known key whose columns changed is updated, and the same
file twice changes nothing. Only the columns the file has are compared and written, so a later
export with fewer columns does not blank what an earlier one said: not a field, and not a line of
the notes that came from a column the file lacks (`Phone: 555`). Rows sharing a key within a
file are merged into one signatory (the first row's values, gaps filled from the others), and so
is a row with a name alone into the one row (or stored signatory) with that name and an email:
once a name has gained an email, its key is the email, and the row without it (still in the
file) must find it again, or the same file imported twice would add that person twice.

Invite codes are like link codes (8 characters, no look-alikes, stored only as a hash) but last
until used; `iam` guessing is throttled the same way: 5 wrong tries per person and 50 across
everyone per 10 minutes. A wrong email, an unknown code and someone else's signature all get the
same answer, so `iam` reveals nothing about who signed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any

from bot.areas import people
from bot.areas.signatures import queries as store
from bot.areas.signatures import words
from bot.areas.signatures.queries import DERIVED, SEARCHED
from bot.areas.signatures.records import Imported, Place, Signatory, Tally
from bot.areas.signatures.sheet import Entry, Sheet
from bot.core.errors import Conflict, NotAllowed
from bot.core.names import fold, searched
from bot.core.paging import Page, offset
from bot.core.values import normalise_region
from bot.storage.db import Tx
from bot.storage.persons import Person

ALPHABET, CODE_LENGTH = "ABCDEFGHJKMNPQRSTUVWXYZ23456789", 8
WINDOW, TRIES_PER_PERSON, TRIES_OVERALL = 600, 5, 50
PAGE_SIZE = 20


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def remembered_as(key: str, name: str) -> list[str]:
    """How a signatory who used `forget me` is remembered, so no re-import brings them back: the
    hash of their key (their email), and of their name as a list without emails would key them."""
    return sorted({key_hash(key), key_hash(named_key(name))})


def _merge(first: Entry, other: Entry) -> Entry:
    """Two rows of one person in a file: the first row's values, its gaps filled by the other."""
    filled = {
        name: getattr(first, name) or getattr(other, name)
        for name in ("email", "workplace", "library", "region", "job")
    }
    extra = first.extra
    if other.notes not in (None, first.notes):  # the other row's notes follow, unless the same
        extra = (*first.extra, *((other.note,) if other.note else ()), *other.extra)
    skills = tuple(dict.fromkeys((*first.skills, *other.skills)))
    fields, labels = first.fields | other.fields, first.labels | other.labels
    return dataclasses.replace(first, **filled, extra=extra, skills=skills, fields=fields, labels=labels)


#: A line of the notes that a column other than `notes` gave: `Column: value`.
_NOTED = re.compile(r"\S[^\n]*?: \S")


def _notes(entry: Entry, fields: frozenset[str], stored: str | None) -> str | None:
    """The notes a row leaves on a stored signatory: the notes column's text if the file has one
    (else the stored text), its other columns' lines, and the stored lines of columns the file
    lacks. Stored lines are told apart only by their form (`Column: value` at the end), so a
    notes column whose text ends in such a line keeps that line when the text changes: better a
    line too many than a note lost."""
    if "notes" not in fields and not entry.labels:
        return stored
    lines = (stored or "").split("\n")
    cut = len(lines)
    while cut and _NOTED.match(lines[cut - 1]):
        cut -= 1
    note = entry.note if "notes" in fields else "\n".join(lines[:cut])
    given = [part for part in (note, *entry.extra) if part]
    written = {line for part in given for line in part.split("\n")}
    kept = [
        line for line in lines[cut:]
        if line not in written and not any(line.startswith(f"{label}: ") for label in entry.labels)
    ]  # fmt: skip
    return "\n".join(dict.fromkeys((*given, *kept))) or None


def _values(entry: Entry, fields: frozenset[str], stored: Signatory | None) -> dict[str, Any]:
    """Every column a row writes: for a new signatory all the file gives; for a stored one what
    the row's columns speak for (`fields`), the rest as stored. Every row writes the same columns,
    so one statement updates them all."""
    region, region_key = normalise_region(entry.region) if entry.region else (None, None)
    given: dict[str, Any] = {
        "name": entry.name, "email": entry.email, "workplace": entry.workplace, "library": entry.library,
        "region": region, "region_key": region_key or None, "job": entry.job,
        "skills": ", ".join(entry.skills) or None, "notes": entry.notes,
    }  # fmt: skip
    values = dict(given)
    if stored is not None:
        for column in given:
            if (column if column != "region_key" else "region") not in fields:
                values[column] = stored.field(column)
        values["notes"] = _notes(entry, fields, stored.notes)
    values["search"] = searched(*(values[column] for column in SEARCHED))
    values["name_key"] = fold(str(values["name"]))
    return values


def named_key(name: str) -> str:
    """The key of a signatory listed by name alone (no email)."""
    return "name:" + " ".join(name.split()).casefold()


def _emailed(entries: Iterable[Entry | Signatory]) -> dict[str, str]:
    """The key of the one row with each name and an email (a name two emails share: none)."""
    keys: dict[str, list[str]] = {}
    for entry in entries:
        if entry.email:
            keys.setdefault(named_key(entry.name), []).append(entry.key)
    return {name: found[0] for name, found in keys.items() if len(found) == 1}


async def import_sheet(tx: Tx, sheet: Sheet, now: int) -> Imported:
    combined: dict[str, Entry] = {}
    merged = 0
    warnings = list(sheet.warnings)
    emailed = _emailed(sheet.entries)
    for entry in sheet.entries:
        key = emailed.get(entry.key, entry.key)  # a name alone joins the row with its email
        if key in combined:
            if named_key(entry.name) != named_key(combined[key].name):  # (two people, one shared address?)
                warnings.append((entry.line, words.merged_under_another_name(combined[key].line)))
            combined[key] = _merge(combined[key], entry)
            merged += 1
        else:
            combined[key] = entry
    stored = await store.by_key(tx)
    known_emails = _emailed(stored.values())
    forgotten = await store.forgotten(tx)
    skipped = list(sheet.skipped)
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    unchanged = 0
    for key, entry in combined.items():
        if key_hash(key) in forgotten:
            skipped.append((entry.line, "removed at their request (`forget me`)"))
            continue
        found, fields = stored.get(key), entry.fields
        by_name = stored.get(named_key(entry.name))
        if found is None and entry.email and by_name is not None and by_name.email is None:
            found = by_name  # the same person, now with an email: their key becomes the email
        elif found is None and not entry.email and key in known_emails:
            found = stored[known_emails[key]]  # their name alone, once they gained an email (kept)
            key, fields = found.key, fields - {"email"}
        values = _values(entry, fields, found)
        if found is None:
            new.append({"key": key, **values})
        elif found.key != key or any(found.field(c) != v for c, v in values.items() if c not in DERIVED):
            changed.append({"id": found.id, "key": key, **values})
        else:
            unchanged += 1
    await store.insert(tx, new, now)
    await store.update(tx, changed, now)
    skipped.sort()
    return Imported(len(new), len(changed), unchanged, merged, tuple(skipped), tuple(sorted(warnings)))


async def listing(tx: Tx, terms: tuple[str, ...], joined: bool | None, page: int) -> Page[Signatory]:
    found, total = await store.listing(tx, terms, joined, PAGE_SIZE, offset(page, PAGE_SIZE))
    return Page.of(found, total, page, PAGE_SIZE, words.listed(terms, joined))


def gaps_first(places: Iterable[Place]) -> list[Place]:
    """Places where nobody joined first (most signatures first), then the lowest share joined;
    ties by region and library type, so the order is the same whatever order the database
    grouped them in (PostgreSQL may hash its groups, SQLite sorts them)."""
    return sorted(places, key=lambda p: (p.joined > 0, p.joined / p.signed, -p.signed, p.region or "~",
                                         p.library is not None, p.library or ""))  # fmt: skip


def coverage(places: list[Place], page: int, size: int = 15) -> Page[Place]:
    """One page of `signatures coverage`, gaps first."""
    ordered = gaps_first(places)
    return Page.of(ordered[offset(page, size) : offset(page, size) + size], len(ordered), page, size,
                   "signatures coverage")  # fmt: skip


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _hash(code: str) -> str:
    return hashlib.sha256("".join(ch for ch in code.upper() if ch.isalnum()).encode()).hexdigest()


async def invite(tx: Tx, count: int, now: int, again: bool = False) -> tuple[list[tuple[Signatory, str]], int]:
    """Codes for up to `count` waiting signatories who have none yet; and how many wait after them.
    With `again`, new codes for those given one before (a lost mail-merge file: codes are kept only
    as hashes, so they cannot be shown twice); their old codes stop working."""
    chosen, total = await store.to_invite(tx, count, again)
    codes = [(signatory, _new_code()) for signatory in chosen]
    await store.set_codes(tx, [(signatory.id, _hash(code)) for signatory, code in codes], now)
    return [(signatory, f"{code[:4]}-{code[4:]}") for signatory, code in codes], total - len(chosen)


async def iam(tx: Tx, person: Person, said: str, now: int) -> tuple[Signatory, tuple[str, ...]] | None:
    """Link the speaker to the signature with this email or invite code, and fill their empty
    profile fields from it; returns the signature and the fields filled. None when nothing
    matches that they may link: returned, not raised, so the wrong try is committed and counts
    against the guesser."""
    mine, everyone = await store.failures(tx, person.id, now - WINDOW)
    if mine >= TRIES_PER_PERSON or everyone >= TRIES_OVERALL:
        raise NotAllowed(words.too_many_tries())
    already = await store.of_person(tx, person.id)
    if already is not None:
        raise Conflict(words.already_linked(already.name))
    text = said.strip()
    if "@" in text:
        found = await store.find(tx, email=text.casefold())
    else:
        found = await store.find(tx, code_hash=_hash(text))
    if found is None or found.person_id is not None:
        await store.record_failure(tx, person.id, now)
        return None
    await store.link(tx, found.id, person.id, now)
    skills = tuple(s.strip() for s in (found.skills or "").split(",") if s.strip())
    filled = await people.fill_empty(
        tx, person, region=found.region, library=found.library, job=found.job, skills=skills, now=now
    )
    return found, filled


async def signed_vs_joined(tx: Tx) -> list[Place]:
    """Every place, ordered as `signatures coverage` orders them: the leads' dashboard shows the
    whole list (and its CSV), where chat shows it a page at a time."""
    return gaps_first(await store.places(tx))


async def tally(tx: Tx, now: int) -> Tally:
    """Signed vs joined, and how many joined in the last week (for `coverage` and the digest)."""
    return Tally(*await store.tally(tx, now - 7 * 86400))
