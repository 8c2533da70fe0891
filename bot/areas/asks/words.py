"""Everything the asks area says: posting, listing, claiming, progress, finishing, managing, and
the reminders about claims."""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas.asks.records import Ask, Claim, ClaimDue, Update
from bot.core.context import Listing
from bot.core.messages import Button
from bot.core.paging import Page
from bot.core.text import Live, Moment, Plain, Rich, Strong, fmt, lines
from bot.core.words import FORMER_FIRST, count, not_theirs, page_header, someone


def due(at: int, zone: str | None) -> Moment:
    """A due date: a day where it was given as one (`due:friday`), else a date and time."""
    return Moment(at, "day", zone) if zone else Moment(at)


def ask_line(ask: Ask) -> Rich:
    """One line per ask: id, title, skill, slots, due date.

    Built directly rather than through `fmt`: listings render many of these, and every part after
    the id is plain text (escaped by each platform's renderer like any other).
    """
    parts = [ask.title]
    if ask.skill:
        parts.append(ask.skill)
    parts.append(f"{ask.taken}/{ask.need} taken")
    line: list[Plain | Strong | Moment] = [Strong(str(ask.id)), Plain(" " + " · ".join(parts))]
    if ask.due_at is not None:
        line += [Plain(" · due "), due(ask.due_at, ask.due_zone)]
    if ask.status != "open":
        line.append(Plain(" · done" if ask.status == "done" else " · closed"))
    return tuple(line)


def part(ask: Ask, name: str) -> Rich:
    """A part of a message about the ask, as it is now: its `line`, `title` or `due` date."""
    if name == "line":
        return ask_line(ask)
    if name == "due" and ask.due_at is not None:
        return (due(ask.due_at, ask.due_zone),)
    return (Plain(ask.title),)


def _live(ask_id: int, name: str, shown: Rich | Moment | str) -> Live:
    """A part of a message that may wait in the outbox, shown as the ask is when it is sent."""
    return Live(f"ask:{ask_id}", shown if isinstance(shown, tuple) else fmt("{x}", x=shown), name)


def live_line(ask: Ask) -> Rich:
    return (_live(ask.id, "line", ask_line(ask)),)


def claim_button(ask_id: int) -> Button:
    return Button("Claim", f"claim {ask_id}")


def claim_buttons(ask_id: int) -> tuple[Button, ...]:
    """The one-click next steps under a reminder about a claim."""
    return (Button("Done", f"done {ask_id}"), Button("Snooze 3d", f"snooze c{ask_id} 3d", "secondary"))


# --- posting and hearing of asks ------------------------------------------------------------


def notice(ask: Ask, reopened: bool) -> Rich:
    """What a matching volunteer hears, privately, of a new or reopened ask."""
    intro = "An ask you could help with is open again:" if reopened else "A new ask matches your skills:"
    return lines(
        fmt(intro),
        live_line(ask),
        fmt("Next: `claim {id}` to take it, or `ask {id}` for details.", id=str(ask.id)),
    )


def announcement(poster: str, ask: Ask) -> Rich:
    return lines(
        fmt("New ask from {name}:", name=poster),
        live_line(ask),
        fmt("Next: `claim {id}` to help, `ask {id}` for details.", id=str(ask.id)),
    )


def posted(ask: Ask, told: int, meant: str | None = None) -> Rich:
    """`meant`: the skill in use that the ask's (which nobody has) looks like a typo of."""
    if ask.skill is None:
        reach = fmt("No skill given, so I pinged nobody; it's listed in `asks`.")
    elif told == 0:  # nobody has the skill, or everyone who has it is paused or posted it
        reach = fmt("Nobody with `{skill}` to tell right now; it's listed in `asks`.", skill=ask.skill)
    else:
        reach = fmt("I'm telling {n} privately.", n=count(told, "matching volunteer"))
    if meant is not None:  # (nobody was told: nobody has it)
        reach = fmt("Nobody has `{skill}` yet. Meant `{meant}`? `edit {id} skill:{meant}` changes it.",
                    skill=ask.skill or "", meant=meant, id=str(ask.id))  # fmt: skip
    return lines(
        fmt("Posted ask **{id}**.", id=str(ask.id)),
        ask_line(ask),
        reach,
        fmt("Next: volunteers `claim {id}`; you can `edit {id} …` or `close {id}`.", id=str(ask.id)),
    )


# --- listing and showing --------------------------------------------------------------------


def no_match(skill: str | None, mine: bool, stale: bool, days: int) -> Rich:
    """An empty filtered list, saying which filter left nothing (`asks stale` is the digest's
    next step: "no match" read as if something had gone wrong)."""
    if stale and not (skill or mine):
        return fmt("No claim has gone quiet: none has been without news for {days}. Next: `asks` for the open ones.",
                   days=count(days, "day"))  # fmt: skip
    if mine and not (skill or stale):
        return fmt("You haven't claimed any open ask. Next: `asks` to find one, `mine` for your list.")
    if skill and not (mine or stale):
        return fmt("No open ask needs `{skill}` right now. Next: plain `asks` for them all.", skill=skill)
    return fmt("No open asks match that. Try plain `asks`.")


def none_open() -> Rich:
    return fmt('No open asks right now. Leads post them with `ask title:"…"`.')


def listed(skill: str | None, mine: bool, stale: bool) -> str:
    """The command that lists these asks (`asks research mine`), for the next page's."""
    return " ".join(("asks", *filter(None, (skill, "mine" if mine else "", "stale" if stale else ""))))


def listing(page: Page[Ask], claimable: int | None) -> Rich:
    """A page of asks; its next step claims `claimable` (one the reader can claim), and when
    there is none on the page, only points at the details and the next page."""
    header = page_header("Open asks, newest first", page.page, page.pages, page.total)
    more = page.page < page.pages
    if claimable is not None and more:
        next_step = fmt("Next: `claim {id}`, or `{more}` for more.", id=claimable, more=page.next_page)
    elif claimable is not None:
        next_step = fmt("Next: `ask {id}` for details or `claim {id}` to help.", id=claimable)
    elif more:
        next_step = fmt("Next: `ask {id}` for details, or `{more}` for more.", id=page.items[0].id, more=page.next_page)
    else:
        next_step = fmt("Next: `ask {id}` for details.", id=page.items[0].id)
    return lines(header, *(ask_line(ask) for ask in page.items), next_step)


def details(
    ask: Ask,
    poster: str | None,
    claims: Sequence[Claim],
    updates: Sequence[Update],
    mine: str | None,
    extra: Sequence[Listing] = (),
) -> Rich:
    """An ask in full; its next step for a reader whose own claim is `mine` ('active', 'done', None)."""
    rows: list[Rich] = [ask_line(ask)]
    if ask.details:
        rows.append(fmt("{details}", details=ask.details))
    if poster:
        rows.append(fmt("Posted by {name} on {day}.", name=poster, day=Moment(ask.created_at, "date")))
    if claims:
        who = ", ".join(f"{someone(c.person_name)}{' (done)' if c.status == 'done' else ''}" for c in claims)
        rows.append(fmt("Claimed by: {who}.", who=who))
    for update in updates:
        label = {"update": "update", "done": "done", "release": "released"}[update.kind]
        day, who, note = Moment(update.created_at, "date"), someone(update.person_name), update.text
        rows.append(
            fmt("· {day} {name} ({label}){note}", day=day, name=who, label=label, note=f": {note}" if note else "")
        )
    for listing in extra:
        rows.extend((listing.heading, *listing.lines))
    if ask.status != "open":
        rows.append(fmt("This ask is closed. `asks` shows open ones."))
    elif mine == "active":
        rows.append(fmt("Next: `update {id} <text>`, `done {id}` or `release {id}`.", id=str(ask.id)))
    elif mine == "done":
        rows.append(fmt("You've done your part of this one. `asks` shows others."))
    elif ask.full:
        rows.append(fmt("Every slot is taken. `asks` shows others."))
    else:
        rows.append(fmt("Next: `claim {id}` to help.", id=str(ask.id)))
    return lines(*rows)


# --- claiming and working on an ask ---------------------------------------------------------


def claimed(ask: Ask) -> Rich:
    left = ask.need - ask.taken
    slots = "You took the last slot." if left == 0 else f"{count(left, 'more slot')} open."
    return lines(
        fmt("It's yours: ask **{id}** “{title}”. {slots}", id=str(ask.id), title=ask.title, slots=slots),
        fmt("Next: post progress with `update {id} <text>`; `done {id}` when finished.", id=str(ask.id)),
    )


def noted(ask_id: int, closed: bool) -> Rich:
    if closed:
        return fmt("Noted on ask {id}, which is closed. Next: `done {id}` if you finished it anyway.", id=str(ask_id))
    return fmt("Noted on ask {id}. Next: `done {id}` when it's finished.", id=str(ask_id))


def finished_by_former(ask: Ask) -> Rich:
    """`finished_for_poster` for someone who has since used `forget me`: their note went with them."""
    return finished_for_poster(FORMER_FIRST, ask, ask.done >= ask.need, None)


def finished_for_poster(name: str, ask: Ask, closed: bool, note: str | None) -> Rich:
    status = "That closes the ask." if closed else f"{ask.done} of {ask.need} done."
    return lines(
        fmt(
            "{name} finished their part of ask **{id}** “{title}”. {status}",
            name=name,
            id=str(ask.id),
            title=ask.title,
            status=status,
        ),
        fmt("Note: {note}", note=note) if note and note.strip() else (),
        fmt("Next: `ask {id}` to see it.", id=str(ask.id)),
    )


def thank_you_done(ask_id: int, closed: bool) -> Rich:
    return fmt(
        "Thank you! Marked your part of ask {id} done. {closing}Next: `asks` for more.",
        id=str(ask_id),
        closing="That completes the ask. " if closed else "",
    )


def released(ask_id: int) -> Rich:
    return fmt(
        "Released your slot on ask {id}; others can claim it now. Thanks for saying so. "
        "Next: `mine` for what you still hold.",
        id=str(ask_id),
    )


def closed(ask_id: int) -> Rich:
    return fmt("Closed ask {id}. Next: `reopen {id}` if that was a mistake.", id=str(ask_id))


def closed_for_claimant(closer: str, ask: Ask) -> Rich:
    return fmt(
        "{name} closed ask **{id}** “{title}”, which you'd claimed: no need to go on with it. Thanks for "
        "taking it on! Next: `asks` for open ones.",
        name=closer,
        id=str(ask.id),
        title=ask.title,
    )


def edited_for_claimant(ask: Ask) -> Rich:
    return lines(
        fmt("An ask you're working on has changed:"),
        live_line(ask),
        fmt("Next: `ask {id}` to see it all; can't do it now? `release {id}`.", id=str(ask.id)),
    )


def reopened(ask_id: int) -> Rich:
    return fmt("Reopened ask {id}. Next: volunteers can `claim {id}`.", id=str(ask_id))


def edited(ask: Ask) -> Rich:
    return lines(
        fmt("Updated ask {id}.", id=str(ask.id)),
        ask_line(ask),
        fmt("Next: `ask {id}` to see it all.", id=str(ask.id)),
    )


# --- refusals -------------------------------------------------------------------------------


def no_such_ask(ask_id: int) -> Rich:
    return fmt("There's no ask {id}. `asks` lists the open ones.", id=str(ask_id))


def needs_title(ask_id: int | None = None) -> Rich:
    """Refusing a blank title, when an ask is posted or (`ask_id`) edited."""
    if ask_id is not None:
        return fmt(
            'An ask needs a title; give ask {id} a new one, like `edit {id} title:"Compile bargaining resources"`.',
            id=ask_id,
        )
    return fmt('An ask needs a title, like `ask title:"Compile bargaining resources"`.')


def not_claimable(ask_id: int, status: str) -> Rich:
    state = "finished" if status == "done" else "closed"
    return fmt("Ask {id} is {state}, so it can't be claimed. `asks` shows open ones.", id=str(ask_id), state=state)


def already_claimed(ask_id: int) -> Rich:
    return fmt("You've already claimed ask {id}. Post progress with `update {id} <text>`.", id=str(ask_id))


def already_done(ask_id: int) -> Rich:
    return fmt("You've already done your part of ask {id}. Thank you! Next: `asks` for more.", id=str(ask_id))


def full(ask: Ask) -> Rich:
    others = f"asks {ask.skill}" if ask.skill else "asks"
    return fmt(
        "Ask {id} is full ({taken} of {need} taken). `{others}` shows others.",
        id=str(ask.id), taken=str(ask.taken), need=str(ask.need), others=others,
    )  # fmt: skip


def not_your_claim(ask_id: int, verb: str) -> Rich:
    return fmt(
        "You haven't claimed ask {id}, so you can't {verb} it. Claim it with `claim {id}`.", id=str(ask_id), verb=verb
    )


def not_your_ask(ask_id: int, verb: str) -> Rich:
    rule = fmt("Only leads or the person who posted ask {id} can {verb} it.", id=str(ask_id), verb=verb)
    return not_theirs(rule, "one of them", fmt("`ask {id}` shows who posted it.", id=str(ask_id)))


def already_closed(ask_id: int) -> Rich:
    return fmt("Ask {id} is already closed. `reopen {id}` opens it again.", id=str(ask_id))


def already_open(ask_id: int) -> Rich:
    return fmt("Ask {id} is already open. `ask {id}` shows who's on it.", id=str(ask_id))


def all_done(ask: Ask) -> Rich:
    return fmt(
        "Every slot of ask {id} is done. To ask for more, `edit {id} need:{more}` first.",
        id=str(ask.id),
        more=str(ask.need + 1),
    )


def what_to_change(ask_id: int) -> Rich:
    return fmt('Say what to change, like `edit {id} due:friday` or `edit {id} title:"…"`.', id=str(ask_id))


def unchanged(ask_id: int) -> Rich:
    return fmt("Ask {id} already reads so: nothing changed, and nobody was told. `ask {id}` shows it.", id=str(ask_id))


def need_below_taken(ask: Ask) -> Rich:
    return fmt(
        "Ask {id} has {taken} taken, so `need:` can't go below {n}. Try `edit {id} need:{n}`.",
        taken=count(ask.taken, "slot"), id=str(ask.id), n=str(ask.taken),
    )  # fmt: skip


# --- reminders, and what asks add to other replies ------------------------------------------


def stale_claim(ask_id: int, title: str, days: int) -> Rich:
    return fmt(
        "Ask **{id}** “{title}”: no update for {days}. How's it going? `update {id} <text>`, "
        "`done {id}`, or `release {id}` if you can't (`snooze c{id} 3d` to hear later).",
        id=str(ask_id), title=_live(ask_id, "title", title), days=count(days, "day"),
    )  # fmt: skip


def due_soon(claim: ClaimDue) -> Rich:
    when = due(claim.due_at or 0, claim.due_zone)
    return fmt(
        "Ask **{id}** “{title}” is due {day}. `done {id}` when it's finished, or `update {id} <text>`.",
        id=str(claim.ask_id), title=_live(claim.ask_id, "title", claim.title), day=_live(claim.ask_id, "due", when),
    )  # fmt: skip


def your_claims() -> Rich:
    return fmt("Your claims:")


def your_asks() -> Rich:
    return fmt("Asks you posted:")


def work_on(ask_id: int) -> Rich:
    return fmt("Next: `update {id} <text>` or `done {id}`.", id=str(ask_id))


def open_for_you() -> Rich:
    return fmt("Open asks for you:")


def take_one(ask_id: int) -> Rich:
    return fmt("Next: `claim {id}` to take one on.", id=str(ask_id))


def claim_reminders() -> str:
    return "reminders about your claim"
