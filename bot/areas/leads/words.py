"""Everything the leads area says: coverage, the digest, the delivery queue, roles and the audit
log."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.leads.queries import Digest, Entry
from bot.areas.leads.rules import Coverage
from bot.core.text import Moment, Rich, fmt, join, lines, private
from bot.core.words import entry, someone
from bot.ids import Role
from bot.storage.outbox import OutboxRow


def no_volunteers() -> Rich:
    return fmt("No volunteers yet. Next: share `volunteer <skill>` with the network.")


def signed_vs_joined(signed: int, joined: int, lately: int) -> Rich:
    return fmt("Signatories: {joined} of {signed} have joined ({lately} this week); `signatures coverage` shows "
               "where.", joined=str(joined), signed=str(signed), lately=str(lately))  # fmt: skip


def coverage(view: Coverage) -> Rich:
    by = view.by
    rows: list[Rich] = [fmt("Coverage by {by}, {n} volunteers:", by=by, n=str(view.total))]

    def label(text: str) -> Rich:
        return private(text) if text in view.private else fmt("{t}", t=text)

    for first, second in view.gaps:
        if by == "skill":
            rows.append(fmt("· Gap: {n} open ask(s) need {skill}; no volunteer has it.", n=second, skill=first))
        elif by == "library":
            rows.append(fmt("· Gap: no one from {kind} libraries.", kind=second))
        else:
            rows.append(fmt("· Gap: no one from {kind} libraries in {region}.", kind=second, region=label(first)))
    counts = join((label(count.label) + fmt(" ({n})", n=str(count.volunteers)) for count in view.counts), ", ")
    rows.append(fmt("Fewest first: {counts}.", counts=counts or "none"))
    if view.unspecified:
        rows.append(fmt("{n} volunteer(s) haven't said their region or library.", n=str(view.unspecified)))
    rows.append(fmt("Next: `coverage by:library` or `by:skill`; invite people who fill the gaps."))
    return lines(*rows)


def digest(report: Digest, organisation: str) -> Rich:
    rows: list[Rich] = [fmt("**Weekly digest for {org}**", org=organisation)]
    if report.new_volunteers:
        names = ", ".join(report.new_volunteers[:10])
        more = f" and {len(report.new_volunteers) - 10} more" if len(report.new_volunteers) > 10 else ""
        rows.append(fmt("New volunteers ({n}): {names}{more}.", n=str(len(report.new_volunteers)),
                        names=names, more=more))  # fmt: skip
    else:
        rows.append(fmt("No new volunteers this week."))
    rows.append(fmt(
        "Asks: {opened} opened, {finished} finished, {closed} closed; {stale} stale claims; "
        "{unclaimed} open with nobody on them.",
        opened=str(report.asks_opened), finished=str(report.asks_finished), closed=str(report.asks_closed),
        stale=str(report.stale_claims), unclaimed=str(report.open_unclaimed),
    ))  # fmt: skip
    rows.append(fmt("Overdue follow-ups: {n}.", n=str(report.overdue_followups)))
    if report.signed:
        rows.append(signed_vs_joined(report.signed, report.joined, report.joined_lately))
    if report.checkins_asked:
        rows.append(fmt("Check-ins: {answered} of {asked} answered.", answered=str(report.checkins_answered),
                        asked=str(report.checkins_asked)))  # fmt: skip
        if report.not_answered:
            rows.append(fmt("Not heard from: {names}.", names=", ".join(report.not_answered[:15])))
    gaps: list[Rich] = []
    if report.missing_library_types:
        gaps.append(fmt("no one from {types} libraries", types=", ".join(report.missing_library_types)))
    if report.unmatched_skills:
        gaps.append(fmt("open asks need skills nobody has: {skills}", skills=", ".join(report.unmatched_skills)))
    if gaps:
        rows.append(fmt("Gaps: ") + join(gaps, "; ") + fmt("."))
    rows.append(fmt("Next: `asks stale` to follow up, `checkins` for answers."))
    return lines(*rows)


def retrying(count: int) -> Rich:
    return fmt("Retrying {n} parked message(s) now. Next: `outbox` to watch them.", n=str(count))


def queue(counts: dict[str, int], parked: Sequence[OutboxRow]) -> Rich:
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
    for row in parked:
        rows.append(
            fmt(
                "· {kind} to #{who}, {tries} tries, last error: {error} ({day})",
                kind=row.kind,
                who=str(row.person_id or row.channel),
                tries=str(row.attempts),
                error=row.last_error or "unknown",
                day=Moment(row.created_at),
            )
        )
    rows.append(fmt("Next: `outbox retry` to try parked messages again." if parked else "Nothing is stuck."))
    return lines(*rows)


def already(name: str, role: Role) -> Rich:
    return fmt("{name} is already a {role}.", name=name, role=role.label)


def role_changed(name: str, role: Role, previous: Role) -> Rich:
    return fmt(
        "{name} is now a {role} (was {previous}). Next: `audit` shows changes like this.",
        name=name,
        role=role.label,
        previous=previous.label,
    )


def nothing_recorded() -> Rich:
    return fmt("Nothing recorded yet.")


def audit_log(entries: Sequence[Entry]) -> Rich:
    rows: list[Rich] = [fmt("Last {n} privileged actions, newest first:", n=str(len(entries)))]
    for item in entries:
        detail = f" ({item.detail})" if item.detail else ""
        rows.append(entry(Moment(item.at), someone(item.actor), f"{item.action} {item.subject}{detail}"))
    rows.append(fmt("Next: `audit 50` to see more."))
    return lines(*rows)
