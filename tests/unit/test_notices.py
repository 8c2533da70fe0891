"""One message to many people (`notices.to_people`): each hears it at their own waking moment."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import to_ts
from bot.config import Config, build, validate
from bot.core.messages import Button
from bot.core.notices import decode, to_people
from bot.core.text import fmt
from bot.ids import PersonId, Role
from bot.storage.persons import Person

CONFIG: Config = validate(build(Config, {"organisation": {"timezone": "America/Chicago"}}, ""))
NIGHT = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # 23:00 in Chicago, 14:00 in Tokyo


def _person(pid: int, tz: str | None = None, quiet: tuple[int, int] | None = None) -> Person:
    start, end = quiet if quiet else (None, None)
    return Person(PersonId(pid), f"p{pid}", Role.MEMBER, 0, tz, None, None, None, None, None, start, end,
                  "members", None, None, 0, 0)  # fmt: skip


def test_each_person_hears_it_at_their_own_waking_moment_under_their_own_key() -> None:
    people = [_person(1), _person(2, "Asia/Tokyo"), _person(3), _person(4, quiet=(0, 60))]
    text, buttons = fmt("A new ask matches your skills: `claim 3`"), (Button("Claim", "claim 3"),)
    messages = to_people(people, text, key_prefix="ask:3:r1", kind="ask", at=NIGHT, config=CONFIG, buttons=buttons)
    assert [m.key for m in messages] == ["ask:3:r1:p1", "ask:3:r1:p2", "ask:3:r1:p3", "ask:3:r1:p4"]
    assert [m.person_id for m in messages] == [1, 2, 3, 4]
    morning = to_ts(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))  # 09:00 in Chicago: the default quiet hours end
    assert [m.not_before for m in messages] == [morning, to_ts(NIGHT), morning, to_ts(NIGHT)]
    assert all(decode(m.body) == (text, buttons) for m in messages)


def test_a_time_given_for_everyone_is_kept() -> None:
    people = [_person(1), _person(2, "Asia/Tokyo")]
    messages = to_people(people, fmt("Digest"), key_prefix="d", kind="digest", at=NIGHT, config=CONFIG, send_at=99)
    assert [m.not_before for m in messages] == [99, 99]
