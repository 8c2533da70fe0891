"""Importing the signatories (spec §13): files as spreadsheets write them, and every bad input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.areas.signatures.records import Place
from bot.areas.signatures.rules import coverage
from bot.core.names import fold
from bot.core.text import plain_text
from bot.ids import Role
from bot.storage import migrate
from bot.storage.backends import postgres
from tests.console_bot import ConsoleBot, joined, platform_message, to
from tests.postgres import fresh_database, opened

HEADER = "Name,Email,Library,Library type,State,Role,Skills,Notes"
ROWS = [
    'Dana Reyes,dana@example.org,Springfield Public Library,Public,Ohio,Children\'s librarian,"research, writing",',
    "Eli Okafor,eli@example.org,State University Library,Academic,Michigan,Archivist,social media,",
    '"Kim, Pat",pat@example.org,Lincoln High,School,Ohio,Media specialist,,"Prefers email, not phone"',
    ",nobody@example.org,Somewhere,Public,Texas,,,",
]
CSV = "\n".join([HEADER, *ROWS]) + "\n"


async def upload(bot: ConsoleBot, tmp_path: Path, data: bytes, name: str = "list.csv", who: str = "you") -> str:
    """`who` attaches a file to `signatures import` in their private chat; the reply's text."""
    path = tmp_path / name
    path.write_bytes(data)
    bot.dm()
    await bot.feed(f"::attach {path}")
    return joined(to(who, await bot.say(who, "signatures import")))


async def count(bot: ConsoleBot) -> str:
    bot.dm()
    return joined(await bot.say("you", "signatures"))


async def signature(bot: ConsoleBot, who: str, email: str) -> dict[str, str | None]:
    """Their signature as they see it in `export me`, once linked to it (the fields the list
    does not show: role, skills, notes)."""
    bot.dm()
    await bot.say(who, f"iam {email}")
    await bot.say(who, "export me")
    found: dict[str, str | None] = json.loads(bot.console.files["volunteer-bot-export.json"])["signature"]
    return found


async def test_an_attached_csv_is_imported_with_counts_and_rows_without_a_name_reported(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    reply = await upload(bot, tmp_path, b"\xef\xbb\xbf" + CSV.encode())
    assert "Imported: 3 new, 0 updated, 0 unchanged, 1 skipped." in reply
    assert "Line 5 skipped: no name." in reply
    listing = await count(bot)
    assert "Kim, Pat <pat@example.org> — Lincoln High, Ohio, school · waiting" in listing
    assert "0 of 3 have joined the chat." in listing


async def test_a_long_report_says_how_many_more_rows_it_did_not_list(bot: ConsoleBot, tmp_path: Path) -> None:
    """Over 20 skipped rows and 10 warnings, the rest are counted, not cut off silently."""
    rows = [",nobody@example.org"] * 21 + [f"Person {n},not-an-email" for n in range(13)]
    reply = await upload(bot, tmp_path, "\n".join(["name,email", *rows]).encode())
    assert "Imported: 13 new, 0 updated, 0 unchanged, 21 skipped." in reply
    assert reply.count("skipped: no name.") == 20 and "… and 1 more row skipped." in reply
    assert reply.count("the email doesn't look like one") == 10 and "… and 3 more rows like these." in reply
    assert "0 of 13 have joined the chat." in await count(bot)


async def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await upload(bot, tmp_path, CSV.encode())
    again = await upload(bot, tmp_path, CSV.encode())
    assert "Imported: 0 new, 0 updated, 3 unchanged, 1 skipped." in again
    changed = CSV.replace("Michigan", "Wisconsin")
    assert "Imported: 0 new, 1 updated, 2 unchanged" in await upload(bot, tmp_path, changed.encode())
    assert "State University Library, Wisconsin, academic" in await count(bot)


async def test_a_later_file_with_fewer_columns_blanks_nothing_and_changes_only_what_it_has(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    """An export without the notes column, or without a column kept in the notes (`Phone`), wiped
    the notes: "0 new, 1 updated", notes empty. Each column the file lacks stays as stored."""
    full = (
        "Name,Email,Library,Library type,State,Role,Skills,Notes,Phone\n"
        'Pat Kim,pat@example.org,Lincoln High,School,Ohio,Media specialist,"research, writing","Prefers email",555\n'
    )
    await upload(bot, tmp_path, full.encode())
    for fewer in ("Name\n", "Name,Email\n", "Name,Email,Notes\n", "Name,Email,Phone\n", "Name,Email,State,Phone\n"):
        row = {"Name": "Pat Kim", "Email": "pat@example.org", "Notes": "Prefers email", "Phone": "555", "State": "OH"}
        data = fewer + ",".join(row[column] for column in fewer.strip().split(",")) + "\n"
        assert "Imported: 0 new, 0 updated, 1 unchanged" in await upload(bot, tmp_path, data.encode()), fewer
    changed = "Name,Email,Phone\nPat Kim,pat@example.org,556\n"
    assert "Imported: 0 new, 1 updated, 0 unchanged" in await upload(bot, tmp_path, changed.encode())
    assert "Imported: 0 new, 0 updated, 1 unchanged" in await upload(bot, tmp_path, changed.encode())
    found = await signature(bot, "pat", "pat@example.org")
    assert found["notes"] == "Prefers email\nPhone: 556"
    assert [found[what] for what in ("workplace", "library", "region", "role", "skills")] == [
        "Lincoln High", "school", "Ohio", "Media specialist", "research, writing"
    ]  # fmt: skip


async def test_one_file_updating_one_row_by_its_email_and_another_by_its_name_alone_updates_both(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    """A name alone keeps the email its signatory has, so its row wrote one column fewer than the
    others, and the statement writing them all failed: the lead got an apology, nothing changed."""
    await upload(bot, tmp_path, b"Name,Email,State\nBo Ray,bo@example.org,Ohio\nAnn One,ann@example.org,Ohio\n")
    reply = await upload(bot, tmp_path, b"Name,Email,State\nBo Ray,bo@example.org,Texas\nAnn One,,Iowa\n")
    assert "Imported: 0 new, 2 updated, 0 unchanged" in reply
    listing = await count(bot)
    assert "Ann One <ann@example.org> — Iowa" in listing and "Bo Ray <bo@example.org> — Texas" in listing


async def test_a_type_column_that_names_no_library_type_leaves_the_stored_one(bot: ConsoleBot, tmp_path: Path) -> None:
    """`Type: member` is a note, not a library type: it blanked the one an earlier file gave."""
    await upload(bot, tmp_path, b"Name,Email,Library type\nCy Hall,cy@example.org,Public\n")
    assert "Imported: 0 new, 1 updated" in await upload(
        bot, tmp_path, b"Name,Email,Type\nCy Hall,cy@example.org,member\n"
    )
    assert "Cy Hall <cy@example.org> — public · waiting" in await count(bot)
    assert (await signature(bot, "cy", "cy@example.org"))["notes"] == "Type: member"


async def test_duplicate_emails_in_one_file_are_merged_into_one_signatory(bot: ConsoleBot, tmp_path: Path) -> None:
    data = f"{CSV}Dana Reyes,DANA@example.org,,,,,design,Signed twice\n"
    reply = await upload(bot, tmp_path, data.encode())
    assert "Imported: 3 new" in reply and "1 row repeated an email or name and was merged." in reply
    assert (await count(bot)).count("Dana Reyes") == 1


async def test_a_name_that_gained_an_email_is_one_signatory_however_often_either_row_comes_again(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    """A file holding "Ann One" alone and again with her email, imported twice, listed her twice:
    the email row took over the name's key, and the name alone then matched nobody."""
    alone, both = "Name,Email,State\nAnn One,,Ohio\n", "Name,Email,State\nAnn One,,Ohio\nAnn One,ann@example.org,Ohio\n"
    assert "Imported: 1 new" in await upload(bot, tmp_path, alone.encode())
    reply = await upload(bot, tmp_path, both.encode())
    assert "Imported: 0 new, 1 updated, 0 unchanged" in reply and "1 row repeated an email or name" in reply
    email_first = "Name,Email,State\nAnn One,ann@example.org,Ohio\nAnn One,,Ohio\n"
    for data in (both, alone, email_first):
        assert "Imported: 0 new, 0 updated, 1 unchanged" in await upload(bot, tmp_path, data.encode()), data
    listing = await count(bot)
    assert listing.count("Ann One") == 1 and "Ann One <ann@example.org> — Ohio" in listing


async def test_pasted_csv_text_after_the_command_is_imported(bot: ConsoleBot) -> None:
    # The console reads one line per message; a platform message keeps its line breaks.
    text = "!signatures import\nname;email;region\nAri Lee;ari@example.org;Upper Midwest\n"
    incoming = platform_message(bot, "console", "you", "you", text, private=True, role=Role.ADMIN)
    replies = await bot.app.dispatcher.handle(incoming)
    assert "Imported: 1 new" in plain_text(replies[0].text)
    assert "Ari Lee <ari@example.org> — Upper Midwest" in await count(bot)


async def test_a_list_pasted_in_a_code_block_is_imported(bot: ConsoleBot) -> None:
    """Discord and Matrix users paste a list inside a code block; its fence was read as the header
    ("I need a `name` column … I found: ```")."""
    pasted = (
        "```\nname,email\nAri Lee,ari@example.org\n```",
        "```csv\r\nname,email\r\nBo Ray,bo@example.org\r\n```\n",
        "```name,email\nCy Hall,cy@example.org```",
        "```name\nDee Fox\n```",  # a column's name, not the block's language
    )
    for text in pasted:
        incoming = platform_message(
            bot, "discord", "you", "you", f"!signatures import\n{text}", private=True, role=Role.ADMIN
        )
        assert "Imported: 1 new" in plain_text((await bot.app.dispatcher.handle(incoming))[0].text), text
    listing = await count(bot)
    for who in ("Ari Lee <ari@example.org>", "Bo Ray <bo@example.org>", "Cy Hall <cy@example.org>", "Dee Fox"):
        assert who in listing
    assert "```" not in listing


async def test_a_row_whose_state_is_blank_is_placed_by_its_city(bot: ConsoleBot, tmp_path: Path) -> None:
    """With a State and a City column, a blank state left the row without a region (the city only
    a note). The region is the first place column that says something: region, state, city."""
    data = "Name,Email,City,State\nBo Ray,bo@example.org,Austin,\nCy Hall,cy@example.org,Columbus,OH\n"
    assert "Imported: 2 new" in await upload(bot, tmp_path, data.encode())
    assert "Imported: 0 new, 0 updated, 2 unchanged" in await upload(bot, tmp_path, data.encode())
    listing = await count(bot)
    assert "Bo Ray <bo@example.org> — Austin · waiting" in listing
    assert "Cy Hall <cy@example.org> — Ohio · waiting" in listing
    assert "Gap: unknown libraries in Austin: 1 signed" in joined(await bot.say("you", "signatures coverage"))
    assert (await signature(bot, "cy", "cy@example.org"))["notes"] == "City: Columbus"


async def test_semicolon_separated_excel_export_in_windows_encoding_is_read(bot: ConsoleBot, tmp_path: Path) -> None:
    data = "Nom;Name;E-mail;State\r\nx;José Núñez;jose@example.org;Texas\r\n".encode("cp1252")
    reply = await upload(bot, tmp_path, data)
    assert "Imported: 1 new" in reply
    assert "José Núñez <jose@example.org> — Texas" in await count(bot)


async def test_a_utf16_export_with_a_nul_in_a_cell_is_read_on_both_backends(bot: ConsoleBot, tmp_path: Path) -> None:
    """PostgreSQL cannot store a NUL in text; a spreadsheet's UTF-16 export can hold one."""
    data = "Name,Email\r\nJo\x00sé Núñez,jose@example.org\r\n".encode("utf-16")
    assert "Imported: 1 new" in await upload(bot, tmp_path, data)
    assert "José Núñez <jose@example.org>" in await count(bot)


async def test_a_malformed_csv_is_refused_with_its_line_and_nothing_is_imported(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    data = f'{HEADER}\nDana Reyes,dana@example.org\n"Unclosed,eli@example.org,x\n'
    reply = await upload(bot, tmp_path, data.encode())
    assert "I can't read that CSV: line" in reply and "Nothing was imported." in reply
    assert "No signatories yet." in await count(bot)


async def test_a_file_without_a_name_column_is_refused_naming_the_columns_found(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    reply = await upload(bot, tmp_path, b"email,city\na@example.org,Austin\n")
    assert "I need a `name` column" in reply and "email, city" in reply


async def test_a_workbook_or_binary_file_is_refused_clearly(bot: ConsoleBot, tmp_path: Path) -> None:
    assert "That's a spreadsheet workbook, not a CSV." in await upload(bot, tmp_path, b"PK\x03\x04rest", "list.xlsx")
    assert "isn't text I can read" in await upload(bot, tmp_path, b"name\x00\x01\x02")


async def test_a_6_mb_file_is_refused_naming_the_5_mb_limit(bot: ConsoleBot, tmp_path: Path) -> None:
    row = "Someone Long-Named,someone@example.org,A library,Public,Ohio,,,\n"
    data = (HEADER + "\n" + row * (6 * 1024 * 1024 // len(row) + 1)).encode()
    reply = await upload(bot, tmp_path, data)
    assert "That file is 6.0 MB; I read lists up to 5 MB." in reply
    assert "No signatories yet." in await count(bot)


async def test_over_50000_rows_are_refused_naming_the_limit(bot: ConsoleBot, tmp_path: Path) -> None:
    data = "name\n" + "".join(f"P{i}\n" for i in range(50_001))
    reply = await upload(bot, tmp_path, data.encode())
    assert "over 50,000 rows" in reply
    assert "No signatories yet." in await count(bot)


async def test_a_paste_that_lost_its_line_breaks_is_refused_not_imported_as_nothing(bot: ConsoleBot) -> None:
    """Discord's slash box holds one line: the list arrived as a header and nothing under it, and
    the reply was "Imported: 0 new, 0 updated, 0 unchanged, 0 skipped."."""
    bot.dm()
    said = joined(
        await bot.say("you", "signatures import name,email Dana Reyes,dana@example.org Pat Kim,pat@example.org")
    )
    assert "I found a header row and no signatories under it" in said and "Imported" not in said
    assert "attach the CSV file to a `signatures import` message" in said


async def test_import_without_a_file_or_text_says_how(bot: ConsoleBot) -> None:
    bot.dm()
    assert "Attach a CSV file to the command, or paste the CSV after it" in joined(
        await bot.say("you", "signatures import")
    )


async def test_members_cannot_import_or_see_the_list(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    reply = await upload(bot, tmp_path, CSV.encode(), who="mallory")
    assert "Only leads can use `signatures import`" in reply
    bot.dm()
    seen = joined(await bot.say("mallory", "signatures"))
    assert "Only leads can" in seen and "Dana" not in seen


async def test_the_list_is_only_ever_sent_privately(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.public()
    lines = await bot.say("you", "!signatures ohio")
    assert "Dana Reyes" in joined(to("you", lines))
    public_text = joined([line for line in lines if line.startswith("[#")])
    assert "Dana" not in public_text and "sent you the details privately" in public_text


async def test_search_and_the_joined_and_waiting_filters(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    ohio = joined(await bot.say("you", "signatures ohio"))
    assert "Dana Reyes" in ohio and "Kim, Pat" in ohio and "Eli" not in ohio
    assert "No signatory matches that." in joined(await bot.say("you", "signatures joined"))
    assert "Eli Okafor" in joined(await bot.say("you", "signatures waiting"))


async def test_the_list_is_searched_by_the_library_type_it_shows(bot: ConsoleBot, tmp_path: Path) -> None:
    """The list shows "— Lincoln High, Ohio, school", and `signatures school` found nobody."""
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    school = joined(await bot.say("you", "signatures school"))
    assert "Kim, Pat <pat@example.org>" in school and "Dana" not in school
    assert "Eli Okafor" in joined(await bot.say("you", "signatures academic michigan"))


@asynccontextmanager
async def stored_before_migration_30(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """A database as the bot kept it before the list was searched by library type, holding one
    signatory whose search text lacks it."""
    older = migrate.available()[:29]
    async with fresh_database(migrated=False) if backend == "postgresql" else _sqlite(tmp_path) as url:
        with monkeypatch.context() as patched:
            patched.setattr(migrate, "available", lambda: older)
            patched.setattr(postgres, "available", lambda: older)
            async with opened(url) as db, db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO signatories (key, name, email, library, search, name_key, created_at, updated_at)"
                    " VALUES ('ada@example.org', 'Ada Lim', 'ada@example.org', 'school', 'ada lim ada@example.org',"
                    " :key, 0, 0)",
                    {"key": fold("Ada Lim")},
                )
        yield url


@asynccontextmanager
async def _sqlite(tmp_path: Path) -> AsyncIterator[str]:
    yield str(tmp_path / "bot.sqlite3")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_signatory_stored_before_is_found_by_library_type_after_the_upgrade(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 30 makes every stored signatory's search text anew, library type included."""
    async with stored_before_migration_30(backend, tmp_path, monkeypatch) as url:
        bot = await ConsoleBot.start(url)
        try:
            bot.dm()
            assert "Ada Lim <ada@example.org> — school" in joined(await bot.say("you", "signatures school"))
        finally:
            await bot.close()


async def test_a_misspelt_library_type_is_read_as_the_one_meant_and_said(bot: ConsoleBot, tmp_path: Path) -> None:
    data = f"{HEADER}\nAda Lim,ada@example.org,Uni,Academicc,Texas,,,\nBo Ray,bo@example.org,Branch,Branch,Texas,,,\n"
    reply = await upload(bot, tmp_path, data.encode())
    assert "· Line 2: library type “Academicc” read as academic." in reply
    assert "Line 3" not in reply  # free text that names no type is `other`, as before, unwarned
    listing = await count(bot)
    assert "Ada Lim <ada@example.org> — Uni, Texas, academic" in listing
    assert "Bo Ray <bo@example.org> — Branch, Texas, other" in listing


async def test_a_column_called_type_is_the_library_type_where_it_names_one(bot: ConsoleBot, tmp_path: Path) -> None:
    data = (
        "Name,Email,Library,Type,State\n"
        "Ada Lim,ada@example.org,OSU Libraries,academic,Ohio\n"
        "Bo Ray,bo@example.org,Lincoln High,pubilc,Ohio\n"
        "Cy Hall,cy@example.org,Main Branch,member,Ohio\n"
    )
    reply = await upload(bot, tmp_path, data.encode())
    assert "Imported: 3 new" in reply and "· Line 3: library type “pubilc” read as public." in reply
    listing = await count(bot)
    assert "Ada Lim <ada@example.org> — OSU Libraries, Ohio, academic" in listing
    assert "Bo Ray <bo@example.org> — Lincoln High, Ohio, public" in listing
    assert "Cy Hall <cy@example.org> — Main Branch, Ohio ·" in listing  # not filed under `other`
    gaps = joined(await bot.say("you", "signatures coverage"))
    assert "academic libraries in Ohio" in gaps and "other" not in gaps
    # Beside a library type column of its own, a "type" column is only a note.
    both = "Name,Email,Type,Library type,State\nDee Fox,dee@example.org,public,school,Ohio\n"
    await upload(bot, tmp_path, both.encode(), name="both.csv")
    assert "Dee Fox <dee@example.org> — Ohio, school" in await count(bot)


async def test_coverage_shows_signed_vs_joined_gaps_first(bot: ConsoleBot, tmp_path: Path) -> None:
    data = CSV + "Lou Park,lou@example.org,Springfield Public Library,Public,Ohio,,,\n"
    await upload(bot, tmp_path, data.encode())
    bot.dm()
    await bot.say("lou", "iam lou@example.org")
    reply = joined(await bot.say("you", "signatures coverage"))
    first_gap = reply.index("Gap: ")
    assert first_gap < reply.index("public libraries in Ohio: 1 of 2 joined.")
    assert "Gap: academic libraries in Michigan: 1 signed, none joined yet." in reply


def test_coverage_lists_places_in_one_order_whatever_order_the_database_grouped_them_in() -> None:
    """PostgreSQL may hash its groups where SQLite sorts them: equal places were shown in either."""
    places = [Place("North", library, 3, 0) for library in (None, "academic", "public", "school")]
    for given in (places, places[::-1], places[1:] + places[:1]):
        shown = coverage(given, 1).items
        assert [place.library for place in shown] == [None, "academic", "public", "school"]
