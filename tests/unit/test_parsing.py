"""The tokenizer and binder: quotes, key:value, flags, rest text; no input can crash them."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog import REGISTRY
from bot.core import parsing
from bot.core.commands import Command
from bot.core.errors import TooLong, UserError
from bot.core.messages import Mentioned
from bot.core.params import Converting
from bot.core.parsing import bind, convert, tokenize

NOW = datetime(2026, 11, 23, 16, tzinfo=UTC)


def texts(line: str) -> list[tuple[str | None, str]]:
    return [(t.key, t.text) for t in tokenize(line)]


def test_words_quotes_and_keys() -> None:
    assert texts('title:"Compile sectoral bargaining" need:2 research') == [
        ("title", "Compile sectoral bargaining"),
        ("need", "2"),
        (None, "research"),
    ]


def test_smart_quotes_and_spaces_after_the_colon() -> None:
    assert texts("title: “Phone title” due: friday") == [("title", "Phone title"), ("due", "friday")]


def test_apostrophes_inside_words_are_not_quotes() -> None:
    assert texts("don't stop 'til") == [(None, "don't"), (None, "stop"), (None, "'til")]


def calling(command: Command[Any], zone: str, platform: str = "console", *mentions: Mentioned) -> Converting:
    """How the dispatcher reads `command`'s values for a speaker in `zone`."""
    return Converting(ZoneInfo(zone), NOW, platform, command.name, command.usage(), command.example, mentions)


def test_an_unclosed_double_quote_runs_to_the_end() -> None:
    assert texts('title:"no end here') == [("title", "no end here")]


def test_clock_times_and_urls_are_not_keys() -> None:
    assert texts("10:00 https://example.org") == [(None, "10:00"), (None, "https://example.org")]


def test_rest_text_keeps_what_was_typed() -> None:
    command = REGISTRY.forms("update")[0]
    line = 'update 12 found   three "great" sources: see https://x.org/a'
    bound = bind(command, tokenize(line)[1:], line)
    assert bound.values["id"] == "12"
    assert bound.values["text"] == 'found three "great" sources: see https://x.org/a'


def test_words_after_a_text_value_go_back_to_it_not_to_the_name_before_it() -> None:
    """`contact add Sam Ortiz org:State Library` named the contact "Sam Ortiz Library"."""
    command = REGISTRY.forms("contact add")[0]
    for line, name, org in (
        ("contact add Sam Ortiz org:State Library", "Sam Ortiz", "State Library"),
        ('contact add Sam Ortiz org:"State Library"', "Sam Ortiz", "State Library"),
        ("contact add Sam org:State Library how:email", "Sam", "State Library"),
    ):
        bound = bind(command, tokenize(line)[2:], line)
        assert (bound.values["name"], bound.values["org"]) == (name, org), line
    announce = REGISTRY.forms("announce")[0]  # no words before the key: the text is all of them
    line = "announce to:everyone Second meeting: Thursday"
    assert bind(announce, tokenize(line)[1:], line).values == {"to": "everyone", "text": "Second meeting: Thursday"}


def test_a_key_said_as_a_word_is_that_key_where_no_parameter_takes_free_text() -> None:
    """`checkin at 9am` was "I didn't expect at 9am there"."""

    def values(name: str, line: str) -> dict[str, object]:
        return bind(REGISTRY.forms(name)[0], tokenize(line)[len(name.split()) :], line).values

    assert values("checkin", "checkin every friday at 5pm") == {"every": "friday", "at": "5pm"}
    said = values("profile", 'profile region "Upper Midwest" tz Chicago')
    assert said == {"region": "Upper Midwest", "tz": "Chicago"}
    assert values("event cancel", "event cancel 3 on friday") == {"id": "3", "on": "friday"}
    assert values("event add", "event add title Weekly call when thursday 7pm") == {
        "title": "Weekly call",
        "when": "thursday 7pm",
    }
    # Free text keeps its words: the announcement is not scheduled for 7pm.
    assert values("announce", "announce Meeting at 7pm in the hall") == {"text": "Meeting at 7pm in the hall"}
    # A positional parameter's name is a value there (`role @alice member`), never a key.
    assert values("role", "role @alice member") == {"member": "@alice", "role": "member"}


def test_flags_are_bare_words() -> None:
    command = REGISTRY.forms("asks")[0]
    line = "asks research mine"
    bound = bind(command, tokenize(line)[1:], line)
    assert bound.values == {"skill": "research", "mine": True}


async def test_a_platform_mention_binds_to_its_user() -> None:
    command = REGISTRY.forms("whois")[0]
    line = "whois <@42>"
    bound = bind(command, tokenize(line)[1:], line)
    args = await convert(bound, calling(command, "Europe/Berlin", "discord", Mentioned("<@42>", "42", "Alice")))
    member = args.raw("member")
    assert getattr(member, "user_id", None) == "42"


def test_giving_a_key_twice_is_an_error() -> None:
    command = REGISTRY.forms("ask")[0]
    line = "ask title:a title:b"
    with pytest.raises(UserError, match="twice"):
        bind(command, tokenize(line)[1:], line)


@pytest.mark.parametrize("command", REGISTRY.commands, ids=lambda c: c.key)
async def test_every_example_in_the_registry_parses(command: object) -> None:
    assert isinstance(command, Command)
    line = command.example
    tokens = tokenize(line)[len(command.words) :]
    bound = bind(command, tokens, line)
    await convert(bound, calling(command, "America/Chicago"))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_tokenize_never_fails_and_spans_fit(line: str) -> None:
    for token in tokenize(line):
        assert 0 <= token.start <= token.end <= len(line)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(REGISTRY.commands),
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(["title:", "due:", "need:", "skill:", "tz:", "quiet:", '"', "“", "@x", "#1", "mine"]),
            st.from_regex(r"[a-z]{1,8}:[^\s]{0,12}", fullmatch=True),
        ),
        max_size=8,
    ),
)
async def test_binding_and_converting_only_ever_raise_user_errors(command: object, parts: list[str]) -> None:
    assert isinstance(command, Command)
    line = " ".join([command.name, *parts])
    try:
        bound = bind(command, tokenize(line)[len(command.words) :], line)
        await convert(bound, calling(command, "Europe/Berlin"))
    except UserError as error:
        assert error.message  # a reply for the person, never empty


class _QuoteEverywhere:
    """Stands in for `_ANY_QUOTE`: every line looks quoted, so `tokenize` takes its general loop."""

    def search(self, line: str) -> bool:
        return True


def test_the_one_regex_for_lines_without_quotes_splits_as_the_general_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines without quotes are split by one regex; on 30,000 random lines of keys, links, colons,
    tabs, newlines and Unicode spaces it must give exactly the general loop's tokens."""
    pieces = [*"abXZ_:/ \t\n09é-", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "http://", "key:", "due: ", "a:b"]
    rng = random.Random(15)
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    lines += ["due: next friday", "key:\t value", "key:  \n x", "key:", "https://x.org/a", "12:30 a:b:c"]
    fast = [tokenize(line) for line in lines]
    monkeypatch.setattr(parsing, "_ANY_QUOTE", _QuoteEverywhere())
    assert [tokenize(line) for line in lines] == fast


#: `é` as one character, and as `e` with a combining accent (two), as some keyboards send it.
E_ACUTE, E_THEN_ACCENT = "\u00e9", "e\u0301"


async def _converted(name: str, line: str) -> dict[str, object]:
    """The values of `line` for command `name`, read as the dispatcher reads them."""
    command = REGISTRY.forms(name)[0]
    bound = bind(command, tokenize(line)[len(command.words) :], line)
    args = await convert(bound, calling(command, "America/Chicago"))
    return {key: args.raw(key) for key in args.given()}


async def test_text_limits_count_the_characters_a_person_sees_and_keep_them_composed() -> None:
    """A title of 150 `é` typed as `e` + accent was refused as 300 characters."""
    title = (await _converted("ask", f'ask title:"{E_THEN_ACCENT * 150}"'))["title"]
    assert title == E_ACUTE * 150  # kept composed, as it is measured
    with pytest.raises(TooLong, match=r"at most 200 characters \(yours has 201\)"):
        await _converted("ask", f'ask title:"{E_ACUTE * 201}"')
    with pytest.raises(TooLong, match=r"at most 200 characters \(yours has 201\)"):  # not 402
        await _converted("ask", f'ask title:"{E_THEN_ACCENT * 201}"')


async def test_list_items_are_measured_and_compared_composed() -> None:
    interests = (await _converted("profile", f"profile interests:{E_THEN_ACCENT * 50}, caf{E_ACUTE}"))["interests"]
    assert interests == (E_ACUTE * 50, f"caf{E_ACUTE}")
    same = await _converted("profile", f"profile interests:caf{E_ACUTE}, caf{E_THEN_ACCENT}")
    assert same["interests"] == (f"caf{E_ACUTE}",)  # one interest, however it was typed
    with pytest.raises(TooLong, match="Each interest can be at most 50 characters"):
        await _converted("profile", f"profile interests:{E_THEN_ACCENT * 51}")
    # A skill keeps its accent: the combining one was cut as punctuation (`résumé` → `re-sume`).
    skills = await _converted("volunteer", f'volunteer r{E_THEN_ACCENT}sum{E_THEN_ACCENT} "{E_THEN_ACCENT * 40}"')
    assert skills["skill"] == (f"r{E_ACUTE}sum{E_ACUTE}", E_ACUTE * 40)
