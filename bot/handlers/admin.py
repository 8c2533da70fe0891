"""Handlers for roles and the audit log (spec §7)."""

from __future__ import annotations

from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.errors import Conflict
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import people
from bot.handlers.render import day_text, someone
from bot.storage import audit


async def set_role(ctx: Context, args: Args) -> Reply:
    target = await people.resolve(ctx.tx, args.member("member"), ctx.incoming.platform)
    role = Role.parse(args.text("role"))
    if target.role == role:
        raise Conflict(fmt("{name} is already a {role}.", name=target.display_name, role=role.label))
    previous = await people.set_role(ctx.tx, target, role)
    await ctx.audit("role", target.display_name, f"{previous.label} → {role.label}")
    return Reply(
        fmt(
            "{name} is now a {role} (was {previous}). Next: `audit` shows changes like this.",
            name=target.display_name,
            role=role.label,
            previous=previous.label,
        )
    )


async def show_audit(ctx: Context, args: Args) -> Reply:
    count = min(max(args.opt_number("n") or 20, 1), 100)
    entries = await audit.recent(ctx.tx, count)
    if not entries:
        return Reply(fmt("Nothing recorded yet."))
    rows: list[Rich] = [fmt("Last {n} privileged actions, newest first:", n=str(len(entries)))]
    for entry in entries:
        detail = f" ({entry.detail})" if entry.detail else ""
        rows.append(
            fmt(
                "· {day} {actor}: {action} {subject}{detail}",
                day=day_text(entry.at, ctx.zone, ctx.now),
                actor=someone(entry.actor),
                action=entry.action,
                subject=entry.subject,
                detail=detail,
            )
        )
    rows.append(fmt("Next: `audit 50` to see more."))
    return Reply(lines(*rows), sensitive=True)


COMMANDS = (
    Command(
        "role",
        Section.LEADS,
        "Change a member's role.",
        set_role,
        role=Role.ADMIN,
        example="role @alice lead",
        args=(
            Arg(
                "member",
                Kind.MEMBER,
                "The member.",
                required=True,
                positional=True,
                complete="members",
            ),
            Arg(
                "role",
                Kind.CHOICE,
                "The new role.",
                required=True,
                positional=True,
                choices=("member", "lead", "admin"),
            ),
        ),
    ),
    Command(
        "audit",
        Section.LEADS,
        "Recent privileged actions: who, what, when.",
        show_audit,
        role=Role.ADMIN,
        example="audit 20",
        sensitive=True,
        args=(Arg("n", Kind.NUMBER, "How many (default 20).", positional=True, placeholder="n"),),
    ),
)
