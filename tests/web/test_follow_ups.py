"""The follow-ups and check-ins page (spec §16, with §12): a follow-up is a day, as chat shows it,
and the check-ins table is every check-in of the last 14 days, never silently cut."""

from __future__ import annotations

import csv
import io

from bot.clock import to_ts
from tests.web.site import Site, read

DAYS = 14


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_a_follow_up_set_as_a_day_shows_as_that_day_in_the_page_and_the_csv(web: Site) -> None:
    await web.bot.script("""
lea: !profile tz:Pacific/Auckland
!role @lea lead
::in dm
bob: !contact add name:"Morgan Day" org:"Library Board" follow:2026-12-09 share:members
""")
    chat = "\n".join(await web.bot.say("bob", "!followups"))
    assert "due Wed 9 Dec" in chat  # bob's own day, as chat says it
    await web.sign_in("lea")
    page = await read(await web.client.get("/follow-ups"))
    followups = page.split('id="followups"')[1].split('id="checkins"')[0]
    # 09:00 in New York is already the 10th in Auckland: the day stays bob's, its zone named.
    assert "Wed 9 Dec (New York time)" in followups and "Thu 10 Dec" not in followups
    assert "Tue 24 Nov (Chicago time)" in followups  # carol's, in Chicago
    assert "09:00" not in followups and "03:00" not in followups and "04:00" not in followups
    rows = _rows(await (await web.client.get("/follow-ups/followups.csv")).text())
    assert {row["contact"]: row["due"] for row in rows} == {"Jordan Lee": "2026-11-24", "Morgan Day": "2026-12-09"}


async def test_the_check_ins_table_holds_every_check_in_of_the_last_two_weeks_and_old_unanswered_ones_first(
    web: Site,
) -> None:
    now = to_ts(web.bot.clock.now())
    async with web.bot.app.db.transaction() as tx:
        people = {row["display_name"]: row["id"] for row in await tx.all("SELECT id, display_name FROM people")}
        answered = [
            (people[name], now - hour * 3600 - n, now - hour * 3600 - n + 60, f"update {hour}")
            for n, name in enumerate(("alice", "bob", "carol", "zed", "mo"))
            for hour in range(1, 13 * 24, 6)  # every 6 hours for 13 days: 52 each
        ]
        await tx.executemany(
            "INSERT INTO checkins (person_id, due_at, answered_at, answer) VALUES (?, ?, ?, ?)", answered
        )
        # dave's only check-in, the oldest of all, still waits for its answer
        await tx.execute(
            "INSERT INTO checkins (person_id, due_at) VALUES (:p, :at)", {"p": people["dave"], "at": now - 13 * 86400}
        )
        total = int(await tx.value("SELECT COUNT(*) FROM checkins WHERE due_at >= :s", {"s": now - DAYS * 86400}))
    assert total > 250
    await web.sign_in()
    page = await read(await web.client.get("/follow-ups"))
    section = page.split('id="checkins"')[1]
    assert f'<span class="tag">{total}</span>' in section.split("</h2>")[0]
    assert f"Showing the first 100 of {total}" in section and f"Download CSV (all {total})" in section
    assert ">dave</a>" in section.split("update ")[0]  # among the unanswered, before every answer
    rows = _rows(await (await web.client.get("/follow-ups/checkins.csv")).text())
    assert len(rows) == total
    waiting = [row["member"] for row in rows if row["answer"] == "(not answered)"]
    assert "dave" in waiting and all(row["answer"] == "(not answered)" for row in rows[: len(waiting)])
