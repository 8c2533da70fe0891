"""Asks (spec §2): posting, hearing of them, claiming, progress, finishing, managing."""

from __future__ import annotations

import asyncio

from bot.core.text import plain_text
from tests.console_bot import ConsoleBot, joined, platform_message, public, to

POST = '!ask title:"Compile sectoral-bargaining resources" skill:research need:2 due:friday'


async def _volunteers(bot: ConsoleBot, *names: str, skill: str = "research") -> None:
    for name in names:
        await bot.say(name, f"!volunteer {skill}")
        await bot.say(name, "!profile tz:America/Chicago")


async def test_posting_an_ask_tells_matching_volunteers_privately_once(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await _volunteers(bot, "carol", skill="design")
    lines = await bot.feed(POST)
    posted = joined(public(lines))
    assert "Posted ask 1." in posted
    assert "due Fri 27 Nov" in posted
    assert "I'm telling 2 matching volunteers privately." in posted
    for name in ("alice", "bob"):
        notice = joined(to(name, lines))
        assert "A new ask matches your skills" in notice
        assert "`claim 1`" in notice
    assert not to("carol", lines)
    assert not to("alice", await bot.advance("2d"))  # never told twice


async def test_an_ask_posted_at_night_reaches_people_when_their_quiet_hours_end(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.feed("::at 2026-11-24T05:00Z")  # 23:00 in Chicago: alice's quiet hours
    lines = await bot.feed(POST)
    assert not to("alice", lines)
    assert not to("alice", await bot.advance("9h"))  # 08:00 Chicago: still quiet
    morning = await bot.advance("1h")  # 09:00 Chicago
    assert "A new ask matches your skills" in joined(to("alice", morning))


async def test_paused_and_busy_volunteers_are_not_pinged(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.say("alice", "!pause")
    await bot.say("bob", "!profile load:1")
    await bot.feed('!ask title:"First" skill:research')
    await bot.say("bob", "!claim 1")
    lines = await bot.feed('!ask title:"Second" skill:research')
    assert "Nobody with `research` to tell right now" in joined(lines)


async def test_an_ask_for_a_skill_nobody_has_suggests_the_one_meant(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    typo = joined(await bot.feed('!ask title:"Sources" skill:reserach'))
    assert "Posted ask 1." in typo and "to tell right now" not in typo  # the next line says why
    assert "Nobody has `reserach` yet. Meant `research`? `edit 1 skill:research` changes it." in typo
    # A skill nobody has yet, like nothing in use, is simply posted; one that reached nobody
    # because its people are paused is no typo.
    assert "Nobody has" not in joined(await bot.feed('!ask title:"Zines" skill:bookbinding'))
    await bot.say("alice", "!pause")
    assert "Nobody has" not in joined(await bot.feed('!ask title:"More" skill:research'))


async def test_an_ask_without_a_skill_pings_nobody_and_says_so(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    lines = await bot.feed('!ask title:"Bring snacks"')
    assert "No skill given, so I pinged nobody" in joined(lines)
    assert not to("alice", lines)


async def test_an_ask_nobody_can_be_told_of_says_so_not_telling_0(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.say("alice", "!pause")
    for skill in ("writing", "research"):  # nobody has it; the one who has it is paused
        posted = joined(await bot.feed(f'!ask title:"Leaflet" skill:{skill}'))
        assert f"Nobody with `{skill}` to tell right now; it's listed in `asks`." in posted
        assert "telling 0" not in posted


async def test_claiming_fills_slots_and_refuses_clearly_when_full(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob", "carol")
    await bot.feed(POST)
    assert "1 more slot open" in joined(await bot.say("alice", "!claim 1"))
    assert "You've already claimed ask 1" in joined(await bot.say("alice", "!claim 1"))
    assert "You took the last slot" in joined(await bot.say("bob", "!claim #1"))
    full = joined(await bot.say("carol", "!claim 1"))
    assert "Ask 1 is full (2 of 2 taken)" in full
    assert "carol" not in joined(await bot.say("carol", "!ask 1"))


async def test_a_number_with_another_kinds_letter_is_refused_not_read_as_an_ask(bot: ConsoleBot) -> None:
    """`f2` is follow-up 2: read as a number, `done f2` finished the speaker's part of ask 2."""
    await _volunteers(bot, "alice")
    await bot.feed(POST)
    await bot.feed('!ask title:"Second" skill:research')
    await bot.say("alice", "!claim 2")
    refused = joined(await bot.say("alice", "!done f2"))
    assert "`f2` is a follow-up; `id` here is the ask's number." in refused and "Usage: `done <id>" in refused
    assert "Been in touch? `contact note <contact> <what happened>` settles it" in refused  # what `done f2` meant
    assert "1/1 taken" in joined(await bot.say("alice", "!ask 2"))  # still hers, not done
    assert "Marked your part of ask 2 done" in joined(await bot.say("alice", "!done c2"))  # her claim on ask 2
    assert "`c1` is your claim on an ask; `id` here is the intro's number." in joined(
        await bot.say("alice", "!accept c1")
    )


async def test_claiming_a_missing_or_closed_ask_explains_and_changes_nothing(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    assert "There's no ask 42" in joined(await bot.say("alice", "!claim 42"))
    await bot.feed(POST)
    await bot.feed("!close 1")
    assert "Ask 1 is closed, so it can't be claimed" in joined(await bot.say("alice", "!claim 1"))
    assert "Claimed by" not in joined(await bot.say("alice", "!ask 1"))


async def test_claim_needs_a_number(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!claim twelve"))
    assert "`id` should be an id, not twelve." in reply
    assert "Usage: `claim <id>`" in reply and "Example: `claim 12`" in reply


async def test_updates_done_and_the_lead_is_told(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    await bot.say("bob", "!claim 1")
    assert "Noted on ask 1" in joined(await bot.say("alice", '!update 1 found three "great" sources'))
    shown = joined(await bot.say("bob", "!ask 1"))
    assert 'found three "great" sources' in shown
    assert "Claimed by: alice, bob." in shown
    lines = await bot.say("alice", "!done 1 shared in the drive")
    assert "Marked your part of ask 1 done" in joined(public(lines))
    told = joined(to("you", lines))
    assert "alice finished their part of ask 1" in told and "1 of 2 done" in told
    assert "shared in the drive" in told
    last = await bot.say("bob", "!done 1")
    assert "That completes the ask." in joined(public(last))
    assert "That closes the ask." in joined(to("you", last))
    assert "No open asks" in joined(await bot.say("bob", "!asks"))


async def test_a_poster_asleep_when_their_ask_is_done_hears_of_it_when_they_wake(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.feed(POST)
    await bot.feed("!profile tz:Asia/Tokyo")  # 01:00 there: inside the poster's quiet hours
    await bot.say("alice", "!claim 1")

    lines = await bot.say("alice", "!done 1")

    assert "Marked your part of ask 1 done" in joined(public(lines))
    assert not to("you", lines)
    assert not to("you", await bot.advance("7h"))  # 08:00 in Tokyo
    assert "alice finished their part of ask 1" in joined(to("you", await bot.advance("1h")))


async def test_only_the_claimant_can_update_finish_or_release(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    for verb in ("update 1 hi", "done 1", "release 1"):
        assert "You haven't claimed ask 1" in joined(await bot.say("bob", f"!{verb}"))
    for verb in ("update 42 hi", "done 42", "release 42", "snooze c42 3d"):
        assert "There's no ask 42" in joined(await bot.say("alice", f"!{verb}")), verb
    assert "Claimed by: alice." in joined(await bot.say("bob", "!ask 1"))


async def test_someone_who_finished_their_part_is_told_so_not_that_they_never_claimed(bot: ConsoleBot) -> None:
    """`release 1` after `done 1` said "You haven't claimed ask 1 … Claim it with `claim 1`"."""
    await _volunteers(bot, "alice")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    await bot.say("alice", "!done 1")
    for verb in ("update 1 hi", "done 1", "release 1"):
        answer = joined(await bot.say("alice", f"!{verb}"))
        assert "You've already done your part of ask 1. Thank you! Next: `asks` for more." in answer, verb
    assert "Claimed by: alice (done)." in joined(await bot.say("alice", "!ask 1"))


async def test_releasing_reopens_the_slot_and_tells_matching_volunteers_again(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed('!ask title:"Call the archive" skill:research need:1')
    await bot.say("alice", "!claim 1")
    lines = await bot.say("alice", "!release 1 swamped this month")
    assert "Released your slot on ask 1" in joined(public(lines))
    assert "open again" in joined(to("bob", lines))
    assert not to("alice", lines)
    assert "It's yours" in joined(await bot.say("bob", "!claim 1"))


async def test_close_reopen_and_edit_are_for_leads_or_the_poster(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed("!role @alice lead")
    await bot.say("alice", '!ask title:"Alice\'s ask" skill:research')
    how = "If it needs doing, ask one of them; `ask 1` shows who posted it."  # who may, how to ask, where to look
    assert f"Only leads or the person who posted ask 1 can close it. {how}" in joined(await bot.say("bob", "!close 1"))
    assert "Only leads can use `ask`" in joined(await bot.say("bob", '!ask title:"mine"'))
    assert "Ask 1 is already open. `ask 1` shows who's on it." in joined(await bot.say("alice", "!reopen 1"))
    assert "Closed ask 1" in joined(await bot.say("alice", "!close 1"))
    assert "already closed" in joined(await bot.say("alice", "!close 1"))
    assert f"can reopen it. {how}" in joined(await bot.say("bob", "!reopen 1"))
    assert "Reopened ask 1" in joined(await bot.say("alice", "!reopen 1"))
    edited = joined(await bot.say("alice", '!edit 1 title:"Call two archives" need:2 due:2026-12-04'))
    assert "Call two archives" in edited and "0/2 taken" in edited and "due Fri 4 Dec" in edited
    assert f"can edit it. {how}" in joined(await bot.say("bob", "!edit 1 need:3"))


async def test_closing_an_ask_tells_those_working_on_it_unless_it_is_reopened_before_they_wake(
    bot: ConsoleBot,
) -> None:
    """Nobody works on for nothing; a notice queued for someone asleep is dropped if the ask was
    reopened before it went out."""
    await _volunteers(bot, "alice", "bob")
    await bot.say("alice", "!profile tz:Asia/Tokyo")
    await bot.say("bob", "!profile tz:America/Chicago")
    await bot.feed(POST)
    await bot.feed('!ask title:"Call the archives" skill:research')
    for name in ("alice", "bob"):
        await bot.say(name, "!claim 1")
    await bot.say("bob", "!claim 2")
    await bot.feed("::at 2026-11-24T05:00Z")  # 14:00 in Tokyo, 23:00 in Chicago: bob is asleep
    closed = await bot.feed("!close 1")
    assert "Closed ask 1" in joined(public(closed))
    assert "closed ask 1 “Compile sectoral-bargaining resources”, which you'd claimed" in joined(to("alice", closed))
    assert not to("bob", closed)
    await bot.feed("!close 2")
    await bot.feed("!reopen 2")
    morning = await bot.advance("12h")
    assert "closed ask 1" in joined(to("bob", morning)) and "ask 2" not in joined(to("bob", morning))
    assert "Noted on ask 1, which is closed" in joined(await bot.say("bob", "!update 1 called two of them"))


async def test_an_edit_of_what_or_when_tells_those_working_on_it_as_the_ask_is_when_they_read_it(
    bot: ConsoleBot,
) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.say("bob", "!profile tz:America/Chicago")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    await bot.say("bob", "!claim 1")
    assert not to("alice", await bot.feed("!edit 1 need:3 skill:research"))  # neither what nor when
    await bot.feed("::at 2026-11-24T05:00Z")  # 23:00 in Chicago: bob is asleep, alice (UTC) too
    await bot.feed("!edit 1 due:2026-12-04")
    await bot.feed('!edit 1 title:"Compile the bargaining file"')
    await bot.say("alice", "!release 1")  # she gives it back before she reads it: her notices are dropped
    morning = await bot.advance("12h")
    told = joined(to("bob", morning))
    assert told.count("An ask you're working on has changed:") == 2, told
    assert "1 Compile the bargaining file · research · 1/3 taken · due Fri 4 Dec" in told  # as it is then
    assert not to("alice", morning)


async def test_an_edit_to_what_already_reads_so_changes_and_tells_nothing(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.feed('!ask title:"Map the branches" skill:research need:2 due:friday')
    await bot.say("alice", "!claim 1")
    for edit in ("due:friday", 'title:"Map the branches" need:2', 'details:""'):
        lines = await bot.feed(f"!edit 1 {edit}")
        assert (
            len(lines) == 1
            and "Ask 1 already reads so: nothing changed, and nobody was told. `ask 1` shows it." in lines[0]
        )
    told = await bot.feed('!edit 1 title:"Map the branches" due:saturday')
    assert "An ask you're working on has changed:" in joined(to("alice", told))
    assert "you changed ask 1: due date\n" in joined(to("you", await bot.feed("!audit")))  # not the title


async def test_need_cannot_drop_below_the_slots_taken(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    await bot.say("bob", "!claim 1")
    assert "Ask 1 has 2 slots taken, so `need:` can't go below 2." in joined(await bot.feed("!edit 1 need:1"))


async def test_asks_lists_filters_and_pages(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    for number in range(12):
        skill = "research" if number % 2 else "design"
        await bot.feed(f'!ask title:"Task {number}" skill:{skill}')
    first = joined(await bot.say("alice", "!asks"))
    assert "page 1 of 2, 12 in all" in first and "Task 11" in first and "Task 1\n" not in first
    assert "`asks page:2`" in first
    assert "Task 0" in joined(await bot.say("alice", "!asks page:2"))
    research = joined(await bot.say("alice", "!asks research"))
    assert "Task 11" in research and "Task 10" not in research
    await bot.say("alice", "!claim 3")
    mine = joined(await bot.say("alice", "!asks mine"))
    assert "Task 2" in mine and "Task 11" not in mine
    assert "There are only 2 pages" in joined(await bot.say("alice", "!asks page:9"))


async def test_stale_asks_are_those_with_a_quiet_claim(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed('!ask title:"Quiet one" skill:research')
    await bot.feed('!ask title:"Busy one" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.say("bob", "!claim 2")
    await bot.advance("8d")
    await bot.say("bob", "!update 2 still going")
    stale = joined(await bot.say("you", "!asks stale"))
    assert "Quiet one" in stale and "Busy one" not in stale


async def test_an_empty_filtered_list_says_which_filter_left_nothing(bot: ConsoleBot) -> None:
    """`asks stale`, the digest's next step, answered "No open asks match that" as if mistyped."""
    await _volunteers(bot, "alice")
    await bot.feed('!ask title:"Busy one" skill:research')
    assert "No claim has gone quiet: none has been without news for 7 days." in joined(await bot.feed("!asks stale"))
    assert "You haven't claimed any open ask." in joined(await bot.say("alice", "!asks mine"))
    assert "No open ask needs `design` right now." in joined(await bot.say("alice", "!asks design"))
    assert "No open asks match that." in joined(await bot.say("alice", "!asks design mine"))


async def test_mine_lists_claims_privately(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    lines = await bot.say("alice", "!mine")
    assert "Compile sectoral-bargaining resources" in joined(to("alice", lines))
    assert joined(public(lines)) == "I've sent you the details privately."


async def test_dates_in_the_past_and_unreadable_dates_are_refused(bot: ConsoleBot) -> None:
    assert "is in the past" in joined(await bot.feed('!ask title:"Late" due:2026-01-01'))
    assert "I can't read someday as a date" in joined(await bot.feed('!ask title:"Vague" due:someday'))
    assert "No open asks" in joined(await bot.feed("!asks"))


async def test_over_long_titles_and_notes_are_refused_with_the_limit(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed(f'!ask title:"{"x" * 201}"'))
    assert "`title` can be at most 200 characters (yours has 201)" in reply
    await _volunteers(bot, "alice")
    await bot.feed('!ask title:"ok" skill:research')
    await bot.say("alice", "!claim 1")
    assert "at most 2000 characters" in joined(await bot.say("alice", f"!update 1 {'y' * 2001}"))
    assert "No open asks" not in joined(await bot.feed("!asks"))
    assert "· update" not in joined(await bot.say("alice", "!ask 1"))


async def test_two_people_racing_for_the_last_slot_exactly_one_wins(bot: ConsoleBot) -> None:
    await _volunteers(bot, *(f"v{i}" for i in range(8)))
    await bot.feed('!ask title:"Last slot" skill:research need:1')

    async def claim(name: str) -> str:
        incoming = platform_message(bot, "console", name, name, "!claim 1", channel="general")
        return joined(plain_text(r.text) for r in await bot.app.dispatcher.handle(incoming))

    results = await asyncio.gather(*(claim(f"v{i}") for i in range(8)))
    assert sum("It's yours" in r for r in results) == 1
    assert sum("is full" in r for r in results) == 7
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM claims WHERE status = 'active'") == 1


async def test_a_redelivered_event_is_ignored(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    await bot.feed('!ask title:"Once" skill:research need:3')
    incoming = platform_message(bot, "console", "alice", "alice", "!claim 1", channel="general", event_id="same")
    assert await bot.app.dispatcher.handle(incoming)
    assert await bot.app.dispatcher.handle(incoming) == []
    assert "1/3 taken" in joined(await bot.feed("!asks"))


async def test_need_zero_is_refused_like_any_number_outside_one_to_a_hundred(bot: ConsoleBot) -> None:
    for need in ("0", "101", "-1"):  # -1 was "should be a whole number", which it is
        reply = joined(await bot.feed(f'!ask title:"Zero" need:{need}'))
        assert f"`need` should be a whole number from 1 to 100, not {need}." in reply
        assert "Usage: `ask title:" in reply
    assert "No open asks" in joined(await bot.feed("!asks"))
    await bot.feed('!ask title:"One"')
    assert "`need` should be a whole number from 1 to 100, not 0." in joined(await bot.feed("!edit 1 need:0"))


async def test_a_done_without_a_note_leaves_no_blank_line_in_the_leads_message(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed(POST)
    await bot.say("alice", "!claim 1")
    told = to("you", await bot.say("alice", "!done 1"))
    assert len(told) == 1 and "alice finished their part of ask 1" in told[0]
    assert "" not in told[0].split("\n") and "Note:" not in told[0]
    assert told[0].endswith("Next: `ask 1` to see it.")


async def test_a_full_ask_without_a_skill_points_to_asks_without_a_stray_space(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice", "bob")
    await bot.feed('!ask title:"Bring snacks"')
    await bot.say("alice", "!claim 1")
    full = joined(await bot.say("bob", "!claim 1"))
    assert "Ask 1 is full (1 of 1 taken). `asks` shows others." in full
    assert "Claimed by: alice." in joined(await bot.say("bob", "!ask 1"))  # bob's claim changed nothing
    await bot.feed('!ask title:"Index the contracts" skill:research')
    await bot.say("alice", "!claim 2")
    assert "`asks research` shows others." in joined(await bot.say("bob", "!claim 2"))


async def test_counts_are_said_in_the_singular_when_there_is_one(bot: ConsoleBot) -> None:
    await _volunteers(bot, "alice")
    posted = joined(await bot.feed(POST))
    assert "I'm telling 1 matching volunteer privately." in posted
    assert "1 more slot open." in joined(await bot.say("alice", "!claim 1"))
