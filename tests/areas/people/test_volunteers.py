"""Volunteers and profiles (spec §1), as people type them in the console."""

from __future__ import annotations

from tests.console_bot import ConsoleBot, joined, public, to


async def test_signing_up_shows_profile_matching_asks_and_the_next_step(bot: ConsoleBot) -> None:
    await bot.feed('!ask title:"Compile sectoral-bargaining resources" skill:research need:2')
    reply = joined(await bot.say("alice", "!volunteer research writing"))
    assert "Welcome aboard, alice!" in reply
    assert "Your skills: research, writing." in reply
    assert "Compile sectoral-bargaining resources" in reply
    assert "`profile tz:America/Chicago`" in reply  # no timezone yet: that is the next step
    await bot.say("alice", "!profile tz:America/Chicago")
    again = joined(await bot.say("alice", "!volunteer outreach"))
    assert "Welcome" not in again
    assert "Next: `claim 1`" in again


async def test_adding_a_skill_twice_says_so_and_keeps_one(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("alice", "!volunteer Research"))
    assert "Already on your profile: research." in reply
    assert "Your skills: research." in reply


async def test_a_near_duplicate_skill_is_suggested_toward_the_existing_one(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(await bot.say("bob", "!volunteer researching"))
    assert "Others use `research`" in reply
    assert "`unvolunteer researching`" in reply


async def test_profile_fields_are_set_validated_and_shown(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    reply = joined(
        await bot.say(
            "alice",
            '!profile tz:America/Denver region:"upper   midwest" library:public role:"reference librarian" '
            'interests:"bargaining, archives" hours:"weekday evenings" quiet:22:00-07:30 load:2',
        )
    )
    assert "Saved" in reply
    for shown in ("America/Denver", "Upper Midwest", "public", "reference librarian", "archives, bargaining",
                  "weekday evenings", "22:00-07:30"):  # fmt: skip
        assert shown in reply
    profile = joined(await bot.say("alice", "!profile"))
    assert "Upper Midwest" in profile and "22:00-07:30" in profile


async def test_a_city_works_as_a_timezone(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!profile tz:Boston"))
    assert "America/New_York" in reply


async def test_a_city_with_its_state_or_country_needs_no_quotes(bot: ConsoleBot) -> None:
    """`tz:Columbus, OH` (spec §12's `City, ST`) was "I didn't expect OH there" unless quoted."""

    async def zone_after(line: str) -> str:
        reply = joined(await bot.say("alice", line))
        assert "Saved tz" in reply, line
        return reply.split("timezone: ")[1].split(" ")[0]

    assert await zone_after("!profile tz:Columbus, OH library:public") == "America/New_York"
    assert "library: public" in joined(await bot.say("alice", "!profile"))
    assert await zone_after("!profile region:France tz:Paris, France") == "Europe/Paris"
    assert await zone_after("!profile tz:Portland, Oregon") == "America/Los_Angeles"
    assert await zone_after("!profile tz:Portland Maine") == "America/New_York"  # no comma: not Oregon's
    assert await zone_after("!profile tz:Sioux Falls South Dakota region:Dakotas") == "America/Chicago"
    assert await zone_after("!profile tz:Columbus, library:school") == "America/New_York"  # a stray comma
    assert "I don't know the timezone Boston public." in joined(await bot.say("alice", "!profile tz:Boston public"))


async def test_an_unknown_timezone_is_refused_with_suggestions_and_changes_nothing(bot: ConsoleBot) -> None:
    await bot.say("alice", "!profile tz:America/Chicago")
    reply = joined(await bot.say("alice", "!profile tz:America/Chicgo"))
    assert "I don't know the timezone America/Chicgo" in reply
    assert "`America/Chicago`" in reply
    assert "America/Chicago" in joined(await bot.say("alice", "!profile"))


async def test_an_unknown_profile_field_is_named_with_a_suggestion(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!profile regin:Midwest"))
    assert "`profile` has no `regin:`. Did you mean `region:`?" in reply
    assert "Usage: `profile" in reply


async def test_a_bad_library_type_lists_the_choices(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!profile library:publik"))
    assert "public, academic, school, special, archive, other" in reply
    assert "Did you mean `public`?" in reply


async def test_a_library_named_in_words_is_read_as_its_type_as_the_signatures_importer_reads_it(
    bot: ConsoleBot,
) -> None:
    """`library:"university library"` was refused, where `signatures import` reads `University` as
    academic."""
    await bot.say("alice", "!volunteer research")
    assert "library: academic" in joined(await bot.say("alice", '!profile library:"University Library"'))
    assert "library: special" in joined(await bot.say("alice", '!profile library:"law library"'))
    assert "library: academic" in joined(await bot.say("alice", '!profile library:"Univ. Library"'))
    await bot.say("alice", '!profile library:"law library"')
    assert "not branch" in joined(await bot.say("alice", "!profile library:branch"))
    assert "library: special" in joined(await bot.say("alice", "!profile"))  # the refusal changed nothing
    refused = joined(await bot.feed('!announce text:"Hi" to:library:"university library"'))
    assert "That would reach nobody (academic libraries" in refused  # alice is academic no more
    posted = joined(await bot.feed('!announce text:"Hi" to:library:"Law Library"'))
    assert "special libraries" in posted and "reach nobody" not in posted, posted


async def test_a_similar_region_is_pointed_out(bot: ConsoleBot) -> None:
    await bot.say("alice", '!profile region:"Upper Midwest"')
    reply = joined(await bot.say("bob", '!profile region:"Uper Midwest"'))
    assert "Others wrote “Upper Midwest”" in reply


async def test_a_region_only_leads_may_see_is_never_named_in_a_hint(bot: ConsoleBot) -> None:
    await bot.say("alice", '!profile region:"Upper Midwest" visibility:leads')
    reply = joined(await bot.say("bob", '!profile region:"Uper Midwest"'))
    assert "Upper Midwest" not in reply and "Others wrote" not in reply
    await bot.feed("!volunteer research")
    await bot.say("alice", "!volunteer research")
    refused = joined(await bot.feed('!announce text:"x" region:"Uper Midwest"'))
    assert "reach nobody" in refused and "Upper Midwest" not in refused


async def test_unvolunteer_removes_a_skill_and_explains_an_unknown_one(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research writing")
    assert "Your skills: research." in joined(await bot.say("alice", "!unvolunteer writing"))
    reply = joined(await bot.say("alice", "!unvolunteer dancing"))
    assert "dancing isn't one of your skills (you have: research)." in reply
    assert "Name one of those, like `unvolunteer research`." in reply
    await bot.say("alice", "!unvolunteer research")
    reply = joined(await bot.say("alice", "!unvolunteer dancing"))
    assert "(you have: none yet). Add one with `volunteer <skill>`." in reply


async def test_a_list_over_its_limits_names_its_items(bot: ConsoleBot) -> None:
    """ "That is 21 a,bs; the limit is 20": the list's placeholder stood in for its items."""
    await bot.say("alice", "!volunteer research")
    many = ",".join(f"i{n}" for n in range(21))
    assert "That is 21 interests; the limit is 20." in joined(await bot.say("alice", f'!profile interests:"{many}"'))
    long = joined(await bot.say("alice", f"!profile interests:zines,{'x' * 51}"))
    assert "Each interest can be at most 50 characters." in long
    tag = joined(await bot.say("alice", f"!resource add https://example.org/a tags:{'t' * 31}"))
    assert "Each tag can be at most 30 characters." in tag
    assert "That is 11 tags; the limit is 10." in joined(
        await bot.say("alice", f"!resource add https://example.org/a tags:{','.join('abcdefghijk')}")
    )
    assert "Each skill can be at most 40 characters." in joined(await bot.say("alice", f"!volunteer {'s' * 41}"))
    assert "interests: none" in joined(await bot.say("alice", "!profile"))  # nothing changed


async def test_skills_of_several_words_are_listed_with_commas_and_taken_back_whole(bot: ConsoleBot) -> None:
    """ "graphic design, social media" became four skills, and `unvolunteer social media` was refused."""
    signed = joined(await bot.say("alice", "!volunteer Research, graphic design, social media"))
    assert "Your skills: graphic-design, research, social-media." in signed
    assert "Your skills: graphic-design, research." in joined(await bot.say("alice", "!unvolunteer social media"))
    assert "Usage: `unvolunteer <skill>`\n" in joined(await bot.say("alice", "!unvolunteer"))  # one, not `[skill…]`
    assert "Your skills: editing, graphic-design, research, writing." in joined(
        await bot.say("alice", "!volunteer writing editing")  # no commas: a space still separates
    )
    posted = joined(await bot.feed('!ask title:"Flyer" skill:"Graphic Design"'))
    assert "1 Flyer · graphic-design · 0/1 taken" in posted and "Nobody with" not in posted
    assert "That is 2 skills; the limit is 1." in joined(await bot.feed('!ask title:"Two" skill:"research, design"'))


async def test_a_skill_typed_in_quotes_is_one_skill_wherever_it_is_read(bot: ConsoleBot) -> None:
    """`volunteer "graphic design"` stored `graphic` and `design`, where `ask skill:"graphic design"`
    and `unvolunteer "graphic design"` read one skill, `graphic-design`: her ask reached nobody."""
    signed = joined(await bot.say("alice", '!volunteer "graphic design" research writing'))
    assert "Your skills: graphic-design, research, writing." in signed
    keyed = joined(await bot.say("bob", '!volunteer skill:"social media"'))
    assert "Your skills: social-media." in keyed
    posted = await bot.feed('!ask title:"Poster" skill:"graphic design"')
    assert "I'm telling 1 matching volunteer privately." in joined(posted)
    assert "A new ask matches your skills" in joined(to("alice", posted))
    assert "1 Poster" in joined(await bot.say("alice", '!asks "graphic design"'))
    taken_back = joined(await bot.say("alice", '!unvolunteer "graphic design"'))
    assert "Your skills: research, writing." in taken_back


async def test_whois_shows_what_the_member_shares(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile region:Ohio library:academic")
    reply = joined(await bot.say("bob", "!whois @alice"))
    assert "alice" in reply and "Ohio" in reply and "academic" in reply
    assert "Ohio" in joined(await bot.say("bob", "!whois alice"))  # a unique display name works too
    await bot.say("carol", "!asks")  # known to the bot, not signed up
    assert "carol hasn't signed up as a volunteer yet. They can join with `volunteer <skill>`." in joined(
        await bot.say("bob", "!whois carol")
    )


async def test_a_leads_only_profile_hides_details_from_members_and_goes_privately_to_leads(
    bot: ConsoleBot,
) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", "!profile region:Ohio visibility:leads")
    member_view = joined(await bot.say("bob", "!whois @alice"))
    assert "Ohio" not in member_view
    assert "visible to leads only" in member_view
    await bot.say("carol", "!volunteer outreach")
    assert "carol is now a lead" in joined(await bot.feed("!role @carol lead"))  # `you` is an admin
    lead_view = await bot.say("carol", "!whois @alice")
    assert "Ohio" in joined(to("carol", lead_view))
    assert all("Ohio" not in line for line in public(lead_view))
    assert "I've sent you the details privately." in joined(public(lead_view))


async def test_whois_an_unknown_member_explains(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("bob", "!whois @nobody"))
    assert "I don't know anyone called @nobody yet" in reply


async def test_skills_counts_volunteers_per_skill(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research writing")
    await bot.say("bob", "!volunteer research")
    reply = joined(await bot.say("carol", "!skills"))
    assert "research (2), writing (1)" in reply


async def test_pause_and_resume(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    assert "Paused:" in joined(await bot.say("alice", "!pause"))
    assert "Welcome back!" in joined(await bot.say("alice", "!resume"))
    assert "You're not paused." in joined(await bot.say("alice", "!resume"))


async def test_a_profile_says_until_when_someone_is_paused_and_nothing_once_it_ran_out(bot: ConsoleBot) -> None:
    """A pause that had run out still read "Paused." in `profile`, while `resume` said "You're
    not paused"."""
    await bot.say("alice", "!volunteer research")
    assert "Paused" not in joined(await bot.say("alice", "!profile tz:America/Chicago"))
    await bot.say("alice", "!pause until:friday")
    assert "Paused until Fri 27 Nov." in joined(await bot.say("alice", "!profile"))
    await bot.say("alice", '!pause until:"wednesday 17:00"')
    assert "Paused until Wed 25 Nov 17:00." in joined(await bot.say("alice", "!profile"))
    await bot.advance("3d")
    assert "Paused" not in joined(await bot.say("alice", "!profile"))
    assert "You're not paused." in joined(await bot.say("alice", "!resume"))
    await bot.say("alice", "!pause")
    assert "Paused.\n" in joined(await bot.say("alice", "!profile")) + "\n"


async def test_pause_until_a_date_in_the_past_is_refused(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("alice", "!pause until:2020-01-01"))
    assert "is in the past" in reply
    assert "You're not paused." in joined(await bot.say("alice", "!resume"))


async def test_a_pause_that_would_already_be_over_is_refused(bot: ConsoleBot) -> None:
    """`pause today` (until today began) answered "Paused until Mon 23 Nov", and nothing was paused."""
    await bot.say("alice", "!volunteer research")
    for until in ("today", "0d"):
        assert "That pause would be over already." in joined(await bot.say("alice", f"!pause {until}"))
    assert "You're not paused." in joined(await bot.say("alice", "!resume"))
    assert "Paused until Tue 24 Nov" in joined(await bot.say("alice", "!pause tomorrow"))


async def test_quiet_hours_set_once_can_go_back_to_the_networks_default(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    assert "quiet hours: 23:00-06:00 ·" in joined(await bot.say("alice", "!profile quiet:23:00-06:00"))
    assert "quiet hours: 21:00-09:00 (default)" in joined(await bot.say("alice", "!profile quiet:Default"))
    refused = joined(await bot.say("alice", "!profile quiet:off"))
    assert "or `default` for the network's." in refused and "Saved" not in refused


async def test_pause_takes_a_date_or_how_long_as_people_say_it(bot: ConsoleBot) -> None:
    """The clock is Monday 23 Nov 2026."""
    for said, until in (
        ("3d", "Thu 26 Nov"),
        ("2 weeks", "Mon 7 Dec"),
        ("friday", "Fri 27 Nov"),
        ("until friday", "Fri 27 Nov"),
        ("till 2026-12-20", "Sun 20 Dec"),
        ("until:tuesday", "Tue 24 Nov"),
    ):
        assert f"Paused until {until}:" in joined(await bot.say("alice", f"!pause {said}")), said
    assert "I can't read until as a date." in joined(await bot.say("alice", "!pause until"))


async def test_a_profile_cannot_hold_more_than_thirty_skills(bot: ConsoleBot) -> None:
    skills = " ".join(f"skill{i}" for i in range(31))
    reply = joined(await bot.say("alice", f"!volunteer {skills}"))
    assert "limit is 30" in reply
    assert "No skills yet" in joined(await bot.say("alice", "!skills"))
