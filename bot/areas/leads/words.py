"""Everything the leads area says: coverage, the digest, the delivery queue, roles and the audit
log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.areas.leads.queries import Digest, Entry
from bot.areas.leads.rules import SHOWN, Coverage
from bot.core.text import Moment, Rich, fmt, join, lines, plain_text, private
from bot.core.words import article, count, member_word, page_header, series, someone
from bot.ids import PersonId, Role
from bot.storage.outbox import OutboxRow


def no_volunteers() -> Rich:
    return fmt("No volunteers yet. Next: share `volunteer <skill>` with the network.")


def signed_vs_joined(signed: int, joined: int, lately: int) -> Rich:
    return fmt("Signatories: {joined} of {signed} {have} joined ({lately} this week); `signatures coverage` shows "
               "where.", joined=str(joined), signed=str(signed), lately=str(lately),
               have="has" if joined == 1 else "have")  # fmt: skip


def coverage(view: Coverage) -> Rich:
    by, gaps = view.by, view.gaps
    rows: list[Rich] = [fmt("Coverage by {by}, {n}.", by=by, n=count(view.total, "volunteer"))]

    def label(text: str) -> Rich:
        return private(text) if text in view.private else fmt("{t}", t=text)

    if gaps.items:
        rows.append(page_header("Gaps, biggest first", gaps.page, gaps.pages, gaps.total))
    for first, second in gaps.items:
        if by == "skill":
            need = "needs" if second == "1" else "need"
            rows.append(fmt("· {asks} {need} {skill}; no volunteer has it.", asks=count(int(second), "open ask"),
                            need=need, skill=first))  # fmt: skip
        elif by == "library":
            rows.append(fmt("· No one from {kind} libraries.", kind=second))
        else:
            rows.append(fmt("· No one from {kind} libraries in {region}.", kind=second, region=label(first)))
    shown = join((label(c.label) + fmt(" ({n})", n=str(c.volunteers)) for c in view.counts[:SHOWN]), ", ")
    more = fmt(" …and {n} more", n=str(len(view.counts) - SHOWN)) if len(view.counts) > SHOWN else ()
    rows.append(fmt("Fewest first: {counts}{more}.", counts=shown or "none", more=more))
    if view.unspecified:
        # Said of what this view groups by: counted in none of its figures, they are still counted.
        rows.append(fmt("{n} {have}n't said their {what}.", n=count(view.unspecified, "volunteer"),
                        have="has" if view.unspecified == 1 else "have",
                        what="library type" if by == "library" else "region"))  # fmt: skip
    if gaps.page < gaps.pages:
        rows.append(fmt("Next: `{more}` for more gaps; invite people who fill them.", more=gaps.next_page))
    else:
        other, then = [view for view in ("region", "library", "skill") if view != by]
        rows.append(fmt("Next: `coverage by:{other}` or `by:{then}`; invite people who fill the gaps.", other=other,
                        then=then))  # fmt: skip
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
        "Asks: {opened} opened, {finished} finished, {closed} closed; {stale}; "
        "{unclaimed} open with nobody on them.",
        opened=str(report.asks_opened), finished=str(report.asks_finished), closed=str(report.asks_closed),
        stale=count(report.stale_claims, "stale claim"), unclaimed=str(report.open_unclaimed),
    ))  # fmt: skip
    rows.append(fmt("Overdue follow-ups: {n}.", n=str(report.overdue_followups)))
    if report.signed:
        rows.append(signed_vs_joined(report.signed, report.joined, report.joined_lately))
    if report.checkins_asked:
        rows.append(fmt("Check-ins: {answered} of {asked} answered.", answered=str(report.checkins_answered),
                        asked=count(report.checkins_asked, "person")))  # fmt: skip
        if report.not_answered:
            rows.append(fmt("Not heard from: {names}.", names=", ".join(report.not_answered)))
    gaps: list[Rich] = []
    if report.missing_library_types:
        gaps.append(fmt("no one from {types} libraries", types=series(report.missing_library_types, "or")))
    if report.unmatched_skills:
        gaps.append(fmt("open asks need skills nobody has: {skills}", skills=", ".join(report.unmatched_skills)))
    if gaps:
        rows.append(fmt("Gaps: ") + join(gaps, "; ") + fmt("."))
    rows.append(fmt("Next: `asks stale` to follow up, `checkins` for answers."))
    return lines(*rows)


def retrying(n: int) -> Rich:
    return fmt("Retrying {n} now. Next: `outbox` to watch them.", n=count(n, "parked message"))


def nothing_parked() -> Rich:
    return fmt("Nothing is parked, so there is nothing to retry. Next: `outbox` to see what is waiting.")


def queue(counts: dict[str, int], parked: Sequence[OutboxRow], names: Mapping[PersonId, str]) -> Rich:
    """The queue's figures and the newest parked messages, each for whom (`names`: by person id;
    someone forgotten since is "a former member") and since when; how many more there are."""
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
        who = someone(names.get(row.person_id)) if row.person_id is not None else f"#{row.channel}"
        rows.append(
            fmt(
                "· {kind} to {who}, queued {day}, {tries}, last error: {error}",
                kind=row.kind,
                who=who,
                day=Moment(row.created_at),
                tries=count(row.attempts, "try"),
                error=row.last_error or "unknown",
            )
        )
    if (more := counts.get("parked", 0) - len(parked)) > 0:
        rows.append(fmt("…and {n} more parked.", n=str(more)))
    rows.append(fmt("Next: `outbox retry` to try parked messages again." if parked else "Nothing is stuck."))
    return lines(*rows)


def already(name: str, role: Role) -> Rich:
    return fmt("{name} is already {role}. Next: `role {who} <role>` to change it.", name=name,
               role=article(role.label), who=member_word(name))  # fmt: skip


def only_admin(name: str, themselves: bool) -> Rich:
    """An admin's role refused as it would leave nobody an admin (`themselves`: the speaker's own)."""
    who = fmt("You're") if themselves else fmt("{name} is", name=name)
    return fmt("{who} the only admin, and without one nobody can change roles, so I changed nothing. Next: make "
               "someone else an admin first with `role <member> admin`.", who=who)  # fmt: skip


def role_changed(name: str, role: Role, previous: Role, granted_back: Sequence[str] = ()) -> Rich:
    """`granted_back`: what gives the old role back at their next message (`rules.granted_back`)."""
    said = fmt("{name} is now {role} (was {previous}).", name=name, role=article(role.label), previous=previous.label)
    if not granted_back:
        return fmt("{said} Next: `audit` shows changes like this.", said=said)
    was = article(previous.label)
    if "config" in granted_back:
        warning = fmt("Heads up: {name} is on the config's `admins` list, so they'll be {was} again at their next "
                      "message. Take them off it to make this stick.", name=name, was=was)  # fmt: skip
    else:
        granters = series([_GRANTERS.get(platform, platform) for platform in granted_back], "or")
        warning = fmt("Heads up: {granters} can make them {was} again at their next message; change that there "
                      "to make this stick.", granters=granters, was=was)  # fmt: skip
    return fmt("{said} {warning} Next: `audit` shows changes like this.", said=said, warning=warning)


#: Where a platform grants roles (`rules.granted_back`), as `role_changed` names it.
_GRANTERS = {
    "discord": "their Discord roles",
    "matrix": "their power level in the main Matrix room",
    "console": "the console (its own user is always an admin)",
}


def nothing_recorded(views: bool) -> Rich:
    if views:
        return fmt("Nothing recorded yet. Lead and admin commands are listed here once used.")
    return fmt("No changes recorded yet. Next: `audit all` also lists who looked at what.")


#: What each recorded action did, said of its subject: "posted ask 3". An action with no words
#: here (a new area's) is said as its name, so it still shows; a test checks every action the
#: code records has words.
AUDIT_ACTIONS = {
    "ask.post": "posted {subject}",
    "ask.close": "closed {subject}",
    "ask.reopen": "reopened {subject}",
    "ask.edit": "changed {subject}",
    "event.add": "posted {subject}",
    "event.cancel": "cancelled {subject}",
    "event.edit": "changed {subject}",
    "event.restore": "put back {subject}",
    "link": "linked their accounts",
    "forget": "used `forget me`",
    "outbox.retry": "retried parked messages",
    "role": "made {subject} {role} (was {was})",
    "role.granted": "made {subject} {role} (was {was})",
    "role.revoked": "made {subject} {role} (was {was})",
    "dashboard.link": "made a dashboard link for {subject}",
    "announce": "posted {subject}",
    "signatures.import": "imported signatures ({subject})",
    "signatures.invite": "made invite codes ({subject})",
    "iam": "said they are {subject}",
    "resource.drop": "dropped {subject} from the library",
}
#: Fields as people type them, for the changes an edit lists (`due_at` is `due:`).
_FIELD_NAMES = {"due_at": "due date", "details": "details", "length": "length", "where": "place", "when": "time"}
#: Who acted when no person did.
_SOURCES = {
    "console": "the console",
    "config": "the config's admins list",
    "platform": "platform role sync",
    "cli": "the command line",
}


def _source(source: str) -> str:
    return _SOURCES.get(source, f"{source} role sync")


def _did(item: Entry) -> Rich:
    """The action in words, with what it touched (names and ids are values, never markup)."""
    if item.view:
        about = fmt(" ({subject})", subject=item.subject) if item.subject else ()
        return fmt("looked at `{command}`", command=item.action.replace(".", " ")) + about
    if item.action == "outbox.retry" and item.subject.isdigit():
        return fmt("retried {n}", n=count(int(item.subject), "parked message"))
    # A role change is stored as "member → lead" (older rows add the platform in brackets).
    was, _, role = item.detail.partition(" → ")
    template = AUDIT_ACTIONS.get(item.action, item.action.replace(".", " ") + " {subject}")
    said = fmt(template, subject=item.subject, role=article(role.split(" (")[0]), was=was)
    detail = item.detail
    if item.action in ("ask.edit", "event.edit") and detail:
        return said + fmt(": {fields}", fields=", ".join(_FIELD_NAMES.get(f, f) for f in detail.split(", ")))
    if item.action in ("event.cancel", "event.restore") and detail == "all":
        return said + fmt(" and the rest of its series" if item.action == "event.cancel" else ": the whole series")
    if item.action in ("event.cancel", "event.restore") and detail.startswith("on "):  # one day of a series
        day = date.fromisoformat(detail[3:])
        only = " only" if item.action == "event.cancel" else ""
        return said + fmt(" for {day}{only}", day=f"{day:%a} {day.day} {day:%b} {day.year}", only=only)
    if item.action in ("link", "forget") and detail:
        return said + fmt(" ({detail})", detail=detail)
    if item.action == "announce" and detail:
        return said + fmt(" to {audience}", audience=detail)
    if item.action == "resource.drop":  # always someone else's (the owner's own drop is not recorded)
        return said + fmt(", which {owner} added", owner=someone(detail or None))
    return said


def action_said(action: str, subject: str, detail: str, view: bool) -> str:
    """A recorded action as the audit says it, without who or when (`export me` lists the
    speaker's own: "posted ask 1", not `ask.post`)."""
    return plain_text(_did(Entry(0, None, action, subject, detail, view, None)))


def audit_log(entries: Sequence[Entry], views: bool) -> Rich:
    title = fmt("Last {n}, changes and looks, newest first:", n=count(len(entries), "entry")) if views else fmt(
        "Last {n}, newest first:", n=count(len(entries), "change"))  # fmt: skip
    rows: list[Rich] = [title]
    for item in entries:
        who = item.actor or (_source(item.source) if item.source else someone(None))
        rows.append(fmt("· {day} {who} {did}", day=Moment(item.at), who=who, did=_did(item)))
    more = "`audit 50 all`" if views else "`audit 50`; `audit all` also lists who looked at what"
    rows.append(fmt("Next: " + more + "."))
    return lines(*rows)
