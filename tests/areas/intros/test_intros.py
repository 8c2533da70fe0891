"""Introductions (spec §3): double opt-in, "not now", intros to outside contacts."""

from __future__ import annotations

import pytest

from tests.console_bot import ConsoleBot, joined, public, to

WHY = 'why:"both organising school libraries"'


async def _members(bot: ConsoleBot, *names: str) -> None:
    for name in names:
        await bot.say(name, "!volunteer research")


async def test_both_sides_are_asked_privately_and_nobody_is_pinged_in_public(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    lines = await bot.say("carol", f"!intro @alice @bob {WHY}")
    assert joined(public(lines)) == "I've sent you the details privately."  # who meets whom is private
    assert "I've asked alice and bob privately (intro 1)" in joined(to("carol", lines))
    for name, other in (("alice", "bob"), ("bob", "alice")):
        asked = joined(to(name, lines))
        assert f"carol would like to introduce you to @{other}: “both organising school libraries”" in asked
        assert "`accept 1` or `decline 1`" in asked


@pytest.mark.parametrize("first", ["alice", "bob"])
async def test_when_both_accept_in_either_order_both_are_introduced_with_the_reason(
    bot: ConsoleBot, first: str
) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    second = "bob" if first == "alice" else "alice"
    bot.dm()
    waiting = await bot.say(first, "!accept 1")
    assert f"I'll introduce you as soon as {second} says yes too" in joined(to(first, waiting))
    assert not to(second, waiting) and not to("carol", waiting)
    done = await bot.say(second, "!accept 1")
    for name, other in ((first, second), (second, first)):
        message = joined(to(name, done))
        assert f"Meet @{other}! You both said yes." in message
        assert "carol thought you should meet: “both organising school libraries”" in message
    assert "alice and bob both said yes to your intro 1" in joined(to("carol", done))
    assert "introduced" in joined(await bot.say("carol", "!intros"))


async def test_an_accepted_intro_records_that_the_pair_has_met(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob")
    await bot.say("alice", f"!intro me @bob {WHY}")
    await bot.say("bob", "!accept 1")
    view = joined(await bot.feed("!network @alice"))
    assert "Met 1 person" in view and "· bob" in view


async def test_accept_or_decline_without_a_number_answers_the_one_intro_waiting(bot: ConsoleBot) -> None:
    """`accept`, as people answer an invitation, was "`accept` needs an id" with one intro waiting."""
    await _members(bot, "alice", "bob", "carol")
    assert "No intro is waiting for your answer." in joined(await bot.say("alice", "!accept"))
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    assert "There's no intro 0 waiting for your answer." in joined(
        await bot.say("alice", "!decline 0")
    )  # not "the one"
    assert "Thanks, you said yes to intro 1." in joined(await bot.say("alice", "!accept"))
    await bot.say("carol", f"!intro @bob me {WHY}")
    which = joined(await bot.say("bob", "!decline"))
    assert "Which one? 2 intros wait for your answer: `decline 1` or `decline 2`." in which
    assert "not now" not in joined(await bot.say("bob", "!intros"))  # nothing was declined
    assert "won't go ahead" in joined(await bot.say("bob", "!decline 2"))
    assert "Meet @alice! You both said yes." in joined(await bot.say("bob", "!accept"))  # the one left: intro 1


async def test_a_declined_intro_is_only_ever_called_not_now(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    bot.dm()
    await bot.say("alice", "!accept 1")
    lines = await bot.say("bob", "!decline 1")
    assert "Nobody hears more than “not now”" in joined(to("bob", lines))
    assert "Intro 1 (alice and bob) isn't going ahead for now." in joined(to("carol", lines))
    assert not to("alice", lines)  # nobody is told who said no
    seen = lines + await bot.say("alice", "!intros") + await bot.say("carol", "!intros")
    seen += await bot.say("alice", "!accept 1") + await bot.feed("!network")
    for line in seen:
        assert "declin" not in line.lower() or "`decline" in line, line
    assert "1 you and bob · proposed by carol · not now" in joined(await bot.say("alice", "!intros"))
    assert "Intro 1 isn't going ahead for now." in joined(await bot.say("alice", "!accept 1"))
    assert "1 not now" in joined(await bot.feed("!network"))


async def test_a_side_who_said_yes_can_still_say_not_now_while_it_is_open(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    await bot.say("alice", "!accept 1")
    await bot.say("alice", "!decline 1")
    assert "isn't going ahead for now" in joined(await bot.say("bob", "!accept 1"))


async def test_reproposing_a_pending_or_declined_intro_is_refused_kindly_without_saying_which(
    bot: ConsoleBot,
) -> None:
    await _members(bot, "alice", "bob", "carol", "dave")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    await bot.say("carol", f"!intro @carol @dave {WHY}")
    await bot.say("dave", "!decline 2")
    pending = joined(await bot.say("dave", f"!intro @bob @alice {WHY}"))
    declined = joined(await bot.say("alice", f"!intro @dave @carol {WHY}"))
    assert "I already have an intro between bob and alice on file, so I won't ask again." in pending
    assert "I already have an intro between dave and carol on file, so I won't ask again." in declined
    assert "not now" not in declined and "declin" not in declined
    async with bot.app.db.reading() as tx:
        assert await tx.value("SELECT COUNT(*) FROM intros") == 2  # nothing new was asked


async def test_proposing_yourself_counts_as_your_yes(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob")
    lines = await bot.say("alice", f"!intro me @bob {WHY}")
    assert "I've asked bob privately (intro 1); you're in by proposing it." in joined(to("alice", lines))
    assert "@alice would like to meet you" in joined(to("bob", lines))
    assert "waiting for bob" in joined(await bot.say("alice", "!intros"))
    done = await bot.say("bob", "!accept 1")
    assert "Meet @alice!" in joined(to("bob", done)) and "Meet @bob!" in joined(to("alice", done))


async def test_self_intros_and_unknown_members_are_refused_and_change_nothing(bot: ConsoleBot) -> None:
    await _members(bot, "alice")
    assert "I can't introduce alice to themselves." in joined(await bot.say("bob", f"!intro @alice alice {WHY}"))
    assert "I can't introduce you to yourself." in joined(await bot.say("alice", f"!intro me @alice {WHY}"))
    unknown = joined(await bot.say("carol", f"!intro @alice @zed {WHY}"))
    assert "I don't know anyone called @zed yet" in unknown
    assert "No intros yet" in joined(await bot.say("carol", "!intros"))


async def test_an_intro_needs_a_reason_and_it_has_a_length_limit(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob")
    assert "`intro` needs `why:`" in joined(await bot.say("carol", "!intro @alice @bob"))
    long = joined(await bot.say("carol", f'!intro @alice @bob why:"{"x" * 2001}"'))
    assert "`why` can be at most 2000 characters (yours has 2001)" in long
    assert "No intros yet" in joined(await bot.say("carol", "!intros"))


async def test_only_the_people_asked_can_answer_and_unknown_ids_are_explained(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol", "dave")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    assert "There's no intro 1 waiting for your answer." in joined(await bot.say("dave", "!accept 1"))
    assert "There's no intro 99 waiting for your answer." in joined(await bot.say("alice", "!accept 99"))
    assert "You proposed intro 1, so the answer is up to the people you introduced." in joined(
        await bot.say("carol", "!decline 1")
    )
    await bot.say("alice", "!accept 1")
    assert "You've already said yes to intro 1" in joined(await bot.say("alice", "!accept 1"))
    await bot.say("bob", "!accept 1")
    assert "Intro 1 has already happened." in joined(await bot.say("bob", "!accept 1"))


async def test_answers_are_sent_privately_even_when_typed_in_public(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    lines = await bot.say("alice", "!decline 1")
    assert joined(public(lines)) == "I've sent you the details privately."


async def test_pending_intros_show_up_in_mine(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    mine = joined(to("alice", await bot.say("alice", "!mine")))
    assert "Intros waiting for your answer:" in mine
    assert "1 you and bob · `accept 1` or `decline 1`" in mine
    assert "Next: `accept 1` or `decline 1`." in mine
    await bot.say("alice", "!accept 1")
    assert "Intros waiting" not in joined(await bot.say("alice", "!mine"))


async def test_an_intro_to_an_outside_contact_asks_the_member_and_tells_the_owner_to_connect(
    bot: ConsoleBot,
) -> None:
    await _members(bot, "alice", "carol", "dave")
    await bot.say("carol", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    lines = await bot.say("dave", '!intro @alice 1 why:"she organises school librarians"')
    assert joined(public(lines)) == "I've sent you the details privately."
    assert "I've asked alice privately (intro 1)" in joined(to("dave", lines))
    asked = joined(to("alice", lines))
    assert "dave would like to introduce you to Jordan Lee (Teachers Union), an outside contact of carol's" in asked
    assert "If you say yes, carol will put you in touch." in asked
    assert not to("carol", lines)
    done = await bot.say("alice", "!accept 1")
    owner = joined(to("carol", done))
    assert "@alice said yes to meeting Jordan Lee (contact 1), proposed by dave" in owner
    assert "`contact note 1 introduced alice`" in owner and "I'll remind you on Thu 26 Nov" in owner
    assert "carol will put them in touch" in joined(to("dave", done))
    followups = joined(await bot.say("carol", "!followups"))
    assert "f1 put alice in touch with Jordan Lee (contact 1, intro 1) · due Thu 26 Nov" in followups
    assert "That settles 1 follow-up." in joined(await bot.say("carol", "!contact note 1 introduced alice"))
    assert "No follow-ups" in joined(await bot.say("carol", "!followups"))


async def test_an_intro_to_a_contact_the_member_may_not_see_is_refused(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "carol")
    await bot.say("carol", '!contact add name:"Jordan Lee"')  # shared with leads by default
    await bot.say("carol", '!contact add name:"Sam Private" share:private')
    refused = joined(await bot.say("carol", f"!intro @alice 1 {WHY}"))
    assert "alice can't see contact 1 (it's shared with leads only)" in refused
    assert "`contact edit 1 share:members`" in refused
    private = joined(await bot.say("carol", f"!intro @alice 2 {WHY}"))
    assert "Contact 2 is private, so I can't introduce anyone to it." in private
    assert "There's no contact 2 you can see." in joined(await bot.say("alice", f"!intro me 2 {WHY}"))
    assert "No intros yet" in joined(await bot.say("carol", "!intros"))


async def test_a_contact_can_be_named_instead_of_numbered_when_the_name_is_no_members(bot: ConsoleBot) -> None:
    """`intro @alice "Jordan Lee"` was refused: "I don't know anyone called Jordan Lee yet"."""
    await _members(bot, "alice", "carol", "dave")
    await bot.say("carol", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    await bot.say("carol", '!contact add name:"Sam Private" share:private')
    asked = joined(to("alice", await bot.say("dave", '!intro @alice "jordan lee" why:"school librarians"')))
    assert "dave would like to introduce you to Jordan Lee (Teachers Union)" in asked
    unseen = joined(await bot.say("dave", f'!intro @alice "Sam Private" {WHY}'))  # not one dave can see
    assert "I don't know anyone called Sam Private: no member, and no contact you can see." in unseen
    await bot.say("dave", '!contact add name:"Jordan Lee" share:members')
    several = joined(await bot.say("dave", f'!intro @carol "Jordan Lee" {WHY}'))
    assert "Several contacts you can see go by Jordan Lee (1, 3). Put the one you mean by its number" in several
    made = joined(await bot.say("dave", f"!intro @alice carol {WHY}"))
    assert "I've asked alice and carol privately (intro 2)" in made, made  # a member's name is the member


async def test_a_contact_can_be_named_by_its_first_words_when_no_contact_has_just_that_name(
    bot: ConsoleBot,
) -> None:
    """`intro me jordan` for "Jordan Lee" was "I don't know anyone called jordan"."""
    await _members(bot, "alice", "carol")
    await bot.say("carol", '!contact add name:"Jordan Lee" share:members')
    await bot.say("carol", '!contact add name:"Jordanna Pike" share:members')  # not "jordan" and more
    lines = await bot.say("alice", f"!intro me jordan {WHY}")
    assert "Intro 1 is on: carol will put you in touch with Jordan Lee." in joined(to("alice", lines))
    await bot.say("carol", '!contact add name:"Sam Ho" share:members')
    await bot.say("carol", '!contact add name:"Sam Ho Kim" share:members')
    assert "Intro 2 is on: carol will put you in touch with Sam Ho." in joined(
        await bot.say("alice", f'!intro me "sam ho" {WHY}')
    )
    await bot.say("carol", '!contact add name:"Jordan Smith" share:members')
    several = joined(await bot.say("alice", f'!intro me "jordan" {WHY}'))
    assert "Several contacts you can see go by jordan (1, 5)." in several


async def test_a_member_can_ask_to_meet_a_shared_contact_and_the_owner_is_told(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "carol")
    await bot.say("carol", '!contact add name:"Jordan Lee" share:members')
    lines = await bot.say("alice", '!intro me 1 why:"I want to learn about their bargaining"')
    assert "Intro 1 is on: carol will put you in touch with Jordan Lee." in joined(to("alice", lines))
    assert "@alice would like to meet Jordan Lee (contact 1)" in joined(to("carol", lines))
    assert "Jordan Lee is your own contact" in joined(await bot.say("carol", f"!intro me 1 {WHY}"))
    for answer in ("accept", "decline"):  # the owner is not asked: they connect them
        said = joined(await bot.say("carol", f"!{answer} 1"))
        assert "Intro 1 needs no answer from you: it's yours to put them in touch with your contact 1." in said


async def test_an_intro_to_a_contact_reads_as_made_only_once_the_owner_notes_it(bot: ConsoleBot) -> None:
    """`intros` said "introduced" as soon as the member asked, though only the owner can make it."""
    await _members(bot, "alice", "carol", "dave")
    await bot.say("carol", '!contact add name:"Jordan Lee" share:members')
    await bot.say("dave", '!intro @alice 1 why:"both care about bargaining"')
    bot.dm()
    await bot.say("alice", "accept 1")
    assert "carol is putting you in touch" in joined(await bot.say("alice", "intros"))
    assert "carol is putting them in touch" in joined(await bot.say("dave", "intros"))  # the proposer
    owner = joined(await bot.say("carol", "intros"))
    assert "yours to put in touch: `contact note 1 introduced alice` once you have" in owner
    await bot.say("carol", "contact note 1 introduced alice by email")
    assert "· introduced " in joined(await bot.say("alice", "intros"))
    assert "· introduced " in joined(await bot.say("carol", "intros"))


async def test_a_contact_made_private_later_is_hidden_in_intros(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "carol")
    await bot.say("carol", '!contact add name:"Jordan Lee" share:members')
    await bot.say("alice", f"!intro me 1 {WHY}")
    await bot.say("carol", "!contact edit 1 share:private")
    listing = joined(await bot.say("alice", "!intros"))
    assert "you and an outside contact" in listing and "Jordan" not in listing
    assert "alice and Jordan Lee (contact 1)" in joined(await bot.say("carol", "!intros"))  # the owner


async def test_an_intro_whose_proposer_left_introduces_without_an_empty_reason(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "carol")
    await bot.say("carol", f"!intro @alice @bob {WHY}")
    bot.dm()
    await bot.say("carol", "!forget me")
    await bot.say("carol", "!forget me confirm")
    await bot.say("alice", "!accept 1")
    done = await bot.say("bob", "!accept 1")
    for name in ("alice", "bob"):
        met = joined(to(name, done))
        assert "You both said yes." in met
        assert "“”" not in met and "The reason" not in met and "\n\n" not in met


async def test_an_intro_that_went_with_its_contact_is_called_off_and_its_number_never_comes_back(
    bot: ConsoleBot,
) -> None:
    """`contact drop` deleted the intro silently, and the next intro was intro 1 again: bob, asked
    about Jordan, would have accepted an intro to someone else with the `accept 1` he was given."""
    await _members(bot, "alice", "bob", "carol")
    await bot.say("alice", '!contact add name:"Jordan Lee" share:members')
    await bot.say("alice", '!intro @bob 1 why:"meet Jordan"')
    dropped = await bot.say("alice", "!contact drop 1")
    said = joined(to("alice", dropped))
    assert "Dropped contact 1 (Jordan Lee) with its notes and follow-ups, and the pending intro 1:" in said
    assert to("bob", dropped) == ["Intro 1 is off: the contact it was about was removed."]  # nothing of who or why
    again = await bot.say("alice", '!intro @bob @carol why:"new"')
    assert "(intro 2)" in joined(to("alice", again))
    assert "`accept 2` or `decline 2`" in joined(to("bob", again))  # asked, under a key of its own
    assert "There's no intro 1 waiting for your answer." in joined(await bot.say("bob", "!accept 1"))
    await bot.say("alice", '!contact add name:"Sam Ho" share:members')
    assert "(intro 3)" in joined(await bot.say("alice", '!intro @carol "Sam Ho" why:"meet Sam"'))


async def test_a_proposer_who_does_not_own_the_dropped_contact_is_told_too(bot: ConsoleBot) -> None:
    await _members(bot, "alice", "bob", "dave")
    await bot.say("alice", '!contact add name:"Jordan Lee" share:members')
    await bot.say("dave", '!intro @bob 1 why:"meet Jordan"')
    dropped = await bot.say("alice", "!contact drop 1")
    for name in ("bob", "dave"):
        assert to(name, dropped) == ["Intro 1 is off: the contact it was about was removed."]
    assert "No intros yet" in joined(await bot.say("dave", "!intros"))


async def test_a_member_whose_ask_had_not_gone_out_hears_nothing_of_an_intro_that_went_with_its_contact(
    bot: ConsoleBot,
) -> None:
    """bob keeps quiet until 11:00 (it is 10:00): the ask waits for him, and goes with the contact."""
    await _members(bot, "alice", "bob")
    await bot.say("bob", "!profile quiet:09:00-11:00")
    await bot.say("alice", '!contact add name:"Jordan Lee" share:members')
    assert not to("bob", await bot.say("alice", '!intro @bob 1 why:"meet Jordan"'))
    assert not to("bob", await bot.say("alice", "!contact drop 1"))
    assert not any("ntro 1" in line for line in await bot.advance("1d"))


async def test_the_intros_that_go_with_someone_forgotten_are_called_off_to_whoever_waits_as_not_now(
    bot: ConsoleBot,
) -> None:
    """`forget me` deleted carol's intros silently: bob, asked to meet her (and her contact), kept
    an `accept` that answered nothing, and alice, who proposed them, waited for ever."""
    await _members(bot, "alice", "bob", "carol", "dave")
    await bot.say("carol", '!contact add name:"Jordan Lee" share:members')
    await bot.say("alice", f"!intro @bob @carol {WHY}")
    await bot.say("alice", '!intro @bob 1 why:"meet Jordan"')
    await bot.say("carol", f"!intro @bob @dave {WHY}")  # carol only proposed this one: it goes on
    bot.dm()
    await bot.say("carol", "forget me")
    gone = await bot.say("carol", "forget me confirm")
    for name in ("alice", "bob"):
        told = sorted(to(name, gone))
        assert told == [f"Intro {n} won't go ahead for now. Next: `intros` for the rest." for n in (1, 2)], name
    assert not to("dave", gone)
    assert "There's no intro 1 waiting for your answer." in joined(await bot.say("bob", "accept 1"))
    assert "You both said yes." not in joined(await bot.say("bob", "accept 3"))  # dave has still to answer
    assert "You both said yes." in joined(await bot.say("dave", "accept 3"))


async def test_an_intro_whose_proposer_left_before_a_side_was_asked_is_called_off(bot: ConsoleBot) -> None:
    """carol's questions waited out alice's and bob's quiet hours and went with her (`forget me`),
    but the intros stayed: alice was shown "waiting for you" on a question she never got."""
    await _members(bot, "alice", "bob", "carol", "dave")
    for name in ("alice", "bob"):
        await bot.say(name, "!profile quiet:09:00-11:00")  # it is 10:00: their questions wait
    await bot.say("carol", f"!intro @alice @bob {WHY}")  # asked nobody yet
    assert "`accept 2`" in joined(to("dave", await bot.say("carol", f"!intro @dave @bob {WHY}")))  # dave only
    bot.dm()
    await bot.say("carol", "forget me")
    gone = await bot.say("carol", "forget me confirm")
    assert to("dave", gone) == ["Intro 2 won't go ahead for now. Next: `intros` for the rest."]
    assert not to("alice", gone) and not to("bob", gone)
    assert not [line for line in await bot.advance("1d") if "ntro" in line]  # nothing reaches them later
    for name in ("alice", "bob", "dave"):
        assert "No intros yet" in joined(await bot.say(name, "intros")), name
    again = await bot.say("dave", f"!intro @alice @bob {WHY}")  # the pair is free, under a new number
    assert "(intro 3)" in joined(to("dave", again))
