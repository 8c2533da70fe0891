"""Handlers for leads and admins: the digest on demand, and the delivery queue (spec §7)."""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import coverage, digest
from bot.handlers.render import day_text
from bot.scheduling import messages
from bot.storage import outbox


async def show_digest(ctx: Context, args: Args) -> Reply:
    report = await digest.build(ctx.tx, ctx.ts, ctx.config)
    return Reply(messages.digest(report, ctx.config.organisation.name), sensitive=True)


async def show_coverage(ctx: Context, args: Args) -> Reply:
    by = args.opt_text("by") or "region"
    view = await coverage.coverage(ctx.tx, by)
    if not view.total:
        return Reply(fmt("No volunteers yet. Next: share `volunteer <skill>` with the network."))
    rows: list[Rich] = [fmt("Coverage by {by}, {n} volunteers:", by=by, n=str(view.total))]
    for first, second in view.gaps:
        if by == "skill":
            rows.append(fmt("· Gap: {n} open ask(s) need {skill}; no volunteer has it.", n=second, skill=first))
        elif by == "library":
            rows.append(fmt("· Gap: no one from {kind} libraries.", kind=second))
        else:
            rows.append(fmt("· Gap: no one from {kind} libraries in {region}.", kind=second, region=first))
    counts = ", ".join(f"{count.label} ({count.volunteers})" for count in view.counts)
    rows.append(fmt("Fewest first: {counts}.", counts=counts or "none"))
    if view.unspecified:
        rows.append(fmt("{n} volunteer(s) haven't said their region or library.", n=str(view.unspecified)))
    rows.append(fmt("Next: `coverage by:library` or `by:skill`; invite people who fill the gaps."))
    return Reply(lines(*rows))


async def show_outbox(ctx: Context, args: Args) -> Reply:
    if args.flag("retry"):
        count = await outbox.retry_parked(ctx.tx, ctx.ts)
        await ctx.audit("outbox.retry", f"{count} messages")
        return Reply(fmt("Retrying {n} parked message(s) now. Next: `outbox` to watch them.", n=str(count)))
    counts = await outbox.counts(ctx.tx)
    rows: list[Rich] = [
        fmt(
            "Messages: {pending} waiting, {sending} sending, {sent} sent, {parked} parked, {dropped} dropped.",
            pending=str(counts.get("pending", 0)),
            sending=str(counts.get("sending", 0)),
            sent=str(counts.get("sent", 0)),
            parked=str(counts.get("parked", 0)),
            dropped=str(counts.get("dropped", 0)),
        )
    ]
    parked = await outbox.parked(ctx.tx, 10)
    for row in parked:
        rows.append(
            fmt(
                "· {kind} to #{who}, {tries} tries, last error: {error} ({day})",
                kind=row.kind,
                who=str(row.person_id or row.channel),
                tries=str(row.attempts),
                error=row.last_error or "unknown",
                day=day_text(row.created_at, ctx.zone, ctx.now),
            )
        )
    rows.append(fmt("Next: `outbox retry` to try parked messages again." if parked else "Nothing is stuck."))
    return Reply(lines(*rows), sensitive=True)


COMMANDS = (
    Command(
        "coverage",
        Section.LEADS,
        "Volunteers by region, library type or skill, gaps first.",
        show_coverage,
        role=Role.LEAD,
        example="coverage by:library",
        args=(Arg("by", Kind.CHOICE, "How to group (default region).", choices=("region", "library", "skill")),),
    ),
    Command(
        "digest",
        Section.LEADS,
        "This week in the network, as the weekly digest shows it.",
        show_digest,
        role=Role.LEAD,
        example="digest",
        sensitive=True,
    ),
    Command(
        "outbox",
        Section.LEADS,
        "Messages waiting, sent and parked (failing); retry parked ones.",
        show_outbox,
        role=Role.ADMIN,
        example="outbox",
        sensitive=True,
        args=(Arg("retry", Kind.FLAG, "Try every parked message again."),),
    ),
)
