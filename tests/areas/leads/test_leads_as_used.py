"""The leads' and admins' views as a lead and an admin use them on a real network (spec §7, §12):
nothing left out without a word, people named as people, the week counted as it happened."""

from __future__ import annotations

import json

from tests.console_bot import ConsoleBot, joined, public, to
from tests.scheduling.test_scheduler import record


async def _volunteer(bot: ConsoleBot, name: str, fields: str = "") -> None:
    await bot.say(name, "!volunteer research")
    if fields:
        await bot.say(name, f"!profile {fields}")


async def test_coverage_counts_everyone_it_cannot_place_in_the_view(bot: ConsoleBot) -> None:
    """By region, four school librarians who gave no region were in no count and no sentence:
    "10 volunteers", then counts adding up to 5 and "1 hasn't said" (spec §12: never silently cut)."""
    for n in range(3):
        await _volunteer(bot, f"oh{n}", "region:Ohio library:public")
    for n in range(4):
        await _volunteer(bot, f"sc{n}", "library:school")
    for n in range(2):
        await _volunteer(bot, f"tx{n}", "region:Texas")
    await _volunteer(bot, "dee")
    by_region = joined(await bot.feed("!coverage"))
    assert "Coverage by region, 10 volunteers." in by_region and "Fewest first: Texas (2), Ohio (3)." in by_region
    assert "5 volunteers haven't said their region." in by_region
    by_library = joined(await bot.feed("!coverage by:library"))
    assert "public (3), school (4)" in by_library
    assert "3 volunteers haven't said their library type." in by_library


async def test_the_audit_names_a_forgotten_member_in_the_middle_of_its_sentence(bot: ConsoleBot) -> None:
    """The scrub writes "A former member" where a value starts; the audit said "you made A former
    member a lead"."""
    await _volunteer(bot, "alice")
    await bot.feed("!role @alice lead")
    await bot.say("alice", '!ask title:"Map the branches"')
    await bot.say("alice", "!forget me")
    await bot.say("alice", "!forget me confirm")
    audit = joined(to("you", await bot.feed("!audit")))
    assert "you made a former member a lead (was member)" in audit
    assert "a former member posted ask 1" in audit and "a former member used `forget me`" in audit
    assert "A former member" not in audit


async def test_the_outbox_names_whom_each_parked_message_is_for_and_what_it_leaves_out(bot: ConsoleBot) -> None:
    """It said "ask to #14" (an internal id) and listed 10 of 14 parked messages without a word."""
    recorder = record(bot)
    for n in range(14):
        await bot.say(f"m{n}", "!volunteer research")
    recorder.failing = True
    await bot.feed('!ask title:"Doomed" skill:research')
    await bot.advance("8d")
    report = joined(to("you", await bot.feed("!outbox")))
    assert "14 parked" in report
    assert "· ask to m13, queued Mon 23 Nov" in report and ", 20 tries, last error: the platform is down" in report
    assert "#13" not in report and "#14" not in report
    assert report.count("· ask to") == 10 and "…and 4 more parked." in report


async def test_retrying_with_nothing_parked_says_so_and_records_no_change(bot: ConsoleBot) -> None:
    lines = await bot.feed("!outbox retry")
    assert "Nothing is parked, so there is nothing to retry." in joined(to("you", lines))
    assert "retried" not in joined(to("you", await bot.feed("!audit")))


async def test_the_export_says_each_privileged_action_in_words(bot: ConsoleBot) -> None:
    """`export me` listed `"action": "ask.post"`, an internal key (spec §12: readable)."""
    await _volunteer(bot, "alice")
    await bot.feed("!role @alice lead")
    await bot.say("alice", '!ask title:"Map the branches"')
    await bot.say("alice", "!edit 1 need:2")
    await bot.say("alice", "!coverage")
    await bot.say("alice", "!export me")
    data = json.loads(bot.console.files["volunteer-bot-export.json"])
    done = sorted((entry["did"], entry["at"], entry["look"]) for entry in data["privileged_actions"])
    assert done == [
        ("changed ask 1: need", "2026-11-23T10:00:00-06:00", False),
        ("looked at `coverage`", "2026-11-23T10:00:00-06:00", True),
        ("posted ask 1", "2026-11-23T10:00:00-06:00", False),
    ]
    assert "ask.post" not in json.dumps(data)


async def test_the_digest_counts_the_week_as_it_happened(bot: ConsoleBot) -> None:
    """Asks opened, finished and closed in the week (not before), new volunteers, and check-ins
    answered however the answer came: a plain message starting with a command word, `checkin
    reply`, or late after the reminder."""
    await _volunteer(bot, "old", "tz:America/Chicago")
    await bot.feed('!ask title:"Old ask" skill:research')
    await bot.say("old", "!claim 1")
    await bot.feed("::at 2026-12-01T16:00Z")  # the next Tuesday, 10:00 in Chicago
    await bot.say("old", "!done 1")  # posted last week, finished this week
    for name in ("a", "b", "c", "d"):
        await _volunteer(bot, name, "tz:America/Chicago")
    await bot.feed('!ask title:"New ask" skill:research need:2')
    for name in ("a", "b"):
        await bot.say(name, "!claim 2")
        await bot.say(name, "!done 2")
    await bot.feed('!ask title:"Closed ask"')
    await bot.feed("!close 3")
    await bot.feed('!ask title:"Open one" skill:research')
    await bot.say("c", "!claim 4")
    bot.dm()
    for name in ("a", "b", "c", "d"):
        await bot.say(name, "!checkin every:wednesday at:10:00")
    await bot.feed("::at 2026-12-02T16:30Z")  # Wednesday 10:30: everyone asked
    await bot.say("a", "Done three interviews")
    await bot.say("b", "!checkin reply fine")
    await bot.feed("::at 2026-12-04T17:00Z")  # after the two-day reminder
    await bot.say("c", "Help is needed with the survey")
    weekly = await bot.feed("::at 2026-12-07T15:00Z")  # Monday 09:00 in Chicago
    bot.public()
    (digest,) = [m for m in to("you", weekly) if "Weekly digest" in m]
    assert "New volunteers (4): a, b, c, d." in digest
    assert "Asks: 3 opened, 2 finished, 1 closed; 0 stale claims; 0 open with nobody on them." in digest
    assert "Check-ins: 3 of 4 people answered." in digest and "Not heard from: d." in digest
    lines = await bot.feed("!digest")
    assert joined(public(lines)) == "I've sent you the details privately."
    assert "Check-ins: 3 of 4 people answered." in joined(to("you", lines))


async def test_a_member_asking_for_a_lead_view_is_told_who_can_and_how_to_ask(bot: ConsoleBot) -> None:
    await _volunteer(bot, "alice", "region:Ohio library:public")
    for command in ("coverage", "digest", "checkins"):
        said = joined(await bot.say("alice", f"!{command}"))
        assert f"Only leads can use `{command}`. If you think you should, ask an admin to run `role`." in said
    for command in ("audit", "outbox", "role @alice lead"):
        said = joined(await bot.say("alice", f"!{command}"))
        assert f"Only admins can use `{command.split()[0]}`." in said


async def test_a_look_records_the_member_or_number_it_was_about_not_a_page(bot: ConsoleBot) -> None:
    """`coverage page:2` was on record as "looked at `coverage` (#2)", read as about ask 2."""
    await bot.say("alice", "!volunteer research")
    await bot.feed("!coverage page:2")
    await bot.feed("!network @alice")
    looked = joined(to("you", await bot.feed("!audit 50 all")))
    assert "you looked at `coverage`\n" in looked and "(#2)" not in looked
    assert "you looked at `network` (alice)" in looked
