"""One network with work for every scheduled job at the same moment, `T1`.

Set up on Monday 23 November (`SAID` at T0; `SETUP` runs on to `SET_UP`), then left alone
until Monday 30 November 18:00 UTC (noon in Chicago, 03:00 on Tuesday in Tokyo): by then a
follow-up is due, two claims are stale, an ask is due within a day, an intro has waited a week,
the pairing round and the leads' digests are due, an announcement is to go out, a check-in is to
be asked and another has waited two days for its answer, one event has started and ended ("who
did you meet?"), one starts within the hour and one tomorrow, and housekeeping has not run for a
day.

People: you (an admin, Chicago), alice (Chicago), bob (Tokyo), carol (UTC) and dan (a lead,
Tokyo), all with the default quiet hours 21:00-09:00, so at T1 alice and carol are awake and bob
and dan asleep.
"""

from __future__ import annotations

from bot import catalog
from bot.scheduling.sweep import Sweep
from tests.crash.harness import Life

T0 = "2026-11-23T16:00Z"  # Monday 10:00 in Chicago
SET_UP = "2026-11-24T02:00Z"  # the setup ends: bob's first check-in was asked (Tuesday 10:00 in Tokyo)
T1 = "2026-11-30T18:00Z"  # the kill: every job has work
#: Restarts later than the kill. `hours`: 22:00 in Chicago, 04:00 UTC, 13:00 in Tokyo (alice and
#: carol are asleep, bob and dan awake); `next day`: Tuesday 10:00 in Chicago; `days`: Thursday.
RESTARTS = {"hours": "2026-12-01T04:00Z", "next day": "2026-12-01T16:00Z", "days": "2026-12-03T15:00Z"}
END = "2026-12-05T12:00Z"  # Saturday, still the same ISO week everywhere: the weekly jobs compare

SAID = """
!profile tz:America/Chicago
alice: !volunteer research
alice: !profile tz:America/Chicago
bob: !volunteer research writing
bob: !profile tz:Asia/Tokyo
carol: !volunteer outreach
carol: !profile tz:UTC
dan: !volunteer writing
dan: !profile tz:Asia/Tokyo
!role @dan lead
!ask title:"Compile sectoral-bargaining resources" skill:research
!ask title:"Draft the survey" skill:outreach due:2026-11-30
!ask title:"Print the flyers" skill:research due:"2026-12-02 14:00"
!event add title:"Library walk" when:"2026-11-30 08:00" length:1h
!event add title:"Committee" when:"2026-12-01 08:00" length:1h
!event add title:"Phone bank" when:"2026-11-30 12:30" length:1h
!announce text:"Rally at the state library on Saturday" to:everyone at:"2026-11-30 11:00"
::in dm
alice: !claim 1
alice: !claim 3
carol: !claim 2
alice: !contact add name:"Jordan Lee" org:"Teachers Union" follow:2026-11-27
carol: !intro @alice @bob why:"both digging into union archives"
alice: !pairing on
bob: !pairing on
carol: !pairing on
dan: !checkin every:monday at:11:00
bob: !checkin every:2weeks on:tuesday at:10:00
alice: !rsvp 1 yes
bob: !rsvp 1 yes
carol: !rsvp 1 yes
alice: !rsvp 2 yes
bob: !rsvp 2 yes
carol: !rsvp 2 yes
alice: !rsvp 3 yes
bob: !rsvp 3 yes
carol: !rsvp 3 yes
"""
SETUP = f"{SAID}::at {SET_UP}\n"


def job_names() -> list[str]:
    """Every job a sweep runs, as the sweep itself lists them (the areas' jobs, then its own)."""
    return [job.name for job in Sweep(None, None, catalog.jobs()).jobs]  # type: ignore[arg-type]


def timeline(restart: str, pause_at: str | None = None) -> list[Life]:
    """Up at T1 (killed at `pause_at`, if given), down until `restart`, then up until END."""
    return [Life(T1, pause_at=pause_at), Life(RESTARTS[restart], f"::at {END}\n")]


def down_from_t1(restart: str) -> list[Life]:
    """The same timeline with the bot down from T1 until the restart."""
    return timeline(restart)[1:]
