"""Reading back: Get Channel Messages as Discord answers it, read with discord.py's real
``history()`` (and over plain HTTP where the exact answer is the point), and nonces, which Discord
echoes on creation only and never returns with a message read back later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import discord
import pytest

from .conftest import StartClient
from .plain_api import Api
from .standin import DiscordStandin
from .standin_model import Channel, Guild, Message, Permission, User

WAIT = 5.0
T = TypeVar("T")


@dataclass(frozen=True)
class Room:
    """A guild with #general, alice (its owner) and the bot online as a plain discord.py client
    with the message-content intent."""

    guild: Guild
    general: Channel
    alice: User
    client: discord.Client

    def channel(self, channel: Channel | None = None) -> discord.PartialMessageable:
        return self.client.get_partial_messageable((channel or self.general).id)


@pytest.fixture
async def room(standin: DiscordStandin, start_client: StartClient) -> Room:
    alice = standin.add_user("alice")
    guild = standin.add_guild("Library Workers", owner=alice)
    general = standin.add_text_channel(guild, "general")
    intents = discord.Intents.default()
    intents.message_content = True
    client = await start_client(discord.Client(intents=intents))
    return Room(guild, general, alice, client)


async def alice_says(
    standin: DiscordStandin, room: Room, *contents: str, channel: Channel | None = None
) -> list[Message]:
    return [await standin.user_says(room.alice, channel or room.general, c) for c in contents]


def ask(n: int) -> str:
    return f"ask {n}"


async def contents(history: AsyncIterator[discord.Message]) -> list[str]:
    return [m.content async for m in history]


# --- order, limits and anchors ---------------------------------------------------------------------


async def test_history_is_newest_first_without_deleted_messages(standin: DiscordStandin, room: Room) -> None:
    await alice_says(standin, room, "ask 1", "ask 2")
    gone = await room.channel().send("ask 3 (duplicate)")
    await gone.delete()
    await alice_says(standin, room, "ask 4")

    assert await contents(room.channel().history(limit=10)) == ["ask 4", "ask 2", "ask 1"]
    assert await contents(room.channel().history(limit=2)) == ["ask 4", "ask 2"]
    assert await contents(room.channel().history(limit=10, oldest_first=True)) == ["ask 1", "ask 2", "ask 4"]


async def test_paging_through_more_than_a_hundred_messages_loses_and_repeats_nothing(
    standin: DiscordStandin, room: Room
) -> None:
    said = await alice_says(standin, room, *(ask(n) for n in range(130)))
    everything = [ask(n) for n in range(130)]

    assert await contents(room.channel().history(limit=None)) == everything[::-1]
    assert await contents(room.channel().history(limit=None, oldest_first=True)) == everything
    # after= alone reads forward, oldest first, one page after the newest of the last.
    assert await contents(room.channel().history(limit=None, after=discord.Object(said[9].id))) == everything[10:]
    assert (
        await contents(room.channel().history(limit=None, before=discord.Object(said[120].id)))
        == (everything[:120][::-1])
    )
    pages = [r.query for r in standin.requests if r.method == "GET" and r.path.endswith("/messages")]
    assert {"limit": "100", "after": str(said[109].id)} in pages  # the second page of the after= read


async def test_after_gives_the_messages_just_after_it_and_oldest_first_false_the_newest_of_them(
    standin: DiscordStandin, room: Room
) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    said = await alice_says(standin, room, *(ask(n) for n in range(6)))

    # after= with a time: discord.py asks for the messages just after it, and reverses them …
    assert await contents(room.channel().history(limit=3, after=since)) == ["ask 0", "ask 1", "ask 2"]
    # … and with oldest_first=False it reads the channel's newest instead, keeping those after it.
    assert await contents(room.channel().history(limit=3, after=since, oldest_first=False)) == [
        "ask 5",
        "ask 4",
        "ask 3",
    ]
    middle = discord.Object(said[2].id)
    assert await contents(room.channel().history(limit=10, after=middle)) == ["ask 3", "ask 4", "ask 5"]
    assert await contents(room.channel().history(limit=10, after=middle, oldest_first=False)) == [
        "ask 5",
        "ask 4",
        "ask 3",
    ]
    # On the wire, after= is answered newest first, as Discord does.
    (page,) = [r for r in standin.requests if r.query.get("after") == str(said[2].id) and r.query["limit"] == "10"]
    assert [m["content"] for m in page.response] == ["ask 5", "ask 4", "ask 3"]


async def test_around_gives_half_the_limit_on_each_side_and_the_message_itself(
    standin: DiscordStandin, room: Room, api: Api
) -> None:
    said = await alice_says(standin, room, *(ask(n) for n in range(9)))
    middle = discord.Object(said[4].id)

    assert await contents(room.channel().history(limit=3, around=middle)) == ["ask 5", "ask 4", "ask 3"]
    assert await contents(room.channel().history(limit=4, around=middle)) == [ask(n) for n in (6, 5, 4, 3, 2)]
    only = await api("GET", f"/channels/{room.general.id}/messages?around={said[4].id}&limit=1")
    assert [m["content"] for m in only.body] == ["ask 4"]


async def test_the_limit_defaults_to_50_and_may_be_1_to_100(standin: DiscordStandin, room: Room, api: Api) -> None:
    await alice_says(standin, room, *(ask(n) for n in range(101)))
    path = f"/channels/{room.general.id}/messages"

    default, one, hundred = [await api("GET", path + q) for q in ("", "?limit=1", "?limit=100")]

    assert [len(a.body) for a in (default, one, hundred)] == [50, 1, 100]
    assert default.body[0]["content"] == "ask 100" and default.body[-1]["content"] == "ask 51"
    assert default.headers["X-RateLimit-Bucket"] == "standin-get-channels-channel-id-messages"


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("limit=0", {"limit": "NUMBER_TYPE_MIN"}),
        ("limit=101", {"limit": "NUMBER_TYPE_MAX"}),
        ("limit=ten", {"limit": "NUMBER_TYPE_COERCE"}),
        ("before=yesterday", {"before": "NUMBER_TYPE_COERCE"}),
        ("after=-1", {"after": "NUMBER_TYPE_COERCE"}),
        ("before=1&after=2", {"before": "STANDIN_MUTUALLY_EXCLUSIVE", "after": "STANDIN_MUTUALLY_EXCLUSIVE"}),
    ],
)
async def test_a_bad_query_is_refused_with_50035_naming_the_field(
    room: Room, api: Api, query: str, errors: dict[str, str]
) -> None:
    answer = await api("GET", f"/channels/{room.general.id}/messages?{query}")

    assert answer.status == 400
    assert (answer.body["code"], answer.body["message"]) == (50035, "Invalid Form Body")
    found = {field: error["_errors"][0]["code"] for field, error in answer.body["errors"].items()}
    assert found == errors


async def test_discord_py_gets_the_limit_error_as_discord_words_it(room: Room, api: Api) -> None:
    with pytest.raises(discord.HTTPException) as refused:
        await room.client.http.logs_from(room.general.id, 101)

    assert refused.value.code == 50035
    answer = await api("GET", f"/channels/{room.general.id}/messages?limit=101")
    assert answer.body["errors"] == {
        "limit": {"_errors": [{"code": "NUMBER_TYPE_MAX", "message": "int value should be less than or equal to 100."}]}
    }


# --- permissions and content ----------------------------------------------------------------------


async def test_without_read_message_history_the_history_is_empty_not_an_error(
    standin: DiscordStandin, room: Room, api: Api
) -> None:
    quiet = standin.add_guild("Quiet", owner=room.alice, everyone_permissions=Permission.VIEW_CHANNEL)
    notices = standin.add_text_channel(quiet, "notices")
    await alice_says(standin, room, "ask 1", channel=notices)

    assert await contents(room.channel(notices).history(limit=10)) == []
    answer = await api("GET", f"/channels/{notices.id}/messages")
    assert (answer.status, answer.body) == (200, [])


async def test_an_unseen_or_unknown_channel_is_refused(standin: DiscordStandin, room: Room) -> None:
    hidden = standin.add_text_channel(standin.add_guild("Hidden", owner=room.alice, everyone_permissions=0), "x")

    with pytest.raises(discord.Forbidden) as missing_access:
        await contents(room.channel(hidden).history(limit=10))
    with pytest.raises(discord.NotFound) as unknown:
        await contents(room.client.get_partial_messageable(1).history(limit=10))

    assert (missing_access.value.status, missing_access.value.code) == (403, 50001)
    assert (unknown.value.status, unknown.value.code) == (404, 10003)


async def test_a_dm_history_needs_no_guild_permission(standin: DiscordStandin, room: Room) -> None:
    await standin.user_dms(room.alice, "my availability changed")
    dm = await room.client.create_dm(discord.Object(room.alice.id))

    assert await contents(dm.history(limit=5)) == ["my availability changed"]


async def test_without_the_message_content_intent_history_blanks_what_others_wrote(
    standin: DiscordStandin, start_client: StartClient
) -> None:
    standin.privileged_intents = 0
    alice = standin.add_user("alice")
    general = standin.add_text_channel(standin.add_guild("Library Workers", owner=alice), "general")
    client = await start_client(discord.Client(intents=discord.Intents.default()))
    channel = client.get_partial_messageable(general.id)
    await standin.user_says(alice, general, "hello all")
    await standin.user_says(alice, general, f"hello {standin.bot.mention}")
    await channel.send("hello alice")

    assert await contents(channel.history(limit=5)) == ["hello alice", f"hello <@{standin.bot.id}>", ""]


# --- nonces -------------------------------------------------------------------------------------------


async def test_the_nonce_comes_back_on_creation_only(standin: DiscordStandin, room: Room) -> None:
    created: asyncio.Queue[discord.Message] = asyncio.Queue()
    updated: asyncio.Queue[discord.RawMessageUpdateEvent] = asyncio.Queue()
    room.client.event(_put_into(created, "on_message"))
    room.client.event(_put_into(updated, "on_raw_message_edit"))
    channel = room.channel()

    sent = await channel.send("Ask 7: open", nonce="outbox:7")
    echoed = await asyncio.wait_for(created.get(), WAIT)
    fetched = await channel.fetch_message(sent.id)
    (listed,) = [m async for m in channel.history(limit=1)]
    edited = await sent.edit(content="Ask 7: claimed")
    update = await asyncio.wait_for(updated.get(), WAIT)

    assert (sent.nonce, echoed.nonce) == ("outbox:7", "outbox:7")
    assert (fetched.nonce, listed.nonce, edited.nonce) == (None, None, None)
    assert "nonce" not in update.data
    post, *reads = [r for r in standin.requests if r.path.startswith(f"/channels/{room.general.id}/messages")]
    assert post.response["nonce"] == "outbox:7"
    assert [(r.method, "nonce" in r.response) for r in reads] == [("GET", False), ("GET", False), ("PATCH", False)]


async def test_the_nonce_still_keeps_a_resend_from_posting_twice(standin: DiscordStandin, room: Room) -> None:
    channel = room.channel()
    first = await channel.send("Reminder: ask 7 is due", nonce="outbox:7")
    await contents(channel.history(limit=5))  # reading it back forgets nothing

    again = await channel.send("Reminder: ask 7 is due", nonce="outbox:7")

    assert again.id == first.id
    (stored,) = standin.messages_in(room.general)
    assert stored.nonce == "outbox:7"  # kept by the stand-in for its window, never served


def _put_into(queue: asyncio.Queue[T], name: str) -> Callable[[T], Coroutine[Any, Any, None]]:
    """An event handler named ``name`` that puts what it is given into ``queue``."""

    async def handler(item: T) -> None:
        await queue.put(item)

    handler.__name__ = name
    return handler
