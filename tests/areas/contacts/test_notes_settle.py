"""What a note on a contact settles (spec §3, §4): the owner's own follow-up, and an intro's
hand-off only when the note names the member put in touch."""

from __future__ import annotations

from tests.areas.accounts.test_accounts import say_on
from tests.console_bot import ConsoleBot, joined, to


async def _two_waiting(bot: ConsoleBot) -> None:
    """bob and carol each asked to meet alice's contact 1: alice has f1 (bob) and f2 (carol)."""
    for name in ("alice", "bob", "carol"):
        await bot.say(name, "!volunteer research")
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    await bot.say("bob", '!intro me 1 why:"bob wants to talk bargaining"')
    await bot.say("carol", '!intro me 1 why:"carol wants to talk school funding"')


async def test_a_note_naming_one_member_settles_only_their_hand_off(bot: ConsoleBot) -> None:
    """Typing the suggested `contact note 1 introduced bob by email` settled carol's hand-off too:
    her intro read "introduced" though nobody had been in touch, and alice's reminder was gone."""
    await _two_waiting(bot)
    noted = joined(await bot.say("alice", "!contact note 1 introduced bob by email"))
    assert "Noted on contact 1 (Jordan Lee). That settles 1 follow-up. You've put bob in touch (intro 1)." in noted
    assert (
        "Still open: putting carol (f2) in touch. A note settles that once it names them, like "
        "`contact note 1 introduced carol`."
    ) in noted
    left = joined(await bot.say("alice", "!followups"))
    assert "f2 put carol in touch with Jordan Lee" in left and "f1 " not in left
    assert "Next: `contact note 1 introduced carol` once you've put them in touch, or `snooze f2 3d`." in left
    assert "· introduced " in joined(await bot.say("bob", "!intros"))
    assert "alice is putting you in touch" in joined(await bot.say("carol", "!intros"))
    reminded = joined(to("alice", await bot.advance("3d")))  # Thursday: the hand-off left is reminded
    handoff = "Put carol in touch with Jordan Lee (due Thu 26 Nov): then log it with `contact note 1 introduced carol`"
    assert handoff in reminded
    nobody = joined(await bot.say("alice", "!contact note 1 called Jordan about the rally"))
    assert "That settles" not in nobody and "Still open: putting carol (f2) in touch." in nobody
    named = joined(await bot.say("alice", "!contact note 1 Introduced @Carol at the rally"))  # any case, a mention
    assert "That settles 1 follow-up. You've put carol in touch (intro 2)." in named
    assert "Still open" not in named
    assert "· introduced " in joined(await bot.say("carol", "!intros"))
    assert "No follow-ups" in joined(await bot.say("alice", "!followups"))


async def test_a_note_settles_the_owners_own_follow_up_and_each_member_it_names(bot: ConsoleBot) -> None:
    await _two_waiting(bot)
    await bot.say("alice", "!contact edit 1 follow:friday")  # her own follow-up, f3
    own = joined(await bot.say("alice", "!contact note 1 bobby from the union called"))  # "bobby" is not bob
    assert "That settles 1 follow-up.\n" in own and "You've put" not in own
    assert "Still open: putting bob (f1) and carol (f2) in touch." in own
    both = joined(await bot.say("alice", "!contact note 1 introduced bob and carol follow:friday"))
    assert "That settles 2 follow-ups. You've put bob and carol in touch (intros 1 and 2). Follow-up f4 on" in both
    assert "Still open" not in both
    listed = joined(await bot.say("alice", "!followups"))
    assert "f4 Jordan Lee (contact 1)" in listed and "put" not in listed.split("\n")[1]


async def test_a_note_names_a_member_written_without_accents_or_marks(bot: ConsoleBot) -> None:
    """`introduced renee` did not settle Renée's hand-off, nor `introduced obrien` O'Brien's: a
    name is compared folded, as everywhere else, and a name's pieces may be run together."""
    for name in ("alice", "Renée"):
        await bot.say(name, "!volunteer research")
    await say_on(bot, "matrix", "@ob:example.org", "O'Brien", "!volunteer research")
    bot.dm()
    await bot.say("alice", '!contact add name:"Jordan Lee" org:"Teachers Union" share:members')
    await bot.say("Renée", '!intro me 1 why:"bargaining"')
    await say_on(bot, "matrix", "@ob:example.org", "O'Brien", '!intro me 1 why:"school funding"')
    first = joined(await bot.say("alice", "!contact note 1 introduced renee by email"))
    assert "You've put Renée in touch (intro 1)." in first and "Still open: putting O'Brien (f2)" in first
    second = joined(await bot.say("alice", "!contact note 1 introduced OBrien at the rally"))
    assert "You've put O'Brien in touch (intro 2)." in second and "Still open" not in second
