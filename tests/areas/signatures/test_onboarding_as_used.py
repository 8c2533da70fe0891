"""Onboarding the signatories as a lead and the signatories really do it (spec §13): a real
statement's list, exported the way spreadsheets export it, and people typing what their invite
email told them."""

from __future__ import annotations

from pathlib import Path

from tests.areas.signatures.test_import import upload
from tests.areas.signatures.test_joining import invite_codes
from tests.console_bot import ConsoleBot, joined, to


def statement(count: int = 250) -> bytes:
    """A list like a real one: a form's export with a BOM, Windows line endings, its own header
    (case, order, extra columns), blank lines, a quoted note with commas and a line break."""
    rows = ["Timestamp,E-mail Address,Full Name,State,Type of Library,Phone,Comments"]
    for n in range(count):
        state = ("Ohio", "Texas", "Iowa")[n % 3]
        note = '"Happy to help, any time\r\n(evenings)"' if n % 50 == 0 else ""
        rows.append(
            f"2026/10/{n % 28 + 1} 10:00,P{n}@Example.org,Signatory Núñez {n:03d},{state},Public,555-{n:04d},{note}"
        )
        if n % 40 == 0:
            rows.append("")
    return b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n"


async def test_the_next_page_of_a_search_or_a_filter_keeps_its_words(bot: ConsoleBot, tmp_path: Path) -> None:
    """`signatures ohio` said "Next: `signatures page:2` for more", which pages through everyone;
    past the last page it suggested `signatures page:1`, again without the search."""
    assert "Imported: 250 new" in await upload(bot, tmp_path, statement())
    bot.dm()
    ohio = joined(await bot.say("you", "signatures ohio"))
    assert "Signatories (page 1 of 5, 84 in all)" in ohio
    assert "Next: `signatures ohio page:2` for more" in ohio
    second = joined(await bot.say("you", "signatures ohio page:2"))
    assert "Signatory Núñez 060" in second and "Texas" not in second
    waiting = joined(await bot.say("you", "signatures waiting"))
    assert "Next: `signatures waiting page:2` for more" in waiting
    assert "Try `signatures ohio waiting page:5`." in joined(await bot.say("you", "signatures ohio waiting page:9"))


async def test_an_invite_code_typed_with_a_space_links_as_with_its_hyphen(bot: ConsoleBot, tmp_path: Path) -> None:
    """A code read off an email is typed as two groups (`iam abcd efgh`): that was refused as a
    usage error ("I didn't expect EFGH there"), where the hyphen, lower case or none were taken."""
    await upload(bot, tmp_path, statement(3))
    codes = await invite_codes(bot)
    spaced = codes["P0@Example.org"].replace("-", " ").lower()
    reply = joined(to("ana", await bot.say("ana", f"iam {spaced}")))
    assert "Thank you for signing, Signatory Núñez 000: you're linked to your signature." in reply
    reply = joined(to("bo", await bot.say("bo", f"iam {codes['P1@Example.org'].replace('-', ' - ')}")))
    assert "you're linked to your signature" in reply
    # Words after an email are no email: answered as no match, not as the usage.
    assert "I couldn't match that" in joined(to("cy", await bot.say("cy", "iam p2@example.org please")))


async def test_an_unclosed_quote_is_reported_on_the_line_it_opens(bot: ConsoleBot, tmp_path: Path) -> None:
    """A stray quote swallows the rest of the file: the refusal named the file's last line (53),
    where nothing is wrong, and said it in the csv module's words ("unexpected end of data")."""
    rows = ["Name,Email,Notes", "Ana Lee,ana@example.org,fine", 'Bo Ray,bo@example.org,"says hi']
    rows += [f"Person {n},p{n}@example.org,fine" for n in range(50)]
    reply = await upload(bot, tmp_path, ("\n".join(rows) + "\n").encode())
    assert "I can't read that CSV: line 3: a quote (\") opens a field there and is never closed." in reply
    assert "unexpected end of data" not in reply and "Nothing was imported." in reply
    after = 'Name,Email,Notes\nAna Lee,ana@example.org,fine\n\nCy Hall,cy@example.org,"quoted" then more\n'
    reply = await upload(bot, tmp_path, after.encode())
    assert "I can't read that CSV: line 4: text follows the closing quote of a field." in reply


async def test_a_row_merged_into_another_name_by_a_shared_email_is_reported_by_its_line(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    """Two people signing with one address (a branch's shared inbox) were one signatory, the
    second name gone, and the reply only counted "1 row repeated an email or name"."""
    data = "Name,Email\r\nDana Smith,branch@example.org\r\nAna Lee,ana@example.org\r\nBo Smith,BRANCH@example.org\r\n"
    reply = await upload(bot, tmp_path, data.encode())
    assert "Imported: 2 new" in reply and "1 row repeated an email or name and was merged." in reply
    assert "· Line 4: the same email as line 2 under another name, so merged into that line's signatory." in reply
    # The same person twice, with their email in another case, is merged without a word.
    again = "Name,Email\nAna Lee,ana@example.org\nana  lee,ANA@example.org\n"
    assert "Line" not in await upload(bot, tmp_path, again.encode())
