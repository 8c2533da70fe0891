"""Everything the announcements area says."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.areas.announcements.queries import Announcement
from bot.core.text import Moment, Rich, fmt, lines, private
from bot.core.words import count, someone

_TO = {"channel": "the channels", "everyone": "everyone"}


def audience_text(kind: str, target: str | None) -> str:
    if kind in _TO:
        return _TO[kind]
    if kind == "library":
        return f"{target} libraries"
    return f"those with {target}" if kind == "skill" else f"those in {target}"


def announcement(poster: str | None, text: str) -> Rich:
    return lines(fmt("📣 Announcement from {name}:", name=someone(poster)), fmt("{text}", text=text))


def needs_text() -> Rich:
    return fmt('An announcement needs words: `announce text:"…"`.')


def bad_audience(given: str) -> Rich:
    return fmt("I can't send to `{given}`. Use `to:channel`, `to:everyone`, `to:skill:<skill>`, "
               '`to:region:"…"` or `to:library:<kind>`.', given=given)  # fmt: skip


def one_audience() -> Rich:
    return fmt("Give one audience: `to:everyone`, or one `skill:`, `region:` or `library:`. Send two announcements "
               "for two groups.")  # fmt: skip


def bad_library(given: str, kinds: Sequence[str]) -> Rich:
    return fmt(
        "`{given}` isn't a library type. Use one of: {kinds}.", given=given or "(nothing)", kinds=", ".join(kinds)
    )


def no_channel_set_up() -> Rich:
    return fmt(
        "No channel is set up for announcements here, so nobody would see it. Whoever runs the bot can "
        "name one (`discord.announce_channel` or `matrix.main_room` in the config). Meanwhile, "
        '`announce to:everyone text:"…"` sends it to each member privately.'
    )


def reaches_nobody(kind: str, target: str | None, meant: str | None) -> Rich:
    """A private announcement that would reach nobody now; `meant`: the skill or region in use the
    target looks like a typo of."""
    rows = [fmt("That would reach nobody ({to}; paused members are skipped), so I haven't posted it.",
                to=audience_text(kind, target))]  # fmt: skip
    if meant is not None:
        rows.append(fmt("Did you mean `to:{kind}:{meant}`?", kind=kind, meant=f'"{meant}"' if " " in meant else meant))
    where = {"skill": "`skills` lists the skills in use; ", "region": "`coverage` shows the regions; "}.get(kind, "")
    rows.append(fmt("Next: {where}leave out `to:` to post it in the channels.", where=where))
    return lines(*rows)


def posted(item: Announcement, reach: int, hidden: bool = False) -> Rich:
    """`hidden`: the count says where someone with a leads-only profile is, so it is private."""
    people = private(count(reach, "person")) if hidden else count(reach, "person")
    released = item.released_at is not None or item.released_through is not None  # (a large group: in shares)
    if item.kind == "channel" and not released:
        first = fmt("Scheduled announcement **{id}** for the channels, on ", id=str(item.id))
    elif item.kind == "channel":
        first = fmt("Posted announcement **{id}** in {n}.", id=str(item.id), n=count(reach, "channel"))
    elif released:
        first = fmt("Announcement **{id}** goes privately to {n} ({to}), each at their next waking hour with "
                    "that day's reminders; paused members are skipped.", id=str(item.id), n=people,
                    to=audience_text(item.kind, item.target))  # fmt: skip
    else:
        first = fmt("Scheduled announcement **{id}** to {to} ({n} today), on ", id=str(item.id),
                    n=people, to=audience_text(item.kind, item.target))  # fmt: skip
    if not released:
        first = first + fmt("{when}.", when=Moment(item.send_at))
    return lines(first, fmt("Next: `announcements` to see recent ones."))


def recent(items: Sequence[Announcement], hidden: Collection[int] = (), lead: bool = False) -> Rich:
    """`hidden`: the announcements whose count says where someone with a leads-only profile is
    (as `posted` says it): a lead reads it privately (the listing then goes only to them), a
    member not at all, as they never read a leads-only profile's region."""
    rows: list[Rich] = [fmt("Recent announcements, newest first:")]
    for item in items:
        # Queued is not read: each person's copy waits for their waking hour (and is dropped if
        # they pause), so the list says whom it is for, not whom it "reached".
        reach = item.reach or 0
        people: Rich | str | None = count(reach, "person")
        if item.id in hidden:
            people = private(count(reach, "person")) if lead else None
        state: Rich | str
        if item.kind == "channel" and item.released_at is not None:
            state = f"posted in {count(reach, 'channel')}"
        elif item.released_at is not None:
            state = "sent privately" if people is None else fmt("for {n}", n=people)
        elif item.released_through is None:
            state = "scheduled"
        else:
            state = "being sent privately" if people is None else fmt("for {n} so far", n=people)
        short = item.text if len(item.text) <= 80 else item.text[:79] + "…"
        to = audience_text(item.kind, item.target)
        rows.append(fmt("· **{id}** {when} to {to}, {state}: {text}", id=str(item.id), when=Moment(item.send_at),
                        to=to, state=state, text=short))  # fmt: skip
    rows.append(fmt('Next: leads post with `announce text:"…"`.'))
    return lines(*rows)


def none_yet() -> Rich:
    return fmt('No announcements yet. Leads post them with `announce text:"…"`.')
