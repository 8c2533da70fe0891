"""Forget means forget (spec §11): no queued message, audit line, state entry, `-wal` content or
reused id still carries the person, whatever the length or script of their name."""

from __future__ import annotations

from pathlib import Path

from bot.ids import Role
from bot.storage import summaries
from tests.areas.accounts.test_accounts import say_on
from tests.console_bot import ConsoleBot, joined, to


async def _forget(bot: ConsoleBot, name: str) -> None:
    bot.dm()
    await bot.say(name, "!forget me")
    assert "I've forgotten you" in joined(await bot.say(name, "!forget me confirm"))
    bot.public()


async def test_messages_queued_with_a_forgotten_persons_words_are_never_delivered(bot: ConsoleBot) -> None:
    """Carol's intro reason and alice's done note wait for bob's and the poster's morning; both
    leave before then: bob never reads carol's words, the poster never reads alice's note."""
    for name in ("alice", "bob", "carol", "dave"):
        await bot.say(name, "!volunteer research")
    await bot.say("bob", "!profile tz:America/Chicago")
    await bot.feed('!ask title:"Inventory" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.feed("::at 2026-11-24T05:00Z")  # 23:00 in Chicago: bob and the poster are asleep
    await bot.say("carol", '!intro @bob @dave why:"WHYCAROL archives"')
    await bot.say("alice", "!done 1 NOTEALICE finished the count")
    await _forget(bot, "carol")
    await _forget(bot, "alice")
    morning = joined(await bot.advance("12h"))
    assert "WHYCAROL" not in morning and "NOTEALICE" not in morning
    async with bot.app.db.reading() as tx:
        bodies = " ".join(r["body"] for r in await tx.all("SELECT body FROM outbox"))
    assert "WHYCAROL" not in bodies and "NOTEALICE" not in bodies


async def test_short_and_non_latin_names_are_scrubbed_from_what_stays(bot: ConsoleBot) -> None:
    for name in ("tj", "Al"):
        await bot.say(name, "!volunteer research")
        await bot.feed(f"!role @{name} lead")
        await bot.say("bob", f"!update 0 talked to {name}")  # refused, but harmless
    await say_on(bot, "matrix", "@li:example.org", "李明", "!volunteer research")
    await bot.feed("!role 李明 lead")
    for name in ("tj", "Al"):
        await _forget(bot, name)
    await say_on(bot, "matrix", "@li:example.org", "李明", "!forget me")
    assert "I've forgotten you" in await say_on(bot, "matrix", "@li:example.org", "李明", "!forget me confirm")
    audit = joined(await bot.feed("!audit 50"))
    for name in ("tj", "Al", "李明", "@li:example.org"):
        assert f" {name} " not in f" {audit} ".replace("\n", " "), f"{name} is still in the audit log"


async def test_a_forgotten_persons_id_is_never_given_to_a_newcomer(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("bob", "!volunteer research")
    async with bot.app.db.reading() as tx:
        bob = await tx.value("SELECT id FROM people WHERE display_name = 'bob'")
    await _forget(bot, "bob")
    await bot.say("newcomer", "!volunteer research")
    async with bot.app.db.reading() as tx:
        newcomer = await tx.value("SELECT id FROM people WHERE display_name = 'newcomer'")
    assert newcomer > bob


async def test_the_database_files_hold_nothing_of_a_forgotten_person(bot: ConsoleBot, tmp_path: Path) -> None:
    await bot.say("Quíllon", "!volunteer qqskillqq")
    await bot.say("Quíllon", '!profile region:"Qqregionqq" hours:"qqhoursqq"')
    await bot.feed('!ask title:"Zine for QUÍLLON"')  # and the title's folded copy, which completion reads
    bot.dm()
    await bot.say("Quíllon", '!contact add name:"Qqcontactqq" share:private')
    # Someone else's contact named for them, with a note that spells the name without its accent:
    # the name's key and the folded search text (bot/core/names.py) must go too.
    await bot.say("bob", '!contact add name:"Quíllon Smith" org:"quillon branch" share:members')
    # A note that filled the one someone else's link lacked is theirs, and its folded search text.
    await bot.say("bob", '!resource add https://example.org/x title:"X"')
    await bot.say("Quíllon", '!resource add https://example.org/x note:"qqnoteqq"')
    await bot.say("Quíllon", "!checkin every:day at:11:00")
    await bot.advance("2h")
    await bot.say("Quíllon", "qqanswerqq about the week")
    bot.public()
    await _forget(bot, "Quíllon")
    files = [Path(bot.app.db.path)] + [Path(bot.app.db.path + suffix) for suffix in ("-wal", "-shm")]
    markers = (
        "quíllon".encode(),
        b"quillon",
        b"qqskillqq",
        b"qqregionqq",
        b"qqhoursqq",
        b"qqcontactqq",
        b"qqanswerqq",
        b"qqnoteqq",
    )
    for file in files:
        if file.exists():
            data = file.read_bytes().lower()
            for marker in markers:
                assert marker not in data, f"{file.name} still holds {marker!r}"


async def test_a_matrix_direct_chat_remembered_for_a_forgotten_person_is_forgotten_too(bot: ConsoleBot) -> None:
    await say_on(bot, "matrix", "@zed:example.org", "zed", "!volunteer research")
    state = bot.app.adapter_state("matrix", "matrix:@bot:example.org")
    await state.remember_private_chat("@zed:example.org", "!dm:example.org", note="direct:!dm:example.org")
    await say_on(bot, "matrix", "@zed:example.org", "zed", "!forget me")
    await say_on(bot, "matrix", "@zed:example.org", "zed", "!forget me confirm")
    assert await state.get("direct:!dm:example.org") is None
    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT key, value FROM state")
    assert all("zed" not in f"{r['key']} {r['value']}" for r in rows), [tuple(r) for r in rows]


async def test_a_platform_granted_admin_linked_to_another_account_is_still_revoked_by_the_platform(
    bot: ConsoleBot,
) -> None:
    await say_on(bot, "matrix", "@dee:example.org", "dee", "!volunteer research")  # the older account: kept
    await say_on(bot, "discord", "9", "Dee", "!asks", role=Role.ADMIN)  # an admin by a Discord role
    code = (await say_on(bot, "discord", "9", "Dee", "!link")).split("`link ")[1][:8]
    await say_on(bot, "matrix", "@dee:example.org", "dee", f"!link {code}")
    assert "Posted ask" in await say_on(bot, "matrix", "@dee:example.org", "dee", '!ask title:"still admin"')
    await say_on(bot, "discord", "9", "Dee", "!asks", private=False, role=Role.MEMBER)  # the Discord role is gone
    assert "Only leads" in await say_on(bot, "matrix", "@dee:example.org", "dee", '!ask title:"no longer"')


async def test_a_name_written_in_other_cases_than_its_own_is_scrubbed_on_both_backends(bot: ConsoleBot) -> None:
    """SQLite's LIKE ignores the case of ASCII letters only: `ÉMILE` in a note did not match
    `Émile`, so the scrub never looked at the note (PostgreSQL's ILIKE found it)."""
    await say_on(bot, "matrix", "@emile:example.org", "Émile", "!volunteer research")
    bot.dm()
    await bot.say("bob", '!contact add name:"Jordan Lee"')
    for note in ("called ÉMILE about the rally", "émile will come", "asked emile too"):
        await bot.say("bob", f"!contact note 1 {note}")
    await say_on(bot, "matrix", "@emile:example.org", "Émile", "!forget me")
    await say_on(bot, "matrix", "@emile:example.org", "Émile", "!forget me confirm")
    async with bot.app.db.reading() as tx:
        notes = " / ".join(str(row[0]) for row in await tx.all("SELECT text FROM contact_notes"))
    assert "mile" not in notes.casefold(), notes


async def test_a_row_naming_the_person_in_several_columns_is_scrubbed_in_each_on_both_backends(
    bot: ConsoleBot,
) -> None:
    """The scrub reads each table once, all its columns together, and writes a row once: every
    column that named her reads "a former member", and what is computed from them (the contact's
    search words, the ask's search text) no longer spells her either."""
    await bot.say("Marisol", "!volunteer research")
    await bot.feed('!ask title:"Marisol archive scan" details:"ask Marisol for the key"')
    bot.dm()
    await bot.say(
        "bob",
        '!contact add name:"Marisol Ortega" org:"Friends of Marisol" how:"met via Marisol" interests:"Marisol papers"',
    )
    await bot.say("Marisol", "!forget me")
    await bot.say("Marisol", "!forget me confirm")
    async with bot.app.db.reading() as tx:
        contact = await tx.one("SELECT name, org, how, interests, search, name_key FROM contacts")
        ask = await tx.one("SELECT title, details, search FROM asks")
    assert contact is not None and ask is not None
    values = [contact[n] for n in range(6)] + [ask[n] for n in range(3)]
    assert all("marisol" not in str(value).casefold() for value in values), values
    assert "former member" in ask["title"] and "former member" in ask["details"]
    assert "No contacts you can see match" in joined(await bot.say("bob", "!contacts marisol"))


async def test_an_open_claim_goes_back_to_its_ask_when_its_claimant_is_forgotten(bot: ConsoleBot) -> None:
    """Her claim held the only slot: nobody could take it, it was never stale, nobody was told. It
    goes back as `release` gives it back; the work she finished stays, by "a former member"."""
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    await bot.feed('!ask title:"Research Y" skill:research')
    await bot.feed('!ask title:"Research Z" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.say("alice", "!claim 2")
    await bot.say("alice", "!done 2 all found")
    bot.dm()
    assert "go back for others to take" in joined(await bot.say("alice", "!forget me"))
    lines = await bot.say("alice", "!forget me confirm")
    bot.public()
    for name in ("bob", "carol"):  # told, each once, and not who left it
        told = to(name, lines)
        assert len(told) == 1 and "open again" in told[0] and "Research Y" in told[0], lines
    others = joined(to("bob", lines) + to("carol", lines))
    assert "alice" not in others and "former member" not in others
    shown = joined(await bot.feed("!ask 1"))
    assert "0/1 taken" in shown and "former member" not in shown
    assert "It's yours" in joined(await bot.say("bob", "!claim 1"))
    assert "Claimed by: a former member" in joined(await bot.feed("!ask 2"))
    async with bot.app.db.reading() as tx:
        claims = [tuple(row) for row in await tx.all("SELECT ask_id, status FROM claims WHERE person_id IS NULL")]
    assert sorted(claims) == [(1, "released"), (2, "done")], claims


async def test_a_note_merged_into_someone_elses_link_is_forgotten_with_its_writer(bot: ConsoleBot) -> None:
    """Bob's note filled the one alice's entry lacked: it is his, and goes with him, out of its
    search text too; alice's own note on another entry stays, and so does his link without its note."""
    await bot.say("alice", '!resource add https://example.org/guide title:"Bargaining guide" tags:bargaining')
    await bot.say("bob", '!resource add https://example.org/guide note:"my boss Mr Grey is hostile"')
    await bot.say("bob", '!resource add https://example.org/own title:"Own link" note:"private musings"')
    await bot.say("alice", '!resource add https://example.org/third title:"Third" note:"alice says read it"')
    await bot.say("bob", '!resource add https://example.org/third note:"bob would skip it" tags:extra')
    assert "Mr Grey" in joined(await bot.say("alice", "!resource 1"))
    await _forget(bot, "bob")
    shown = joined(await bot.say("alice", "!resource 1"))
    assert "Bargaining guide" in shown and "Mr Grey" not in shown and "Note:" not in shown
    for words in ("hostile", "grey", "musings"):
        assert "Nothing in the library matches" in joined(await bot.say("alice", f"!resources {words}")), words
    assert "Own link" in joined(await bot.say("alice", "!resource 2"))
    assert "Third" in joined(await bot.say("alice", "!resources read"))
    assert "alice says read it" in joined(await bot.say("alice", "!resource 3"))
    async with bot.app.db.reading() as tx:
        rows = " ".join(str(tuple(row)) for row in await tx.all("SELECT note, search FROM resources"))
    assert "grey" not in rows.casefold() and "musings" not in rows and "skip" not in rows, rows


async def test_a_regions_grouping_key_is_scrubbed_with_the_region(bot: ConsoleBot) -> None:
    """The scrub rewrote a region that named her, but not the key it is grouped and matched by,
    which the bot computes from it (`bot/storage/fills.py`): the key still spelled her name."""
    await bot.say("Marisol", "!volunteer research")
    await bot.say("bob", "!volunteer research")
    await bot.say("bob", '!profile region:"Marisol Valley"')
    await _forget(bot, "Marisol")
    async with bot.app.db.reading() as tx:
        row = await tx.one("SELECT region, region_key FROM people WHERE display_name = 'bob'")
    assert row is not None and "marisol" not in f"{row['region']} {row['region_key']}".casefold(), tuple(row)


async def test_the_owner_of_a_link_leaving_takes_only_their_own_words_from_it(bot: ConsoleBot) -> None:
    """The note bob gave alice's link is his: it stays when she goes, and her entry with it."""
    await bot.say("alice", '!resource add https://example.org/guide title:"Bargaining guide"')
    await bot.say("bob", '!resource add https://example.org/guide note:"bob: start at chapter two"')
    await _forget(bot, "alice")
    shown = joined(await bot.say("bob", "!resource 1"))
    assert "Note: bob: start at chapter two" in shown and "Added by a former member." in shown, shown
    assert "Bargaining guide" in joined(await bot.say("bob", "!resources chapter"))


async def test_news_of_shared_work_outlives_who_caused_it_without_their_words(bot: ConsoleBot) -> None:
    """What a forgotten person caused goes with them, but not the news others need of work that
    stays: the poster still hears a part of their ask was finished (by "a former member", without
    the leaver's note), and a claimant that the ask they work on was closed."""
    for name in ("alice", "bob", "lena"):
        await bot.say(name, "!volunteer research")
    await bot.say("you", "!role @lena lead")
    for name in ("you", "bob"):
        await bot.say(name, "!profile tz:America/Chicago")
    await bot.feed('!ask title:"Inventory" skill:research need:2')
    await bot.say("lena", '!ask title:"Branch survey" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.say("bob", "!claim 2")
    await bot.feed("::at 2026-11-24T05:00Z")  # 23:00 in Chicago: the poster and bob are asleep
    await bot.say("alice", "!done 1 NOTEALICE finished the count")
    await bot.say("lena", "!close 2")
    await _forget(bot, "alice")
    await _forget(bot, "lena")
    morning = await bot.advance("12h")
    poster = joined(to("you", morning))
    assert "A former member finished their part of ask 1 “Inventory”. 1 of 2 done." in poster, morning
    assert poster.count("finished their part") == 1 and "NOTEALICE" not in poster and "alice" not in poster
    claimant = joined(to("bob", morning))
    assert "A former member closed ask 2 “Branch survey”" in claimant, morning  # (a capital, as it starts)
    assert "lena" not in claimant.casefold()


async def test_no_search_text_keeps_a_forgotten_names_pieces_or_its_form_without_marks(bot: ConsoleBot) -> None:
    """A search text also holds each marked word without its marks and in its pieces: scrubbed as
    text, "Mary-Jane's" left `maryjanes`, `mary` and `jane` behind, found by `contacts jane`. It is
    computed again from the scrubbed columns instead, on every table that keeps one."""
    await say_on(bot, "matrix", "@mj:example.org", "Mary-Jane", "!volunteer research")
    await bot.say("bob", "!volunteer research")
    bot.dm()
    await bot.say("bob", '!contact add name:"Jordan Lee" org:"Mary-Jane\'s branch" interests:"zines"')
    await bot.say("bob", '!resource add https://example.org/guide title:"Mary-Jane\'s guide"')
    await say_on(bot, "matrix", "@mj:example.org", "Mary-Jane", "!forget me")
    await say_on(bot, "matrix", "@mj:example.org", "Mary-Jane", "!forget me confirm")
    for typed in ("jane", "maryjane", "mary"):
        assert "No contacts you can see match" in joined(await bot.say("bob", f"!contacts {typed}")), typed
    assert "Jordan Lee" in joined(await bot.say("bob", "!contacts former branch"))
    async with bot.app.db.transaction() as tx:  # (`differences` rolls back a rebuild)
        tables = ("contacts", "resources")
        texts = [str(row[0]) for table in tables for row in await tx.all(f"SELECT search FROM {table}")]
        words = [str(row[0]) for row in await tx.all("SELECT word FROM contact_words")]
        assert not await summaries.differences(tx)
    assert not any(piece in " ".join(texts + words) for piece in ("mary", "jane")), (texts, words)


async def test_the_scrubbed_name_starts_its_sentence_with_a_capital(bot: ConsoleBot) -> None:
    """A note "Zed called. Zed will help" read "a former member called. a former member will help"."""
    for name in ("Zed", "alice"):
        await bot.say(name, "!volunteer research")
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" share:members')
    await bot.say("alice", "!contact note 1 Zed called. Zed will help, with zed's team")
    await _forget(bot, "Zed")
    bot.dm()
    shown = joined(await bot.say("alice", "!contact 1"))
    assert "A former member called. A former member will help, with a former member's team" in shown, shown
