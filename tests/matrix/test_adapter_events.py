"""Events on Matrix (spec §15): no buttons, so the event carries the `rsvp` commands in its text;
an answer is confirmed in the person's direct chat with the calendar file uploaded as `m.file`."""

from __future__ import annotations

import icalendar

from .bots import BotFactory, command, direct_chat_from, room_with
from .humans import HumanFactory


async def test_an_event_shows_the_rsvp_commands_and_an_answer_brings_the_calendar_file(
    make_bot: BotFactory, make_human: HumanFactory
) -> None:
    lead, member = await make_human("lead"), await make_human("member")
    bot = await make_bot(admins=[f"matrix:{lead.user_id}"])
    room = await room_with(lead, member, bot)

    posted = await command(lead, room, '!event add title:"Organising committee" when:in 50h where:"Union hall"')
    answered = await command(member, room, "!rsvp 1 yes")
    dm = await direct_chat_from(member, bot)
    confirmation = await member.wait_for_message(dm, lambda m: m.body.startswith("Noted: you're going"))
    upload = await member.wait_for_message(dm, lambda m: m.msgtype == "m.file")
    downloaded = await member.client.download(upload.content["url"])
    shown = await command(member, dm, "event 1")  # no `!` needed in a direct chat
    again = await member.wait_for_message(dm, lambda m: m.msgtype == "m.file")

    assert posted.body.startswith("Posted event 1.")
    assert "Answer with `rsvp 1 yes`, `rsvp 1 maybe` or `rsvp 1 no`." in posted.body
    assert "Reply `!rsvp" not in posted.body  # the commands are in the text already: no second hint
    assert answered.body == "I've sent you the details privately."
    assert "The calendar file is attached." in confirmation.body
    assert upload.body == "event-1.ics" and upload.content["info"]["mimetype"] == "text/calendar"
    entry = icalendar.Calendar.from_ical(downloaded.body).walk("VEVENT")[0]
    assert (str(entry["SUMMARY"]), str(entry["LOCATION"])) == ("Organising committee", "Union hall")
    assert "1 yes" in shown.body and again.body == "event-1.ics"
