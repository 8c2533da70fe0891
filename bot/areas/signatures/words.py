"""Everything the signatures area says: importing the list, who joined, the gaps, invite codes,
`iam`, and the welcome. Whatever comes from a signatory (name, email, workplace, notes) is
`private(...)`, so it only ever reaches a lead's private chat."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.signatures.records import Imported, Place, Signatory
from bot.core.paging import Page
from bot.core.text import Rich, fmt, lines, private
from bot.core.words import count, page_header, series


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- importing --------------------------------------------------------------------------------


def file_too_big(size: int, limit: int) -> Rich:
    return fmt("That file is {size}; I read lists up to {limit}. Split it and import each part.",
               size=_mb(size), limit=_mb(limit).replace(".0", ""))  # fmt: skip


def too_many_rows(limit: int) -> Rich:
    return fmt("That file has over {n} rows, more than I import at once. Split it, then import each part.",
               n=f"{limit:,}")  # fmt: skip


def header_only() -> Rich:
    return fmt(
        "I found a header row and no signatories under it: each signatory goes on a line of their own. "
        "A slash command's box can't hold lines, so attach the CSV file to a `signatures import` message, "
        "or paste it there after the command."
    )


def unusable(why: str) -> Rich:
    """A file that is no list at all: a spreadsheet workbook, a binary file, or an empty CSV."""
    if why == "workbook":
        return fmt(
            "That's a spreadsheet workbook, not a CSV. Save it as CSV (File → Download → CSV), then attach that."
        )
    if why == "binary":
        return fmt("That file isn't text I can read. Export the list as CSV and attach that.")
    return fmt("That CSV is empty. Next: a header row (`name,email,library,region`) and one row per signatory.")


def malformed(line: int, reason: str) -> Rich:
    return fmt("I can't read that CSV: line {line}: {reason}. Nothing was imported. Fix the line and send it again.",
               line=str(line), reason=reason)  # fmt: skip


def no_name_column(headers: Sequence[str]) -> Rich:
    return fmt("I need a `name` column (or `first name` and `last name`). I found: {found}. Rename one and retry.",
               found=", ".join(headers) or "no column names")  # fmt: skip


def merged_under_another_name(first: int) -> str:
    """A row whose email an earlier row of the file has, under another name: one signatory is
    kept (the earlier row's), so the lead is told where to look, not only how many merged."""
    return f"the same email as line {first} under another name, so merged into that line's signatory"


def nothing_to_import() -> Rich:
    return lines(
        fmt("Attach a CSV file to the command, or paste the CSV after it:"),
        fmt("`signatures import` then, on the next lines, `name,email,library,region` and one row per signatory."),
    )


def imported(result: Imported) -> Rich:
    rows: list[Rich] = [
        fmt("Imported: {new} new, {updated} updated, {same} unchanged, {skipped} skipped.", new=str(result.new),
            updated=str(result.updated), same=str(result.unchanged), skipped=str(len(result.skipped)))
    ]  # fmt: skip
    if result.merged:
        rows.append(fmt("{n} repeated an email or name and {were} merged.", n=count(result.merged, "row"),
                        were="was" if result.merged == 1 else "were"))  # fmt: skip
    rows.extend(fmt("· Line {line} skipped: {why}.", line=str(line), why=why) for line, why in result.skipped[:20])
    rows.extend(fmt("· Line {line}: {what}.", line=str(line), what=what) for line, what in result.warnings[:10])
    if len(result.skipped) > 20:
        rows.append(fmt("… and {n} skipped.", n=count(len(result.skipped) - 20, "more row")))
    if len(result.warnings) > 10:
        rows.append(fmt("… and {n} like these.", n=count(len(result.warnings) - 10, "more row")))
    rows.append(fmt("Next: `signatures coverage` for the gaps, `signatures invite` for invite codes."))
    return lines(*rows)


# --- the list and the gaps ----------------------------------------------------------------------


def none_found(searched: bool) -> Rich:
    if searched:
        return fmt("No signatory matches that. Try plain `signatures`.")
    return fmt("No signatories yet. Next: `signatures import` with the list attached as CSV.")


def _signatory(signatory: Signatory) -> Rich:
    place = ", ".join(p for p in (signatory.workplace, signatory.region, signatory.library) if p)
    status = "joined" if signatory.joined else "waiting"
    return fmt("· {name}{email}{place} · {status}", status=status, name=private(signatory.name),
               email=private(f" <{signatory.email}>") if signatory.email else "",
               place=private(f" — {place}") if place else "")  # fmt: skip


def listed(terms: Sequence[str], joined: bool | None) -> str:
    """The command that lists what these search words and filter find (`signatures ohio waiting`),
    for the next page's: `signatures page:2` after `signatures ohio` paged through everyone."""
    which = () if joined is None else ("joined",) if joined else ("waiting",)
    return " ".join(("signatures", *terms, *which))


def listing(page: Page[Signatory], joined: int, total: int) -> Rich:
    """One page of what its command lists (`listed`)."""
    rows: list[Rich] = [page_header("Signatories", page.page, page.pages, page.total)]
    rows.extend(_signatory(signatory) for signatory in page.items)
    rows.append(fmt("{joined} of {total} {have} joined the chat.", joined=str(joined), total=str(total),
                    have="has" if joined == 1 else "have"))  # fmt: skip
    if page.page < page.pages:
        rows.append(fmt("Next: `{more}` for more, `signatures waiting` for who to invite.",
                        more=page.next_page))  # fmt: skip
    else:
        rows.append(fmt("Next: `signatures waiting` for who to invite."))
    return lines(*rows)


def coverage(page: Page[Place]) -> Rich:
    rows: list[Rich] = [page_header("Signed vs joined, gaps first", page.page, page.pages, page.total)]
    for place in page.items:
        where = f"{place.library or 'unknown'} libraries in {place.region or 'an unknown region'}"
        if place.joined:
            rows.append(fmt("· {where}: {joined} of {signed} joined.", where=where, joined=str(place.joined),
                            signed=str(place.signed)))  # fmt: skip
        else:
            rows.append(fmt("· Gap: {where}: {signed} signed, none joined yet.", where=where, signed=str(place.signed)))
    if page.page < page.pages:
        rows.append(fmt("More: `{more}`.", more=page.next_page))
    rows.append(fmt("Next: `signatures invite` for invite codes to send those who haven't joined."))
    return lines(*rows)


# --- inviting and iam -----------------------------------------------------------------------------


def nobody_to_invite(signed: int, joined: int, again: bool = False) -> Rich:
    if signed == 0:
        return none_found(searched=False)
    if joined == signed:
        return fmt("Everyone who signed has joined: nobody to invite. Next: `signatures coverage` for the gaps.")
    if again:
        return fmt("Nobody waiting has an invite code yet. Next: `signatures invite` makes them.")
    return fmt("Everyone waiting already has an invite code. Lost them? `signatures invite again` makes new ones "
               "(the old ones stop working). Next: `signatures waiting` to see who hasn't joined.")  # fmt: skip


def invited(count: int, left: int, join_url: str | None, again: bool = False) -> Rich:
    here = "Here is 1 personal invite code" if count == 1 else f"Here are {count} personal invite codes"
    rows = [fmt("{here} as CSV, for a mail merge. Each works once, with `iam <code>`.", here=here)]
    if again:
        rows.append(fmt("These replace the codes they were given before, which no longer work."))
    if join_url is None:
        rows.append(fmt("The join link column is empty: set `signatures.join_url` in the config to fill it."))
    if left and again:
        more = "1 more was" if left == 1 else f"{left} more were"
        rows.append(fmt("{more} given a code before. Next: `signatures invite again` for the next ones.", more=more))
    elif left:
        more = "1 more is" if left == 1 else f"{left} more are"
        rows.append(fmt("{more} waiting without a code. Next: `signatures invite` for the next ones.", more=more))
    else:
        rows.append(fmt("Next: send them, then watch `signatures joined`."))
    return lines(*rows)


def already_linked(name: str) -> Rich:
    return fmt("You're already linked to the signature of {name}. Next: `profile` to see yours.", name=private(name))


def no_signature() -> Rich:
    return fmt("I couldn't match that to a signature you can link. Check the spelling, or use the code from your "
               "invite (`iam ABCD-EFGH`); a lead can help.")  # fmt: skip


def too_many_tries() -> Rich:
    return fmt("Too many tries that didn't match just now. Wait ten minutes, then try again.")


def linked(name: str, filled: Sequence[str], signed_up: bool, skill: str | None) -> Rich:
    """`skill`: one the signature gave them, so the step to sign up can be typed as shown."""
    rows = [fmt("Thank you for signing, {name}: you're linked to your signature.", name=private(name))]
    if filled:
        rows.append(fmt("I filled in your {fields} from it; change any with `profile`.", fields=series(filled)))
    if signed_up:
        rows.append(fmt("Next: `profile` to check it."))
    elif skill:
        rows.append(fmt("Next: `volunteer {skill}` to sign up with the skills you signed with.", skill=skill))
    else:
        rows.append(fmt("Next: `volunteer <skill>` to sign up."))
    return lines(*rows)


# --- the welcome ----------------------------------------------------------------------------------


def welcome(organisation: str, custom: str | None) -> Rich:
    if custom is not None:
        return fmt("{text}", text=custom.strip())
    return lines(
        fmt("Welcome to {org}! This is a network of library workers organising together: people offer "
            "skills, take on asks, meet each other and keep in touch, and I keep track.", org=organisation),
        fmt("Three first steps:"),
        fmt("1. `volunteer <skill>` — what you can help with (e.g. `volunteer research writing`)."),
        fmt('2. `profile tz:<zone> region:"…" library:<kind>` — so I message you at sane hours.'),
        fmt("3. `iam <email>` — if you signed the statement, link yourself to your signature."),
        fmt("Want fewer messages? `pause` stops them, `resume` starts them again. `help` lists everything."),
    )  # fmt: skip
