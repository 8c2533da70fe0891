"""Handlers for the network (spec §3): met, pairing, network.

`network` is for leads and is sent privately: who knows whom is nobody else's business.
The pairing round itself (what the scheduler runs each week) is in `bot.handlers.pairing`.
"""

from __future__ import annotations

from bot.config import Config
from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Reply, Role
from bot.core.text import Rich, fmt, join, lines
from bot.features import network
from bot.handlers.render import day_text

NOTE_MAX = 2000


def member_word(name: str) -> str:
    """How to type a member's name in a command: `@alice`, or `"Jo Lee"` when it has spaces."""
    return f'"{name}"' if any(ch.isspace() for ch in name) else f"@{name}"


async def met(ctx: Context, args: Args) -> Reply:
    result = await network.met(
        ctx.tx,
        ctx.speaker,
        args.member("member"),
        args.opt_text("note"),
        platform=ctx.incoming.platform,
        now=ctx.ts,
    )
    times = result.tie.times
    count = "for the first time" if times == 1 else f"{times} times now"
    return Reply(
        fmt(
            "Noted: you and {name} have met ({count}). It helps pairing and the network view. "
            'Next: `intro {who} <member> why:"…"` if they should meet someone else.',
            name=result.other.display_name,
            count=count,
            who=member_word(result.other.display_name),
        )
    )


def schedule_text(config: Config) -> str:
    weekly = config.scheduler.pairing
    return f"every {weekly.day.capitalize()} at {weekly.time} ({config.organisation.timezone})"


async def set_pairing(ctx: Context, args: Args) -> Reply:
    on = args.text("state") == "on"
    changed = await network.set_pairing(ctx.tx, ctx.speaker, on, ctx.ts)
    when = schedule_text(ctx.config)
    if on and changed:
        text = fmt(
            "You're in the pairing: {when} I'll pair you with a member you haven't met and tell you why, "
            'privately. Next: `profile interests:"…"` helps me find a good match; `pairing off` stops it.',
            when=when,
        )
    elif on:
        text = fmt("You're already in the pairing ({when}). Next: `pairing off` to stop.", when=when)
    elif changed:
        text = fmt(
            "You're out of the pairing. Past pairs stay on record so they never repeat. Next: `pairing on` to rejoin."
        )
    else:
        text = fmt("You weren't in the pairing. Next: `pairing on` to join ({when}).", when=when)
    return Reply(text)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _overview(ctx: Context, view: network.Overview) -> Rich:
    figures = view.figures
    rows: list[Rich] = [
        fmt("**The network**"),
        fmt(
            "{members} · {ties} {have} met, {recent} of them in the last {days} days.",
            members=_plural(figures.members, "member"),
            ties=_plural(figures.ties, "pair"),
            have="has" if figures.ties == 1 else "have",
            recent=str(figures.recent_ties),
            days=str(view.days),
        ),
    ]
    if figures.ties:
        rows.append(
            fmt(
                "Across regions: {r} of {n} · across library types: {l} of {n}.",
                r=str(figures.cross_region),
                l=str(figures.cross_library),
                n=str(figures.ties),
            )
        )
    rows.append(
        fmt(
            "Intros: {p} waiting, {m} made, {x} not now · {pairing} in pairing.",
            p=str(view.intros.get("pending", 0)),
            m=str(view.intros.get("made", 0)),
            x=str(view.intros.get("not_now", 0)),
            pairing=str(view.pairing),
        )
    )
    if view.isolated:
        names = ", ".join(name for _, name in view.isolated)
        more = view.isolated_total - len(view.isolated)
        rows.append(
            fmt(
                "Isolated (nobody met in {days} days): {n} — {names}{more}.",
                days=str(view.days),
                n=str(view.isolated_total),
                names=names,
                more=f" …and {more} more" if more else "",
            )
        )
    else:
        rows.append(fmt("Isolated: nobody — everyone has met someone in the last {days} days.", days=str(view.days)))
    if view.bridges:
        rows.append(
            fmt("Bridges: ")
            + join(
                (fmt("{name} ({reach})", name=b.name, reach=_reach(b.regions, b.libraries)) for b in view.bridges),
                ", ",
            )
            + fmt(".")
        )
    if view.unlinked_regions:
        rows.append(fmt("No ties to other regions yet: {r}.", r=", ".join(view.unlinked_regions)))
    if view.unlinked_libraries:
        rows.append(fmt("No ties to other library types yet: {l}.", l=", ".join(view.unlinked_libraries)))
    if view.isolated and view.bridges:
        rows.append(
            fmt(
                'Next: `intro {a} {b} why:"…"` to bring {name} in, or `network {a}` for one member.',
                a=member_word(view.isolated[0][1]),
                b=member_word(view.bridges[0].name),
                name=view.isolated[0][1],
            )
        )
    else:
        rows.append(fmt("Next: `network @member` for one member, or `intro` two people who should meet."))
    return lines(*rows)


def _reach(regions: int, libraries: int) -> str:
    parts = []
    if regions:
        parts.append(_plural(regions, "other region"))
    if libraries:
        parts.append(_plural(libraries, "other library type"))
    return ", ".join(parts) or "no other regions or library types yet"


def _member_view(ctx: Context, view: network.MemberView) -> Rich:
    person = view.person
    about = [value for value in (person.region, f"{person.library} library" if person.library else None) if value]
    rows: list[Rich] = [fmt("**{name}**{about}", name=person.display_name,
                            about="".join(f" · {a}" for a in about))]  # fmt: skip
    if view.met_total:
        rows.append(
            fmt(
                "Met {n} ({reach}):",
                n=_plural(view.met_total, "person") if view.met_total == 1 else f"{view.met_total} people",
                reach=_reach(view.other_regions, view.other_libraries),
            )
        )
        for known in view.met:
            where = ", ".join(v for v in (known.region, known.library) if v)
            rows.append(
                fmt(
                    "· {name}{where} — {times}, last {day}",
                    name=known.name,
                    where=f" ({where})" if where else "",
                    times=_plural(known.times, "time"),
                    day=day_text(known.last_at, ctx.zone, ctx.now),
                )
            )
        if view.met_total > len(view.met):
            rows.append(fmt("…and {n} more.", n=str(view.met_total - len(view.met))))
    else:
        rows.append(fmt("Hasn't met anyone yet."))
    if view.isolated:
        rows.append(fmt("Isolated: nobody met in the last {days} days.", days=str(view.days)))
    rows.append(
        fmt(
            "In pairing: {pairing} · intros open: {n}.",
            pairing="yes" if view.pairing else "no",
            n=str(view.pending_intros),
        )
    )
    rows.append(fmt('Next: `intro {who} <member> why:"…"` to connect them.', who=member_word(person.display_name)))
    return lines(*rows)


async def show_network(ctx: Context, args: Args) -> Reply:
    ref = args.opt_member("member")
    if ref is not None:
        view = await network.member(ctx.tx, ref, platform=ctx.incoming.platform, now=ctx.ts, config=ctx.config)
        return Reply(_member_view(ctx, view))
    return Reply(_overview(ctx, await network.overview(ctx.tx, ctx.ts, ctx.config)))


_MEMBER = Arg(
    "member",
    Kind.MEMBER,
    "A member: a mention or their name.",
    required=True,
    positional=True,
    complete="members",
)

COMMANDS = (
    Command(
        "met",
        Section.NETWORK,
        "Record that you and a member have talked.",
        met,
        example="met @alice talked about the bargaining survey",
        args=(
            _MEMBER,
            Arg(
                "note",
                Kind.TEXT,
                "What you talked about (optional; only you can see it).",
                positional=True,
                rest=True,
                max_len=NOTE_MAX,
            ),
        ),
    ),
    Command(
        "pairing",
        Section.NETWORK,
        "Opt in or out of being paired each week with a member you haven't met.",
        set_pairing,
        example="pairing on",
        args=(Arg("state", Kind.CHOICE, "On or off.", required=True, positional=True, choices=("on", "off")),),
    ),
    Command(
        "network",
        Section.NETWORK,
        "Who knows whom: counts, isolated members, bridges between regions and library types.",
        show_network,
        role=Role.LEAD,
        example="network @alice",
        sensitive=True,
        args=(
            Arg(
                "member",
                Kind.MEMBER,
                "One member to look at (optional).",
                positional=True,
                complete="members",
            ),
        ),
    ),
)
