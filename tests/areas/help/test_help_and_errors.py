"""Help and errors (spec §8): every mistake gets a clear reply and changes nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot.catalog import REGISTRY
from bot.core.messages import Incoming, Invocation, Mentioned, Sender, without_nul
from tests.console_bot import ConsoleBot, joined


async def test_help_lists_every_command_grouped_by_section(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!help"))
    for section, commands in REGISTRY.sections():
        assert section.value in reply
        for command in commands:
            assert f"— {command.summary}" in reply
    # Who may use a command only some may is said on its line, before anyone tries it.
    assert '`ask title:"…"` — Post an ask; matching volunteers hear of it privately. (leads only)' in reply
    assert "`role <member> member|lead|admin` — Change a member's role. (admins only)" in reply
    assert "`claim <id>` — Claim a slot on an ask.\n" in reply
    assert reply.rstrip().endswith("Next: `help <command>` for details and an example, like `help claim`.")


async def test_a_nul_character_is_taken_out_on_both_backends_not_an_incident(bot: ConsoleBot) -> None:
    """A NUL is invisible and means nothing in chat, and PostgreSQL cannot store one in text: it
    ended in the apology there (and was stored on SQLite)."""
    await bot.say("alice", "!volunteer research")
    for text in ('!profile region:"Up\x00per"', "!contact add name:Jo\x00rdan"):
        assert "Sorry, something went wrong" not in joined(await bot.say("alice", text)), text
    assert "Posted ask 1" in joined(await bot.feed('!ask title:"Zine\x00 layout" skill:research'))
    assert "region: Upper" in joined(await bot.say("alice", "!profile"))
    assert "Zine layout" in joined(await bot.feed("!asks"))
    assert "Jordan" in joined(await bot.say("alice", "!contacts"))


def test_without_nul_cleans_names_and_slash_command_options_and_leaves_clean_messages_alone() -> None:
    sender = Sender("discord", "1", "Al\x00ice")
    incoming = Incoming(
        "discord", "e1", sender, "c", True, "/ask", datetime(2026, 12, 1, tzinfo=UTC),
        mentions=(Mentioned("<@2>", "2", "B\x00ob"),), invocation=Invocation("ask", (("title", "Zi\x00ne"),)),
    )  # fmt: skip
    cleaned = without_nul(incoming)
    assert (cleaned.sender.display_name, cleaned.mentions[0].display_name) == ("Alice", "Bob")
    assert cleaned.invocation is not None and cleaned.invocation.options == (("title", "Zine"),)
    clean = dataclasses.replace(incoming, sender=Sender("discord", "1", "Alice"), mentions=(), invocation=None)
    assert without_nul(clean) is clean


@pytest.mark.parametrize("command", REGISTRY.commands, ids=lambda c: c.key)
async def test_help_for_each_command_shows_usage_who_and_an_example(bot: ConsoleBot, command: object) -> None:
    from bot.core.commands import Command

    assert isinstance(command, Command)
    reply = joined(await bot.feed(f"!help {command.name}"))
    assert f"`{command.usage()}`" in reply
    assert f"Example: `{command.example}`" in reply
    assert f"Who: {command.who_may()}." in reply


async def test_help_for_an_unknown_command_suggests_one(bot: ConsoleBot) -> None:
    assert "There's no command `clam`. Did you mean `help claim`?" in joined(await bot.feed("!help clam"))


async def test_a_slip_in_a_longer_commands_second_word_gets_a_did_you_mean(bot: ConsoleBot) -> None:
    """`contact ad name:x` was "`contact` has no `name:`": `contact <id>` was the form tried."""
    assert "I don't know `contact ad`. Did you mean `contact add`?" in joined(await bot.feed("!contact ad name:x"))
    assert "Did you mean `contact edit`?" in joined(await bot.feed("!contact edt 1 org:x"))
    await bot.feed('!contact add name:"Jo Lee"')
    assert "Jo Lee (contact 1)" in joined(await bot.feed("!contact 1"))  # a form that fits is no slip


async def test_an_unknown_command_gets_a_did_you_mean(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!voluntere research"))
    assert reply == "[#general] I don't know `voluntere`. Did you mean `volunteer`? Try `help`."


async def test_gibberish_gets_pointed_to_help(bot: ConsoleBot) -> None:
    assert "Try `help` to see what I can do." in joined(await bot.feed("!qqqqqq"))
    assert "Which command?" in joined(await bot.feed("!"))


async def test_the_command_is_the_first_word_not_one_after_a_key(bot: ConsoleBot) -> None:
    # `alice: Done three interviews` once read as a command named `three`, and `!x:y claim 1`
    # as `claim` with `claim` for its id.
    assert joined(await bot.feed("!alice: Done three interviews")).startswith("[#general] I don't know `alice`.")
    assert joined(await bot.feed("!x:y claim 1")).startswith("[#general] I don't know `x`.")
    assert "Which command?" in joined(await bot.feed('!"claim" 1'))
    # A colon after the command's own name is read past: `help: claim` is `help claim`.
    assert "Example: `claim 12`" in joined(await bot.feed("!Help: claim"))
    assert joined(await bot.feed("!claim: 3")) == "[#general] There's no ask 3. `asks` lists the open ones."


async def test_missing_arguments_show_the_usage_and_an_example(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!update 3"))
    assert "`update` needs a text." in reply
    assert "Usage: `update <id> <text>`" in reply
    assert "Example: `update 12 found three good sources`" in reply


async def test_a_command_with_two_forms_explains_both_when_neither_fits(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!ask"))
    assert '`ask title:"…"' in reply and "`ask <id>`" in reply


async def test_a_command_with_two_forms_names_the_other_when_the_one_taken_fails(bot: ConsoleBot) -> None:
    """`ask "Flyer"` was read as `ask <id>` and answered with that form alone."""
    reply = joined(await bot.feed('!ask "Design a flyer"'))
    assert "`id` should be an id, not Design a flyer." in reply and "Usage: `ask <id>`" in reply
    assert 'Or: `ask title:"…"' in reply
    assert "Or:" not in joined(await bot.feed("!contact x"))  # one form: nothing else to offer


async def test_numbers_outside_their_range_are_refused_with_the_range_and_change_nothing(bot: ConsoleBot) -> None:
    """Each number's bounds live in its kind: `audit 500` and `signatures invite 0` were cut to
    fit without a word, `page:0` read as page 1, `load:-2` called "not a whole number"."""
    await bot.say("alice", "!volunteer research")
    for command, said in (
        ("!audit 500", "`n` should be a whole number from 1 to 100, not 500."),
        ("!signatures invite 0", "`n` should be a whole number from 1 to 500, not 0."),
        ("!asks page:0", "`page` should be a whole number from 1 to 999,999, not 0."),
        ("!profile load:-2", "`load` should be a whole number from 1 to 50, not -2."),
        ("!profile load:x", "`load` should be a whole number, not x."),
        ("!asks page:99999999", "`page` should be a whole number from 1 to 999,999, not 99999999."),
        ("!rsvp", "`rsvp` needs an id and an answer."),
        ("!intro", "`intro` needs a member, a member or contact and `why:`."),
    ):
        assert said in joined(await bot.feed(command)), command
    assert "load: default" in joined(await bot.feed("!profile"))


async def test_zero_width_characters_from_a_paste_neither_break_a_command_nor_hide_in_an_error(
    bot: ConsoleBot,
) -> None:
    """`claim 1\u200b` was "`id` should be an id, not 1" (the culprit invisible), and a stray
    `""` was "I didn't expect  there"."""
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Count the chairs"')
    assert "It's yours: ask 1" in joined(await bot.say("alice", "!claim 1\u200b"))
    assert "Closed ask 1." in joined(await bot.feed("!close\u200b 1"))
    assert "Volunteers and profiles" in joined(await bot.feed("!\u200b help"))  # a word of nothing is no word
    assert "`until:` is empty." in joined(await bot.say("alice", '!pause ""'))
    assert "You're paused" not in joined(await bot.say("alice", "!mine"))
    assert "Paused:" in joined(await bot.say("alice", "!pause \u200b\ufeff"))


async def test_a_number_that_ends_a_sentence_is_read_without_its_full_stop(bot: ConsoleBot) -> None:
    """`claim 1.` was "`id` should be an id, not 1.."; `need:2!` "should be a whole number"."""
    await bot.say("alice", "!volunteer research")
    assert "0/2 taken" in joined(await bot.feed('!ask title:"Count the chairs" need:2!'))
    assert "It's yours: ask 1" in joined(await bot.say("alice", "!claim 1."))
    assert "Marked your part of ask 1 done" in joined(await bot.say("alice", "!done #1!"))
    assert "`id` should be an id, not 1.." in joined(await bot.say("alice", "!claim 1.."))  # one mark, not any


async def test_a_word_given_as_a_key_is_told_how_to_say_it(bot: ConsoleBot) -> None:
    """`audit all:yes` said "`audit` has no `all:` (it takes n:)", and `skills x:1` "(it takes none)"."""
    assert "`mine` is a word on its own: `asks mine`, not `mine:`." in joined(await bot.feed("!asks mine:yes"))
    assert "`skills` takes no `key:` values, so not `x:`." in joined(await bot.feed("!skills x:1"))
    assert "`audit` has no `nn:`. Did you mean `n:`?" in joined(await bot.feed("!audit nn:3"))


async def test_a_member_using_a_lead_command_is_told_who_can(bot: ConsoleBot) -> None:
    reply = joined(await bot.say("bob", '!ask title:"Plan the rally"'))
    assert reply == ("[#general] Only leads can use `ask`. If you think you should, ask an admin to run `role`.")
    assert "No open asks" in joined(await bot.feed("!asks"))


async def test_a_member_is_told_who_can_before_anything_about_the_arguments(bot: ConsoleBot) -> None:
    """A member's `coverage by:town` was coached on `by:` (and `ask … due:blorp` on dates) before
    learning the command is not theirs: whatever the arguments, who may comes first."""
    await bot.say("bob", "!volunteer research")
    for line, who in (
        ('!ask title:"Plan the rally" need:0', "Only leads can use `ask`."),
        ('!ask title:"Plan the rally" due:blorp', "Only leads can use `ask`."),
        ("!ask title:", "Only leads can use `ask`."),
        ("!coverage by:town", "Only leads can use `coverage`."),
        ("!digest now", "Only leads can use `digest`."),
        ("!audit 500", "Only admins can use `audit`."),
        ("!role @you", "Only admins can use `role`."),
    ):
        reply = joined(await bot.say("bob", line))
        assert who in reply and "Usage:" not in reply, (line, reply)
    assert "Did you mean `coverage`?" in joined(await bot.say("bob", "!coverag by:town"))  # no command: a typo still


async def test_only_admins_change_roles(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    assert "Only admins can use `role`" in joined(await bot.say("bob", "!role @alice lead"))
    assert "alice is now a lead (was member)" in joined(await bot.feed("!role @alice lead"))
    assert "already a lead" in joined(await bot.feed("!role @alice lead"))
    audit = joined(await bot.feed("!audit"))
    assert "you made alice a lead (was member)" in audit


async def test_a_huge_message_is_refused_with_the_limit(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!volunteer " + "a" * 5000))
    assert "That message is too long for me" in reply and "the limit is 4000" in reply
    assert "No skills yet" in joined(await bot.feed("!skills"))


async def test_a_plain_message_in_a_private_chat_points_to_commands(bot: ConsoleBot) -> None:
    bot.dm()
    assert "I didn't catch that: I answer commands" in joined(await bot.say("alice", "hello there"))
    assert "Welcome aboard" in joined(await bot.say("alice", "volunteer research"))  # no prefix needed in DMs


async def test_chatter_in_a_public_channel_is_ignored_and_the_console_hints_once(bot: ConsoleBot) -> None:
    # The bot says nothing, as on every platform; the console's own UI hints once per person.
    hint = "[console] Commands start with `!` here, e.g. `!help`."
    assert await bot.say("alice", "good morning everyone") == [hint]
    assert await bot.say("alice", "anyone up for lunch?") == []
    assert await bot.say("bob", "morning!") == [hint]


async def test_replies_end_with_a_next_step(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.feed('!ask title:"Task" skill:research')
    for line in ("!asks", "!claim 1", "!update 1 going", "!ask 1", "!skills", "!profile"):
        reply = joined(await bot.say("alice", line))
        assert "Next:" in reply or "`" in reply.splitlines()[-1], line


async def test_quotes_from_phones_and_spaces_after_colons_work(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!ask title: “Phone typed title” need: 2"))
    assert "Phone typed title" in reply and "0/2 taken" in reply


async def test_text_that_is_not_valid_unicode_gets_a_clear_error_not_the_apology(bot: ConsoleBot) -> None:
    """A lone surrogate (what invalid UTF-8 becomes when decoded with `surrogateescape`, or a
    broken `\\ud800` escape in a Matrix event) is refused in words, and changes nothing."""
    for text in ("!volunteer re\udcffsearch", "!volunteer \ud800", '!ask title:"broken \udc80 emoji"'):
        reply = joined(await bot.say("alice", text))
        assert "Sorry, something went wrong" not in reply
        assert "isn't valid text" in reply
    assert "I don't know anyone called alice yet" in joined(await bot.say("bob", "!whois alice"))  # not even met
    assert "No open asks" in joined(await bot.feed("!asks"))


@pytest.mark.parametrize("command", REGISTRY.commands, ids=lambda c: c.key)
async def test_help_knows_every_command_by_its_example_and_by_its_first_word(bot: ConsoleBot, command: object) -> None:
    """`help contact add name:"…"` (a command as typed) answers with that command's help, and
    `help forget` or `help contact` (its first word) with it or a pointer to it."""
    from bot.core.commands import Command

    assert isinstance(command, Command)
    typed = joined(await bot.feed(f"!help {command.example}"))
    assert f"`{command.usage()}`" in typed and f"Example: `{command.example}`" in typed
    first = joined(await bot.feed(f"!help {command.name.split()[0]}"))
    assert f"`{command.usage()}`" in first or ("Also: " in first and f"`{command.name}`" in first)
    for reply in (typed, first):
        assert "Did you mean" not in reply and "There's no command" not in reply


async def test_help_for_the_first_word_of_longer_commands_shows_them(bot: ConsoleBot) -> None:
    forget = joined(await bot.feed("!help forget"))
    assert "`forget me [confirm]`" in forget and "Did you mean" not in forget
    assert "`export me`" in joined(await bot.feed("!help export"))
    contact = joined(await bot.feed("!help contact"))
    assert "`contact <id>`" in contact
    assert "Also: `contact add`, `contact note`, `contact edit`, `contact drop`." in contact
    assert "Did you mean `help contact add`?" in joined(await bot.feed("!help contct add"))
    # A typo in the second word was read as `contact <id>`'s argument, and its help shown.
    assert "There's no command `contact addd`. Did you mean `help contact add`?" in joined(
        await bot.feed("!help contact addd")
    )
    assert "Did you mean `help contact note`?" in joined(await bot.feed("!help contact notes"))
    for plain in ("contact 5", "ask 12", "asks mine"):  # an example's argument is no typo
        assert "Did you mean" not in joined(await bot.feed(f"!help {plain}")), plain


async def test_the_first_word_of_a_two_word_command_is_answered_with_the_whole_command(bot: ConsoleBot) -> None:
    reply = joined(await bot.feed("!export"))
    assert "`export` is the start of `export me`." in reply and "`help export me`" in reply
    assert "Did you mean `export`?" not in reply
    assert "`forget` is the start of `forget me`." in joined(await bot.feed("!forget you"))
    assert "I don't know `exprot`. Did you mean `export me`?" in joined(await bot.feed("!exprot"))
    assert not bot.console.files  # nothing was exported


async def test_a_typo_in_a_private_chat_gets_the_same_did_you_mean_as_in_a_channel(bot: ConsoleBot) -> None:
    channel = joined(await bot.say("alice", "!volunter research"))
    bot.dm()
    private = joined(await bot.say("alice", "volunter research"))
    assert "I don't know `volunter`. Did you mean `volunteer`? Try `help`." in channel
    assert "I don't know `volunter`. Did you mean `volunteer`? Try `help`." in private
    # not a typo of anything:
    assert "I didn't catch that: I answer commands" in joined(await bot.say("alice", "hello there"))
    assert "hasn't signed up" in joined(await bot.say("bob", "!whois alice"))  # the typo changed nothing


async def test_missing_arguments_are_named_with_the_right_article(bot: ConsoleBot) -> None:
    assert "`claim` needs an id." in joined(await bot.feed("!claim"))


async def test_numbers_and_roles_are_said_in_good_english(bot: ConsoleBot) -> None:
    await bot.say("jo", "!volunteer research")
    assert "jo is now an admin (was member)." in joined(await bot.feed("!role @jo admin"))
    assert "jo is already an admin." in joined(await bot.feed("!role @jo admin"))
    await bot.feed('!ask title:"Only one"')
    assert "There is only 1 page. Try `asks page:1`." in joined(await bot.feed("!asks page:2"))
    coverage = joined(await bot.feed("!coverage"))
    assert "Coverage by region, 1 volunteer." in coverage and "1 volunteer hasn't said" in coverage


async def test_plain_english_is_not_taken_for_a_typo_and_one_slip_is(bot: ConsoleBot) -> None:
    """difflib's ratio called `please` a typo of `release`, `me` one of `met` and `leads` one of
    `release`; a slip is now counted in edits (a letter wrong, missing, extra or two swapped)."""
    for typed, meant in (("voluntere", "volunteer"), ("clam", "claim"), ("mien", "mine"), ("asks", None)):
        reply = joined(await bot.feed(f"!help {typed}"))
        assert (f"Did you mean `help {meant}`?" in reply) if meant else ("Did you mean" not in reply), typed
    for plain in ("please", "me", "hello", "thanks"):
        reply = joined(await bot.feed(f"!{plain}"))
        assert reply == f"[#general] I don't know `{plain}`. Try `help` to see what I can do.", plain
    everything = joined(await bot.feed("!help me"))  # they want help, not only a lesson in command names
    assert everything.startswith("[#general] There's no command `me`. Here's everything I can do:\n")
    assert "`dashboard` —" in everything and "Did you mean" not in everything
    assert "`dashboard` —" in joined(await bot.feed("!help please"))


async def test_help_names_a_section_by_a_word_of_its_title(bot: ConsoleBot) -> None:
    leads = joined(await bot.feed("!help leads"))
    assert leads.startswith("[#general] Leads\n") and "`coverage`" in leads and "`claim <id>`" not in leads
    assert leads.endswith("Next: `help <command>` for details, like `help coverage`.")
    assert "`checkin off`" in joined(await bot.feed("!help check-ins"))
    assert "`volunteer <skill> [skill…]`" in joined(await bot.feed("!help profiles"))
    assert "`dashboard` —" in joined(await bot.feed("!help and"))  # a title's small words name no section


async def test_words_people_use_for_a_command_point_to_it_and_run_nothing(bot: ConsoleBot) -> None:
    cases = {"join": "volunteer", "sign up": "volunteer", "register": "volunteer", "stop": "pause",
             "unsubscribe": "pause", "delete me": "forget me", "todo": "mine", "meetings": "events"}  # fmt: skip
    for typed, meant in cases.items():
        said = f"[#general] I don't know `{typed}`. Did you mean `{meant}`? Try `help`."
        assert joined(await bot.feed(f"!{typed}")) == said
    bot.dm()
    assert "Did you mean `pause`?" in joined(await bot.say("dana", "STOP"))
    assert "Did you mean `volunteer`?" in joined(await bot.say("dana", "sign up please"))
    assert "hasn't signed up" in joined(await bot.say("bob", "whois dana")) and "paused" not in joined(
        await bot.say("dana", "mine")
    )


def test_a_word_meant_for_a_command_may_not_begin_one_or_mean_two() -> None:
    from bot.core.commands import Registry

    commands = list(REGISTRY.commands)
    volunteer = next(c for c in commands if c.name == "volunteer")
    with pytest.raises(ValueError, match="begin a command"):
        Registry([*commands[1:], dataclasses.replace(commands[0], meant_by=("claim it",))])
    with pytest.raises(ValueError, match="meant for two commands"):
        Registry([c if c is not volunteer else dataclasses.replace(c, meant_by=("stop",)) for c in commands])


async def test_a_newcomer_is_shown_how_to_sign_up_not_commands_for_members(bot: ConsoleBot) -> None:
    bot.dm()
    hello = joined(await bot.say("dana", "hello!"))
    assert "New here?" in hello and "`volunteer research writing`" in hello and "`mine`" not in hello
    assert "you haven't signed up yet. Next: `volunteer <skill>`" in joined(await bot.say("dana", "mine"))
    await bot.say("dana", "volunteer research")
    assert "New here?" not in joined(await bot.say("dana", "hello again"))
    assert "Next: `asks` to find something to do." in joined(await bot.say("dana", "mine"))
