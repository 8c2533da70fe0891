"""The contacts area's SQL: contacts (people outside the bot) and the notes logged about them.
Follow-ups are in `followup_queries.py`.

Who may see a contact is decided here in SQL for lists and searches (`visible_to`), so a list can
never hold a contact beyond its share; single lookups return the row and the rules check it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.areas.contacts.records import Contact, Found, Note, WaitingIntro
from bot.core.names import fold, searched
from bot.core.params import Asker, Choice
from bot.ids import ContactId, PersonId
from bot.storage import counters, summaries
from bot.storage.db import Row, Tx, bound_ids, like_literal, record, written

CONTACT_FIELDS = ("name", "org", "how", "interests", "share")


_CONTACT = "SELECT c.*, p.display_name AS owner_name FROM contacts c JOIN people p ON p.id = c.owner_id"

# Whether the viewer (:me, a lead when :lead = 1) may see contact `c`: the one rule of sharing. A
# CASE, so no index on the share is used to answer it: lists walk the contacts in name order.
VISIBLE = "CASE WHEN c.owner_id = :me OR c.share = 'members' OR (c.share = 'leads' AND :lead = 1) THEN 1 ELSE 0 END = 1"


_ONE = "c.id = :c"  # one contact, as the leads' count of contacts by share counts it


def _contact(row: Row) -> Contact:
    return record(Contact, row)


def search_text(name: str, org: str | None, interests: str | None) -> str:
    """What `contacts <words>` looks in: name, org and interests, folded (`jose` finds José)."""
    return searched(name, org, interests)


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
    contact_id = await counters.insert(
        tx,
        "INSERT INTO contacts (owner_id, name, name_key, org, how, interests, share, search, created_at, updated_at)"
        " VALUES (:owner, :name, :key, :org, :how, :interests, :share, :search, :now, :now)",
        {"owner": owner_id, "name": name, "key": fold(name), "org": org, "how": how, "interests": interests,
         "share": share, "search": search_text(name, org, interests), "now": now},
    )  # fmt: skip
    summaries.shift(tx, [summaries.CONTACTS], _ONE, {"c": contact_id}, 1)
    summaries.contact_changed(tx, contact_id)
    return written(await get(tx, ContactId(contact_id)))


async def named(tx: Tx, name: str, viewer: PersonId, lead: bool) -> list[Contact]:
    """The contacts the viewer may see whose name is this one, case and accents aside; when none
    is, those whose name begins with these words (`jordan` for "Jordan Lee"). Both are ranges
    of `contacts_by_name`."""
    key, seen = fold(name), {"me": viewer, "lead": int(lead)}
    exact = f"{_CONTACT} WHERE c.name_key = :key AND {VISIBLE} ORDER BY c.id LIMIT 10"
    rows = await tx.all(exact, {"key": key, **seen})
    if not rows:
        first_words = f"{_CONTACT} WHERE c.name_key > :key AND c.name_key < :upper AND {VISIBLE}"
        rows = await tx.all(
            f"{first_words} ORDER BY c.name_key, c.id LIMIT 10", {"key": key + " ", "upper": key + " " + _TOP, **seen}
        )
    return [_contact(row) for row in rows]


async def namesakes(tx: Tx, contact: Contact) -> tuple[ContactId, ...]:
    """The owner's other contacts with this contact's name, case and accents aside, oldest first
    (`contacts_by_name`)."""
    rows = await tx.all(
        "SELECT id FROM contacts WHERE name_key = :key AND owner_id = :owner AND id <> :id ORDER BY id",
        {"key": fold(contact.name), "owner": contact.owner_id, "id": contact.id},
    )
    return tuple(ContactId(row["id"]) for row in rows)


async def get(tx: Tx, contact_id: ContactId) -> Contact | None:
    row = await tx.one(f"{_CONTACT} WHERE c.id = :id", {"id": contact_id})
    return _contact(row) if row else None


# Listing and search walk the contacts in name order (`contacts_by_name`: by the name's key,
# `bot/core/names.py`) or start from the words index (`contact_words`), whichever reads fewer rows.
# Counts come from summaries: contacts by share, and contacts by the prefixes of their words. A
# search of several words starts from the rarest word's contacts in the index and probes each for
# the other words (`_HAS`): when the rarest has few contacts, all of them (an exact count, shown by
# name); when it has many, only until the page and one more are found (`_FIRST_FOUND`), shown in
# the order found, and the count is "more than" what was read — so a search reads about what it
# shows, however many contacts are stored. A word typed matches the start of a word of the
# contact's name, org or interests (`teach` finds "teachers union").
_SEEN = {True: "('leads', 'members')", False: "('members')"}  # the shares a lead, a member sees (and their own)
_TOP = "\U0010ffff"  # above every character: a word typed, as an index range of the words it starts
_FEW = 1000  # at most this many found: read and sort them all, else walk in name order (several words: as found)
_PAGE = "ORDER BY c.name_key, c.id LIMIT :limit OFFSET :offset"
_WORD = "SELECT DISTINCT contact_id AS id FROM contact_words WHERE word >= :lo{i} AND word < :hi{i} AND share IN {seen}"
_HAS = (
    "EXISTS (SELECT 1 FROM contact_words v WHERE v.contact_id = w.contact_id AND v.word >= :lo{i} AND v.word < :hi{i})"
)
# Each contact of the rarest word (`{i}`) once, at its first word in the word's range, in the index's order.
_FIRST_FOUND = (
    "SELECT w.contact_id AS id FROM contact_words w WHERE w.word >= :lo{i} AND w.word < :hi{i} AND w.share IN {seen}"
    " AND NOT EXISTS (SELECT 1 FROM contact_words x WHERE x.contact_id = w.contact_id AND x.word >= :lo{i}"
    " AND x.word < w.word) AND {others} ORDER BY w.word, w.share, w.contact_id LIMIT :enough"
)


async def visible_to(tx: Tx, viewer: PersonId, lead: bool, words: Sequence[str], limit: int, offset: int) -> Found:
    """Contacts the viewer may see, matching every word (in name, org or interests), by name."""
    seen = _SEEN[lead]
    params: dict[str, object] = {"me": viewer, "lead": int(lead), "limit": limit, "offset": offset}
    matching, typed = ["1 = 1"], [fold(word) for word in words]
    for i, word in enumerate(typed):
        matching.append(f"(' ' || c.search) LIKE :w{i} ESCAPE '\\'")
        params |= {f"w{i}": f"% {like_literal(word)}%", f"lo{i}": word, f"hi{i}": word + _TOP}
    match = " AND ".join(matching)
    mine = f"owner_id = :me AND share NOT IN {seen}"  # the viewer's own that nobody else sees: a few
    own = int(await tx.value(f"SELECT COUNT(*) FROM contacts c WHERE c.{mine} AND {match}", params))
    if not words:
        shared = await tx.value(f"SELECT COALESCE(SUM(n), 0) FROM tallies WHERE name = 'contacts' AND key IN {seen}")
        rows = await tx.all(f"{_CONTACT} WHERE {VISIBLE} {_PAGE}", params)
        return Found([_contact(row) for row in rows], int(shared) + own)
    prefixes = ", ".join(f":lo{i}" for i in range(len(words)))
    tallied = await tx.all(
        f"SELECT prefix, SUM(contacts) AS n FROM contact_prefixes WHERE prefix IN ({prefixes}) AND share IN {seen}"
        " GROUP BY prefix",
        params,
    )
    counts = {str(row["prefix"]): int(row["n"]) for row in tallied}
    rarest = min(range(len(typed)), key=lambda i: counts.get(typed[i], 0))
    found, total = _WORD.format(i=rarest, seen=seen), counts.get(typed[rarest], 0)
    if total and len(typed) > 1:  # the rarest word's contacts with every other word
        others = " AND ".join(_HAS.format(i=i) for i in range(len(typed)) if i != rarest)
        first = _FIRST_FOUND.format(i=rarest, seen=seen, others=others)
        if total > _FEW:
            return await _first_found(tx, first, params, (mine, match), limit, offset)
        ids = [int(row[0]) for row in await tx.all(first, {**params, "enough": _FEW})]
        marks, bound = bound_ids(ids, "cid") if ids else ("NULL", {})
        found, total, params = f"SELECT id FROM contacts WHERE id IN ({marks})", len(ids), params | bound
    if total > _FEW:  # many: they are dense among the contacts in name order
        rows = await tx.all(f"{_CONTACT} WHERE {VISIBLE} AND {match} {_PAGE}", params)
    else:
        rows = await tx.all(
            f"SELECT c.*, p.display_name AS owner_name FROM ({found} UNION SELECT id FROM contacts WHERE {mine}) m"
            " CROSS JOIN contacts c JOIN people p ON p.id = c.owner_id"
            f" WHERE c.id = m.id AND {match} {_PAGE}",
            params,
        )
    return Found([_contact(row) for row in rows], total + own)


async def _first_found(
    tx: Tx, first: str, params: dict[str, object], where: tuple[str, str], limit: int, offset: int
) -> Found:
    """A page of a search whose rarest word has many contacts: the viewer's own matching contacts
    (`where`: theirs, and the match; by name), then those `first` finds, as many as the page needs
    and one more to know whether there are more; counted exactly when they ran out before that."""
    mine, match = where
    own = [int(row[0]) for row in await tx.all(
        f"SELECT c.id FROM contacts c WHERE c.{mine} AND {match} ORDER BY c.name_key, c.id", params
    )]  # fmt: skip
    wanted = max(offset + limit - len(own), 0) + 1
    shared = [int(row[0]) for row in await tx.all(first, {**params, "enough": wanted})]
    ids = own + shared
    page = ids[offset : offset + limit]
    rows = await tx.all(f"{_CONTACT} WHERE c.id IN ({', '.join(map(str, page)) or 'NULL'}) AND {match}", params)
    by_id = {int(row["id"]): _contact(row) for row in rows}
    return Found([by_id[i] for i in page if i in by_id], len(ids), more=len(shared) == wanted)


async def update_fields(tx: Tx, contact: Contact, changes: dict[str, str | None], now: int) -> None:
    """Set fields; the names come from our own code, never from input."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    merged = {field: getattr(contact, field) for field in ("name", "org", "interests")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    counted = [summaries.CONTACTS] if "share" in changes else []
    summaries.shift(tx, counted, _ONE, {"c": contact.id}, -1)
    await tx.execute(
        f"UPDATE contacts SET {assignments}, name_key = :key, search = :search, updated_at = :now WHERE id = :id",
        {
            **changes,
            "key": fold(str(merged["name"])),
            "search": search_text(str(merged["name"]), merged["org"], merged["interests"]),
            "now": now,
            "id": contact.id,
        },
    )
    summaries.shift(tx, counted, _ONE, {"c": contact.id}, 1)
    summaries.contact_changed(tx, contact.id)


async def intros_waiting_on(tx: Tx, contact_id: ContactId) -> list[WaitingIntro]:
    """Intros to the contact still waiting for the member asked: `delete` takes them with it."""
    rows = await tx.all(
        "SELECT id, a_id AS member_id, proposer_id FROM intros"
        " WHERE contact_id = :c AND status = 'pending' AND a_answer = 'pending' ORDER BY id",
        {"c": contact_id},
    )
    return [record(WaitingIntro, row) for row in rows]


async def delete(tx: Tx, contact_id: ContactId) -> None:
    """Remove a contact with its notes, follow-ups and intros (the foreign keys cascade), and
    what they counted in the leads' summaries."""
    summaries.shift(tx, [summaries.CONTACTS], _ONE, {"c": contact_id}, -1)
    summaries.shift(tx, [summaries.INTROS], "i.contact_id = :c", {"c": contact_id}, -1)
    summaries.contact_dropped(tx, contact_id)
    await tx.execute("DELETE FROM contacts WHERE id = :id", {"id": contact_id})


async def add_note(tx: Tx, contact: Contact, author_id: PersonId, text: str, now: int) -> Contact:
    """Log a note; the contact as it now reads, made here beside the UPDATE rather than read back
    (on PostgreSQL a read is a round trip of its own)."""
    tx.later(
        "INSERT INTO contact_notes (contact_id, author_id, text, created_at) VALUES (:c, :a, :t, :now)",
        {"c": contact.id, "a": author_id, "t": text, "now": now},
    )
    tx.later(
        "UPDATE contacts SET last_note_at = :now, updated_at = :now WHERE id = :c",
        {"now": now, "c": contact.id},
    )
    return dataclasses.replace(contact, last_note_at=now, updated_at=now)


async def notes(tx: Tx, contact_id: ContactId, limit: int) -> list[Note]:
    """The newest notes first."""
    rows = await tx.all(
        "SELECT n.*, p.display_name AS author_name FROM contact_notes n"
        " LEFT JOIN people p ON p.id = n.author_id WHERE n.contact_id = :c ORDER BY n.id DESC LIMIT :n",
        {"c": contact_id, "n": limit},
    )
    return [record(Note, row) for row in rows]


async def count_notes(tx: Tx, contact_id: ContactId) -> int:
    return int(await tx.value("SELECT COUNT(*) FROM contact_notes WHERE contact_id = :c", {"c": contact_id}))


async def complete_own_contacts(tx: Tx, typed: str, asker: Asker) -> list[Choice]:
    """The asker's own contacts, newest first, by number prefix or a word of name, org or
    interests."""
    typed = typed.lstrip("#")
    rows = await tx.all(
        "SELECT c.id, c.name FROM identities me JOIN contacts c ON c.owner_id = me.person_id"
        " WHERE me.platform = :platform AND me.user_id = :user"
        " AND (CAST(c.id AS TEXT) LIKE :prefix ESCAPE '\\' OR c.search LIKE :inside ESCAPE '\\')"
        " ORDER BY c.id DESC LIMIT 25",
        {
            "platform": asker.platform,
            "user": asker.user_id,
            "prefix": f"{like_literal(typed)}%",
            "inside": f"%{like_literal(fold(typed))}%",
        },
    )
    return [Choice(f"{row['id']} · {row['name']}", row["id"]) for row in rows]
