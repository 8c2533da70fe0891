"""Commands for contacts and follow-ups (spec §4): contact add/show/note/edit/drop, contacts,
followups.

Every command here carries contact details or notes, so every one is `sensitive`: replies only
ever go to the speaker's private chat, whatever channel the command was typed in.
"""

from __future__ import annotations

from bot.areas.contacts import queries, rules, words
from bot.areas.contacts.rules import SHARES
from bot.clock import to_ts
from bot.core.commands import CommandSet, Section
from bot.core.context import Context
from bot.core.dates import MORNING
from bot.core.kinds import Choices, Date, Id, Name, Number, Text
from bot.core.messages import Reply
from bot.core.params import Args, Param

NAME_MAX = 200
NOTE_MAX = 2000
FIELD_MAX = 500

contacts = CommandSet[Context](Section.CONTACTS)

CONTACT_ID = Param(
    "id", Id(complete=queries.complete_own_contacts), "The contact's number.", required=True, positional=True
)
FOLLOW = Param("follow", Date(), "When to follow up (e.g. friday, in 2 weeks).", placeholder="date")
SHARE = Param("share", Choices(SHARES), "Who else may see it (default: leads).")
ORG = Param("org", Text(NAME_MAX), "Their organisation.")
HOW = Param("how", Text(NOTE_MAX), "How you met.")
INTERESTS = Param("interests", Text(FIELD_MAX), "What they care about.")
NAME = Param("name", Name(NAME_MAX), "Their name.", required=True, positional=True, rest=True)
NEW_NAME = Param("name", Text(NAME_MAX), "Their name.")
TEXT = Param("text", Text(NOTE_MAX), "What happened.", required=True, positional=True, rest=True)
SEARCH = Param("search", Text(NAME_MAX), "Words that start words of theirs (optional).", positional=True, rest=True)
PAGE = Param("page", Number(1), "Which page.", placeholder="n")
_FIELDS = (NEW_NAME, ORG, HOW, INTERESTS, SHARE)


def _follow_at(args: Args) -> int | None:
    when = args.get(FOLLOW)
    return to_ts(when.moment(MORNING)) if when else None


@contacts.command(
    "contact add", "Log an outside contact you know (shared with leads unless you say otherwise).",
    example='contact add name:"Jordan Lee" org:"Teachers Union" how:"labour council" follow:friday', sensitive=True,
    params=(NAME, ORG, HOW, INTERESTS, FOLLOW, SHARE),
)  # fmt: skip
async def add(ctx: Context, args: Args) -> Reply:
    saved = await rules.add(
        ctx.tx,
        ctx.speaker,
        name=args[NAME],
        org=args.get(ORG),
        how=args.get(HOW),
        interests=args.get(INTERESTS),
        share=args.get(SHARE),
        follow_at=_follow_at(args),
        now=ctx.ts,
    )
    return Reply(words.added(saved.contact, saved.followup, ctx.speaker.id, saved.namesakes))


@contacts.command(
    "contact", "One contact with its notes, newest first.", form="show",
    who="the owner, or whoever its share allows", example="contact 5", sensitive=True, params=(CONTACT_ID,), reads=True,
)  # fmt: skip
async def show(ctx: Context, args: Args) -> Reply:
    view = await rules.view(ctx.tx, ctx.speaker, ctx.role, args[CONTACT_ID])
    return Reply(
        words.shown(
            view.contact, view.notes, view.note_count, view.followup, view.mine, ctx.speaker.id, ctx.now, ctx.zone
        )
    )


@contacts.command(
    "contact note", "Log an interaction with a contact, and optionally the next follow-up.",
    who="the contact's owner", example="contact note 5 called about the rally follow:friday", sensitive=True,
    params=(CONTACT_ID, TEXT, FOLLOW),
)  # fmt: skip
async def note(ctx: Context, args: Args) -> Reply:
    noted = await rules.note(ctx.tx, ctx.speaker, ctx.role, args[CONTACT_ID], args[TEXT], _follow_at(args), ctx.ts)
    return Reply(words.noted(noted.contact, noted.settled, noted.still_open, noted.followup))


@contacts.command(
    "contact edit", "Change a contact's name, org, how, interests, follow-up date or share.",
    who="the contact's owner", example="contact edit 5 share:members", sensitive=True,
    params=(CONTACT_ID, NEW_NAME, ORG, HOW, INTERESTS, FOLLOW, SHARE),
)  # fmt: skip
async def edit(ctx: Context, args: Args) -> Reply:
    changes = {param.name: args.get(param) for param in _FIELDS if param in args}
    saved = await rules.edit(ctx.tx, ctx.speaker, ctx.role, args[CONTACT_ID], changes, _follow_at(args), ctx.ts)
    return Reply(words.edited(saved.contact, saved.followup, ctx.speaker.id))


@contacts.command(
    "contact drop", "Delete a contact with its notes and follow-ups.", who="the contact's owner",
    example="contact drop 5", sensitive=True, params=(CONTACT_ID,),
)  # fmt: skip
async def drop(ctx: Context, args: Args) -> Reply:
    dropped = await rules.drop(ctx.tx, ctx.speaker, ctx.role, args[CONTACT_ID])
    for off in dropped.intros_off:  # an intro waiting on the contact went with it: it is off
        for person_id in off.told:
            key = f"intro:{off.intro_id}:off:p{person_id}"
            await ctx.notify(person_id, words.intro_off(off.intro_id), key=key, kind="intro")
    return Reply(words.dropped(dropped.contact, [off.intro_id for off in dropped.intros_off]))


@contacts.command(
    "contacts", "Contacts you may see; search by name, org or interest.", example="contacts teachers",
    sensitive=True, params=(SEARCH, PAGE), reads=True,
)  # fmt: skip
async def list_contacts(ctx: Context, args: Args) -> Reply:
    search = args.get(SEARCH)
    found = search.split() if search else []
    page, more = await rules.search(ctx.tx, ctx.speaker, ctx.role, found, args.get(PAGE) or 1)
    if not page.items:
        return Reply(words.none_match(found) if found else words.none_yet())
    return Reply(words.listing(page, ctx.speaker.id, open_ended=more))


@contacts.command("followups", "Your follow-ups, most overdue first.", example="followups", sensitive=True, reads=True)
async def list_followups(ctx: Context, args: Args) -> Reply:
    found = await rules.followups(ctx.tx, ctx.speaker, ctx.zone)
    if not found:
        return Reply(words.no_followups())
    return Reply(words.followups(found, ctx.now, ctx.zone))
