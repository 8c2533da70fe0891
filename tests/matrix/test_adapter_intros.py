"""An introduction made across Matrix direct chats, with pings only for the people it is about."""

from __future__ import annotations

from .bots import BotFactory, command, direct_chat_from, room_with
from .humans import Human, HumanFactory, ReceivedMessage


async def test_an_intro_is_accepted_from_two_direct_chats_and_mentions_only_the_people_introduced(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    carol, ann, bo = [await make_human(name) for name in ("carol", "ann", "bo")]
    room = await room_with(carol, ann, bo, bot)
    for person in (carol, ann, bo):
        await command(person, room, "!volunteer organising")

    proposed = await command(
        carol,
        room,
        f'!intro {_name(ann)} {_name(bo)} why:"both organise school libraries"',
        formatted_body=f'!intro {_pill(ann)} {_pill(bo)} why:"both organise school libraries"',
        mentions=[ann.user_id, bo.user_id],
    )
    carol_dm = await direct_chat_from(carol, bot)
    confirmed = await carol.wait_for_message(carol_dm)
    ann_dm, bo_dm = await direct_chat_from(ann, bot), await direct_chat_from(bo, bot)
    asked_ann = await ann.wait_for_message(ann_dm)
    asked_bo = await bo.wait_for_message(bo_dm)
    first_yes = await command(ann, ann_dm, "accept 1")  # no `!` needed in a direct chat
    second_yes = await command(bo, bo_dm, "!accept 1")
    introduced_ann = await ann.wait_for_message(ann_dm)
    told_carol = await carol.wait_for_message(carol_dm)

    assert proposed.body == "I've sent you the details privately." and _pinged(proposed) == set()
    assert "(intro 1)" in confirmed.body and confirmed.mentions is None  # a direct chat: only carol to ping
    assert "`accept 1` or `decline 1`" in asked_ann.body and "Reply `!accept" not in asked_ann.body
    assert _pinged(asked_ann) == {bo.user_id} and _pinged(asked_bo) == {ann.user_id}
    assert first_yes.body.startswith("Thanks, you said yes to intro 1")
    assert second_yes.body.startswith(f"Meet {_name(ann)}! You both said yes.")
    assert _pinged(second_yes) == {ann.user_id}
    assert second_yes.formatted_body is not None
    assert f'<a href="https://matrix.to/#/{ann.user_id}">{_name(ann)}</a>' in second_yes.formatted_body
    assert introduced_ann.body.startswith(f"Meet {_name(bo)}!") and _pinged(introduced_ann) == {bo.user_id}
    assert "both said yes to your intro 1" in told_carol.body and told_carol.mentions is None


def _name(human: Human) -> str:
    return human.user_id[1:].split(":")[0]


def _pill(human: Human) -> str:
    return f'<a href="https://matrix.to/#/{human.user_id}">{_name(human)}</a>'


def _pinged(message: ReceivedMessage) -> set[str]:
    assert message.mentions is not None and not message.mentions.room
    return set(message.mentions.user_ids)
