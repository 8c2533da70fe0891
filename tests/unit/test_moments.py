"""Times put into words for each reader (spec §12), and the parts of a queued message that are
written again when it is sent: how they survive the outbox, and what they carry with them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.clock import to_ts
from bot.core import text as rich
from bot.core.text import Live, Mention, Moment, Plain, fmt, private
from bot.core.timing import Reader, moment_text, resolve
from bot.ids import PersonId
from bot.zones import localize

CHICAGO, DENVER, TOKYO, UTC_ZONE = (ZoneInfo(z) for z in ("America/Chicago", "America/Denver", "Asia/Tokyo", "UTC"))
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
#: Friday 27 Nov 2026 as a due day given in Chicago: its last second there.
FRIDAY = Moment(to_ts(localize(datetime(2026, 11, 28).date(), time(0), CHICAGO)) - 1, "day", "America/Chicago")


def test_a_day_is_that_day_where_it_was_given_and_names_its_zone_only_where_the_readers_date_differs() -> None:
    assert moment_text(FRIDAY, Reader(CHICAGO, True), NOW) == "Fri 27 Nov"
    assert moment_text(FRIDAY, Reader(DENVER, True), NOW) == "Fri 27 Nov"  # it ends at 22:59 there
    assert moment_text(FRIDAY, Reader(CHICAGO, False), NOW) == "Fri 27 Nov"  # no zone of their own, same day
    assert moment_text(FRIDAY, Reader(TOKYO, True), NOW) == "Fri 27 Nov (Chicago time)"
    assert moment_text(FRIDAY, Reader(UTC_ZONE, False), NOW) == "Fri 27 Nov (Chicago time)"


def test_a_time_is_the_readers_own_and_names_the_zone_for_a_reader_who_never_chose_one() -> None:
    five_pm = Moment(FRIDAY.at - 7 * 3600 + 1)  # 17:00 in Chicago
    assert moment_text(five_pm, Reader(TOKYO, True), NOW) == "Sat 28 Nov 08:00"
    assert moment_text(five_pm, Reader(UTC_ZONE, False), NOW) == "Fri 27 Nov 23:00 (UTC)"


def test_a_time_in_the_hour_a_fall_back_repeats_says_which_of_the_two_it_is() -> None:
    """Two London events an hour apart, at 00:30 and 01:30 UTC on 25 Oct 2026, both read 01:30."""
    london, night = ZoneInfo("Europe/London"), datetime(2026, 10, 25, tzinfo=UTC)
    first, second = (Moment(to_ts(night + timedelta(minutes=m))) for m in (30, 90))
    now = datetime(2026, 10, 20, tzinfo=UTC)
    assert moment_text(first, Reader(london, True), now) == "Sun 25 Oct 01:30 BST"
    assert moment_text(second, Reader(london, True), now) == "Sun 25 Oct 01:30 GMT"
    assert moment_text(Moment(to_ts(night + timedelta(hours=3))), Reader(london, True), now) == "Sun 25 Oct 03:00"
    assert moment_text(first, Reader(ZoneInfo("America/New_York"), True), now) == "Sat 24 Oct 20:30"


def test_a_date_is_the_readers_own_date_without_a_zone_and_the_year_only_when_it_is_not_this_one() -> None:
    posted = Moment(to_ts(NOW), "date")
    assert moment_text(posted, Reader(CHICAGO, False), NOW) == "Mon 23 Nov"
    assert moment_text(posted, Reader(TOKYO, True), NOW) == "Tue 24 Nov"
    assert moment_text(posted, Reader(TOKYO, True), NOW + timedelta(days=60)) == "Tue 24 Nov 2026"


@given(
    at=st.integers(to_ts(datetime(2026, 1, 1, tzinfo=UTC)), to_ts(datetime(2028, 1, 1, tzinfo=UTC))),
    given_in=st.sampled_from(["America/Chicago", "Asia/Tokyo", "Pacific/Kiritimati", "Europe/London"]),
    reader=st.sampled_from(["America/Denver", "Australia/Lord_Howe", "UTC", "Asia/Kathmandu"]),
)
def test_a_day_never_shows_a_time_and_is_named_exactly_when_the_readers_date_is_another(
    at: int, given_in: str, reader: str
) -> None:
    shown = moment_text(Moment(at, "day", given_in), Reader(ZoneInfo(reader), True), NOW)
    there = datetime.fromtimestamp(at, ZoneInfo(given_in))
    assert shown.startswith(f"{there:%a} {there.day} {there:%b}") and ":" not in shown
    named = there.date() != datetime.fromtimestamp(at, ZoneInfo(reader)).date()
    assert shown.endswith(" time)") == named


def test_a_live_part_survives_the_outbox_and_carries_its_times_mentions_and_privacy() -> None:
    shown = fmt("{who} · due {day} · {note}", who=Mention(PersonId(7), "alice"), day=FRIDAY, note=private("x"))
    text = (*fmt("A new ask: "), Live("ask:3", shown, "line"))
    assert rich.from_json(rich.to_json(text)) == text
    assert rich.mentioned(text) == {PersonId(7)} and rich.is_private(text)
    assert rich.plain_text(text) == f"A new ask: @alice · due <day {FRIDAY.at}> · x"
    as_read = resolve(text, Reader(TOKYO, True), NOW)
    assert not any(isinstance(span, Live | Moment) for span in as_read)
    assert rich.plain_text(as_read) == "A new ask: @alice · due Fri 27 Nov (Chicago time) · x"
    assert Plain("A new ask: ") in as_read


def test_a_day_in_a_leads_only_zone_keeps_its_message_private_through_the_outbox() -> None:
    """`Paused until Fri 27 Nov (Chicago time)` in a channel told everyone a leads-only profile's
    zone: a moment made `private` marks its message private, as a private field does."""
    open_day, hidden_day = fmt("until {d}", d=FRIDAY), fmt("until {d}", d=private(FRIDAY))
    assert not rich.is_private(open_day) and rich.is_private(hidden_day)
    assert rich.from_json(rich.to_json(hidden_day)) == hidden_day and rich.is_private((Live("x:1", hidden_day),))
    assert rich.from_json(rich.to_json(open_day)) == open_day
    assert rich.plain_text(resolve(hidden_day, Reader(TOKYO, True), NOW)) == "until Fri 27 Nov (Chicago time)"
