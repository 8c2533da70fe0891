"""Handlers for asks (spec §2)."""

from __future__ import annotations

from bot.clock import to_ts
from bot.core.args import Args
from bot.core.commands import Arg, Command, Kind, Section
from bot.core.context import Context
from bot.core.messages import Button, Reply, Role
from bot.core.text import Rich, fmt, lines
from bot.features import asks
from bot.features.asks import Posted
from bot.handlers.render import ask_line, day_text, someone

TITLE_MAX = 200
NOTE_MAX = 2000


def _claim_button(ask_id: int) -> Button:
    return Button("Claim", f"claim {ask_id}")


async def _announce(ctx: Context, posted: Posted, reopened: bool) -> None:
    """Tell matching volunteers privately, each at their own waking hour, once per opening."""
    if not posted.recipients:
        return
    ask = posted.ask
    intro = "An ask you could help with is open again:" if reopened else "A new ask matches your skills:"
    text = lines(
        fmt(intro),
        ask_line(ask, ctx.zone, ctx.now),
        fmt("Next: `claim {id}` to take it, or `ask {id}` for details.", id=str(ask.id)),
    )
    await ctx.notify_people(
        posted.recipients,
        text,
        key_prefix=f"ask:{ask.id}:r{ask.notice_round}",
        kind="ask",
        buttons=(_claim_button(ask.id),),
        subject=f"ask:{ask.id}",
    )


async def post_ask(ctx: Context, args: Args) -> Reply:
    due = args.opt_when("due")
    skill_words = args.words("skill")
    posted = await asks.post(
        ctx.tx,
        ctx.speaker,
        title=args.text("title"),
        details=args.opt_text("details"),
        skill=skill_words[0] if skill_words else None,
        need=args.opt_number("need") or 1,
        due_at=to_ts(due.end_of_day()) if due else None,
        now=ctx.ts,
        config=ctx.config,
    )
    await _announce(ctx, posted, reopened=False)
    ask = posted.ask
    await ctx.announce(
        lines(
            fmt("New ask from {name}:", name=ctx.speaker.display_name),
            ask_line(ask, ctx.zone, ctx.now),
            fmt("Next: `claim {id}` to help, `ask {id}` for details.", id=str(ask.id)),
        ),
        key=f"announce:ask:{ask.id}",
        kind="announce",
        buttons=(_claim_button(ask.id),),
    )
    await ctx.audit("ask.post", f"ask {ask.id}")
    told = len(posted.recipients)
    if ask.skill is None:
        reach = fmt("No skill given, so I pinged nobody; it's listed in `asks`.")
    else:
        reach = fmt(
            "I'm telling {n} matching volunteer{s} privately.",
            n=str(told),
            s="" if told == 1 else "s",
        )
    return Reply(
        lines(
            fmt("Posted ask **{id}**.", id=str(ask.id)),
            ask_line(ask, ctx.zone, ctx.now),
            reach,
            fmt(
                "Next: volunteers `claim {id}`; you can `edit {id} …` or `close {id}`.",
                id=str(ask.id),
            ),
        ),
        buttons=(_claim_button(ask.id),),
    )


async def list_asks(ctx: Context, args: Args) -> Reply:
    skill_words = args.words("skill")
    page = await asks.listing(
        ctx.tx,
        ctx.speaker,
        skill=skill_words[0] if skill_words else None,
        mine=args.flag("mine"),
        stale=args.flag("stale"),
        page=args.opt_number("page") or 1,
        now=ctx.ts,
        config=ctx.config,
    )
    if not page.asks:
        if args.given():
            return Reply(fmt("No open asks match that. Try plain `asks`."))
        return Reply(fmt('No open asks right now. Leads post them with `ask title:"…"`.'))
    header = fmt("Open asks, newest first ({total}):", total=str(page.total))
    if page.pages > 1:
        header = fmt(
            "Open asks, newest first (page {p} of {n}, {total} in all):",
            p=str(page.page),
            n=str(page.pages),
            total=str(page.total),
        )
    rows: list[Rich] = [header, *(ask_line(ask, ctx.zone, ctx.now) for ask in page.asks)]
    first = page.asks[0].id
    next_step = fmt("Next: `ask {id}` for details or `claim {id}` to help.", id=str(first))
    if page.page < page.pages:
        next_step = fmt("Next: `claim {id}`, or `asks page:{p}` for more.", id=str(first), p=str(page.page + 1))
    rows.append(next_step)
    return Reply(lines(*rows))


async def show_ask(ctx: Context, args: Args) -> Reply:
    view = await asks.view(ctx.tx, args.number("id"))
    ask = view.ask
    rows: list[Rich] = [ask_line(ask, ctx.zone, ctx.now)]
    if ask.details:
        rows.append(fmt("{details}", details=ask.details))
    if view.poster:
        rows.append(
            fmt(
                "Posted by {name} on {day}.",
                name=view.poster,
                day=day_text(ask.created_at, ctx.zone, ctx.now),
            )
        )
    if view.claims:
        who = ", ".join(f"{someone(c.person_name)}{' (done)' if c.status == 'done' else ''}" for c in view.claims)
        rows.append(fmt("Claimed by: {who}.", who=who))
    for update in view.updates:
        label = {"update": "update", "done": "done", "release": "released"}[update.kind]
        note = f": {update.text}" if update.text else ""
        rows.append(
            fmt(
                "· {day} {name} ({label}){note}",
                day=day_text(update.created_at, ctx.zone, ctx.now),
                name=someone(update.person_name),
                label=label,
                note=note,
            )
        )
    mine = any(c.person_id == ctx.speaker.id and c.status == "active" for c in view.claims)
    if ask.status != "open":
        rows.append(fmt("This ask is closed. `asks` shows open ones."))
    elif mine:
        rows.append(fmt("Next: `update {id} <text>`, `done {id}` or `release {id}`.", id=str(ask.id)))
    elif ask.full:
        rows.append(fmt("Every slot is taken. `asks` shows others."))
    else:
        rows.append(fmt("Next: `claim {id}` to help.", id=str(ask.id)))
    buttons = (_claim_button(ask.id),) if ask.status == "open" and not ask.full and not mine else ()
    return Reply(lines(*rows), buttons=buttons)


async def claim(ctx: Context, args: Args) -> Reply:
    ask = await asks.claim(ctx.tx, ctx.speaker, args.number("id"), ctx.ts, ctx.config)
    left = ask.need - ask.taken
    slots = "You took the last slot." if left == 0 else f"{left} more slot{'s' if left > 1 else ''} open."
    return Reply(
        lines(
            fmt(
                "It's yours: ask **{id}** “{title}”. {slots}",
                id=str(ask.id),
                title=ask.title,
                slots=slots,
            ),
            fmt(
                "Next: post progress with `update {id} <text>`; `done {id}` when finished.",
                id=str(ask.id),
            ),
        )
    )


async def update(ctx: Context, args: Args) -> Reply:
    ask = await asks.update(ctx.tx, ctx.speaker, args.number("id"), args.text("text"), ctx.ts, ctx.config)
    return Reply(fmt("Noted on ask {id}. Next: `done {id}` when it's finished.", id=str(ask.id)))


async def done(ctx: Context, args: Args) -> Reply:
    note = args.opt_text("note")
    result = await asks.done(ctx.tx, ctx.speaker, args.number("id"), note, ctx.ts)
    ask = result.ask
    if ask.posted_by is not None and ask.posted_by != ctx.speaker.id:
        status = "That closes the ask." if result.closed else f"{ask.done} of {ask.need} done."
        body = lines(
            fmt(
                "{name} finished their part of ask **{id}** “{title}”. {status}",
                name=ctx.speaker.display_name,
                id=str(ask.id),
                title=ask.title,
                status=status,
            ),
            fmt("Note: {note}", note=note) if note else fmt(""),
            fmt("Next: `ask {id}` to see it.", id=str(ask.id)),
        )
        await ctx.notify(ask.posted_by, body, key=f"done:{ask.id}:p{ctx.speaker.id}", kind="ask.done")
    closing = "That completes the ask. " if result.closed else ""
    return Reply(
        fmt(
            "Thank you! Marked your part of ask {id} done. {closing}Next: `asks` for more.",
            id=str(ask.id),
            closing=closing,
        )
    )


async def release(ctx: Context, args: Args) -> Reply:
    posted = await asks.release(ctx.tx, ctx.speaker, args.number("id"), args.opt_text("reason"), ctx.ts, ctx.config)
    await _announce(ctx, posted, reopened=True)
    return Reply(
        fmt(
            "Released your slot on ask {id}; others can claim it now. Thanks for saying so. "
            "Next: `mine` for what you still hold.",
            id=str(posted.ask.id),
        )
    )


async def close(ctx: Context, args: Args) -> Reply:
    ask = await asks.close(ctx.tx, ctx.speaker, ctx.role, args.number("id"), ctx.ts)
    await ctx.audit("ask.close", f"ask {ask.id}")
    return Reply(fmt("Closed ask {id}. Next: `reopen {id}` if that was a mistake.", id=str(ask.id)))


async def reopen(ctx: Context, args: Args) -> Reply:
    posted = await asks.reopen(ctx.tx, ctx.speaker, ctx.role, args.number("id"), ctx.ts, ctx.config)
    await _announce(ctx, posted, reopened=True)
    await ctx.audit("ask.reopen", f"ask {posted.ask.id}")
    return Reply(fmt("Reopened ask {id}. Next: volunteers can `claim {id}`.", id=str(posted.ask.id)))


async def edit(ctx: Context, args: Args) -> Reply:
    changes: dict[str, str | int | None] = {}
    if "title" in args:
        changes["title"] = args.text("title")
    if "details" in args:
        changes["details"] = args.text("details") or None
    if "skill" in args:
        changes["skill"] = args.words("skill")[0] if args.words("skill") else None
    if "need" in args:
        changes["need"] = args.number("need")
    if "due" in args:
        changes["due_at"] = to_ts(args.when("due").end_of_day())
    ask = await asks.edit(ctx.tx, ctx.speaker, ctx.role, args.number("id"), changes, ctx.ts)
    await ctx.audit("ask.edit", f"ask {ask.id}", ", ".join(sorted(changes)))
    return Reply(
        lines(
            fmt("Updated ask {id}.", id=str(ask.id)),
            ask_line(ask, ctx.zone, ctx.now),
            fmt("Next: `ask {id}` to see it all.", id=str(ask.id)),
        )
    )


_ID = Arg("id", Kind.ID, "The ask's number.", required=True, positional=True, complete="asks")
_SKILL = Arg("skill", Kind.SKILLS, "The skill it needs.", max_items=1, max_len=40, complete="skills")

COMMANDS = (
    Command(
        "ask",
        Section.ASKS,
        "Post an ask; matching volunteers hear of it privately.",
        post_ask,
        form="post",
        role=Role.LEAD,
        example='ask title:"Compile sectoral-bargaining resources" skill:research need:2 due:friday',
        args=(
            Arg("title", Kind.TEXT, "What needs doing, in a line.", required=True, max_len=TITLE_MAX),
            _SKILL,
            Arg("need", Kind.NUMBER, "How many people (default 1).", placeholder="n"),
            Arg(
                "due",
                Kind.DATE,
                "When it's due (e.g. friday, in 2 weeks, 2026-12-01).",
                placeholder="date",
            ),
            Arg("details", Kind.TEXT, "More about it.", max_len=NOTE_MAX),
        ),
    ),
    Command(
        "ask",
        Section.ASKS,
        "One ask: who claimed it, its updates, due date.",
        show_ask,
        form="show",
        example="ask 12",
        args=(_ID,),
    ),
    Command(
        "asks",
        Section.ASKS,
        "Open asks, newest first; filter by skill, `mine` or `stale`.",
        list_asks,
        example="asks research",
        args=(
            Arg(
                "skill",
                Kind.SKILLS,
                "Only asks needing this skill.",
                positional=True,
                max_items=1,
                max_len=40,
                complete="skills",
            ),
            Arg("mine", Kind.FLAG, "Only asks you've claimed."),
            Arg("stale", Kind.FLAG, "Only asks with a claim that has gone quiet."),
            Arg("page", Kind.NUMBER, "Which page.", placeholder="n"),
        ),
    ),
    Command("claim", Section.ASKS, "Claim a slot on an ask.", claim, example="claim 12", args=(_ID,)),
    Command(
        "update",
        Section.ASKS,
        "Post a progress note on an ask you claimed.",
        update,
        who="the claimant",
        example="update 12 found three good sources",
        args=(
            _ID,
            Arg(
                "text",
                Kind.TEXT,
                "What happened.",
                required=True,
                positional=True,
                rest=True,
                max_len=NOTE_MAX,
            ),
        ),
    ),
    Command(
        "done",
        Section.ASKS,
        "Finish your claim on an ask.",
        done,
        who="the claimant",
        example="done 12 shared in the drive",
        args=(
            _ID,
            Arg(
                "note",
                Kind.TEXT,
                "A closing note (optional).",
                positional=True,
                rest=True,
                max_len=NOTE_MAX,
            ),
        ),
    ),
    Command(
        "release",
        Section.ASKS,
        "Give your slot back so someone else can take it.",
        release,
        who="the claimant",
        example="release 12 swamped this month",
        args=(
            _ID,
            Arg("reason", Kind.TEXT, "Why (optional).", positional=True, rest=True, max_len=NOTE_MAX),
        ),
    ),
    Command(
        "close",
        Section.ASKS,
        "Close an ask.",
        close,
        who="leads or the poster",
        example="close 12",
        args=(_ID,),
    ),
    Command(
        "reopen",
        Section.ASKS,
        "Reopen a closed ask.",
        reopen,
        who="leads or the poster",
        example="reopen 12",
        args=(_ID,),
    ),
    Command(
        "edit",
        Section.ASKS,
        "Change an ask's title, skill, need, due date or details.",
        edit,
        who="leads or the poster",
        example="edit 12 due:2026-12-04 need:3",
        args=(
            _ID,
            Arg("title", Kind.TEXT, "New title.", max_len=TITLE_MAX),
            _SKILL,
            Arg("need", Kind.NUMBER, "How many people.", placeholder="n"),
            Arg("due", Kind.DATE, "New due date.", placeholder="date"),
            Arg("details", Kind.TEXT, "New details.", max_len=NOTE_MAX),
        ),
    ),
)
