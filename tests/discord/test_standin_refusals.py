"""The stand-in refuses what Discord refuses, the way Discord does: error codes and bodies, DMs
to people who closed them, rate limits on every route (and what discord.py makes of a 429 with
and without ``Via``), privileged intents, and message bodies Discord would reject. Requests go
over plain HTTP (``plain_api``), as a bot sends them, unless discord.py's reaction is the point."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from .conftest import StartClient
from .plain_api import Api, Place, interact, post
from .standin import DiscordStandin
from .standin_model import Channel, Intent, Permission

# --- Discord's error codes --------------------------------------------------------------------------


async def test_a_dm_to_someone_who_closed_their_dms_is_refused_with_50007(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    standin.close_dms(place.bob)
    opened = await api("POST", "/users/@me/channels", {"recipient_id": str(place.bob.id)})
    dm = standin.dm_channel(place.bob)

    refused = await post(api, dm, {"content": "Your ask is due"})
    standin.open_dms(place.bob)
    sent = await post(api, dm, {"content": "Your ask is due"})

    assert opened.status == 200  # the channel opens; only sending is refused
    assert (refused.status, refused.body) == (403, {"message": "Cannot send messages to this user", "code": 50007})
    assert sent.status == 200 and [m.content for m in standin.dm_messages_to(place.bob)] == ["Your ask is due"]


async def test_discord_py_raises_forbidden_50007_for_a_closed_dm_and_for_someone_sharing_no_server(
    standin: DiscordStandin, place: Place, start_client: StartClient
) -> None:
    client = await start_client(discord.Client(intents=discord.Intents.default()))
    stranger = standin.add_user("stranger")  # in no server with the bot
    standin.close_dms(place.bob)

    for person in (place.bob, stranger):
        with pytest.raises(discord.Forbidden) as refused:
            await (await client.fetch_user(person.id)).send("hello")
        assert (refused.value.status, refused.value.code) == (403, 50007)


async def test_refusals_carry_discords_codes_and_messages(standin: DiscordStandin, place: Place, api: Api) -> None:
    read_only = standin.add_guild("Read only", owner=place.alice, everyone_permissions=Permission.VIEW_CHANNEL)
    notices = standin.add_text_channel(read_only, "notices")
    hidden = standin.add_text_channel(standin.add_guild("Hidden", owner=place.alice, everyone_permissions=0), "x")
    said = await standin.user_says(place.alice, place.general, "!ping")

    answers = {
        "unknown channel": await post(api, Channel(id=1, type=0), {"content": "hi"}),
        "unknown message": await api("GET", f"/channels/{place.general.id}/messages/1"),
        "missing access": await api("GET", f"/channels/{hidden.id}"),
        "missing permissions": await post(api, notices, {"content": "hi"}),
        "someone else's": await api("PATCH", f"/channels/{place.general.id}/messages/{said.id}", {"content": "x"}),
    }

    assert {what: (a.status, a.body) for what, a in answers.items()} == {
        "unknown channel": (404, {"message": "Unknown Channel", "code": 10003}),
        "unknown message": (404, {"message": "Unknown Message", "code": 10008}),
        "missing access": (403, {"message": "Missing Access", "code": 50001}),
        "missing permissions": (403, {"message": "Missing Permissions", "code": 50013}),
        "someone else's": (403, {"message": "Cannot edit a message authored by another user", "code": 50005}),
    }


def error_codes(errors: Any) -> set[tuple[str, str]]:
    """Every (path, code) in a 50035 ``errors`` object, e.g. ("components.0.custom_id", …)."""
    found: set[tuple[str, str]] = set()
    stack: list[tuple[str, Any]] = [("", errors)]
    while stack:
        path, node = stack.pop()
        for key, value in node.items():
            if key == "_errors":
                found.update((path, e["code"]) for e in value)
            else:
                stack.append((f"{path}.{key}".lstrip("."), value))
    return found


def row(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(buttons)}


def button(custom_id: str = "b", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id, **extra}


REFUSED_BODIES = {
    "content over 2000": ({"content": "x" * 2001}, {("content", "BASE_TYPE_MAX_LENGTH")}),
    "nonce over 25": ({"content": "hi", "nonce": "n" * 26}, {("nonce", "BASE_TYPE_MAX_LENGTH")}),
    "parse and users": (
        {"content": "<@1>", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        {("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE")},
    ),
    "unknown mention type": (
        {"content": "hi", "allowed_mentions": {"parse": ["nobody"]}},
        {("allowed_mentions.parse.0", "BASE_TYPE_CHOICES")},
    ),
    "custom_id over 100": (
        {"content": "hi", "components": [row(button("c" * 101))]},
        {("components.0.components.0.custom_id", "BASE_TYPE_BAD_LENGTH")},
    ),
    "duplicate custom_id": (
        {"content": "hi", "components": [row(button("same"), button("same"))]},
        {("components", "COMPONENT_CUSTOM_ID_DUPLICATED")},
    ),
    "six buttons in a row": (
        {"content": "hi", "components": [row(*(button(f"b{n}") for n in range(6)))]},
        {("components.0.components", "BASE_TYPE_MAX_LENGTH")},
    ),
    "six rows": (
        {"content": "hi", "components": [row(button(f"b{n}")) for n in range(6)]},
        {("components", "BASE_TYPE_MAX_LENGTH")},
    ),
    "label over 80": (
        {"content": "hi", "components": [row(button(label="l" * 81))]},
        {("components.0.components.0.label", "BASE_TYPE_MAX_LENGTH")},
    ),
    "button outside a row": (
        {"content": "hi", "components": [button()]},
        {("components.0.type", "UNION_TYPE_CHOICES")},
    ),
    "title over 256": ({"embeds": [{"title": "t" * 257}]}, {("embeds.0.title", "BASE_TYPE_MAX_LENGTH")}),
}


@pytest.mark.parametrize(("body", "expected"), list(REFUSED_BODIES.values()), ids=list(REFUSED_BODIES))
async def test_a_body_discord_would_refuse_gets_50035_with_the_errors_object_and_posts_nothing(
    standin: DiscordStandin, place: Place, api: Api, body: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    answer = await post(api, place.general, body)

    assert (answer.status, answer.body["message"], answer.body["code"]) == (400, "Invalid Form Body", 50035)
    assert error_codes(answer.body["errors"]) == expected
    assert standin.messages_in(place.general) == []


async def test_an_empty_message_is_refused_and_so_is_an_edit_that_empties_one(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    empty = await post(api, place.general, {"content": ""})
    sent = await post(api, place.general, {"content": "Ask 7: open"})
    emptied = await api("PATCH", f"/channels/{place.general.id}/messages/{sent.body['id']}", {"content": None})

    assert (empty.status, empty.body) == (400, {"message": "Cannot send an empty message", "code": 50006})
    assert (emptied.status, emptied.body["code"]) == (400, 50006)
    assert [m.content for m in standin.messages_in(place.general)] == ["Ask 7: open"]


async def test_autocomplete_with_more_than_25_choices_is_refused_and_a_corrected_answer_accepted(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    handle = await interact(standin, place, api, "autocomplete")
    choices = [{"name": f"skill {n}", "value": f"s{n}"} for n in range(26)]

    refused = await api.callback(handle, 8, {"choices": choices})
    accepted = await api.callback(handle, 8, {"choices": choices[:25]})

    assert refused.status == 400 and error_codes(refused.body["errors"]) == {("data.choices", "BASE_TYPE_MAX_LENGTH")}
    assert accepted.status == 204 and len((await handle.response(timeout=1)).choices) == 25


async def test_a_channel_message_cannot_make_itself_ephemeral(standin: DiscordStandin, place: Place, api: Api) -> None:
    sent = await post(api, place.general, {"content": "for everyone", "flags": 64})

    assert sent.status == 200 and sent.body["flags"] == 0
    assert [m.content for m in standin.messages_in(place.general)] == ["for everyone"]


# --- rate limits ------------------------------------------------------------------------------------

RATE_LIMITED = "You are being rate limited."
RATE_LIMIT_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Reset-After",
    "X-RateLimit-Bucket",
)


async def test_every_answer_carries_rate_limit_headers_counted_per_route_and_channel(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    answers = [
        await api("GET", "/users/@me"),
        await api("GET", f"/guilds/{place.guild.id}/roles"),
        await api("GET", f"/channels/{place.general.id}/messages/1"),  # an error answer too
        first := await post(api, place.general, {"content": "one"}),
        second := await post(api, place.general, {"content": "two"}),
        elsewhere := await post(api, place.asks, {"content": "three"}),
    ]

    for answer in answers:
        assert all(name in answer.headers for name in RATE_LIMIT_HEADERS), answer.headers
    assert [a.headers["X-RateLimit-Remaining"] for a in (first, second, elsewhere)] == ["49", "48", "49"]
    assert {a.headers["X-RateLimit-Bucket"] for a in (first, second, elsewhere)} == {"standin-messages"}
    assert len({a.headers["X-RateLimit-Bucket"] for a in answers}) == 4


async def test_a_small_bucket_answers_429_as_discord_does_until_its_window_passes(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    standin.set_rate_limit(1, 10.0, "GET /channels/{channel_id}")
    path = f"/channels/{place.general.id}"

    allowed, limited = await api("GET", path), await api("GET", path)
    other_channel = await api("GET", f"/channels/{place.asks.id}")
    standin.advance(10.0)
    after_the_window = await api("GET", path)

    assert [allowed.status, limited.status, other_channel.status, after_the_window.status] == [200, 429, 200, 200]
    assert limited.body == {
        "message": "You are being rate limited.",
        "retry_after": pytest.approx(10, abs=0.5),
        "global": False,
    }
    headers = limited.headers
    assert (headers["Retry-After"], headers["X-RateLimit-Scope"], headers["Via"]) == ("10", "user", "1.1 google")
    assert headers["X-RateLimit-Remaining"] == "0"
    assert headers["X-RateLimit-Bucket"] == allowed.headers["X-RateLimit-Bucket"]
    assert standin.rate_limited == {"global": 0, allowed.headers["X-RateLimit-Bucket"]: 1}
    with pytest.raises(ValueError, match="no route"):
        standin.set_rate_limit(1, 1.0, "GET /channels/{id}")


async def test_the_global_limit_answers_429_with_x_ratelimit_global(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    standin.set_global_rate_limit(1, 10.0)

    allowed, limited = await api("GET", "/users/@me"), await api("GET", "/users/@me")

    assert (allowed.status, limited.status) == (200, 429)
    assert limited.body == {
        "message": "You are being rate limited.",
        "retry_after": pytest.approx(10, abs=0.5),
        "global": True,
    }
    assert (limited.headers["X-RateLimit-Global"], limited.headers["X-RateLimit-Scope"]) == ("true", "global")
    assert standin.rate_limited["global"] == 1


async def test_discord_py_waits_out_discords_429_but_gives_up_at_once_on_a_cloudflare_429(
    standin: DiscordStandin, place: Place, start_client: StartClient
) -> None:
    client = await start_client(discord.Client(intents=discord.Intents.default()))
    channel = client.get_partial_messageable(place.general.id)
    route = f"/channels/{place.general.id}/messages"
    discords = standin.fail_next("POST", route, 429, retry_after=0.05)
    await channel.send("after a short wait")

    cloudflares = standin.fail_next("POST", route, 429, retry_after=0.05, via=False)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send("never retried")

    assert "Via" in discords.hits[0].response_headers
    (cloudflare,) = cloudflares.hits
    assert "Via" not in cloudflare.response_headers and cloudflare.response == "error code: 1015"
    assert (raised.value.status, raised.value.code) == (429, 0)
    sends = [r.status for r in standin.requests if r.method == "POST" and r.path == route]
    assert sends == [429, 200, 429]  # the Cloudflare 429 was neither waited out nor retried
    assert [m.content for m in standin.messages_in(place.general)] == ["after a short wait"]


async def test_an_injected_error_carries_the_code_and_message_given(
    standin: DiscordStandin, place: Place, api: Api
) -> None:
    standin.fail_next("POST", "/channels/{channel_id}/messages", 403, code=50007, message="Cannot send messages")
    standin.fail_next("GET", "/users/@me", 502)

    refused, bad_gateway = await post(api, place.general, {"content": "hi"}), await api("GET", "/users/@me")

    assert (refused.status, refused.body) == (403, {"message": "Cannot send messages", "code": 50007})
    assert (bad_gateway.status, bad_gateway.body) == (502, {"message": "502: Bad Gateway", "code": 0})


# --- privileged intents -----------------------------------------------------------------------------


@pytest.mark.parametrize("intent", ["members", "presences"])
async def test_identifying_with_a_privileged_intent_the_application_lacks_is_closed_with_4014(
    discord_at_standin: DiscordStandin, start_client: StartClient, intent: str
) -> None:
    intents = discord.Intents.default()
    setattr(intents, intent, True)

    with pytest.raises(discord.PrivilegedIntentsRequired):
        await start_client(discord.Client(intents=intents))

    assert discord_at_standin.gateway_sessions == []


async def test_message_content_is_enabled_by_default_and_can_be_disabled(
    discord_at_standin: DiscordStandin, start_client: StartClient, api: Api
) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    application = await api("GET", "/oauth2/applications/@me")
    await start_client(discord.Client(intents=intents))
    discord_at_standin.privileged_intents = Intent.GUILD_MEMBERS

    with pytest.raises(discord.PrivilegedIntentsRequired):
        await start_client(discord.Client(intents=intents))

    assert application.body["flags"] == 1 << 19  # GATEWAY_MESSAGE_CONTENT_LIMITED
    assert len(discord_at_standin.gateway_sessions) == 1
