"""Everything the accounts area says: linking accounts, exporting, forgetting."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.text import Rich, fmt, lines
from bot.core.words import series


def link_code(shown: str) -> Rich:
    return lines(
        fmt("Your link code is **{code}**.", code=shown),
        fmt("Within 10 minutes, send `link {code}` to me from your other account (Discord or Matrix). "
            "It works once.", code=shown.replace("-", "")),
    )  # fmt: skip


def bad_code() -> Rich:
    return fmt("That code doesn't work (codes work once, for 10 minutes). Send `link` from your other account for a "
               "new one.")  # fmt: skip


def linked(platforms: Sequence[str]) -> Rich:
    return fmt("Linked: you're one person here now, on {platforms}, with all your claims, contacts and history "
               "together. Next: `profile` to check it.", platforms=series(platforms))  # fmt: skip


def exported(size: int) -> Rich:
    return fmt("Here is everything I keep about you ({size} bytes of JSON). Next: `forget me` if you want it gone.",
               size=str(size))  # fmt: skip


def export_about(name: str, zone: str) -> str:
    """The first line of the export file."""
    return (
        f"Everything volunteer-bot keeps about {name}. Times are in ISO-8601, in your timezone ({zone}); "
        "names are as in the commands (`due`, `tz`, `quiet`). Send `forget me` to the bot to have it deleted."
    )


def forget_warning(contacts_to_leads: bool, *, only_admin: bool = False) -> Rich:
    """`only_admin`: the speaker is the network's only admin, and nobody could change roles after."""
    contacts = (
        "handed to a lead (without your notes) if you shared them, deleted if private"
        if contacts_to_leads
        else "deleted"
    )
    return lines(
        fmt("This deletes your profile, skills, accounts, check-in answers, notes and updates you wrote, "
            "your intros, and your signature on the leads' list if you linked it with `iam`. Your contacts "
            "will be {contacts}. Asks you claimed but haven't finished go back for others to take, as with "
            "`release`. Finished work stays, credited to “a former member”. It can't be undone.",
            contacts=contacts),
        fmt("You're the only admin: nobody could change roles after you. To hand it on first: "
            "`role <member> admin`.") if only_admin else (),
        fmt("To go ahead, send `forget me confirm` within 10 minutes. (`export me` first keeps a copy.)"),
    )  # fmt: skip


def forgotten() -> Rich:
    return fmt("Done: I've forgotten you. Thank you for everything you did. Send `volunteer <skill>` any time to "
               "start afresh.")  # fmt: skip


def too_many_tries() -> Rich:
    return fmt("Too many wrong codes just now. Wait ten minutes, then try again.")


def same_account() -> Rich:
    return fmt("That code is from this same account. Send `link <code>` from your other account.")


def same_platform(platform: str) -> Rich:
    return fmt("Both accounts are on {platform}; `link` joins accounts on different platforms (Discord and Matrix).",
               platform=platform)  # fmt: skip


def confirm_first() -> Rich:
    return fmt("First send `forget me` to see what will happen; then confirm within 10 minutes.")
