"""The words of scheduled messages: nudges, check-in questions, the digest.

Kept apart from the sweep so the logic of *when* stays readable, and apart from the features,
which never build chat text.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.messages import Button
from bot.core.text import Rich, fmt, join, lines
from bot.features.digest import Digest
from bot.handlers.render import date_text, day_text


def stale_claim(ask_id: int, title: str, days: int) -> Rich:
    return fmt(
        "Ask **{id}** “{title}”: no update for {days} days. How's it going? `update {id} <text>`, "
        "`done {id}`, or `release {id}` if you can't (`snooze c{id} 3d` to hear later).",
        id=str(ask_id), title=title, days=str(days),
    )  # fmt: skip


def due_soon(ask_id: int, title: str, due_at: int, zone: ZoneInfo, now: datetime) -> Rich:
    return fmt(
        "Ask **{id}** “{title}” is due {day}. `done {id}` when it's finished, or `update {id} <text>`.",
        id=str(ask_id), title=title, day=day_text(due_at, zone, now),
    )  # fmt: skip


def checkin_question() -> Rich:
    return lines(
        fmt("**Check-in.** What did you work on? Anything blocking? Anything you need?"),
        fmt("Just reply here, or `checkin reply <text>`. (`checkin off` stops these.)"),
    )


def checkin_reminder(due_at: int, zone: ZoneInfo, now: datetime) -> Rich:
    return fmt(
        "Your check-in from {day} is still open: just reply here, or `checkin reply <text>` "
        "(`snooze checkin 1d` to skip).",
        day=date_text(due_at, zone, now),
    )


def intro_waiting(intro_id: int, days: int) -> Rich:
    return fmt(
        "An introduction has waited {days} days for your answer: `accept {id}` or `decline {id}` "
        "(nobody hears more than “not now”). `intros` shows it.",
        id=str(intro_id),
        days=str(days),
    )


def followup_due(followup_id: int, contact: str, due_at: int, zone: ZoneInfo, now: datetime) -> Rich:
    return fmt(
        "Follow up with {contact} (due {day}): log it with `contact note <id> <text>`, or "
        "`snooze f{id} 3d`. `followups` lists them all.",
        contact=contact,
        day=date_text(due_at, zone, now),
        id=str(followup_id),
    )


def claim_buttons(ask_id: int) -> tuple[Button, ...]:
    return (Button("Done", f"done {ask_id}"), Button("Snooze 3d", f"snooze c{ask_id} 3d", "secondary"))


def intro_buttons(intro_id: int) -> tuple[Button, ...]:
    return (Button("Accept", f"accept {intro_id}"), Button("Not now", f"decline {intro_id}", "secondary"))


def bundle(items: list[Rich]) -> Rich:
    """Several reminders in one message: at most one nudge message per person per day."""
    if len(items) == 1:
        return items[0]
    return lines(fmt("A few reminders:"), *(fmt("• ") + item for item in items))


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
