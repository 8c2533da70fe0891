"""Handlers for linking accounts, exporting and forgetting (spec §1)."""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Attachment, Reply
from bot.core.text import fmt, lines
from bot.features import accounts
from bot.storage import audit
from bot.storage.accounts import FORMER


async def link(ctx: Context, args: Args) -> Reply:
    code = args.opt_text("code")
    if code is None:
        shown = await accounts.start_link(ctx.tx, ctx.speaker, ctx.incoming.platform, ctx.ts)
        return Reply(lines(
            fmt("Your link code is **{code}**.", code=shown),
            fmt("Within 10 minutes, send `link {code}` to me from your other account (Discord or Matrix). "
                "It works once.", code=shown.replace("-", "")),
        ))  # fmt: skip
    linked = await accounts.finish_link(ctx.tx, ctx.speaker, ctx.incoming.platform, code, ctx.ts)
    if linked is None:
        return Reply(fmt("That code doesn't work (codes work once, for 10 minutes). Send `link` from your "
                         "other account for a new one."))  # fmt: skip
    await ctx.audit("link", linked.person.display_name, " + ".join(linked.platforms), actor=linked.person.id)
    return Reply(
        fmt("Linked: you're one person here now, on {platforms}, with all your claims, contacts and history "
            "together. Next: `profile` to check it.", platforms=" and ".join(linked.platforms))
    )  # fmt: skip


async def export_me(ctx: Context, args: Args) -> Reply:
    data = await accounts.export(ctx.tx, ctx.speaker, ctx.ts)
    return Reply(
        fmt("Here is everything I keep about you ({size} bytes of JSON). Next: `forget me` if you want it gone.",
            size=str(len(data))),
        attachment=Attachment("volunteer-bot-export.json", data),
    )  # fmt: skip


async def forget_me(ctx: Context, args: Args) -> Reply:
    if not args.flag("confirm"):
        await accounts.request_forget(ctx.tx, ctx.speaker, ctx.ts)
        contacts = (
            "handed to a lead (without your notes) if you shared them, deleted if private"
            if ctx.config.privacy.contacts_on_forget == "leads"
            else "deleted"
        )
        return Reply(lines(
            fmt("This deletes your profile, skills, accounts, check-in answers, notes and updates you wrote, "
                "and your intros. Your contacts will be {contacts}. Finished work stays, credited to "
                "“a former member”. It can't be undone.", contacts=contacts),
            fmt("To go ahead, send `forget me confirm` within 10 minutes. (`export me` first keeps a copy.)"),
        ))  # fmt: skip
    handed = await accounts.forget(ctx.tx, ctx.speaker, ctx.ts, ctx.config)
    detail = f"{handed} contacts handed to a lead" if handed else ""
    await audit.record(ctx.tx, None, "forget", FORMER, detail, ctx.ts)  # the actor is gone
    return Reply(fmt("Done: I've forgotten you. Thank you for everything you did. Send `volunteer` any time to "
                     "start afresh."))  # fmt: skip


COMMANDS = (
    Command(
        "link",
        Section.VOLUNTEERS,
        "Link your Discord and Matrix accounts into one person.",
        link,
        example="link ABCD-EFGH",
        sensitive=True,
        args=(
            Arg(
                "code",
                Kind.TEXT,
                "The code `link` gave you on your other account.",
                positional=True,
                max_len=20,
                placeholder="code",
            ),
        ),
    ),
    Command(
        "export me",
        Section.VOLUNTEERS,
        "Everything stored about you, as a JSON file, privately.",
        export_me,
        example="export me",
        sensitive=True,
    ),
    Command(
        "forget me",
        Section.VOLUNTEERS,
        "Delete your personal data (asks you to confirm first).",
        forget_me,
        example="forget me",
        sensitive=True,
        args=(Arg("confirm", Kind.FLAG, "Yes, really delete it."),),
    ),
)
