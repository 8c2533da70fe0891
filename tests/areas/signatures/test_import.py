"""Importing the signatories (spec §13): files as spreadsheets write them, and every bad input."""

from __future__ import annotations

from pathlib import Path

from bot.areas.signatures.records import Place
from bot.areas.signatures.rules import coverage
from bot.core.text import plain_text
from bot.ids import Role
from tests.console_bot import ConsoleBot, joined, platform_message, to

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
