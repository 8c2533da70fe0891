"""The console scripts in `examples/` read right in every zone (spec §12): run each one, with the
organisation in UTC, Chicago and Tokyo (whoever never set a zone reads the organisation's), and
check every date the bot prints against whom it printed it for.

Every date shown must be one of the moments the bot put into words (so none was formatted as
plain text on the way), as that reader reads it: a time in their own zone (named when they never
chose one), a date in their own zone, a day given in a zone as that day (named where their own
date at its end differs). And no due date given as a day shows a time of day.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import timing
from bot.core.text import Moment
from tests.console_bot import ConsoleBot, make_config

EXAMPLES = {path.name: path.read_text() for path in sorted((Path(__file__).parents[2] / "examples").glob("*.txt"))}
START = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


async def play_examples(folder: Path, then: str) -> None:
    """Every example script, each on a new database in `folder` (`bot0.sqlite3`, …), and the
    clock moved on by `then` after it (its reminders, digests and pairing rounds)."""
    for number, script in enumerate(EXAMPLES.values()):
        bot = await ConsoleBot.start(folder / f"bot{number}.sqlite3", start=START)
        try:
            await bot.script(script)
            await bot.advance(then)
        finally:
            await bot.close()


_DATE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"(?: \d{4})?(?: \d\d:\d\d)?(?: \((?:UTC|[A-Za-z ]+ time)\))?"
)
_TIMED_DUE = re.compile(r"\bdue (?:\w{3}) \d{1,2} \w{3}(?: \d{4})? \d\d:\d\d")
_SPEAKER = re.compile(r"^([A-Za-z0-9_.-]+): ")


def _label(zone: ZoneInfo) -> str:
    return "UTC" if zone.key in ("UTC", "Etc/UTC") else zone.key.rsplit("/", 1)[-1].replace("_", " ") + " time"


def _as_read(moment: Moment, zone: ZoneInfo, own: bool) -> str:
    """How the spec says `moment` reads for a reader in `zone` (the year left out)."""
    local = datetime.fromtimestamp(moment.at, zone)
    if moment.style == "day" and moment.zone:
        given = datetime.fromtimestamp(moment.at, ZoneInfo(moment.zone))
        text = f"{given:%a} {given.day} {given:%b}"
        return text if given.date() == local.date() else f"{text} ({_label(ZoneInfo(moment.zone))})"
    text = f"{local:%a} {local.day} {local:%b}"
    if moment.style != "time":
        return text
    return f"{text} {local:%H:%M}" + ("" if own else f" ({_label(zone)})")


def _messages(printed: list[str], speaker: str) -> Iterator[tuple[str, str]]:
    """(reader, text) for each message printed: a private one's reader is named, a reply in the
    channel is read by whoever spoke."""
    for line in printed:
        if line.startswith("[to "):
            name, _, text = line[4:].partition("] ")
            yield name, text
        elif line.startswith("[#"):
            yield speaker, line.partition("] ")[2]
        else:
            yield "", line  # a continuation line: read by the message's reader


@pytest.fixture
def moments(monkeypatch: pytest.MonkeyPatch) -> set[Moment]:
    """Every moment the bot puts into words from now on."""
    seen: set[Moment] = set()
    real = timing.moment_text

    def recording(moment: Moment, reader: timing.Reader, now: datetime) -> str:
        seen.add(moment)
        return real(moment, reader, now)

    monkeypatch.setattr(timing, "moment_text", recording)
    return seen


@pytest.fixture(params=["UTC", "America/Chicago", "Asia/Tokyo"])
async def console(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ConsoleBot]:
    config = make_config(organisation={"name": "Library Workers", "timezone": request.param})
    bot = await ConsoleBot.start(tmp_path / "bot.sqlite3", config, START)
    yield bot
    await bot.close()


async def _zones(bot: ConsoleBot) -> dict[str, tuple[ZoneInfo, bool]]:
    """Each person's reading zone now, and whether they chose it."""
    organisation = ZoneInfo(bot.app.config.organisation.timezone)
    async with bot.app.db.reading() as tx:
        rows = await tx.all("SELECT display_name, tz FROM people")
    return {row["display_name"]: (ZoneInfo(row["tz"]) if row["tz"] else organisation, bool(row["tz"])) for row in rows}


@pytest.mark.parametrize("example", EXAMPLES)
async def test_every_example_shows_each_date_in_its_readers_zone(
    example: str, console: ConsoleBot, moments: set[Moment]
) -> None:
    script = EXAMPLES[example]
    timed_dues = re.search(r'due:(?:"[^"]*(?:\d:\d\d|am|pm)[^"]*"|\S*\d:\d\d)', script) is not None
    checked = 0
    for line in script.splitlines():
        printed = await console.feed(line)
        match = _SPEAKER.match(line)
        speaker = match.group(1) if match else "you"
        zones = await _zones(console)
        reader = ""
        for name, text in _messages(printed, speaker):
            reader = name or reader
            zone, own = zones.get(reader, (ZoneInfo(console.app.config.organisation.timezone), False))
            readable = {_as_read(moment, zone, own) for moment in moments}
            for shown in _DATE.findall(text):
                without_year = re.sub(r" \d{4}\b", "", shown)
                assert without_year in readable, f"{example}: {shown!r} to {reader} ({zone.key}) in {text!r}"
                checked += 1
            if not timed_dues:
                assert not _TIMED_DUE.search(text), f"{example}: a due day shown with a time: {text!r}"
    assert checked, f"{example} shows no dates at all"
