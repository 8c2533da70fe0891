"""Contacts and follow-ups (spec §4): sharing decides who sees a contact, everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.text import plain_text
from tests.console_bot import ConsoleBot, joined, public, to
from tests.scheduling.test_scheduler import record

JORDAN = '!contact add name:"Jordan Lee" org:"Teachers Union" interests:"school libraries, bargaining"'


async def _setup(bot: ConsoleBot) -> None:
    """carol owns a contact of each share; lena is a lead; alice and bob are members."""
    for name in ("alice", "bob", "carol", "lena"):
        await bot.say(name, "!volunteer research")
    await bot.feed("!role @lena lead")
    await bot.say("carol", '!contact add name:"Pat Private" org:"Law Office" share:private follow:friday')
    await bot.say("carol", '!contact add name:"Lee Leads" org:"Teachers Union" share:leads follow:friday')
    await bot.say("carol", '!contact add name:"Max Members" org:"Teachers Union" share:members follow:friday')


async def test_adding_a_contact_answers_privately_and_shares_with_leads_by_default(bot: ConsoleBot) -> None:
    await bot.say("carol", "!volunteer research")
    lines = await bot.say("carol", f'{JORDAN} how:"met at the county labour council" follow:friday')
    assert joined(public(lines)) == "I've sent you the details privately."
    added = joined(to("carol", lines))
    assert "Added contact 1, yours, shared with leads. Follow-up f1 on Fri 27 Nov." in added
    assert "Jordan Lee · Teachers Union · interests: school libraries, bargaining" in added
    assert "Next: `contact note 1 <text>` after you talk." in added
    assert all("Jordan" not in line for line in public(lines))


async def test_a_mistyped_key_in_a_note_is_pointed_out_not_kept_as_text(bot: ConsoleBot) -> None:
    """`contact note 1 called Sam folow:friday` logged the note with "folow:friday" in it and set
    no follow-up; an unknown `word:` one slip from a key is the key mistyped."""
    await bot.say("carol", f"{JORDAN}")
    typo = joined(await bot.say("carol", "!contact note 1 called Sam folow:friday"))
    assert "`contact note` has no `folow:`. Did you mean `follow:`?" in typo
    assert "called Sam" not in joined(await bot.say("carol", "!contact 1"))  # nothing was logged
    kept = joined(await bot.say("carol", "!contact note 1 Agenda: pay scales, then bargaining"))
    assert "Noted on contact 1" in kept  # a `word:` that is no key's slip stays text
    assert "Agenda: pay scales, then bargaining" in joined(await bot.say("carol", "!contact 1"))


async def test_a_contact_can_be_added_by_its_name_alone_without_the_key(bot: ConsoleBot) -> None:
    await bot.say("carol", "!volunteer research")
    bot.dm()
    added = joined(await bot.say("carol", '!contact add Jordan Lee org:"Teachers Union" follow:friday'))
    assert "Added contact 1, yours, shared with leads. Follow-up f1 on Fri 27 Nov." in added
    assert "1 Jordan Lee · Teachers Union" in added
    assert "2 Sam Ho ·" in joined(await bot.say("carol", '!contact add "Sam Ho"'))
    assert "`contact add` needs a name." in joined(await bot.say("carol", '!contact add org:"Law Office"'))
    twice = joined(await bot.say("carol", '!contact add Bo name:"Ann"'))
    assert "I didn't expect Bo there: `name:` already gives the name. Give it one way or the other." in twice
    twice = joined(await bot.say("carol", "!volunteer research skill:writing"))  # (both meant as skills)
    assert "I didn't expect research there: `skill:` already gives the skill." in twice
    assert "(2)" in joined(await bot.say("carol", "!contacts"))


async def test_a_key_contact_add_lacks_is_refused_not_kept_in_the_name(bot: ConsoleBot) -> None:
    """`contact add "Dana Smith" note:"met at the rally"` made a contact called `"Dana Smith"
    note:"met at the rally"`, the words meant for a note shown as her name to whoever may see it."""
    await bot.say("carol", "!volunteer research")
    bot.dm()
    for line in ('!contact add "Dana Smith" note:"met at the rally"', "!contact add Dana Smith note:rally",
                 '!contact add name:"Dana Smith" note:"rally"'):  # fmt: skip
        refused = joined(await bot.say("carol", line))
        assert "`contact add` has no `note:` (it takes name:, org:, how:, interests:, follow:, share:)." in refused
    assert "No contacts yet." in joined(await bot.say("carol", "!contacts"))  # nothing was added
    added = joined(await bot.say("carol", '!contact add "Dana Smith" how:"met at the rally"'))
    assert "1 Dana Smith · yours, shared with leads" in added
    noted = joined(await bot.say("carol", "!contact note 1 Agenda: pay scales"))  # a note's `word:` is text
    assert "Noted on contact 1 (Dana Smith)." in noted
    shown = joined(await bot.say("carol", "!contact 1"))
    assert "Dana Smith (contact 1)\n  How we met: met at the rally" in shown
    assert "carol: Agenda: pay scales" in shown


async def test_a_contact_beyond_its_share_looks_exactly_like_a_missing_one(bot: ConsoleBot) -> None:
    await _setup(bot)
    bot.dm()
    hidden = joined(await bot.say("alice", "!contact 1"))
    missing = joined(await bot.say("alice", "!contact 9"))
    assert hidden == missing.replace("contact 9", "contact 1")
    assert "There's no contact 1 you can see." in hidden
    for command in ("contact note 1 hi", "contact edit 1 org:x", "contact drop 1", "contact 2"):
        assert "you can see" in joined(await bot.say("alice", f"!{command}")), command
    assert "There's no contact 1 you can see." in joined(await bot.say("lena", "!contact 1"))


async def test_shares_decide_who_sees_a_contact_in_every_list_and_search(bot: ConsoleBot) -> None:
    await _setup(bot)
    views = {name: joined(await bot.say(name, "!contacts")) for name in ("alice", "lena", "carol")}
    assert "Max Members" in views["alice"] and "Lee Leads" not in views["alice"] and "Pat" not in views["alice"]
    assert "Max Members" in views["lena"] and "Lee Leads" in views["lena"] and "Pat" not in views["lena"]
    assert all(name in views["carol"] for name in ("Max Members", "Lee Leads", "Pat Private"))
    assert "Contacts you can see (1)" in views["alice"]
    searches = {name: joined(await bot.say(name, "!contacts law")) for name in ("alice", "lena", "carol")}
    assert "No contacts you can see match law" in searches["alice"]
    assert "No contacts you can see match law" in searches["lena"]
    assert "Pat Private" in searches["carol"]
    union = joined(await bot.say("alice", "!contacts teachers union"))
    assert "Max Members" in union and "Lee Leads" not in union
    for name in ("alice", "lena"):  # follow-ups and to-do lists are the owner's alone
        assert "No follow-ups" in joined(await bot.say(name, "!followups"))


async def test_a_lead_sees_a_leads_contact_and_its_notes(bot: ConsoleBot) -> None:
    await _setup(bot)
    await bot.say("carol", "!contact note 2 called about the rally")
    view = joined(to("lena", await bot.say("lena", "!contact 2")))
    assert "Lee Leads (contact 2) · Teachers Union" in view
    assert "Carol's, shared with leads." in view
    assert "carol: called about the rally" in view
    assert "Next follow-up" not in view  # the owner's to-do, not the reader's


async def test_only_the_owner_can_note_edit_or_drop_a_contact_others_can_see(bot: ConsoleBot) -> None:
    await _setup(bot)
    for command in ("contact note 3 hello", "contact edit 3 org:Other", "contact drop 3"):
        reply = joined(await bot.say("alice", f"!{command}"))
        assert (
            "Only carol, who added contact 3, can change it or log notes. If it needs doing, ask carol; you can "
            "read it with `contact 3`."
        ) in reply, command
    view = joined(await bot.say("alice", "!contact 3"))
    assert "Teachers Union" in view and "hello" not in view
    assert '`intro me 3 why:"…"` if you\'d like carol to put you in touch' in view


async def test_notes_show_newest_first_and_settle_follow_ups(bot: ConsoleBot) -> None:
    await bot.say("carol", f"{JORDAN} follow:friday")
    await bot.say("carol", "!contact note 1 first call")
    await bot.advance("1d")
    noted = joined(await bot.say("carol", '!contact note 1 second call follow:"in 2 weeks"'))
    assert "Noted on contact 1 (Jordan Lee). Follow-up f2 on Tue 8 Dec." in noted
    view = joined(await bot.say("carol", "!contact 1"))
    assert view.index("second call") < view.index("first call")
    assert "Next follow-up: f2 Jordan Lee (contact 1) · due Tue 8 Dec" in view


async def test_followups_list_overdue_first_and_snooze_moves_them(bot: ConsoleBot) -> None:
    await bot.say("carol", '!contact add name:"Early" follow:tuesday')
    await bot.say("carol", '!contact add name:"Late" follow:friday')
    await bot.advance("2d")  # Wednesday: Early is overdue
    listed = joined(await bot.say("carol", "!followups"))
    assert listed.index("f1 Early (contact 1) · due Tue 24 Nov · overdue") < listed.index("f2 Late")
    assert "Next: `contact note 1 <text>` once you've been in touch, or `snooze f1 3d`." in listed
    snoozed = joined(await bot.say("carol", "!snooze f1 3d"))
    assert (
        "Snoozed follow-up f1 (Early) until Sat 28 Nov 10:00 (Chicago time)." in snoozed
    )  # 3 days on; no zone of her own
    assert "Snoozed follow-up f2 (Late) until Mon 30 Nov 09:00 (Chicago time)." in joined(
        await bot.say("carol", "!snooze f2 3d")
    )
    later = joined(await bot.say("carol", "!followups"))
    assert "· overdue" not in later and later.index("f1 Early") < later.index("f2 Late")


async def test_snooze_to_a_date_moves_each_kind_there_in_the_speakers_zone(bot: ConsoleBot) -> None:
    """`snooze f1 tomorrow` was refused ("can't read tomorrow as a length of time")."""
    await bot.say("carol", "!profile tz:America/Chicago")
    await bot.say("carol", '!contact add name:"Early" follow:tuesday')
    assert "f1 (Early) until Mon 30 Nov 09:00." in joined(await bot.say("carol", "!snooze f1 monday"))  # its morning
    assert "f1 (Early) until Fri 27 Nov 15:00." in joined(await bot.say("carol", "!snooze f1 friday 3pm"))
    await bot.say("carol", "!checkin every:friday at:5pm")
    assert "next check-in to Sat 28 Nov 17:00" in joined(await bot.say("carol", "!snooze checkin saturday"))
    await bot.say("carol", "!volunteer research")
    await bot.feed('!ask title:"Inventory" skill:research')
    await bot.say("carol", "!claim 1")
    assert "claim c1 (Inventory) until Sun 20 Dec 09:00" in joined(await bot.say("carol", "!snooze c1 dec 20"))
    assert "yesterday is in the past" in joined(await bot.say("carol", "!snooze f1 yesterday"))
    assert "as a length of time or a date" in joined(await bot.say("carol", "!snooze f1 someday"))
    # Monday 10:00 in Chicago: `today` is its morning, already past ("Snoozed until" then, and due at once).
    assert "Mon 23 Nov 09:00 is already past: snooze to a later time, like `snooze f1 3d`" in joined(
        await bot.say("carol", "!snooze f1 today")
    )
    assert "is already past" in joined(await bot.say("carol", "!snooze c1 today"))
    assert "f1 Early (contact 1) · due Fri 27 Nov" in joined(await bot.say("carol", "!followups"))  # unchanged by all


async def test_snooze_by_days_keeps_the_clock_time_across_a_change_of_clocks(bot: ConsoleBot) -> None:
    """`snooze checkin 1d` on the weekend London's clocks go forward moved a Saturday 10:00
    check-in to Sunday 11:00, and a follow-up from 09:00 to 10:00: 24 hours, not a day."""
    await bot.feed("::at 2027-03-26T12:00Z")  # Friday; the clocks go forward early on Sunday
    await bot.say("carol", "!profile tz:Europe/London")
    await bot.say("carol", "!checkin every:saturday at:10:00")
    await bot.say("carol", '!contact add name:"Jo" follow:2027-03-27')
    assert "next check-in to Sun 28 Mar 10:00" in joined(await bot.say("carol", "!snooze checkin 1d"))
    assert "f1 (Jo) until Sun 28 Mar 09:00." in joined(await bot.say("carol", "!snooze f1 1d"))
    assert "f1 (Jo) until Sun 28 Mar 10:30." in joined(await bot.say("carol", "!snooze f1 1h30m"))
    await bot.say("carol", "!volunteer research")
    await bot.feed('!ask title:"Inventory" skill:research')
    await bot.say("carol", "!claim 1")
    await bot.feed("::at 2027-03-27T09:15Z")  # Saturday 09:15 in London
    assert "claim c1 (Inventory) until Sun 28 Mar 09:15" in joined(await bot.say("carol", "!snooze c1 1d"))


async def test_a_new_zone_keeps_follow_ups_at_their_local_day_and_time(bot: ConsoleBot) -> None:
    """A new member adds a follow-up, then sets their zone: "friday" was kept at 09:00 in the zone
    they had (UTC), 22:00 in Auckland, so the reminder came on Saturday while `followups` said Friday."""
    recorder = record(bot)
    await bot.say("alice", '!contact add name:"Jo" follow:friday')
    await bot.say("alice", '!contact add name:"Sam" follow:"wednesday 3pm"')
    await bot.say("alice", "!profile tz:Pacific/Auckland")
    listed = joined(await bot.say("alice", "!followups"))
    assert "Jo (contact 1) · due Fri 27 Nov" in listed and "Sam (contact 2) · due Wed 25 Nov" in listed
    await bot.advance("5d")
    reminded = [(moment, plain_text(d.message.text)) for moment, d in recorder.sent if d.user_id == "alice"]
    assert [m for m, text in reminded if "Follow up with Jo" in text] == [datetime(2026, 11, 26, 20, tzinfo=UTC)]
    assert [m for m, text in reminded if "Follow up with Sam" in text] == [datetime(2026, 11, 25, 2, tzinfo=UTC)]
    await bot.say("alice", "!profile tz:Pacific/Auckland")  # the same zone again moves nothing
    assert "Jo (contact 1) · due Fri 27 Nov" in joined(await bot.say("alice", "!followups"))


async def test_snooze_refuses_unknown_things_and_other_peoples_follow_ups(bot: ConsoleBot) -> None:
    await bot.say("carol", '!contact add name:"Jordan Lee" follow:friday share:members')
    assert "There's no follow-up f1 of yours." in joined(await bot.say("alice", "!snooze f1 3d"))
    assert "There's no follow-up f9 of yours." in joined(await bot.say("carol", "!snooze f9 3d"))
    unknown = joined(await bot.say("carol", "!snooze z1 3d"))
    assert "I can't tell what z1 is. I can snooze follow-ups (`f7`)" in unknown
    assert "can't read soon as a length of time" in joined(await bot.say("carol", "!snooze f1 soon"))
    await bot.say("carol", "!contact note 1 done")
    assert "Follow-up f1 is already done." in joined(await bot.say("carol", "!snooze f1 3d"))


async def test_contact_edit_changes_fields_and_share_and_needs_something_to_change(bot: ConsoleBot) -> None:
    await bot.say("carol", JORDAN)
    edited = joined(await bot.say("carol", '!contact edit 1 org:"Library Union" share:members follow:friday'))
    assert "Updated contact 1. Follow-up f1 on Fri 27 Nov." in edited
    assert "Jordan Lee · Library Union" in edited and "shared with members" in edited
    assert "Max" not in edited
    assert "Library Union" in joined(await bot.say("alice", "!contacts union"))
    assert "Say what to change" in joined(await bot.say("carol", "!contact edit 1"))
    emptied = joined(await bot.say("carol", '!contact edit 1 name:""'))
    assert "A contact's name can't be empty. Give the new one, like `name:\"Jordan Lee\"`, or leave out" in emptied
    assert "Jordan Lee" in joined(await bot.say("carol", "!contact 1"))


async def test_dropping_a_contact_removes_its_notes_follow_ups_and_intros(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("carol", f"{JORDAN} share:members follow:friday")
    await bot.say("carol", "!contact note 1 a private thought")
    await bot.say("dave", '!intro @alice 1 why:"she should meet Jordan"')
    lines = await bot.say("carol", "!contact drop 1")
    dropped = joined(to("carol", lines))
    assert "Dropped contact 1 (Jordan Lee) with its notes and follow-ups, and the pending intro 1: I've told" in dropped
    for name in ("alice", "dave"):  # asked, and proposed it: neither waits on an intro that is gone
        assert to(name, lines) == ["Intro 1 is off: the contact it was about was removed."]
    assert "There's no contact 1 you can see." in joined(await bot.say("carol", "!contact 1"))
    assert "No follow-ups" in joined(await bot.say("carol", "!followups"))
    assert "No intros yet" in joined(await bot.say("alice", "!intros"))
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM contact_notes") == 0


async def test_over_long_notes_and_names_are_refused_and_change_nothing(bot: ConsoleBot) -> None:
    await bot.say("carol", JORDAN)
    note = joined(await bot.say("carol", f"!contact note 1 {'y' * 2001}"))
    assert "`text` can be at most 2000 characters (yours has 2001)" in note
    name = joined(await bot.say("carol", f'!contact add name:"{"n" * 201}"'))
    assert "`name` can be at most 200 characters" in name
    view = joined(await bot.say("carol", "!contact 1"))
    assert "Notes" not in view
    assert "Contacts you can see (1)" in joined(await bot.say("carol", "!contacts"))


async def test_unknown_ids_and_missing_arguments_are_explained(bot: ConsoleBot) -> None:
    assert "`id` should be an id, not Jordan." in joined(await bot.say("carol", "!contact Jordan"))
    assert "`contact add` needs a name." in joined(await bot.say("carol", "!contact add org:Union"))
    assert "There's no contact 4 you can see." in joined(await bot.say("carol", "!contact note 4 hi"))
    assert "No contacts yet" in joined(await bot.say("carol", "!contacts"))


async def test_follow_ups_due_today_show_up_in_mine_and_only_for_the_owner(bot: ConsoleBot) -> None:
    await _setup(bot)
    await bot.feed("::at 2026-11-27T16:00Z")  # Friday
    mine = joined(to("carol", await bot.say("carol", "!mine")))
    assert "Follow-ups due:" in mine
    assert all(name in mine for name in ("Pat Private", "Lee Leads", "Max Members"))
    assert "Next: `contact note 1 <text>` once you've been in touch, or `snooze f1 3d`." in mine
    for name in ("alice", "lena"):
        assert "Nothing on your list" in joined(await bot.say(name, "!mine"))


async def test_errors_that_name_a_contact_never_reach_a_public_channel(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("carol", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    lines = await bot.say("carol", '!intro me 1 why:"hello"')
    lines += await bot.say("alice", "!contact note 1 hi")
    lines += await bot.say("alice", "!contact drop 1")
    lines += await bot.say("carol", '!intro @alice 1 why:"a"') + await bot.say("dave", '!intro @alice 1 why:"b"')
    assert public(lines) and all(message == "I've sent you the details privately." for message in public(lines))
    assert "Jordan Lee is your own contact" in joined(to("carol", lines))
    assert "Only carol, who added contact 1, can change it" in joined(to("alice", lines))
    assert "I already have an intro between alice and Jordan Lee on file" in joined(to("dave", lines))


async def test_adding_a_name_one_already_has_adds_it_and_points_at_the_first(bot: ConsoleBot) -> None:
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers Union"')
    await bot.say("bob", '!contact add name:"Jordan Lee"')  # bob's own: not alice's namesake
    again = joined(await bot.say("alice", "!contact add jordan lee"))
    assert "Added contact 3" in again
    said = "You already have 1 contact named jordan lee. The same person? `contact drop 3`, and keep notes on 1."
    assert said in again
    assert "already have" not in joined(await bot.say("alice", '!contact add name:"Jordan Leeds"'))


async def test_follow_ups_due_together_say_their_shared_hint_once(bot: ConsoleBot) -> None:
    await bot.say("alice", '!contact add name:"Sam Rivera" follow:tomorrow')
    await bot.say("alice", '!contact add name:"Jordan Lee" follow:tomorrow')
    (bundle,) = to("alice", await bot.advance("1d"))
    assert bundle.startswith("A few reminders:")
    sam = "• Follow up with Sam Rivera (due Tue 24 Nov): log it with `contact note 1 <text>`, or `snooze f1 3d`.\n"
    assert sam in bundle
    assert "• Follow up with Jordan Lee" in bundle and bundle.endswith("`snooze f2 3d`.\n\n`followups` lists them all.")
    assert bundle.count("lists them all") == 1


async def test_a_follow_up_nudge_names_the_contact_and_lists_a_moved_follow_up_once(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago quiet:08:00-12:00")
    await bot.say("alice", '!contact add name:"Sam Rivera"')
    await bot.say("alice", '!contact add name:"Jordan Lee" follow:tomorrow')  # Tuesday 09:00: inside quiet hours
    await bot.feed("::at 2026-11-24T16:00Z")  # Tuesday 10:00: the nudge waits for noon
    assert "until Tue 24 Nov 11:00" in joined(await bot.say("alice", "!snooze f1 1h"))
    noon = to("alice", await bot.advance("3h"))
    assert len(noon) == 1 and noon[0].count("Follow up with Jordan Lee") == 1
    assert "`contact note 2 <text>`" in noon[0] and "<id>" not in noon[0]


async def test_a_dropped_contacts_number_and_its_follow_ups_number_are_never_given_again(bot: ConsoleBot) -> None:
    """Dropping the newest contact gave its number, and its follow-up's, to the next one added:
    `contact 1` and `snooze f1` someone had been given then meant another contact."""
    await bot.say("carol", "!volunteer research")
    bot.dm()
    await bot.say("carol", f"{JORDAN} follow:friday")
    await bot.say("carol", "!contact drop 1")
    added = joined(await bot.say("carol", '!contact add "Sam Ho" follow:friday'))
    assert "Added contact 2, yours, shared with leads. Follow-up f2 on Fri 27 Nov." in added
    assert "There's no contact 1 you can see." in joined(await bot.say("carol", "!contact 1"))
    assert "There's no follow-up f1 of yours." in joined(await bot.say("carol", "!snooze f1 3d"))
