"""Commands for leads and admins (spec §7): coverage, the digest on demand, the delivery queue,
roles and the audit log."""

from __future__ import annotations

from bot.areas import people, signatures
from bot.areas.leads import queries, rules, words
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.errors import Conflict
from bot.core.kinds import Choices, Flag, Number
from bot.core.messages import Reply
from bot.core.params import Args, Param
from bot.core.text import lines
from bot.ids import Role
from bot.storage import outbox, persons

leads = CommandSet[Context](Section.LEADS)

BY = Param("by", Choices(("region", "library", "skill")), "How to group (default region).")
PAGE = Param("page", Number(1), "Which page of gaps.", placeholder="n")
RETRY = Param("retry", Flag(), "Try every parked message again.")
MEMBER = Param("member", people.member(), "The member.", required=True, positional=True)
ROLE = Param("role", Choices(("member", "lead", "admin")), "The new role.", required=True, positional=True)
COUNT = Param("n", Number(1, 100), "How many (default 20, at most 100).", positional=True, placeholder="n")
EVERYTHING = Param("all", Flag(), "Also show who looked at what (read-only uses of lead commands).")


@leads.command(
    "coverage", "Volunteers by region, library type or skill, gaps first.", role=Role.LEAD,
    example="coverage by:library", params=(BY, PAGE), reads=True,
)  # fmt: skip
async def show_coverage(ctx: Context, args: Args) -> Reply:
    view = await rules.coverage(ctx.tx, args.get(BY) or "region", args.get(PAGE) or 1)
    text = words.coverage(view) if view.total else words.no_volunteers()
    tally = await signatures.tally(ctx.tx, ctx.ts)
    return Reply(
        lines(text, words.signed_vs_joined(tally.signed, tally.joined, tally.lately)) if tally.signed else text
    )


@leads.command(
    "digest", "This week in the network, as the weekly digest shows it.", role=Role.LEAD, example="digest",
    sensitive=True, reads=True,
)  # fmt: skip
async def show_digest(ctx: Context, args: Args) -> Reply:
    report = await rules.digest(ctx.tx, ctx.ts, ctx.config)
    return Reply(words.digest(report, ctx.config.organisation.name), sensitive=True)


@leads.command(
    "outbox", "Messages waiting, sent and parked (failing); retry parked ones.", role=Role.ADMIN, example="outbox",
    sensitive=True, params=(RETRY,),
)  # fmt: skip
async def show_outbox(ctx: Context, args: Args) -> Reply:
    if args.flag(RETRY):
        count = await outbox.retry_parked(ctx.tx, ctx.ts)
        if not count:  # nothing changed: on record as a look, not as a retry
            return Reply(words.nothing_parked())
        await ctx.audit("outbox.retry", str(count))
        return Reply(words.retrying(count))
    parked = await outbox.parked(ctx.tx, 10)
    people = await persons.get_many(ctx.tx, sorted({row.person_id for row in parked if row.person_id is not None}))
    names = {person_id: person.display_name for person_id, person in people.items()}
    return Reply(words.queue(await outbox.counts(ctx.tx), parked, names), sensitive=True)


@leads.command("role", "Change a member's role.", role=Role.ADMIN, example="role @alice lead", params=(MEMBER, ROLE))
async def set_role(ctx: Context, args: Args) -> Reply:
    target = await people.resolve(ctx.tx, args[MEMBER], ctx.incoming.platform)
    role = Role.parse(args[ROLE])
    if target.role == role:
        raise Conflict(words.already(target.display_name, role))
    # Lowering an admin (the same role is refused above) must leave one: nobody else could give it.
    if target.role == Role.ADMIN and not await queries.admin_remains(ctx.tx, target.id, ctx.config.admins):
        raise Conflict(words.only_admin(target.display_name, target.id == ctx.speaker.id))
    await persons.set_role(ctx.tx, target.id, role, "command", ctx.ts)
    await ctx.audit("role", target.display_name, f"{target.role.label} → {role.label}")
    back = await rules.granted_back(ctx.tx, target, role, ctx.config)
    return Reply(words.role_changed(target.display_name, role, target.role, back))


@leads.command(
    "audit", "Recent changes made with lead and admin powers: who, what, when.", role=Role.ADMIN,
    example="audit 20", sensitive=True, params=(COUNT, EVERYTHING), reads=True,
)  # fmt: skip
async def show_audit(ctx: Context, args: Args) -> Reply:
    views = args.flag(EVERYTHING)
    entries = await queries.audit_log(ctx.tx, args.get(COUNT) or 20, views=views)
    if not entries:
        return Reply(words.nothing_recorded(views))
    return Reply(words.audit_log(entries, views), sensitive=True)
