"""Profiles, pauses and zones as a demanding volunteer types them (spec §1, §11, §12)."""

from __future__ import annotations

import pytest

from bot.zones import suggest_zones
from tests.console_bot import ConsoleBot, joined, make_config, public, to


async def test_whois_me_shows_the_speakers_own_profile(bot: ConsoleBot) -> None:
    """`whois me` was "I don't know anyone called me yet", though `intro me @bob` reads `me`."""
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!whois me"))
    assert "I don't know anyone called me" not in reply
    assert "alice · skills: research" in reply
    assert "Change a field with" in reply  # their own profile's next step, not "`intro` them"


async def test_an_open_ended_pause_in_plain_words_is_a_pause_until_resume(bot: ConsoleBot) -> None:
    """`pause indefinitely` was "I can't read indefinitely as a date", though `pause` alone means it."""
    await bot.say("alice", "!volunteer research")
    for words in ("indefinitely", "forever", "until further notice", "for now", "until I resume"):
        reply = joined(await bot.say("alice", f"!pause {words}"))
        assert "Paused: no ask pings, nudges or check-ins." in reply, words
        assert "`resume` when you're back." in reply, words
    assert "Paused until" not in joined(await bot.say("alice", "!profile"))
    assert "Paused until Fri 27 Nov" in joined(await bot.say("alice", "!pause until friday"))


async def test_pausing_until_a_day_in_public_never_names_a_leads_only_zone(database: str) -> None:
    """Spec §11: a leads-only profile's zone is private. `pause until friday` in a channel whose
    zone's date differs said "Paused until Fri 27 Nov (Chicago time)" there, for all to read."""
    bot = await ConsoleBot.start(
        database, make_config(organisation={"name": "Library Workers", "timezone": "America/Los_Angeles"})
    )
    try:
        await bot.say("alice", "!volunteer research")
        await bot.say("alice", "!profile tz:Chicago visibility:leads")
        out = await bot.say("alice", "!pause until friday")
        assert "Chicago" not in joined(public(out))
        assert "I've sent you the details privately." in joined(public(out))
        assert "Paused until Fri 27 Nov:" in joined(to("alice", out))
        # Someone who shows their zone to members is answered where they asked.
        await bot.say("bob", "!profile tz:Chicago")
        assert "Paused until Fri 27 Nov:" in joined(public(await bot.say("bob", "!pause until friday")))
    finally:
        await bot.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Eastren", "America/New_York"),  # suggested Easter Island
        ("Pacfic", "America/Los_Angeles"),  # suggested nothing
        ("Mountian", "America/Denver"),  # suggested Asia/Pontianak
        ("Centrl", "America/Chicago"),  # suggested North Dakota's Center
        ("Estern Time", "America/New_York"),
        ("Pacifc Time", "America/Los_Angeles"),
    ],
)
def test_a_typo_of_a_zone_name_people_use_suggests_that_zone_first(typed: str, meant: str) -> None:
    """Spec §12: a typo'd zone gets a suggestion, and `Eastern`'s typo means Eastern time."""
    assert suggest_zones(typed)[:1] == [meant]


async def test_a_typod_zone_name_is_answered_with_the_zone_it_means(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!profile tz:Eastren"))
    assert "I don't know the timezone Eastren. Did you mean `America/New_York`?" in reply
    assert "Easter" not in reply.replace("Eastren", "")


async def test_standard_and_daylight_without_time_and_a_zone_without_its_slash_name_the_zone(bot: ConsoleBot) -> None:
    """`tz:"Pacific Standard"` was unknown, though `Pacific Standard Time` and `PST` were read;
    `tz:"US Eastern"` (US/Eastern, its slash left out) was answered "Did you mean Pacific/Easter?"."""
    for typed, zone in (
        ("Pacific Standard", "America/Los_Angeles"),
        ("Eastern Daylight", "America/New_York"),
        ("US Eastern", "America/New_York"),
    ):
        reply = joined(await bot.say("alice", f'!profile tz:"{typed}"'))
        assert f"timezone: {zone}" in reply, typed


async def test_a_profile_set_before_signing_up_ends_with_how_to_sign_up(bot: ConsoleBot) -> None:
    """A newcomer setting their zone first was sent on to `asks`, which they cannot claim from yet."""
    first = joined(await bot.say("dana", "!profile tz:America/Chicago"))
    assert "Next: `volunteer <your skills>` to sign up, like `volunteer research writing`." in first
    assert "`asks`" not in first
    await bot.say("dana", "!volunteer research")
    assert "Next: `asks` to see what needs doing." in joined(await bot.say("dana", "!profile hours:evenings"))


async def test_a_pause_until_a_day_in_a_leads_only_zone_is_never_shown_in_public(database: str) -> None:
    """Her pause, as profiles show it, names her zone to readers whose date differs: in a channel,
    whoever asks, it goes privately (the moment is private, as `pause`'s own reply is)."""
    bot = await ConsoleBot.start(
        database, make_config(organisation={"name": "Library Workers", "timezone": "America/Los_Angeles"})
    )
    try:
        await bot.say("alice", "!volunteer research")
        await bot.say("alice", "!profile tz:Chicago visibility:leads")
        await bot.say("alice", "!pause until friday")
        await bot.say("bob", "!volunteer writing")
        await bot.feed("!role @bob lead")
        for who in ("bob", "carol"):
            out = await bot.say(who, "!whois @alice")
            assert "Chicago" not in joined(public(out)), (who, out)
        assert "Paused until Fri 27 Nov (Chicago time)" in joined(to("bob", await bot.say("bob", "!whois @alice")))
    finally:
        await bot.close()
