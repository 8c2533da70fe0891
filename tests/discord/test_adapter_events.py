"""Events on Discord (spec §15): the event is announced with Yes / Maybe / No buttons that answer
as the person who clicked, also after a restart, privately and with the calendar file."""

from __future__ import annotations

import icalendar

from .conftest import Server, StartBot, slash
from .standin import DiscordStandin

COMMITTEE = {"title": "Organising committee", "when": "thursday 7pm", "where": "Union hall"}


async def test_an_event_is_announced_with_answer_buttons_that_work_after_a_restart(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    before = await start_bot()
    posted = await slash(standin, server.alice, server.general, "event", COMMITTEE, subcommand="add")
    assert posted.content is not None and posted.content.startswith("Posted event **1**.")
    announced = await standin.wait_for_message(server.asks)
    assert "New event from alice:" in announced.content
    assert "Thu 26 Nov 19:00 (Chicago time)" in announced.content  # a channel: the organisation's zone, named
    assert announced.custom_ids() == {"vb:rsvp 1 yes": 2, "vb:rsvp 1 maybe": 2, "vb:rsvp 1 no": 2}
    await before.stop()

    await start_bot()  # a new process: new App, new client, the same database
    clicked = await standin.user_clicks(server.bob, announced, "vb:rsvp 1 yes")
    answer = await clicked.response()
    assert answer.ephemeral  # only bob sees it; the channel is not filled with answers
    assert answer.content is not None and answer.content.startswith("Noted: you're going to “Organising committee”")
    assert clicked.original is not None
    (calendar_file,) = clicked.original.attachments
    assert calendar_file.filename == "event-1.ics"
    entry = icalendar.Calendar.from_ical(calendar_file.data).walk("VEVENT")[0]
    assert (str(entry["SUMMARY"]), str(entry["LOCATION"])) == ("Organising committee", "Union hall")

    maybe = await (await standin.user_clicks(server.carol, announced, "vb:rsvp 1 maybe")).response()
    assert maybe.content is not None and "maybe going" in maybe.content
    shown = await slash(standin, server.carol, server.general, "event", {"id": 1}, subcommand="show")
    assert shown.content is not None and "1 yes, 1 maybe" in shown.content
    assert "bob" not in shown.content  # names are for leads


async def test_a_slow_click_on_an_answer_button_is_answered_privately_and_leaves_nothing_in_the_channel(
    standin: DiscordStandin, server: Server, start_bot: StartBot
) -> None:
    """A click answered after the defer budget was deferred in public, and the channel got "I've
    sent you the details privately." for every slow click."""
    await start_bot(answer_within=0)
    await slash(standin, server.alice, server.general, "event", COMMITTEE, subcommand="add")
    announced = await standin.wait_for_message(server.asks)
    clicked = await standin.user_clicks(server.bob, announced, "vb:rsvp 1 yes")
    deferred = await clicked.response()
    assert deferred.type == 5 and deferred.ephemeral
    original = await clicked.wait_for_original()
    assert original.content is not None and original.content.startswith("Noted: you're going to")
    assert [m for m in standin.messages_in(server.asks) if m.id != announced.id] == []
