"""Privacy is enforced in one place: walk every command of the registry and look for leaks.

Alice keeps a leads-only profile, contacts shared privately, with leads and with members, notes,
a check-in answer and a note on a meeting — each marked with a word that must never show up where
it should not: nothing private in a public channel, ever; nothing beyond its share in private.
"""

from __future__ import annotations

from typing import Any

from bot.catalog import REGISTRY
from bot.core.commands import Command
from bot.core.kinds import Choices
from bot.core.params import Param
from tests.console_bot import ConsoleBot, joined, public, to

LEADS_ONLY = ("SECRETREGION", "SECRETJOB", "SECRETHOURS", "secretinterest", "LEADSCONTACT", "PRIVATECONTACT",
              "SECRETANSWER", "SECRETNOTE", "SECRETMET", "PRIVATEHOW", "LEADSHOW")  # fmt: skip
MEMBERS_SHARED = ("MEMBERSCONTACT",)


async def _alice(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.say("alice", '!profile region:"SECRETREGION" role:"SECRETJOB" hours:"SECRETHOURS" '
                           "interests:secretinterest visibility:leads")  # fmt: skip
    bot.dm()
    await bot.say("alice", '!contact add name:"PRIVATECONTACT" share:private how:"PRIVATEHOW"')
    await bot.say("alice", '!contact add name:"LEADSCONTACT" share:leads how:"LEADSHOW"')
    await bot.say("alice", '!contact add name:"MEMBERSCONTACT" share:members')
    await bot.say("alice", "!contact note 2 SECRETNOTE follow:friday")
    await bot.say("alice", "!met @bob SECRETMET")
    await bot.say("alice", "!checkin every:day at:11:00")
    await bot.advance("2h")
    await bot.say("alice", "SECRETANSWER")
    bot.public()
    await bot.feed('!ask title:"Public ask" skill:research need:3')


def _value(param: Param[Any]) -> str:
    samples = {
        "member": "@alice", "id": "2", "number": "1", "date": "friday", "duration": "3d", "skills": "research",
        "list": "archives", "time": "10:00", "time range": "21:00-09:00", "timezone": "UTC", "text": "hello",
        "word": "f1", "audience": "everyone", "duration or date": "3d",
    }  # fmt: skip
    if isinstance(param.type, Choices):
        return param.type.choices[0]
    return samples[param.type.label]


def invocations(command: Command[Any]) -> list[str]:
    """The example, and a call with every argument filled in (pointing at alice and her things)."""
    parts = [command.name]
    for param in command.params:
        if param.type.flag:
            parts.append(param.name)
        elif param.positional:
            parts.append(_value(param))
        else:
            parts.append(f'{param.name}:"{_value(param)}"')
    return [command.example, " ".join(parts)]


def _shows(message: str, secret: str) -> bool:
    """Case-blind: regions are title-cased and interests lower-cased on the way in."""
    return secret.casefold() in message.casefold()


async def test_no_command_reveals_private_data_in_a_public_channel_or_beyond_its_share(bot: ConsoleBot) -> None:
    await _alice(bot)
    await bot.say("carol", "!volunteer research")
    await bot.feed("!role @carol lead")
    seen_private: dict[str, str] = {}
    for command in REGISTRY.commands:
        if command.name in {"forget me"}:
            continue  # run last: it would delete the speaker
        for line in invocations(command):
            for speaker in ("bob", "carol"):
                out = await bot.say(speaker, f"!{line}")
                for message in public(out):
                    for secret in (*LEADS_ONLY, *MEMBERS_SHARED):
                        assert not _shows(message, secret), f"{speaker}: !{line} leaked {secret} publicly"
                for message in to(speaker, out):
                    for secret in LEADS_ONLY if speaker == "bob" else ("PRIVATECONTACT", "SECRETMET", "PRIVATEHOW"):
                        assert not _shows(message, secret), f"{speaker}: !{line} showed {secret} privately"
                    seen_private[line] = message
    # The walk really reached the private data: a lead saw the leads-only profile and contact.
    carol_view = joined(to("carol", await bot.say("carol", "!contacts")))
    assert "LEADSCONTACT" in carol_view and "PRIVATECONTACT" not in carol_view
    assert "SECRETANSWER" in joined(to("carol", await bot.say("carol", "!checkins @alice")))
    assert "MEMBERSCONTACT" in joined(to("bob", await bot.say("bob", "!contacts")))
    assert seen_private
    # Whatever those commands queued for later, delivered over the next two weeks: still nothing
    # private in public, and nothing beyond its share in bob's private messages.
    later = await bot.advance("14d")
    for message in public(later):
        for secret in (*LEADS_ONLY, *MEMBERS_SHARED):
            assert not _shows(message, secret), f"a queued public post leaked {secret}"
    for message in to("bob", later):
        for secret in LEADS_ONLY:
            assert not _shows(message, secret), f"a queued message showed bob {secret}"
    for message in to("carol", later):
        for secret in ("PRIVATECONTACT", "SECRETMET", "PRIVATEHOW"):
            assert not _shows(message, secret), f"a queued message showed carol {secret}"
    assert to("carol", later), "the lead's digest was queued and delivered"


async def test_nothing_of_a_leads_only_profile_is_shown_in_public_even_to_its_owner(bot: ConsoleBot) -> None:
    """Alice's own leads-only profile, contacts and answers never go to the channel, whatever she runs
    there (`volunteer` used to append her region to its public reply)."""
    await _alice(bot)
    for command in REGISTRY.commands:
        if command.name in {"forget me"}:
            continue
        for line in invocations(command):
            for message in public(await bot.say("alice", f"!{line}")):
                for secret in (*LEADS_ONLY, *MEMBERS_SHARED):
                    assert not _shows(message, secret), f"alice: !{line} leaked {secret} publicly"


async def test_every_use_of_a_lead_or_admin_command_is_on_record(bot: ConsoleBot) -> None:
    await bot.say("alice", "!volunteer research")
    await bot.feed("!checkins @alice")
    await bot.feed("!network")
    await bot.feed('!ask title:"Recorded" skill:research')
    await bot.feed("!role @alice lead")
    audit = joined(await bot.feed("!audit all"))
    assert "you looked at `checkins` (alice)" in audit and "you looked at `network`" in audit
    assert "you posted ask 1" in audit and "you made alice a lead (was member)" in audit
    assert audit.count("ask 1") == 1  # recorded once, with the handler's own detail
