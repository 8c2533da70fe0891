"""Messages too large for one Matrix event (Synapse refuses one over 64 KiB) go out as several,
in order, and nothing in them is lost (the cut itself: tests/matrix/test_render_split.py)."""

from __future__ import annotations

from bot.adapters.matrix_render import ZERO_WIDTH_JOINER
from bot.core.messages import Delivery, Outgoing
from bot.core.text import Plain, Strong

from .bots import BotFactory, command, direct_chat_from
from .humans import Human, HumanFactory, ReceivedMessage

SCIENTIST = "\U0001f469\u200d\U0001f52c"


async def test_a_contact_with_ten_long_notes_is_answered_in_several_messages_holding_every_note(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """The audit's reproduction (h5, finding 3): each note is within the 2,000-character limit,
    but ten of them, each `<` escaped as `&lt;`, made one event Synapse refused, and no answer."""
    alice = await make_human("alice")
    bot = await make_bot()
    dm = await alice.create_dm(bot.user_id)
    await alice.wait_for_member(dm, bot.user_id)
    await command(alice, dm, 'contact add name:"Pat Union" org:"Teachers"')
    for n in range(10):
        await command(alice, dm, f"contact note 1 {n} " + "<" * 1990)

    asked = await alice.send_text(dm, "contact 1")
    parts = [await alice.wait_for_message(dm, lambda m: m.in_reply_to == asked)]
    while "Next:" not in parts[-1].body:  # the view's last line
        parts.append(await alice.wait_for_message(dm, lambda m: m.sender == bot.user_id))

    whole = "\n".join(part.body for part in parts)
    assert len(parts) > 1 and whole.startswith("Pat Union (contact 1)")
    places = [whole.find(f": {n} " + "<" * 1990 + "\n") for n in reversed(range(10))]  # newest first
    assert -1 not in places and places == sorted(places), places
    assert all(part.in_reply_to is None and part.msgtype == "m.notice" for part in parts[1:])
    assert all((part.formatted_body or "").count("&lt;" * 1990) == part.body.count("<" * 1990) for part in parts)


async def test_a_queued_message_too_large_for_one_event_reaches_an_encrypted_direct_chat_whole(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    """Encrypted, the content travels as base64 ciphertext, a third larger: the margin holds. One
    line longer than an event is cut between words, never inside an emoji or an escape."""
    bot = await make_bot(encryption=True)
    vol = await make_human("vol", encrypted=True)
    line = f"é&<> {SCIENTIST} @room " * 2500  # 15,000 characters, 250,000 bytes as JSON
    text = (Strong("Reading list"), Plain("\nfirst line\n" + line + "\nlast line"))
    delivery = Delivery("long:1", "matrix", vol.user_id, None, Outgoing(text, True))

    await bot.adapter.deliver(delivery)
    dm = await direct_chat_from(vol, bot)
    parts = await _until(vol, dm, "last line")

    assert len(parts) > 3 and all(part.encrypted and part.msgtype == "m.text" for part in parts)
    joined = "".join(part.body for part in parts)
    assert joined.replace("\n", "") == ("Reading listfirst line" + line + "last line").replace(
        "@room", "@" + ZERO_WIDTH_JOINER + "room"
    )
    assert all(part.body.count(SCIENTIST) == part.body.count("\U0001f469") for part in parts)
    assert not vol.undecryptable


async def _until(human: Human, room_id: str, last: str) -> list[ReceivedMessage]:
    parts = [await human.wait_for_message(room_id)]
    while last not in parts[-1].body:
        parts.append(await human.wait_for_message(room_id))
    return parts
