"""Everything the network area says: meeting someone, and the leads' view of who knows whom."""

from __future__ import annotations

from bot.areas.network.queries import MemberView, Overview
from bot.core.text import Moment, Rich, fmt, join, lines
from bot.core.words import count, member_word


def thats_you() -> Rich:
    return fmt("That's you! `met` is for someone else you've talked with, like `met <member> [note]`.")


def met(name: str, times: int) -> Rich:
    count = "for the first time" if times == 1 else f"{times} times now"
    return fmt(
        "Noted: you and {name} have met ({count}). It helps pairing and the network view. "
        'Next: `intro {who} <member> why:"…"` if they should meet someone else.',
        name=name,
        count=count,
        who=member_word(name),
    )


def overview(view: Overview) -> Rich:
    figures = view.figures
    rows: list[Rich] = [
        fmt("**The network**"),
        fmt(
            "{members} · {ties} {have} met, {recent} of them in the last {days}.",
            members=count(figures.members, "member"),
            ties=count(figures.ties, "pair"),
            have="has" if figures.ties == 1 else "have",
            recent=str(figures.recent_ties),
            days=count(view.days, "day"),
        )
        if figures.ties
        else fmt("{members} · no pairs have met yet.", members=count(figures.members, "member")),
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
        rows.append(fmt(
            "Isolated (nobody met in {days}): {n} — {names}{more}.",
            days=count(view.days, "day"), n=str(view.isolated_total), names=names,
            more=f" …and {more} more" if more else "",
        ))  # fmt: skip
    else:
        days = count(view.days, "day")
        rows.append(fmt("Isolated: nobody — everyone has met someone in the last {days}.", days=days))
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
    if view.suggested is not None:
        isolated, bridge = view.suggested
        rows.append(
            fmt(
                'Next: `intro {a} {b} why:"…"` to bring {name} in, or `network {a}` for one member.',
                a=member_word(isolated),
                b=member_word(bridge),
                name=isolated,
            )
        )
    else:
        rows.append(fmt("Next: `network @member` for one member, or `intro` two people who should meet."))
    return lines(*rows)


def _reach(regions: int, libraries: int) -> str:
    parts = []
    if regions:
        parts.append(count(regions, "other region"))
    if libraries:
        parts.append(count(libraries, "other library type"))
    return ", ".join(parts) or "no other regions or library types yet"


def member(view: MemberView) -> Rich:
    person = view.person
    about = [value for value in (person.region, f"{person.library} library" if person.library else None) if value]
    rows: list[Rich] = [fmt("**{name}**{about}", name=person.display_name,
                            about="".join(f" · {a}" for a in about))]  # fmt: skip
    if view.met_total:
        rows.append(
            fmt(
                "Met {n} ({reach}):",
                n=count(view.met_total, "person"),
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
                    times=count(known.times, "time"),
                    day=Moment(known.last_at, "date"),
                )
            )
        if view.met_total > len(view.met):
            rows.append(fmt("…and {n} more.", n=str(view.met_total - len(view.met))))
    else:
        rows.append(fmt("Hasn't met anyone yet."))
    if view.isolated:
        rows.append(fmt("Isolated: nobody met in the last {days}.", days=count(view.days, "day")))
    rows.append(
        fmt(
            "In pairing: {pairing} · intros open: {n}.",
            pairing="yes" if view.pairing else "no",
            n=str(view.pending_intros),
        )
    )
    rows.append(fmt('Next: `intro {who} <member> why:"…"` to connect them.', who=member_word(person.display_name)))
    return lines(*rows)
