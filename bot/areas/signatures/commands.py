"""Commands for signatories (spec §13): import, the list, the gaps, invite codes, and `iam`.

Everything but `iam` is for leads, and private: the list holds names, emails and notes.
"""

from __future__ import annotations

import re

from bot.areas import people
from bot.areas.signatures import queries, rules, sheet, words
from bot.core import spreadsheet
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.errors import TooLong, UsageError
from bot.core.kinds import Flag, Number, Text
from bot.core.messages import Attachment, Reply
from bot.core.params import Args, Param
from bot.ids import Role

signatures = CommandSet[Context](Section.SIGNATURES)

PASTED = Param("csv", Text(), "The CSV pasted after the command (or attach a file).", positional=True, rest=True)
SEARCH = Param(
    "search", Text(80), "Words in a name, email, workplace, region or library type.", positional=True, rest=True
)
JOINED = Param("joined", Flag(), "Only those who have joined the chat.")
WAITING = Param("waiting", Flag(), "Only those who haven't joined yet.")
PAGE = Param("page", Number(1), "Which page.", placeholder="n")

#: The rest of the line: a code read off an invite email is typed as two groups (`iam abcd efgh`).
EMAIL_OR_CODE = Param(
    "email", Text(200), "The email you signed with, or your invite code.", required=True, positional=True,
    rest=True, placeholder="email or code",
)  # fmt: skip

_COMMAND = re.compile(r"^\s*[!/]?\s*signatures\s+import\b[ \t]*\r?\n?", re.IGNORECASE)
INVITE_DEFAULT, INVITE_MAX = 50, 500
AGAIN = Param("again", Flag(), "New codes for those given one before (their old codes stop working).")
COUNT = Param("n", Number(1, INVITE_MAX), "How many codes (default 50, at most 500).", positional=True, placeholder="n")


def _file_or_paste(ctx: Context, args: Args) -> bytes | str:
    """The CSV: the first file attached to the message, else the text after the command, without
    the code block it was pasted in."""
    for upload in ctx.incoming.attachments:
        if upload.content is None or upload.size > sheet.MAX_BYTES:
            raise TooLong(words.file_too_big(upload.size, sheet.MAX_BYTES))
        return upload.content
    found = _COMMAND.match(ctx.incoming.text) if ctx.incoming.invocation is None else None
    pasted = sheet.unfenced(ctx.incoming.text[found.end() :] if found else (args.get(PASTED) or ""))
    if not pasted.strip():
        raise UsageError(words.nothing_to_import())
    return pasted


@signatures.command(
    "signatures import", "Bring in the signatories from a CSV: attach the file, or paste it after the command.",
    role=Role.LEAD, sensitive=True, example="signatures import", params=(PASTED,),
    file="The CSV file of signatories (a header row, then one signatory a line).",
)  # fmt: skip
async def import_list(ctx: Context, args: Args) -> Reply:
    data = _file_or_paste(ctx, args)
    read = sheet.read(sheet.decode(data) if isinstance(data, bytes) else data)
    result = await rules.import_sheet(ctx.tx, read, ctx.ts)
    await ctx.audit("signatures.import", f"{result.new} new, {result.updated} updated")
    return Reply(words.imported(result))


@signatures.command(
    "signatures", "The signatories and who has joined; search by name, email, workplace, region or library type.",
    role=Role.LEAD, sensitive=True, form="list", example="signatures ohio waiting",
    params=(SEARCH, JOINED, WAITING, PAGE), reads=True,
)  # fmt: skip
async def list_signatories(ctx: Context, args: Args) -> Reply:
    joined = True if args.flag(JOINED) and not args.flag(WAITING) else False if args.flag(WAITING) else None
    terms = tuple((args.get(SEARCH) or "").split())
    page = await rules.listing(ctx.tx, terms, joined, args.get(PAGE) or 1)
    tally = await rules.tally(ctx.tx, ctx.ts)
    if not page.items:
        return Reply(words.none_found(searched=bool(tally.signed)))
    return Reply(words.listing(page, tally.joined, tally.signed))


@signatures.command(
    "signatures coverage", "Signed vs joined by region and library type, gaps first.", role=Role.LEAD,
    sensitive=True, example="signatures coverage", params=(PAGE,), reads=True,
)  # fmt: skip
async def coverage(ctx: Context, args: Args) -> Reply:
    places = await queries.places(ctx.tx)
    if not places:
        return Reply(words.none_found(searched=False))
    return Reply(words.coverage(rules.coverage(places, args.get(PAGE) or 1)))


@signatures.command(
    "signatures invite", "A CSV of waiting signatories with personal invite codes and the join link, privately.",
    role=Role.LEAD, sensitive=True, example="signatures invite 100", params=(COUNT, AGAIN),
)  # fmt: skip
async def invite(ctx: Context, args: Args) -> Reply:
    count, again = args.get(COUNT) or INVITE_DEFAULT, args.flag(AGAIN)
    codes, left = await rules.invite(ctx.tx, count, ctx.ts, again)
    if not codes:  # (with nobody imported, it said everyone waiting had a code)
        tally = await rules.tally(ctx.tx, ctx.ts)
        return Reply(words.nobody_to_invite(tally.signed, tally.joined, again))
    join_url = ctx.config.signatures.join_url
    header = ["name", "email", "invite_code", "join_link", "first_message"]
    rows = ([signatory.name, signatory.email or "", code, join_url or "", f"!iam {code}"] for signatory, code in codes)
    await ctx.audit("signatures.invite", f"{len(codes)} {'new codes for those invited before' if again else 'codes'}")
    data = spreadsheet.csv_text(header, rows).encode("utf-8-sig")  # with a BOM, so Excel reads the names right
    reply = words.invited(len(codes), left, join_url, again)
    return Reply(reply, attachment=Attachment("invites.csv", data, "text/csv"))


@signatures.command(
    "iam", "Link yourself to your signature on the statement, by your email or invite code.", sensitive=True,
    example="iam alex@example.org", params=(EMAIL_OR_CODE,),
)  # fmt: skip
async def iam(ctx: Context, args: Args) -> Reply:
    linked = await rules.iam(ctx.tx, ctx.speaker, args[EMAIL_OR_CODE], ctx.ts)
    if linked is None:
        return Reply(words.no_signature())
    signatory, filled = linked
    if "timezone" in filled:
        await ctx.zone_moved(ctx.speaker)
    await ctx.audit("iam", f"signatory {signatory.id}", actor=ctx.speaker.id)
    skills = (await people.profile(ctx.tx, ctx.speaker)).skills if "skills" in filled else ()
    return Reply(words.linked(signatory.name, filled, ctx.speaker.signed_up, skills[0] if skills else None))
