"""Onboarding on Matrix (spec §13): a newcomer to the main room is welcomed once, privately, and
a lead imports the signatories from a file sent in a direct chat (plain and encrypted)."""

from __future__ import annotations

import io
from typing import Any

from nio import UploadResponse

from .bots import BotFactory, command, direct_chat_from, room_with
from .humans import Human, HumanFactory

CSV = b'\xef\xbb\xbfName,Email,State\nDana Reyes,dana@example.org,Ohio\n"Kim, Pat",pat@example.org,Ohio\n'


async def _send_file(human: Human, room_id: str, data: bytes, *, encrypted: bool, caption: str | None = None) -> None:
    """Upload `data` and post it as an `m.file`, as Element does (encrypted in an encrypted room)."""
    response, keys = await human.client.upload(
        lambda _limits, _timeouts: io.BytesIO(data),
        content_type="text/csv",
        filename="signatories.csv",
        encrypt=encrypted,
        filesize=len(data),
    )
    assert isinstance(response, UploadResponse), response
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": caption or "signatories.csv",
        "filename": "signatories.csv",
        "info": {"mimetype": "text/csv", "size": len(data)},
    }
    if encrypted:
        content["file"] = {**(keys or {}), "url": response.content_uri}
    else:
        content["url"] = response.content_uri
    sent = await human.client.room_send(room_id, "m.room.message", content)
    assert hasattr(sent, "event_id"), sent


async def test_a_newcomer_to_the_main_room_is_welcomed_once_privately(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    account = await make_bot.account()
    ada = await make_human("ada")
    main = await ada.create_room(invite=[account.user_id], name="union")
    bot = await make_bot(account=account, main_room=main)
    await ada.wait_for_member(main, bot.user_id)
    newbie = await make_human("newbie")

    await ada.invite(main, newbie.user_id)
    await newbie.wait_for_member(main, newbie.user_id)
    dm = await direct_chat_from(newbie, bot)
    welcome = await newbie.wait_for_message(dm)
    # Leaving and coming back is not a second welcome.
    await newbie.client.room_leave(main)
    await ada.invite(main, newbie.user_id)
    await newbie.wait_for_member(main, newbie.user_id)
    await command(newbie, dm, "help")

    assert welcome.body.startswith("Welcome to Library Workers!")
    assert "`iam <email>`" in welcome.body and "`pause`" in welcome.body
    welcomes = [m for m in newbie.messages if m.room_id == dm and m.body.startswith("Welcome to")]
    assert len(welcomes) == 1
    assert not [m for m in ada.messages if m.body.startswith("Welcome to")]  # not the room's creator


async def test_a_lead_imports_signatories_from_a_file_in_a_direct_chat(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    ada = await make_human("ada")
    bot = await make_bot(admins=[f"matrix:{ada.user_id}"])
    dm = await ada.create_dm(bot.user_id)
    await ada.wait_for_member(dm, bot.user_id)

    await _send_file(ada, dm, CSV, encrypted=False)
    imported = await command(ada, dm, "!signatures import")
    await _send_file(ada, dm, CSV, encrypted=False, caption="!signatures import")
    again = await ada.wait_for_message(dm, lambda m: m.body.startswith("Imported"))
    listing = await command(ada, dm, "signatures")

    assert imported.body.startswith("Imported: 2 new, 0 updated, 0 unchanged, 0 skipped.")
    assert again.body.startswith("Imported: 0 new, 0 updated, 2 unchanged")
    assert "Kim, Pat <pat@example.org> — Ohio · waiting" in listing.body


async def test_an_encrypted_file_is_decrypted_and_imported(make_bot: BotFactory, make_human: HumanFactory) -> None:
    ada = await make_human("ada", encrypted=True)
    bot = await make_bot(encryption=True, admins=[f"matrix:{ada.user_id}"])
    dm = await ada.create_dm(bot.user_id, encrypted=True)
    await ada.wait_for_member(dm, bot.user_id)
    await ada.trust_devices(bot.user_id)
    await command(ada, dm, "help")

    await _send_file(ada, dm, CSV, encrypted=True)
    imported = await command(ada, dm, "signatures import")

    assert imported.encrypted
    assert imported.body.startswith("Imported: 2 new"), imported.body


async def test_a_member_in_a_room_gets_no_list_and_a_member_cannot_import(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    bot = await make_bot()
    mallory = await make_human("mallory")
    room = await room_with(mallory, bot)
    await _send_file(mallory, room, CSV, encrypted=False)

    refused = await command(mallory, room, "!signatures import")

    assert refused.body.startswith("Only leads")


async def test_an_announcement_to_the_channels_is_posted_in_the_main_room(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    account = await make_bot.account()
    ada = await make_human("ada")  # creates the main room: power 100, an admin
    vic = await make_human("vic")  # a member: someone the legacy push rules could reach
    main = await ada.create_room(invite=[account.user_id, vic.user_id], name="union")
    bot = await make_bot(account=account, main_room=main)
    await ada.wait_for_member(main, bot.user_id)
    await ada.wait_for_member(main, vic.user_id)

    reply = await command(ada, main, '!announce text:"@room Statement goes public Friday"')
    posted = await ada.wait_for_message(main, lambda m: m.body.startswith("📣"))

    assert reply.body.startswith("Posted announcement 1 in 1 channel.")
    assert "Statement goes public Friday" in posted.body and "@room" not in posted.body  # shown, never a ping
    assert posted.mentions is not None and not posted.mentions.room
