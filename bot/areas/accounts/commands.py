"""Commands for linking accounts, exporting and forgetting (spec §1)."""

from __future__ import annotations

from bot.areas import asks, intros, leads
from bot.areas.accounts import rules, words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.kinds import Flag, Text
from bot.core.messages import Attachment, Reply
from bot.core.params import Args, Param
from bot.core.words import FORMER
from bot.ids import Role
from bot.storage import audit

accounts = CommandSet[Context](Section.VOLUNTEERS)

CODE = Param("code", Text(20), "The code `link` gave you on your other account.", positional=True, placeholder="code")
CONFIRM = Param("confirm", Flag(), "Yes, really delete it.")


@accounts.command(
    "link", "Link your Discord and Matrix accounts into one person.", example="link ABCD-EFGH", sensitive=True,
    params=(CODE,),
)  # fmt: skip
async def link(ctx: Context, args: Args) -> Reply:
    code = args.get(CODE)
    if code is None:
        return Reply(words.link_code(await rules.start_link(ctx.tx, ctx.speaker, ctx.incoming.platform, ctx.ts)))
    linked = await rules.finish_link(ctx.tx, ctx.speaker, ctx.incoming.platform, code, ctx.ts)
    if linked is None:
        return Reply(words.bad_code())
    await ctx.audit("link", linked.person.display_name, " + ".join(linked.platforms), actor=linked.person.id)
    await ctx.zone_moved(linked.kept)  # the one person's zone may be the other account's
    return Reply(words.linked(linked.platforms))


@accounts.command(
    "export me", "Everything stored about you, as a JSON file, privately.", example="export me", sensitive=True
)
async def export_me(ctx: Context, args: Args) -> Reply:
    data = await rules.export(ctx.tx, ctx.speaker, ctx.ts, ctx.config)
    return Reply(words.exported(len(data)), attachment=Attachment("volunteer-bot-export.json", data))


@accounts.command(
    "forget me", "Delete your personal data (asks you to confirm first).", example="forget me", sensitive=True,
    params=(CONFIRM,), meant_by=("delete me", "remove me", "delete my data"),
)  # fmt: skip
async def forget_me(ctx: Context, args: Args) -> Reply:
    if not args.flag(CONFIRM):
        await rules.request_forget(ctx.tx, ctx.speaker, ctx.ts)
        admins = ctx.config.admins
        alone = ctx.role == Role.ADMIN and not await leads.admin_remains(ctx.tx, ctx.speaker.id, admins)
        return Reply(words.forget_warning(ctx.config.privacy.contacts_on_forget == "leads", only_admin=alone))
    handed = await rules.forget(
        ctx.tx, ctx.speaker, ctx.ts, ctx.config, first=lambda: _let_go(ctx), outlasting=ctx.catalog.outlasting
    )
    ctx.erased = True
    detail = f"{handed} contacts handed to a lead" if handed else ""
    await audit.record(ctx.tx, None, "forget", FORMER, detail, ctx.ts)  # the actor is gone
    return Reply(words.forgotten())


async def _let_go(ctx: Context) -> None:
    """What others wait on the person for, let go of before they are forgotten: their open claims
    go back (the asks reopen; matching volunteers hear of it, not of who left), a poster not yet
    told of a part they finished is told again without their words, and the intros that go with
    them are called off ("not now") to whoever still waits on them."""
    await asks.release_all(ctx)
    await asks.pass_on_done(ctx)
    await intros.call_off(ctx, contacts_go=ctx.config.privacy.contacts_on_forget != "leads")
