"""Names compared and sorted by their keys (`bot/core/names.py`): case, accents and spacing do
not matter, and every list by name comes in the same order on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from bot.areas.asks import queries as asks_queries
from bot.areas.checkins import words as checkin_words
from bot.areas.checkins.queries import Checkin
from bot.areas.people import queries as people_queries
from bot.core.params import Asker
from bot.core.text import plain_text
from bot.ids import CheckinId, PersonId
from tests.areas.accounts.test_accounts import say_on
from tests.areas.signatures.test_import import upload
from tests.console_bot import ConsoleBot, joined, to

# In the order of their keys: alice, angstrom, bob, elodie, emile, zoe. By SQLite's lower() (ASCII
# only) Ångström and Émile came after zoe, and PostgreSQL's order followed the database's locale.
NAMES = ("zoe", "Émile", "bob", "Alice", "élodie", "Ångström")
ALPHABETICAL = ["Alice", "Ångström", "bob", "élodie", "Émile", "zoe"]


def in_order(text: str, names: list[str]) -> list[int]:
    return sorted(range(len(names)), key=lambda i: text.index(names[i]))


async def test_a_typed_name_finds_its_person_whatever_the_case_accents_and_spacing(bot: ConsoleBot) -> None:
    await bot.say("Renée", "!volunteer research")
    for typed in ("Renée", "renée", "RENÉE", "Renee", "@renee", "  renee  "):
        reply = joined(await bot.say("bob", f"!whois {typed}"))
        assert "Renée · skills: research" in reply, typed


async def test_a_name_that_folds_like_anothers_is_a_question_unless_typed_exactly(bot: ConsoleBot) -> None:
    await bot.say("René", "!volunteer research")
    await bot.say("Rene", "!volunteer writing")
    assert "Several members are called rene" in joined(await bot.say("bob", "!whois rene"))
    assert "René · skills: research" in joined(await bot.say("bob", "!whois René"))
    assert "Rene · skills: writing" in joined(await bot.say("bob", "!whois Rene"))


async def test_contacts_are_listed_alphabetically_whatever_the_case_and_accents(bot: ConsoleBot) -> None:
    bot.dm()
    for name in NAMES:
        await bot.say("bob", f'!contact add name:"{name}"')
    listing = joined(to("bob", await bot.say("bob", "!contacts")))
    assert in_order(listing, ALPHABETICAL) == list(range(len(ALPHABETICAL)))
    await bot.say("bob", '!contact edit 1 name:"Aaron"')  # zoe, renamed, moves to the top
    listing = joined(to("bob", await bot.say("bob", "!contacts")))
    assert listing.index("Aaron") < listing.index("Alice")


async def test_signatories_are_listed_alphabetically_whatever_the_case_and_accents(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    rows = "".join(f"{name},{index}@example.org\n" for index, name in enumerate(NAMES))
    assert "Imported: 6 new" in await upload(bot, tmp_path, f"name,email\n{rows}".encode())
    bot.dm()
    listing = joined(await bot.say("you", "!signatures"))
    assert in_order(listing, ALPHABETICAL) == list(range(len(ALPHABETICAL)))


async def _renee_forgotten_after(bot: ConsoleBot, contact: str) -> None:
    """Renée volunteers, bob adds a contact (`contact`: its fields), and Renée is forgotten."""
    await bot.say("Renée", "!volunteer research")
    bot.dm()
    await bot.say("bob", f"!contact add {contact}")
    await bot.say("Renée", "!forget me")
    await bot.say("Renée", "!forget me confirm")


async def test_a_contact_named_for_a_forgotten_member_keeps_no_key_that_spells_it(bot: ConsoleBot) -> None:
    await _renee_forgotten_after(bot, 'name:"Renée Marchand"')
    async with bot.app.db.reading() as tx:
        rows = [tuple(row) for row in await tx.all("SELECT name, name_key FROM contacts")]
    assert len(rows) == 1 and "Ren" not in rows[0][0] and "ren" not in rows[0][1]


async def test_searches_find_words_typed_without_their_accents(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, "name,email,workplace\nJosé Núñez,jose@example.org,Bibliothèque Sainte-Anne\n".encode())
    bot.dm()
    for typed in ("jose", "NUÑEZ", "bibliotheque"):
        assert "José Núñez" in joined(await bot.say("you", f"!signatures {typed}")), typed
    await bot.say("alice", '!resource add https://example.org/guia title:"Guía de negociación" tags:Négociation')
    for typed in ("guia", "negociacion", "NEGOCIATION"):
        assert "Guía de negociación" in joined(await bot.say("bob", f"!resources {typed}")), typed


async def test_a_forgotten_members_name_typed_without_accents_finds_nothing_after(bot: ConsoleBot) -> None:
    await _renee_forgotten_after(bot, 'name:"Jordan Lee" org:"Renée\'s branch" interests:"renee fans"')
    for typed in ("renee", "renée"):
        assert "No contacts you can see match" in joined(await bot.say("bob", f"!contacts {typed}")), typed
    async with bot.app.db.reading() as tx:
        text = " ".join(str(v) for row in await tx.all("SELECT org, interests, search FROM contacts") for v in row)
        words = [str(row[0]) for row in await tx.all("SELECT word FROM contact_words")]
    assert "ren" not in text.casefold() and not any(w.startswith("ren") for w in words), (text, words)


def test_the_check_ins_not_answered_are_named_alphabetically() -> None:
    waiting = [Checkin(CheckinId(n), PersonId(n), name, 0, None, None, None) for n, name in enumerate(NAMES, start=1)]
    shown = plain_text(checkin_words.overview("everyone", [], waiting))
    assert f"Not answered yet: {', '.join(ALPHABETICAL)}." in shown


async def test_a_members_name_completes_from_its_start_typed_in_any_case_or_accents(bot: ConsoleBot) -> None:
    for n, name in enumerate(("emma", "Émile", "Eli", "bob")):
        await say_on(bot, "matrix", f"@u{n}:example.org", name, "!volunteer research")
    async with bot.app.db.reading() as tx:
        for typed, expected in (("em", ["Émile", "emma"]), ("@É", ["Eli", "Émile", "emma"]), ("EMI", ["Émile"])):
            found = await people_queries.complete_members(tx, typed, Asker("matrix", "@u3:example.org"))
            assert [choice.name for choice in found] == expected, typed


async def test_an_asks_number_completes_from_its_title_typed_in_any_case_or_accents(bot: ConsoleBot) -> None:
    """SQLite's LIKE folded ASCII letters only (`ÉMILE` missed "Émile's zine"), PostgreSQL's ILIKE no
    accents (`emile` missed it); both now look in the title folded like a name."""
    for title in ("Émile's zine", "emma's  ZINE", "Café flyers"):
        await bot.feed(f'!ask title:"{title}"')
    asker = Asker("console", "you")
    async with bot.app.db.reading() as tx:
        for typed, expected in (("emile", [1]), ("ÉMILE", [1]), ("zíne", [2, 1]), ("s zine", [2, 1]), ("CAFE", [3]),
                                ("  #3 ", [3]), ("", [3, 2, 1]), ("100%", [])):  # fmt: skip
            found = await asks_queries.complete_open_asks(tx, typed, asker)
            assert [choice.value for choice in found] == expected, typed
    await bot.feed('!edit 3 title:"Ökonomie reading"')  # what completion looks in follows the title
    async with bot.app.db.reading() as tx:
        found = await asks_queries.complete_open_asks(tx, "okonomie", asker)
        assert [choice.name for choice in found] == ["3 · Ökonomie reading"]
        assert await asks_queries.complete_open_asks(tx, "cafe", asker) == []
