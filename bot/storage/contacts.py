"""Contacts (people outside the bot) and the notes logged about them.

Who may see a contact is decided here in SQL for lists and searches (`visible_to`), so a list can
never hold a contact beyond its share; single lookups return the row and the feature checks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NewType

from bot.core.text import PersonId
from bot.storage.db import Row, Tx

ContactId = NewType("ContactId", int)

CONTACT_FIELDS = ("name", "org", "how", "interests", "share")


@dataclass(frozen=True)
class Contact:
    id: ContactId
    owner_id: PersonId
    owner_name: str
    name: str
    org: str | None
    how: str | None
    interests: str | None
    share: str
    created_at: int
    updated_at: int
    last_note_at: int | None


@dataclass(frozen=True)
class Note:
    contact_id: ContactId
    author_name: str | None
    text: str
    created_at: int


_CONTACT = "SELECT c.*, p.display_name AS owner_name FROM contacts c JOIN people p ON p.id = c.owner_id"

# Whether the viewer (:me, a lead when :lead = 1) may see contact `c`: the one rule of sharing.
VISIBLE = "(c.owner_id = :me OR c.share = 'members' OR (c.share = 'leads' AND :lead = 1))"


def _contact(row: Row) -> Contact:
    return Contact(
        id=ContactId(row["id"]),
        owner_id=PersonId(row["owner_id"]),
        owner_name=row["owner_name"],
        name=row["name"],
        org=row["org"],
        how=row["how"],
        interests=row["interests"],
        share=row["share"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_note_at=row["last_note_at"],
    )


def search_text(name: str, org: str | None, interests: str | None) -> str:
    """What `contacts <words>` looks in: name, org and interests, lower-cased."""
    return " ".join(part for part in (name, org, interests) if part).casefold()


def _like(word: str) -> str:
    escaped = word.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def create(
    tx: Tx,
    *,
    owner_id: PersonId,
    name: str,
    org: str | None,
    how: str | None,
    interests: str | None,
    share: str,
    now: int,
) -> Contact:
    contact_id = await tx.insert(
        "INSERT INTO contacts (owner_id, name, org, how, interests, share, search, created_at, updated_at)"
        " VALUES (:owner, :name, :org, :how, :interests, :share, :search, :now, :now)",
        {
            "owner": owner_id,
            "name": name,
            "org": org,
            "how": how,
            "interests": interests,
            "share": share,
            "search": search_text(name, org, interests),
            "now": now,
        },
    )
    contact = await get(tx, ContactId(contact_id))
    assert contact is not None
    return contact


async def get(tx: Tx, contact_id: ContactId) -> Contact | None:
    row = await tx.one(f"{_CONTACT} WHERE c.id = :id", {"id": contact_id})
    return _contact(row) if row else None


async def visible_to(
    tx: Tx, viewer: PersonId, lead: bool, words: Sequence[str], limit: int, offset: int
) -> tuple[list[Contact], int]:
    """Contacts the viewer may see, matching every word (in name, org or interests), by name."""
    where = [VISIBLE]
    params: dict[str, object] = {"me": viewer, "lead": int(lead), "limit": limit, "offset": offset}
    for index, word in enumerate(words):
        where.append(f"c.search LIKE :w{index} ESCAPE '\\'")
        params[f"w{index}"] = _like(word)
    clause = " AND ".join(where)
    rows = await tx.all(
        f"{_CONTACT} WHERE {clause} ORDER BY c.name COLLATE NOCASE, c.id LIMIT :limit OFFSET :offset",
        params,
    )
    total = await tx.value(f"SELECT COUNT(*) FROM contacts c WHERE {clause}", params)
    return [_contact(row) for row in rows], int(total)


async def update_fields(tx: Tx, contact: Contact, changes: dict[str, str | None], now: int) -> None:
    """Set fields; the names come from our own code, never from input."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    merged = {field: getattr(contact, field) for field in ("name", "org", "interests")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    await tx.execute(
        f"UPDATE contacts SET {assignments}, search = :search, updated_at = :now WHERE id = :id",
        {
            **changes,
            "search": search_text(str(merged["name"]), merged["org"], merged["interests"]),
            "now": now,
            "id": contact.id,
        },
    )


async def delete(tx: Tx, contact_id: ContactId) -> None:
    """Remove a contact with its notes, follow-ups and intros (the foreign keys cascade)."""
    await tx.execute("DELETE FROM contacts WHERE id = :id", {"id": contact_id})


async def add_note(tx: Tx, contact_id: ContactId, author_id: PersonId, text: str, now: int) -> None:
    tx.later(
        "INSERT INTO contact_notes (contact_id, author_id, text, created_at) VALUES (:c, :a, :t, :now)",
        {"c": contact_id, "a": author_id, "t": text, "now": now},
    )
    tx.later(
        "UPDATE contacts SET last_note_at = :now, updated_at = :now WHERE id = :c",
        {"now": now, "c": contact_id},
    )


async def notes(tx: Tx, contact_id: ContactId, limit: int) -> list[Note]:
    """The newest notes first."""
    rows = await tx.all(
        "SELECT n.*, p.display_name AS author_name FROM contact_notes n"
        " LEFT JOIN people p ON p.id = n.author_id WHERE n.contact_id = :c ORDER BY n.id DESC LIMIT :n",
        {"c": contact_id, "n": limit},
    )
    return [Note(ContactId(row["contact_id"]), row["author_name"], row["text"], row["created_at"]) for row in rows]


async def count_notes(tx: Tx, contact_id: ContactId) -> int:
    return int(await tx.value("SELECT COUNT(*) FROM contact_notes WHERE contact_id = :c", {"c": contact_id}))
