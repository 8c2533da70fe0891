"""Linking accounts, export and forget (spec §1): one person, everything theirs, or nothing left."""

from __future__ import annotations

import json
import re
from textwrap import dedent

from bot.core.text import plain_text
from bot.ids import Role
from tests.console_bot import ConsoleBot, joined, platform_message, public, to


async def say_on(
    bot: ConsoleBot,
    platform: str,
    user_id: str,
    name: str,
    text: str,
    *,
    private: bool = True,
    role: Role | None = None,
) -> str:
    """A message as the Discord or Matrix adapter would hand it over; returns the replies' text."""
    channel = f"dm-{user_id}" if private else "room"
    incoming = platform_message(bot, platform, user_id, name, text, private=private, role=role, channel=channel)
    return "\n".join(plain_text(o.text) for o in await bot.app.dispatcher.handle(incoming))


async def _code(bot: ConsoleBot, platform: str, user_id: str, name: str) -> str:
    reply = await say_on(bot, platform, user_id, name, "!link")
    match = re.search(r"`link ([A-Z0-9]{8})`", reply)
    assert match, reply
    return match.group(1)


async def test_linking_a_discord_and_a_matrix_account_merges_them_into_one_person(bot: ConsoleBot) -> None:
    await say_on(bot, "discord", "111", "Alice", "!volunteer research")
    await say_on(bot, "discord", "111", "Alice", "!profile region:Ohio")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!volunteer writing")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!profile tz:Europe/Berlin")
    await bot.feed('!ask title:"Discord side" skill:research')
    await bot.feed('!ask title:"Matrix side" skill:writing need:2')
    await say_on(bot, "discord", "111", "Alice", "!claim 1")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!claim 2")
    await say_on(bot, "matrix", "@alice:example.org", "alice", '!contact add name:"Jordan Lee" share:private')
    code = await _code(bot, "discord", "111", "Alice")
    reply = await say_on(bot, "matrix", "@alice:example.org", "alice", f"!link {code.lower()[:4]}-{code.lower()[4:]}")
    assert "Linked: you're one person here now, on discord and matrix" in reply
    profile = await say_on(bot, "discord", "111", "Alice", "!profile")
    assert "research, writing" in profile and "Ohio" in profile and "Europe/Berlin" in profile
    mine = await say_on(bot, "discord", "111", "Alice", "!mine")
    assert "Discord side" in mine and "Matrix side" in mine
    assert "Jordan Lee" in await say_on(bot, "discord", "111", "Alice", "!contacts")
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(DISTINCT person_id) FROM identities WHERE platform != 'console'") == 1
    assert "doesn't work" in await say_on(bot, "discord", "111", "Alice", f"!link {code}")  # once only


async def _link_alice(bot: ConsoleBot) -> None:
    """Alice's Matrix account (made first, so kept) takes her Discord account's link code."""
    code = await _code(bot, "discord", "111", "Alice")
    assert "Linked" in await say_on(bot, "matrix", "@alice:example.org", "alice", f"!link {code}")


async def test_a_check_in_kept_from_one_account_moves_to_the_zone_the_linked_person_has(bot: ConsoleBot) -> None:
    """The account kept had a daily check-in at 10:00 in the organisation's zone (Chicago), the
    other a zone of its own: the one person's check-in is at 10:00 in that zone now."""
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!volunteer writing")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!checkin every:day at:10:00")
    await say_on(bot, "discord", "111", "Alice", "!volunteer research")
    await say_on(bot, "discord", "111", "Alice", "!profile tz:Europe/Berlin")
    await _link_alice(bot)
    mine = await say_on(bot, "discord", "111", "Alice", "!mine")
    assert "Next check-in: Tue 24 Nov 10:00. Schedule: every day at 10:00." in mine


async def test_a_link_that_keeps_the_zone_leaves_a_snoozed_check_in_where_it_was(bot: ConsoleBot) -> None:
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!volunteer writing")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!profile tz:Europe/Berlin")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!checkin every:day at:10:00")
    await say_on(bot, "matrix", "@alice:example.org", "alice", "!snooze checkin 2d")
    await say_on(bot, "discord", "111", "Alice", "!volunteer research")
    await _link_alice(bot)
    assert "Next check-in: Thu 26 Nov 10:00" in await say_on(bot, "discord", "111", "Alice", "!mine")


async def test_a_link_code_expires_after_ten_minutes(bot: ConsoleBot) -> None:
    code = await _code(bot, "discord", "111", "Alice")
    await bot.advance("11m")
    assert "doesn't work" in await say_on(bot, "matrix", "@a:example.org", "a", f"!link {code}")


async def test_link_codes_are_private_and_same_account_or_platform_is_refused(bot: ConsoleBot) -> None:
    lines = await bot.say("alice", "!link")
    assert "Your link code is" in joined(to("alice", lines)) and "link code" not in joined(public(lines))
    code = await _code(bot, "discord", "111", "Alice")
    assert "same account" in await say_on(bot, "discord", "111", "Alice", f"!link {code}")
    code = await _code(bot, "discord", "111", "Alice")
    assert "Both accounts are on discord" in await say_on(bot, "discord", "222", "Al", f"!link {code}")


async def test_guessing_link_codes_is_throttled(bot: ConsoleBot) -> None:
    real = await _code(bot, "discord", "111", "Alice")
    for guess in range(5):
        assert "doesn't work" in await say_on(bot, "matrix", "@m:example.org", "m", f"!link WRONG{guess:03d}")
    assert "Too many wrong codes" in await say_on(bot, "matrix", "@m:example.org", "m", f"!link {real}")
    await bot.advance("11m")
    fresh = await _code(bot, "discord", "111", "Alice")
    assert "Linked" in await say_on(bot, "matrix", "@m:example.org", "m", f"!link {fresh}")


async def test_export_me_sends_everything_stored_about_the_speaker_privately(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", '!profile region:Ohio hours:"weekday evenings"')
    await bot.feed('!ask title:"Collect contracts" skill:research')
    await bot.say("alice", "!claim 1")
    await bot.say("alice", "!update 1 found two contracts")
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers union" how:"rally" share:private')
    await bot.say("alice", "!contact note 1 called about the contract follow:friday")
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    await bot.say("alice", "busy week, nothing blocking")
    bot.public()
    lines = await bot.say("alice", "!export me")
    assert "Here is everything I keep about you" in joined(to("alice", lines))
    assert joined(public(lines)) == "I've sent you the details privately."
    data = json.loads(bot.console.files["volunteer-bot-export.json"])
    assert data["profile"]["region"] == "Ohio" and data["profile"]["hours"] == "weekday evenings"
    assert [s["skill"] for s in data["skills"]] == ["research"]
    assert data["claims"][0]["ask_title"] == "Collect contracts"
    assert data["updates_written"][0]["text"] == "found two contracts"
    assert data["contacts"][0]["name"] == "Jordan Lee" and data["contacts"][0]["how"] == "rally"
    assert "called about the contract" in data["contact_notes_written"][0]["text"]
    assert data["checkins"][0]["answer"] == "busy week, nothing blocking"
    assert data["accounts"][0]["user_id"] == "alice"


async def test_a_note_given_to_someone_elses_link_is_exported_to_its_writer(bot: ConsoleBot) -> None:
    await bot.say("alice", '!resource add https://example.org/guide title:"Bargaining guide"')
    await bot.say("bob", '!resource add https://example.org/guide note:"start at chapter two"')
    await bot.say("bob", '!resource add https://example.org/own note:"my own"')
    await bot.say("bob", "!export me")
    data = json.loads(bot.console.files["volunteer-bot-export.json"])
    assert [(r["url"], r["note"]) for r in data["resource_notes_written"]] == [
        ("https://example.org/guide", "start at chapter two")
    ]
    assert [r["note"] for r in data["resources_added"]] == ["my own"]


def _values(data: object) -> list[object]:
    """Every value in a JSON document, however deep."""
    if isinstance(data, dict):
        return [value for item in data.values() for value in _values(item)]
    if isinstance(data, list):
        return [value for item in data for value in _values(item)]
    return [data]


def _keys(data: object) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for item in data.values() for key in _keys(item)}
    if isinstance(data, list):
        return {key for item in data for key in _keys(item)}
    return set()


async def test_a_message_held_for_the_morning_is_exported_with_when_it_will_go(bot: ConsoleBot) -> None:
    """An intro asked at night waits for the reader's morning (the deliverer holds it): the export
    says when it goes, not when it was queued."""
    await bot.script(
        dedent("""
        alice: !volunteer research
        alice: !profile tz:America/Chicago quiet:22:00-07:00
        bob: !volunteer research
        carol: !volunteer research
        """)
    )
    await bot.advance("13h")  # 23:00 in Chicago: alice is asleep
    lines = await bot.say("carol", '!intro @alice @bob why:"both on the survey"')
    assert not to("alice", lines)
    await bot.say("alice", "!export me")
    data = json.loads(bot.console.files["volunteer-bot-export.json"])
    waiting = [m for m in data["messages_waiting"] if m["kind"] == "intro"]
    assert len(waiting) == 1, data["messages_waiting"]
    assert waiting[0]["queued"] == "2026-11-23T23:00:00-06:00"
    assert waiting[0]["send_after"] == "2026-11-24T07:00:00-06:00"


async def test_the_export_reads_as_a_document_with_times_in_the_persons_zone(bot: ConsoleBot) -> None:
    await bot.script(
        dedent("""
        alice: !volunteer research
        alice: !profile tz:America/Chicago quiet:22:00-07:00
        !ask title:"Collect contracts" skill:research due:friday
        alice: !claim 1
        alice: !contact add name:"Jordan Lee" org:"Teachers union" follow:friday
        alice: !checkin every:wednesday at:10:00
        alice: !met @you
        alice: !export me
        """)
    )
    data = json.loads(bot.console.files["volunteer-bot-export.json"])
    assert data["timezone"] == "America/Chicago" and data["exported"] == "2026-11-23T10:00:00-06:00"
    assert "Everything volunteer-bot keeps about alice" in data["about"]
    profile = data["profile"]
    assert profile["tz"] == "America/Chicago" and profile["quiet"] == "22:00-07:00"
    assert profile["signed_up"] == "2026-11-23T10:00:00-06:00"
    assert data["claims"][0]["ask"] == 1 and data["claims"][0]["claimed"] == "2026-11-23T10:00:00-06:00"
    assert data["follow_ups"][0]["due"].startswith("2026-11-27T") and data["follow_ups"][0]["due"].endswith("-06:00")
    assert data["checkin_schedule"] == {
        "every": "week", "on": "Wednesday", "at": "10:00", "next": "2026-11-25T10:00:00-06:00",
        "set": "2026-11-23T10:00:00-06:00",
    }  # fmt: skip
    assert data["ties"][0]["with_whom"] == "you" and data["ties"][0]["times"] == 1
    assert not {"search", "region_key", "pair_key", "private_chat", "next_nudge_at"} & _keys(data)
    assert not [key for key in _keys(data) if key.endswith(("_at", "_s"))]
    assert not [v for v in _values(data) if isinstance(v, int) and not isinstance(v, bool) and v > 10**8]  # no epochs


async def test_forget_me_asks_first_then_leaves_no_trace_of_the_person(bot: ConsoleBot) -> None:
    name = "Zephyrine"
    for other in ("bob", "carol"):
        await bot.say(other, "!volunteer research")
    await bot.say(name, "!volunteer research outreach")
    await bot.say(name, '!profile region:"Zephyr Valley" role:"Zephyrine the librarian" hours:"Zephyrine hours"')
    await bot.feed(f"!role @{name} lead")
    await bot.say(name, '!ask title:"Map the branches" skill:research need:2')
    await bot.say(name, "!claim 1")
    await bot.say(name, "!update 1 Zephyrine was here")
    await bot.say(name, "!done 1 Zephyrine finished")
    await bot.say("bob", "!claim 1")
    await bot.say("bob", f"!update 1 talked to {name} about it")
    bot.dm()
    await bot.say(name, '!contact add name:"Ally of Zephyrine" how:"Zephyrine met them" share:members')
    await bot.say(name, "!contact note 1 Zephyrine called them")
    await bot.say(name, '!intro @bob @carol why:"Zephyrine thinks you should meet"')
    await bot.say(name, "!met @bob coffee with Zephyrine")
    await bot.say(name, "!checkin every:day at:11:00")
    await bot.say(name, "!pairing on")
    await bot.advance("2h")
    await bot.say(name, "Zephyrine's secret check-in answer")
    assert "send `forget me confirm` within 10 minutes" in joined(await bot.say(name, "!forget me"))
    assert "Done: I've forgotten you" in joined(await bot.say(name, "!forget me confirm"))
    bot.public()
    shown = joined(await bot.say("bob", "!ask 1"))
    assert "a former member (done)" in shown and "Zephyrine" not in shown
    tables = await bot.app.db.tables()
    async with bot.app.db.reading() as tx:
        for table in tables:
            for row in await tx.all(f"SELECT * FROM {table}"):
                for value in tuple(row):
                    assert "zephyr" not in str(value).lower(), (table, tuple(row))
        asks = await tx.all("SELECT status FROM claims WHERE ask_id = 1 ORDER BY id")
        assert [a["status"] for a in asks] == ["done", "active"]  # the finished work stays


async def test_forget_me_confirm_without_asking_first_changes_nothing(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    assert "First send `forget me`" in joined(await bot.say("alice", "!forget me confirm"))
    assert "skills: research" in joined(await bot.say("bob", "!whois alice"))


async def test_forgotten_shared_contacts_can_go_to_a_lead_without_the_leavers_words(tmp_path: object) -> None:
    from pathlib import Path

    from tests.console_bot import make_config

    assert isinstance(tmp_path, Path)
    bot = await ConsoleBot.start(tmp_path / "f.sqlite3", make_config(privacy={"contacts_on_forget": "leads"}))
    try:
        await bot.feed("!volunteer organising")
        bot.dm()
        await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers union" how:"alice met them" share:leads')
        await bot.say("alice", '!contact add name:"Secret Friend" share:private')
        await bot.say("alice", "!contact note 1 alice called")
        await bot.say("alice", "!forget me")
        await bot.say("alice", "!forget me confirm")
        kept = joined(await bot.feed("!contacts"))
        assert "Jordan Lee" in kept and "Secret Friend" not in kept
        detail = joined(await bot.feed("!contact 1"))
        assert "alice" not in detail.lower().replace("a former member", "")
    finally:
        await bot.close()


async def test_a_role_granted_by_the_platform_is_taken_back_by_it_but_an_admins_role_stays(bot: ConsoleBot) -> None:
    assert "Posted ask 1" in await say_on(bot, "discord", "7", "Lee", '!ask title:"As a lead"', role=Role.LEAD)
    assert "Only leads can use `ask`" in await say_on(bot, "discord", "7", "Lee", '!ask title:"x"', role=Role.MEMBER)
    assert "Posted ask" not in await say_on(bot, "discord", "7", "Lee", '!ask title:"y"')  # DM: no roles known
    await say_on(bot, "discord", "8", "Max", "!volunteer research")
    await bot.feed("!role @Max lead")
    assert "Posted ask" in await say_on(bot, "discord", "8", "Max", '!ask title:"z"', role=Role.MEMBER)
    audit = joined(await bot.feed("!audit"))
    assert "discord role sync made Lee a lead (was member)" in audit
    assert "discord role sync made Lee a member (was lead)" in audit
