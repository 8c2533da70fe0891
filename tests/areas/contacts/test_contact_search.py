"""`contacts <words>` through the words index (`contact_words`, issue 15): a word typed matches the
start of a word of a contact's name, org or interests, within the contact's share, and the index
follows every change to a contact. The random test compares every page and count with a
recomputation from the contacts themselves, on both of the search's paths (the rarest word read
from the index, or every word common and the contacts walked in name order; with several words,
the rarest word's contacts read all, or only until the page is full)."""

from __future__ import annotations

import random

import pytest

from bot.areas.contacts import queries as store
from bot.core.names import fold
from bot.ids import PersonId
from bot.storage import summaries
from tests.console_bot import ConsoleBot, joined


async def _people(bot: ConsoleBot, names: list[str]) -> dict[str, PersonId]:
    for name in names:
        await bot.say(name, "!volunteer research")
    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT id, display_name FROM people")
    return {row["display_name"]: PersonId(row["id"]) for row in rows}


async def test_a_word_typed_finds_the_words_it_starts_in_any_case_and_never_the_middle_of_one(
    bot: ConsoleBot,
) -> None:
    await _people(bot, ["alice"])
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers Union, Local 5" interests:"bargaining"')
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts teach"))
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts UNION local"))
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts jor barg"))
    for missing in ("achers", "union bargains", "50%", "te_ch"):
        assert "No contacts you can see match" in joined(await bot.say("alice", f"!contacts {missing}")), missing


async def test_a_word_typed_without_its_accents_or_with_others_finds_the_contact(bot: ConsoleBot) -> None:
    await _people(bot, ["alice"])
    bot.dm()
    await bot.say("alice", '!contact add name:"José Núñez" org:"Bibliothèque publique" interests:"Straße"')
    for typed in ("jose", "JOSÉ", "nunez", "bibliotheque", "BIBLIOTHÈQUE pub", "strasse", "josé núñez"):
        assert "José Núñez" in joined(await bot.say("alice", f"!contacts {typed}")), typed


async def test_a_word_with_marks_is_found_typed_without_them_and_by_its_pieces(bot: ConsoleBot) -> None:
    """People type `obrien` for O'Brien and `cio` for the AFL-CIO: a word with marks in it is
    also a word without them, and its pieces are words of their own."""
    await _people(bot, ["alice"])
    bot.dm()
    await bot.say("alice", '!contact add name:"Pat O\'Brien" org:"AFL-CIO" interests:"e-books, zines"')
    typed_ways = ("obrien", "O'Brien", "brien", "obri", "cio", "afl", "AFL-CIO", "aflcio", "ebooks", "books", "pat cio")
    for typed in typed_ways:
        assert "Pat O'Brien" in joined(await bot.say("alice", f"!contacts {typed}")), typed
    assert "Contacts you can see (1):" in joined(await bot.say("alice", "!contacts obrien"))  # one contact, once
    for missing in ("rien", "flcio", "booksz"):
        assert "No contacts you can see match" in joined(await bot.say("alice", f"!contacts {missing}")), missing
    async with bot.app.db.transaction() as tx:
        assert not await summaries.differences(tx)


async def test_an_edit_changes_what_finds_a_contact_and_a_dropped_one_is_found_by_nothing(bot: ConsoleBot) -> None:
    await _people(bot, ["alice"])
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    await bot.say("alice", '!contact edit 1 org:"Nurses Guild"')
    assert "No contacts you can see match" in joined(await bot.say("alice", "!contacts teachers"))
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts guild"))
    await bot.say("alice", "!contact drop 1")
    assert "No contacts you can see match" in joined(await bot.say("alice", "!contacts guild"))
    async with bot.app.db.transaction() as tx:
        assert await tx.value("SELECT COUNT(*) FROM contact_words") == 0
        assert not await summaries.differences(tx)  # no word's prefix counts the contact any more


async def test_a_forgotten_persons_name_no_longer_finds_a_contact_that_mentioned_them(bot: ConsoleBot) -> None:
    await _people(bot, ["alice", "Zed"])
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Zed branch" share:members')
    await bot.say("Zed", "!forget me")
    await bot.say("Zed", "!forget me confirm")
    assert "No contacts you can see match" in joined(await bot.say("alice", "!contacts zed"))
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts branch"))
    assert "Jordan Lee" in joined(await bot.say("alice", "!contacts former"))  # as the text reads now
    async with bot.app.db.transaction() as tx:
        assert not await summaries.differences(tx)


# --- every page and count against a recomputation -----------------------------------------------

WORDS = ["teachers", "teach", "union,", "library", "law", "labour", "school", "ohio", "école", "straße"]
SHARES = ["private", "leads", "members"]


def _expected(contacts: list[dict[str, object]], viewer: PersonId, lead: bool, typed: list[str]) -> set[int]:
    seen = {"members", "leads"} if lead else {"members"}
    return {
        int(str(c["id"]))
        for c in contacts
        if (c["owner_id"] == viewer or c["share"] in seen)
        and all(any(word.startswith(fold(t)) for word in str(c["search"]).split(" ")) for t in typed)
    }


@pytest.mark.parametrize("few", [store._FEW, 3])
async def test_every_search_gives_the_contacts_and_count_a_scan_of_all_contacts_gives(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    monkeypatch.setattr(store, "_FEW", few)  # 3: common words walk the contacts in name order
    rng = random.Random(few)
    people = list((await _people(bot, ["ann", "ben", "cat"])).values())
    async with bot.app.db.transaction() as tx:
        for i in range(120):
            await store.create(
                tx, owner_id=rng.choice(people), name=f"{rng.choice(WORDS).title()}{i:03d}",
                org=" ".join(rng.sample(WORDS, rng.randint(0, 2))) or None, how=None,
                interests=rng.choice([None, "Bargaining", "law school"]), share=rng.choice(SHARES), now=0,
            )  # fmt: skip
        contacts = [dict(row) for row in await tx.all("SELECT id, owner_id, share, search FROM contacts")]
        for _ in range(60):
            viewer, lead = rng.choice(people), rng.random() < 0.5
            typed = [rng.choice(WORDS)[: rng.randint(1, 4)].upper() for _ in range(rng.randint(0, 2))]
            expected = _expected(contacts, viewer, lead, typed)
            found: list[int] = []
            for offset in range(0, len(expected) + 10, 10):
                page = await store.visible_to(tx, viewer, lead, typed, 10, offset)
                if page.more:  # read as far as this page and one more: more than that many, never more than are
                    assert offset + 10 < page.total <= len(expected), (viewer, lead, typed)
                else:
                    assert page.total == len(expected), (viewer, lead, typed)
                found += [contact.id for contact in page.contacts]
            assert sorted(found) == sorted(expected) and len(found) == len(set(found)), (viewer, lead, typed)
            if len(typed) > 1 and min(len(_expected(contacts, PersonId(0), lead, [t])) for t in typed) > few:
                continue  # several words, each common: listed in the order found, not by name
            keys = [fold(c.name) for c in (await store.visible_to(tx, viewer, lead, typed, 200, 0)).contacts]
            assert keys == sorted(keys), typed  # by the names' keys, accents and all (bot/core/names.py)


async def test_a_search_of_common_words_says_more_than_it_read_and_pages_on_in_the_order_found(
    bot: ConsoleBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_FEW", 3)  # "teach" and "union" are each in more than 3 contacts
    await _people(bot, ["alice"])
    bot.dm()
    for i in range(15):
        org = "Teachers Union" if i < 12 else "Teachers Guild"
        await bot.say("alice", f'!contact add name:"Pat {i:02d}" org:"{org}" share:members')
    first = joined(await bot.say("alice", "!contacts union teach"))
    assert "Contacts you can see (page 1; more than 10 match, listed as found):" in first
    assert "`contacts union teach page:2` for more" in first
    rest = joined(await bot.say("alice", "!contacts union teach page:2"))
    assert "Contacts you can see (page 2 of 2, 12 in all):" in rest  # read to the end: counted exactly
    past = joined(await bot.say("alice", "!contacts union teach page:3"))
    assert "There are only 2 pages. Try `contacts union teach page:2`." in past
    assert "Contacts you can see (3):" in joined(await bot.say("alice", "!contacts guild teach"))  # few: all read
    assert "No contacts you can see match" in joined(await bot.say("alice", "!contacts union guild"))


async def test_the_next_page_of_a_search_keeps_its_words(bot: ConsoleBot) -> None:
    """`contacts teachers` with more than a page said "`contacts page:2` for more": typed, that is
    the second page of every contact, not of the teachers; "There are only 2 pages" likewise."""
    await _people(bot, ["alice"])
    bot.dm()
    for i in range(5):
        await bot.say("alice", f'!contact add name:"Aaron Other{i}" org:"Acme" share:members')
    for i in range(12):
        await bot.say("alice", f'!contact add name:"Teacher {i:02d}" org:"Teachers Union" share:members')
    first = joined(await bot.say("alice", "!contacts teachers"))
    assert "Contacts you can see (page 1 of 2, 12 in all):" in first
    assert "Next: `contact 6` for notes, or `contacts teachers page:2` for more." in first
    rest = joined(await bot.say("alice", "!contacts teachers page:2"))
    assert "Teacher 11" in rest and "Aaron" not in rest
    past = joined(await bot.say("alice", "!contacts teachers page:5"))
    assert "There are only 2 pages. Try `contacts teachers page:2`." in past
    everyone = joined(await bot.say("alice", "!contacts"))
    assert "`contacts page:2` for more" in everyone  # no search: the same words as ever
