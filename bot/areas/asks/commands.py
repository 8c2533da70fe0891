"""Commands for asks (spec §2)."""

from __future__ import annotations

import dataclasses

from bot.areas import people
from bot.areas.asks import queries, rules, words
from bot.areas.asks.records import Ask, Due
from bot.areas.asks.rules import Posted
from bot.clock import to_ts
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.dates import When
from bot.core.kinds import Date, Flag, Id, Number, Text
from bot.core.messages import Reply
from bot.core.notices import to_people, to_person
from bot.core.params import Args, Param
from bot.core.text import Rich
from bot.core.timing import Reader, person_zone
from bot.ids import AskId, Role
from bot.storage import outbox
from bot.zones import zone

TITLE_MAX = 200
NOTE_MAX = 2000

asks = CommandSet[Context](Section.ASKS)

ASK_ID = Param(  # `c12` is one's claim on ask 12 (as `snooze c12` shows it)
    "id", Id(complete=queries.complete_open_asks, letters="c"), "The ask's number.", required=True, positional=True
)
SKILL = Param("skill", people.skills(), "The skill it needs.")
TITLE = Param("title", Text(TITLE_MAX), "What needs doing, in a line.", required=True)
NEED = Param("need", Number(1, 100), "How many people (default 1).", placeholder="n")
DUE = Param("due", Date(), "When it's due (e.g. friday, in 2 weeks, 2026-12-01).", placeholder="date")
DETAILS = Param("details", Text(NOTE_MAX), "More about it.")
FILTER_SKILL = Param("skill", people.skills(), "Only asks needing this skill.", positional=True)
MINE = Param("mine", Flag(), "Only asks you've claimed.")
STALE = Param("stale", Flag(), "Only asks with a claim that has gone quiet.")
PAGE = Param("page", Number(1), "Which page.", placeholder="n")
PROGRESS = Param("text", Text(NOTE_MAX), "What happened.", required=True, positional=True, rest=True)
NOTE = Param("note", Text(NOTE_MAX), "A closing note (optional).", positional=True, rest=True)
REASON = Param("reason", Text(NOTE_MAX), "Why (optional).", positional=True, rest=True)
NEW_TITLE = Param("title", Text(TITLE_MAX), "New title.")
NEW_NEED = Param("need", Number(1, 100), "How many people.", placeholder="n")
NEW_DUE = Param("due", Date(), "New due date.", placeholder="date")
NEW_DETAILS = Param("details", Text(NOTE_MAX), "New details.")


def _due(ctx: Context, when: When) -> Due:
    """A due date as given: a day lasts until its end where it was given; a time is that time.

    A day read in the zone of a poster whose profile shows it to leads only ends where the
    organisation is instead: every reader whose own date differs would see that zone named
    beside it (`Fri 27 Nov (Kolkata time)`), telling the channel where the poster lives."""
    if when.has_time:
        return Due(to_ts(when.end_of_day()), None)
    if Reader.of(ctx.speaker, ctx.config).hidden and when.zone == person_zone(ctx.speaker, ctx.config):
        when = dataclasses.replace(when, zone=zone(None, ctx.config.organisation.timezone))
    return Due(to_ts(when.end_of_day()), when.zone.key)


async def _tell_matching(ctx: Context, posted: Posted, reopened: bool, *, leaving: bool = False) -> None:
    """Tell matching volunteers privately, each at their own waking hour, once per opening.

    `leaving`: the speaker is being forgotten, and what they caused goes with them
    (`outbox.caused_by`); these notices name nobody, so they are queued as no one's."""
    if not posted.recipients:
        return
    ask = posted.ask
    text, key = words.notice(ask, reopened), f"ask:{ask.id}:r{ask.notice_round}"
    buttons, subject = (words.claim_button(ask.id),), f"ask:{ask.id}"
    if not leaving:
        await ctx.notify_people(posted.recipients, text, key_prefix=key, kind="ask", buttons=buttons, subject=subject)
        return
    notices = to_people(
        posted.recipients, text, key_prefix=key, kind="ask", at=ctx.now, config=ctx.config, buttons=buttons,
        subject=subject,
    )  # fmt: skip
    await outbox.queue(ctx.tx, notices, ctx.ts)


@asks.command(
    "ask", "Post an ask; matching volunteers hear of it privately.", form="post", role=Role.LEAD,
    example='ask title:"Compile sectoral-bargaining resources" skill:research need:2 due:friday',
    params=(TITLE, SKILL, NEED, DUE, DETAILS),
)  # fmt: skip
async def post_ask(ctx: Context, args: Args) -> Reply:
    due = args.get(DUE)
    skills = args.get(SKILL) or ()
    posted = await rules.post(
        ctx.tx,
        ctx.speaker,
        title=args[TITLE],
        details=args.get(DETAILS),
        skill=skills[0] if skills else None,
        need=args.get(NEED, 1),
        due=_due(ctx, due) if due else None,
        now=ctx.ts,
        config=ctx.config,
    )
    await _tell_matching(ctx, posted, reopened=False)
    ask = posted.ask
    await ctx.announce(
        words.announcement(ctx.speaker.display_name, ask),
        key=f"announce:ask:{ask.id}",
        kind="announce",
        buttons=(words.claim_button(ask.id),),
    )
    await ctx.audit("ask.post", f"ask {ask.id}")
    told = len(posted.recipients)
    meant = await people.nearest_in_use(ctx.tx, "skill", ask.skill) if ask.skill and not told else None
    return Reply(words.posted(ask, told, meant), buttons=(words.claim_button(ask.id),))


@asks.command(
    "ask", "One ask: who claimed it, its updates, due date.", form="show", example="ask 12", params=(ASK_ID,),
    reads=True,
)  # fmt: skip
async def show_ask(ctx: Context, args: Args) -> Reply:
    view = await rules.view(ctx.tx, args[ASK_ID])
    ask = view.ask
    # The reader's own claim ('active', 'done' or none): one finished is no invitation to claim again.
    mine = next((c.status for c in view.claims if c.person_id == ctx.speaker.id), None)
    extra = await ctx.catalog.details_of(ctx, "ask", ask.id)  # what other areas keep about it (resources)
    text = words.details(ask, view.poster, view.claims, view.updates, mine, extra)
    buttons = (words.claim_button(ask.id),) if rules.claimable(ask, mine) else ()
    return Reply(text, buttons=buttons, suppress_embeds=bool(extra))


@asks.command(
    "asks", "Open asks, newest first; filter by skill, `mine` or `stale`.", example="asks research",
    params=(FILTER_SKILL, MINE, STALE, PAGE), reads=True,
)  # fmt: skip
async def list_asks(ctx: Context, args: Args) -> Reply:
    skills = args.get(FILTER_SKILL) or ()
    skill, mine, stale = skills[0] if skills else None, args.flag(MINE), args.flag(STALE)
    listed = await rules.listing(
        ctx.tx, ctx.speaker, skill=skill, mine=mine, stale=stale, page=args.get(PAGE) or 1, now=ctx.ts,
        config=ctx.config,
    )  # fmt: skip
    if not listed.page.items:
        days = ctx.config.asks.stale_claim_days
        return Reply(words.no_match(skill, mine, stale, days) if args.given() else words.none_open())
    return Reply(words.listing(listed.page, listed.claimable))


@asks.command("claim", "Claim a slot on an ask.", example="claim 12", params=(ASK_ID,))
async def claim(ctx: Context, args: Args) -> Reply:
    ask = await rules.claim(ctx.tx, ctx.speaker, args[ASK_ID], ctx.ts, ctx.config)
    return Reply(words.claimed(ask))


@asks.command(
    "update", "Post a progress note on an ask you claimed.", who="the claimant",
    example="update 12 found three good sources", params=(ASK_ID, PROGRESS),
)  # fmt: skip
async def update(ctx: Context, args: Args) -> Reply:
    ask = await rules.update(ctx.tx, ctx.speaker, args[ASK_ID], args[PROGRESS], ctx.ts, ctx.config)
    return Reply(words.noted(ask.id, ask.status != "open"))


@asks.command(
    "done", "Finish your claim on an ask.", who="the claimant", example="done 12 shared in the drive",
    params=(ASK_ID, NOTE),
)  # fmt: skip
async def done(ctx: Context, args: Args) -> Reply:
    note = args.get(NOTE)
    result = await rules.done(ctx.tx, ctx.speaker, args[ASK_ID], note, ctx.ts)
    ask = result.ask
    if ask.posted_by is not None and ask.posted_by != ctx.speaker.id:
        await ctx.notify(
            ask.posted_by,
            words.finished_for_poster(ctx.speaker.display_name, ask, result.closed, note),
            key=f"done:{ask.id}:p{ctx.speaker.id}",
            kind="ask.done",
        )
    return Reply(words.thank_you_done(ask.id, result.closed))


@asks.command(
    "release", "Give your slot back so someone else can take it.", who="the claimant",
    example="release 12 swamped this month", params=(ASK_ID, REASON),
)  # fmt: skip
async def release(ctx: Context, args: Args) -> Reply:
    posted = await rules.release(ctx.tx, ctx.speaker, args[ASK_ID], args.get(REASON), ctx.ts, ctx.config)
    await _tell_matching(ctx, posted, reopened=True)
    return Reply(words.released(posted.ask.id))


async def release_all(ctx: Context) -> int:
    """Give back every slot the speaker holds, as `release` gives one back, before `forget me`
    deletes them; returns how many. Matching volunteers hear each ask is open again; nobody
    hears who left it."""
    given = await rules.release_all(ctx.tx, ctx.speaker, ctx.ts, ctx.config)
    for posted in given:
        await _tell_matching(ctx, posted, reopened=True, leaving=True)
    return len(given)


async def pass_on_done(ctx: Context) -> None:
    """Before `forget me`: an ask's poster not yet told that the speaker finished a part of it
    (the notice waits for their waking hour) is told again, as no one's, by "a former member" and
    without the speaker's note, theirs to take: what the speaker caused goes with them
    (`outbox.caused_by`), and the note would outlive them in it."""
    for row in await outbox.waiting_caused(ctx.tx, ctx.speaker.id, "ask.done"):
        ask = await queries.get(ctx.tx, AskId(int(row.key.split(":")[1])))  # `done:<ask>:p<person>`
        if ask is None or row.person_id is None:
            continue
        told = to_person(
            row.person_id, None, words.finished_by_former(ask), key=f"done:{ask.id}:former:{row.id}",
            kind="ask.done", at=ctx.now, config=ctx.config, send_at=ctx.ts,
        )  # fmt: skip
        await outbox.queue(ctx.tx, [told], ctx.ts)


@asks.command("close", "Close an ask.", who="leads or the poster", example="close 12", params=(ASK_ID,))
async def close(ctx: Context, args: Args) -> Reply:
    ask = await rules.close(ctx.tx, ctx.speaker, ctx.role, args[ASK_ID], ctx.ts)
    await ctx.audit("ask.close", f"ask {ask.id}")
    closing = words.closed_for_claimant(ctx.speaker.display_name, ask)
    await _tell_claimants(ctx, ask, closing, key=f"closed:{ask.id}:{ask.closed_at}", kind="ask.closed",
                          subject=f"closed:{ask.id}")  # fmt: skip
    return Reply(words.closed(ask.id))


@asks.command("reopen", "Reopen a closed ask.", who="leads or the poster", example="reopen 12", params=(ASK_ID,))
async def reopen(ctx: Context, args: Args) -> Reply:
    posted = await rules.reopen(ctx.tx, ctx.speaker, ctx.role, args[ASK_ID], ctx.ts, ctx.config)
    await _tell_matching(ctx, posted, reopened=True)
    await ctx.audit("ask.reopen", f"ask {posted.ask.id}")
    return Reply(words.reopened(posted.ask.id))


@asks.command(
    "edit", "Change an ask's title, skill, need, due date or details.", who="leads or the poster",
    example="edit 12 due:2026-12-04 need:3", params=(ASK_ID, NEW_TITLE, SKILL, NEW_NEED, NEW_DUE, NEW_DETAILS),
)  # fmt: skip
async def edit(ctx: Context, args: Args) -> Reply:
    changes: dict[str, str | int | None] = {}
    if NEW_TITLE in args:
        changes["title"] = args[NEW_TITLE]
    if NEW_DETAILS in args:
        changes["details"] = args[NEW_DETAILS] or None
    if SKILL in args:
        changes["skill"] = args[SKILL][0] if args[SKILL] else None
    if NEW_NEED in args:
        changes["need"] = args[NEW_NEED]
    due = _due(ctx, args[NEW_DUE]) if NEW_DUE in args else None
    ask, changed = await rules.edit(ctx.tx, ctx.speaker, ctx.role, args[ASK_ID], changes, ctx.ts, due)
    await ctx.audit("ask.edit", f"ask {ask.id}", ", ".join(sorted(changed)))
    if changed & {"due_at", "title", "details"}:  # what the work is, or when it's due
        await _tell_claimants(ctx, ask, words.edited_for_claimant(ask), key=f"edited:{ask.id}:{ctx.incoming.event_id}",
                              kind="ask.edited")  # fmt: skip
    return Reply(words.edited(ask))


async def _tell_claimants(
    ctx: Context, ask: Ask, text: Rich, *, key: str, kind: str, subject: str | None = None
) -> None:
    """Tell those working on an ask (not the speaker) privately, so nobody works on for nothing;
    by default about their claim, so the notice is dropped if they finish or release it first."""
    for claim_id, person_id in await queries.active_claimants(ctx.tx, ask.id):
        if person_id != ctx.speaker.id:
            about = subject or f"claim:{claim_id}"
            await ctx.notify(person_id, text, key=f"{key}:p{person_id}", kind=kind, subject=about)
