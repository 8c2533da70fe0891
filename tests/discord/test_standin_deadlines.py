"""The stand-in keeps Discord's clock: an interaction must be acknowledged within 3 seconds (404
10062 after that, 400 40060 for a second answer), its token works for 15 minutes (then 401 50027),
a deferred answer is given by editing the original response. Time is moved with ``advance``, so
no test waits. Requests go over plain HTTP (``plain_api``), as a bot sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .plain_api import Api, Place, interact, post
from .standin import DiscordStandin

UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
INVALID_WEBHOOK_TOKEN = {"message": "Invalid Webhook Token", "code": 50027}
#: Each kind of interaction with each kind of first answer Discord accepts for it.
ACKNOWLEDGEMENTS = [
    ("slash", 4, {"content": "Ask 7 is yours"}),
    ("slash", 5, None),
    ("click", 6, None),
    ("click", 7, {"content": "Ask 7: claimed", "components": []}),
    ("autocomplete", 8, {"choices": [{"name": "cataloguing", "value": "cataloguing"}]}),
]


# --- the 3-second deadline --------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "callback", "data"), ACKNOWLEDGEMENTS)
async def test_any_first_callback_within_the_deadline_acknowledges_and_a_second_is_refused(
    standin: DiscordStandin, place: Place, api: Api, kind: str, callback: int, data: Any
) -> None:
    handle = await interact(standin, place, api, kind)
    standin.advance(2.9)

    first = await api.callback(handle, callback, data)
    second = await api.callback(handle, callback, data)

    assert first.status == 204
    assert (second.status, second.body) == (400, ALREADY_ACKNOWLEDGED)
    assert (await handle.response(timeout=1)).type == callback


@pytest.mark.parametrize(("kind", "callback", "data"), ACKNOWLEDGEMENTS)
async def test_a_first_callback_after_three_seconds_is_an_unknown_interaction(
    standin: DiscordStandin, place: Place, api: Api, kind: str, callback: int, data: Any
) -> None:
    handle = await interact(standin, place, api, kind)
    standin.advance(3.01)

    late = await api.callback(handle, callback, data)

    assert (late.status, late.body) == (404, UNKNOWN_INTERACTION)
    assert handle.unanswered and handle.callback is None
    with pytest.raises(AssertionError, match=r"not acknowledged within 3 s: bob saw .*10062"):
        await handle.response(timeout=1)
    assert [h.id for h in standin.unanswered_interactions] == [handle.id]  # fails the test at teardown…
    handle.expect_unanswered()  # …unless the test meant it
    assert standin.unanswered_interactions == []


async def test_a_shrunk_deadline_fails_a_wait_for_the_answer_as_soon_as_it_passes(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    assert standin.interaction_deadline == 3.0
    standin.interaction_deadline = 0.05
    handle = await interact(standin, place, api, "slash")

    with pytest.raises(AssertionError, match="The application did not respond"):
        await handle.response(timeout=2)  # fails after 0.05 s, not 2

    assert (await api.callback(handle, 4, {"content": "too late"})).body == UNKNOWN_INTERACTION
    handle.expect_unanswered()


# --- the 15-minute token ----------------------------------------------------------------------------


async def test_followups_and_edits_work_for_fifteen_minutes_then_the_token_is_invalid(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    handle = await interact(standin, place, api, "slash")
    await api.callback(handle, 5)
    filled = await api("PATCH", api.hook(handle, "/messages/@original"), {"content": "Ask 7 is yours"})
    followup = await api("POST", api.hook(handle), {"content": "bob claimed ask 7"})
    followup_path = api.hook(handle, f"/messages/{followup.body['id']}")
    assert [filled.status, followup.status] == [200, 200]

    standin.advance(15 * 60 - 1)
    assert (await api("GET", api.hook(handle, "/messages/@original"))).status == 200
    standin.advance(2)

    refused = [
        await api("POST", api.hook(handle), {"content": "too late"}),
        await api("GET", api.hook(handle, "/messages/@original")),
        await api("PATCH", api.hook(handle, "/messages/@original"), {"content": "too late"}),
        await api("PATCH", followup_path, {"content": "too late"}),
        await api("DELETE", api.hook(handle, "/messages/@original")),
    ]
    assert {(a.status, json.dumps(a.body)) for a in refused} == {(401, json.dumps(INVALID_WEBHOOK_TOKEN))}


async def test_the_token_lifetime_can_be_shortened(standin: DiscordStandin, place: Place, api: Api) -> None:
    standin.interaction_token_lifetime = 10.0
    handle = await interact(standin, place, api, "slash")
    await api.callback(handle, 4, {"content": "Ask 7 is yours"})

    standin.advance(10.5)

    assert (await api("POST", api.hook(handle), {"content": "and more"})).body == INVALID_WEBHOOK_TOKEN


async def test_the_token_of_an_interaction_not_acknowledged_in_time_never_works(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    handle = await interact(standin, place, api, "slash")
    early = await api("POST", api.hook(handle), {"content": "before any callback"})
    standin.advance(3.5)
    late = await api("POST", api.hook(handle), {"content": "instead of a callback"})

    assert (early.status, early.body) == (404, {"message": "Unknown Webhook", "code": 10015})
    assert (late.status, late.body) == (401, INVALID_WEBHOOK_TOKEN)
    handle.expect_unanswered()


# --- answering a deferred interaction ---------------------------------------------------------------


async def test_editing_the_original_response_fills_the_thinking_message_validated_as_a_message(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    handle = await interact(standin, place, api, "slash")
    await api.callback(handle, 5, {"flags": 64})
    original = api.hook(handle, "/messages/@original")

    too_long = await api("PATCH", original, {"content": "x" * 2001})
    empty = await api("PATCH", original, {"content": ""})
    bad_button = await api("PATCH", original, {"components": [{"type": 2, "style": 1, "label": "Go"}]})
    filled = await api("PATCH", original, {"content": "Ask 7 is yours", "flags": 0})

    assert (too_long.status, too_long.body["code"], list(too_long.body["errors"])) == (400, 50035, ["content"])
    assert (empty.status, empty.body) == (400, {"message": "Cannot send an empty message", "code": 50006})
    assert bad_button.status == 400 and bad_button.body["code"] == 50035
    answer = await handle.wait_for_original(timeout=1)
    assert filled.status == 200 and filled.body["id"] == str(answer.id)
    assert answer.content == "Ask 7 is yours" and answer.ephemeral  # a defer's visibility stays
    edits = [r for r in standin.requests if r.method == "PATCH" and r.path.endswith("/@original")]
    assert [r.status for r in edits] == [400, 400, 400, 200]  # every edit is in the transcript
    assert handle.followups == []


async def test_a_followup_filling_a_thinking_message_works_as_on_discord_but_is_reported_as_deprecated(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    handle = await interact(standin, place, api, "slash")
    await api.callback(handle, 5)

    filled = await api("POST", api.hook(handle), {"content": "Ask 7 is yours", "flags": 64})

    assert filled.status == 200 and handle.original is not None
    assert filled.body["id"] == str(handle.original.id) and not handle.original.ephemeral
    with pytest.raises(AssertionError, match="deprecated; edit the original response"):
        await handle.wait_for_followups(1, timeout=1)  # waits fail at once on a broken rule
    assert len(standin.errors) == 1
    standin.errors.clear()  # expected here; anywhere else it fails the test


# --- the stand-in's clock and its own safety net ----------------------------------------------------


async def test_advancing_the_clock_ends_the_nonce_window(standin: DiscordStandin, place: Place, api: Api) -> None:
    body = {"content": "Reminder: ask 7", "nonce": "outbox:7", "enforce_nonce": True}
    first, again = await post(api, place.general, body), await post(api, place.general, body)
    standin.advance(301)
    later = await post(api, place.general, body)

    assert first.body["id"] == again.body["id"] != later.body["id"]


async def test_a_wait_fails_at_once_when_the_standin_saw_a_problem(standin: DiscordStandin, place: Place) -> None:
    standin.errors.append("a rule was broken")

    with pytest.raises(AssertionError, match="a rule was broken"):
        await standin.wait_for_message(place.general, timeout=2)

    standin.errors.clear()
