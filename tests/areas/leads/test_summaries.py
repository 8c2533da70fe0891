"""The leads' summaries (bot/storage/summaries.py) always equal what they summarise.

Random sequences of the commands that change what the summaries count — signing up, skills,
profiles, pauses, asks and claims, meetings, intros, contacts (and the words they are searched
by), check-ins asked, answered and turned off, timezones, linking two accounts into one person,
`forget me` (and the scrub of their name from contacts), the clock (by hours and days, so a week's
edges fall mid-hour and check-ins leave it) and its sweeps — are sent through the console (and a second platform for
linking), on SQLite and on PostgreSQL; after every step the summaries must equal a rebuild from
their sources, and the digest's check-in figures what a count of the check-ins gives; at the end
of each sequence the leads' views must give what the queries they replaced gave (kept below as the
reference, read straight from the base tables).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bot import storage
from bot.areas.leads import queries as leads
from bot.areas.network import queries as network
from bot.storage import summaries
from bot.storage.db import Tx
from tests.areas.accounts.test_accounts import say_on
from tests.areas.leads import naive
from tests.console_bot import ConsoleBot, joined

PEOPLE = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"]
SKILLS = ["research", "writing", "design", "spanish"]
REGIONS = ["Ohio", "ohio", "Upper Midwest", "Texas"]
LIBRARIES = ["public", "academic", "school", "special"]
STEPS = 120


def _draw(
    rng: random.Random,
    state: dict[str, int],
    held: list[tuple[str, int]],
    owned: list[tuple[str, int]],
    asked: list[str],
) -> str:
    """One command: who says what (`name: text`), or a clock directive. `held`: active claims,
    `owned`: contacts, each with its owner's name; `asked`: who has a check-in to answer."""
    who, other = rng.sample(PEOPLE, 2)
    answering = rng.choice(asked) if asked else who
    holder, claimed = rng.choice(held) if held else (who, 1)
    owner, mine = rng.choice(owned) if owned else (who, 1)
    ask, contact, intro = (rng.randint(1, max(state[k], 1)) for k in ("asks", "contacts", "intros"))
    share = rng.choice(["private", "leads", "members"])
    weighted = [  # (weight, command): meetings, intros and profiles often, merges and forgetting rarely
        (3, f"{who}: !volunteer {' '.join(rng.sample(SKILLS, rng.randint(1, 2)))}"),
        (1, f"{who}: !unvolunteer {rng.choice(SKILLS)}"),
        (3, f'{who}: !profile region:"{rng.choice(REGIONS)}"'),
        (3, f"{who}: !profile library:{rng.choice(LIBRARIES)}"),
        (1, f"{who}: !profile visibility:{rng.choice(['members', 'leads'])}"),
        (1, f"{who}: !pause" if rng.random() < 0.5 else f"{who}: !pause until:in 2 days"),
        (1, f"{who}: !resume"),
        (2, f'{who}: !ask title:"Task" skill:{rng.choice(SKILLS)} need:{rng.randint(1, 3)}'),
        (1, f'{who}: !ask title:"Anything" need:2'),
        (4, f"{who}: !claim {ask}"),
        (2, f"{holder}: !done {claimed}"),
        (2, f"{holder}: !release {claimed}"),
        (1, f"you: !close {ask}"),
        (1, f"you: !reopen {ask}"),
        (1, f"you: !edit {ask} skill:{rng.choice(SKILLS)} need:{rng.randint(1, 3)}"),
        (5, f"{who}: !met @{other}"),
        (2, f'{who}: !intro @{who} @{other} why:"should talk"'),
        (3, f'{who}: !intro @{who} {contact} why:"knows them"'),
        (3, f"{rng.choice((who, other))}: !accept {intro}"),
        (1, f"{who}: !decline {intro}"),
        (2, f'{who}: !contact add name:"Pat {state["contacts"] + 1}" share:{share}'),
        (1, f"{who}: !contact edit {contact} share:{share}"),
        (1, f'{who}: !contact edit {contact} org:"{other} branch" interests:"{rng.choice(SKILLS)}"'),
        (1, f'{who}: !contact add name:"Ask {other}" org:"Teachers Union" share:{share}'),
        (2, f"{rng.choice(PEOPLE)}: !contact drop {contact}"),
        (2, f"{owner}: !contact drop {mine}"),
        (1, f"you: !role @{who} lead"),
        (3, f"{who}: !checkin every:{rng.choice(['day', 'monday', 'thursday'])} at:{rng.randint(0, 23):02d}:30"),
        (0.5, f"{who}: !checkin off"),
        (4, f"{answering}: !checkin reply fine"),
        (1, f"{who}: !profile tz:{rng.choice(['America/Chicago', 'Asia/Tokyo', 'Europe/Berlin'])}"),
        (2, "::advance 3d"),
        (2, f"::advance {rng.randint(1, 30)}h"),
        (1, "link"),
        (0.4, "forget"),
    ]
    return rng.choices([line for _, line in weighted], [weight for weight, _ in weighted])[0]


async def _link(bot: ConsoleBot, rng: random.Random, state: dict[str, int]) -> None:
    """A new Matrix account with a profile of its own, linked into a console person (a merge)."""
    state["matrix"] += 1
    user, name = f"@m{state['matrix']}:example.org", f"m{state['matrix']}"
    await say_on(bot, "matrix", user, name, f"!volunteer {rng.choice(SKILLS)}")
    await say_on(bot, "matrix", user, name, f'!profile region:"{rng.choice(REGIONS)}" library:{rng.choice(LIBRARIES)}')
    await say_on(bot, "matrix", user, name, f"!met @{rng.choice(PEOPLE)}")
    await say_on(bot, "matrix", user, name, f'!contact add name:"Mx {name}" share:leads')
    if rng.random() < 0.5:  # check-ins of their own, asked (and maybe answered) before the merge
        await say_on(bot, "matrix", user, name, "!checkin every:day at:00:15")
        await bot.advance("1d")
        if rng.random() < 0.5:
            await say_on(bot, "matrix", user, name, "!checkin reply fine")
    who = rng.choice(PEOPLE)
    bot.dm()
    code = re.search(r"`link ([A-Z0-9]{8})`", joined(await bot.say(who, "!link")))
    bot.public()
    assert code, "no link code"
    await say_on(bot, "matrix", user, name, f"!link {code.group(1)}")


async def _forget(bot: ConsoleBot, rng: random.Random) -> None:
    who = rng.choice(PEOPLE)
    bot.dm()
    await bot.say(who, "!forget me")
    await bot.say(who, "!forget me confirm")
    bot.public()


async def _step(bot: ConsoleBot, rng: random.Random, state: dict[str, int]) -> str:
    async with bot.app.db.reading() as tx:
        held = [(r[0], r[1]) for r in await tx.all(
            "SELECT p.display_name, c.ask_id FROM claims c JOIN people p ON p.id = c.person_id"
            " WHERE c.status = 'active' AND p.display_name IN (" + ", ".join(f"'{n}'" for n in PEOPLE) + ")"
        )]  # fmt: skip
        owned = [(r[0], r[1]) for r in await tx.all(
            "SELECT p.display_name, c.id FROM contacts c JOIN people p ON p.id = c.owner_id"
            " WHERE p.display_name IN (" + ", ".join(f"'{n}'" for n in PEOPLE) + ")"
        )]  # fmt: skip
        asked = [r[0] for r in await tx.all(
            "SELECT p.display_name FROM checkins c JOIN people p ON p.id = c.person_id WHERE c.answered_at IS NULL"
            " AND p.display_name IN (" + ", ".join(f"'{n}'" for n in PEOPLE) + ")"
        )]  # fmt: skip
    line = _draw(rng, state, sorted(held), sorted(owned), sorted(set(asked)))
    if line == "link":
        await _link(bot, rng, state)
    elif line == "forget":
        await _forget(bot, rng)
    elif line.startswith("::"):
        await bot.feed(line)
    else:
        private = "contact" in line or "checkin reply" in line
        if private:
            bot.dm()
        await bot.feed(line)
        bot.public()
    async with bot.app.db.reading() as tx:
        for key, table in (("asks", "asks"), ("contacts", "contacts"), ("intros", "intros")):
            state[key] = int(await tx.value(f"SELECT COALESCE(MAX(id), 0) FROM {table}"))
    return line


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
async def test_summaries_equal_a_rebuild_after_any_sequence_of_commands(database: str, seed: int) -> None:
    rng = random.Random(seed)
    bot = await ConsoleBot.start(database)
    state = {"asks": 0, "contacts": 0, "intros": 0, "matrix": 0}
    done: list[str] = []
    try:
        for name in PEOPLE[:4]:  # a few members to start with, so early steps have someone to act on
            await bot.say(name, f"!volunteer {rng.choice(SKILLS)}")
        for _ in range(STEPS):
            done.append(await _step(bot, rng, state))
            async with bot.app.db.transaction() as tx:
                differences = await summaries.differences(tx)
            assert not differences, f"after {done[-3:]}: {differences}"
            async with bot.app.db.reading() as tx:
                await _assert_checkins_as_counted(tx, int(bot.clock.now().timestamp()), done[-3:])
        async with bot.app.db.reading() as tx:
            await _assert_views_as_before(tx, bot.clock.now().timestamp())
    finally:
        await bot.close()


async def test_the_migration_fills_the_summaries_as_a_rebuild_does(bot: ConsoleBot) -> None:
    """Migrations 0014 and 0016 count what a network already stored when added: their filling statements,
    run again on the tables emptied after random commands, give what `summaries.rebuild` gives."""
    rng, state = random.Random(5), {"asks": 0, "contacts": 0, "intros": 0, "matrix": 0}
    for name in PEOPLE[:4]:
        await bot.say(name, f"!volunteer {rng.choice(SKILLS)}")
    for _ in range(60):
        await _step(bot, rng, state)
    for name in PEOPLE[:2]:  # check-ins asked, one answered
        await bot.say(name, "!checkin every:day at:09:00")
    await bot.advance("1d")
    bot.dm()
    await bot.say(PEOPLE[0], "!checkin reply fine")
    bot.public()
    code = ""
    for name in ("0014_lead_views.sql", "0016_digest_checkins.sql"):
        script = (Path(storage.__file__).parent / "migrations" / name).read_text("utf-8")
        filling = script.split("-- Filled from what is already stored", 1)[1].split("\n", 1)[1]
        code += "\n".join(line for line in filling.splitlines() if not line.startswith("--")) + ";\n"
    async with bot.app.db.transaction() as tx:
        for table in summaries.TABLES:
            await tx.execute(f"DELETE FROM {table}")
        await tx.execute("UPDATE people SET met_at = NULL, checkin_asked_at = NULL, checkin_heard_at = NULL")
        for statement in filter(str.strip, code.split(";")):
            await tx.execute(statement)
        assert await tx.value("SELECT COUNT(*) FROM contact_prefixes") > 0
        assert await tx.value("SELECT COUNT(*) FROM checkin_hours") > 0
        assert not await summaries.differences(tx)


# --- the queries the views ran before their summaries, as the reference -----------------------------


async def _assert_checkins_as_counted(tx: Tx, now: int, done: list[str]) -> None:
    """The digest's check-in figures, as counted from the check-ins themselves: people asked one in
    the week to `now`, of them those who answered any since, and names of the rest."""
    since = now - leads.WEEK
    asked = await tx.value(
        "SELECT COUNT(DISTINCT person_id) FROM checkins WHERE due_at >= :s AND due_at <= :now", {"s": since, "now": now}
    )
    silent = [r[0] for r in await tx.all(
        "SELECT DISTINCT p.display_name FROM checkins c JOIN people p ON p.id = c.person_id"
        " WHERE c.due_at >= :s AND c.due_at <= :now AND NOT EXISTS (SELECT 1 FROM checkins d"
        "   WHERE d.person_id = c.person_id AND d.answered_at >= :s) ORDER BY p.display_name",
        {"s": since, "now": now},
    )]  # fmt: skip
    digest = await leads.digest(tx, now, 7, [], 0)
    assert (digest.checkins_asked, digest.checkins_answered) == (asked, asked - len(silent)), done
    assert set(digest.not_answered) <= set(silent) and len(digest.not_answered) == min(len(silent), leads.NAMED), done


_PAUSED = "(p.paused_at IS NULL OR (p.paused_until IS NOT NULL AND p.paused_until <= :now))"


async def _assert_views_as_before(tx: Tx, now_float: float) -> None:
    now, since = int(now_float), int(now_float) - 30 * 86400
    rows = await tx.all(
        "SELECT MAX(region) AS region, library, COUNT(*) AS n, MAX(CASE WHEN visibility = 'leads' THEN 1 ELSE 0 END)"
        " AS hidden FROM people WHERE signed_up_at IS NOT NULL GROUP BY region_key, library"
    )
    assert sorted(await leads.by_region_and_library(tx), key=repr) == sorted(
        ((r["region"], r["library"], r["n"], bool(r["hidden"])) for r in rows), key=repr
    )
    rows = await tx.all(
        "SELECT s.skill, COUNT(*) AS n FROM person_skills s JOIN people p ON p.id = s.person_id"
        " WHERE p.signed_up_at IS NOT NULL GROUP BY s.skill ORDER BY n, s.skill"
    )
    assert await leads.by_skill(tx) == [(r["skill"], r["n"]) for r in rows]
    rows = await tx.all(
        "SELECT skill, COUNT(*) AS n FROM asks WHERE status = 'open' AND skill IS NOT NULL"
        " GROUP BY skill ORDER BY skill"  # (the order the summary is read in; GROUP BY promises none)
    )
    assert await leads.skills_wanted(tx) == [(r["skill"], r["n"]) for r in rows]
    digest = await leads.digest(tx, now, 7, ["public", "academic", "school", "special", "archive", "other"], 0)
    unclaimed = await tx.value(
        "SELECT COUNT(*) FROM asks a WHERE a.status = 'open'"
        " AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.ask_id = a.id AND c.status != 'released')"
    )
    present = {r[0] for r in await tx.all("SELECT DISTINCT library FROM people WHERE signed_up_at IS NOT NULL")}
    unmatched = await tx.all(
        "SELECT DISTINCT a.skill FROM asks a WHERE a.status = 'open' AND a.skill IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM person_skills s JOIN people p ON p.id = s.person_id"
        " WHERE s.skill = a.skill AND p.signed_up_at IS NOT NULL) ORDER BY a.skill"
    )
    assert digest.open_unclaimed == unclaimed
    assert digest.unmatched_skills == tuple(r[0] for r in unmatched)
    assert set(digest.missing_library_types).isdisjoint(present)
    figures = await tx.one(
        f"SELECT COUNT(*) AS ties, SUM(CASE WHEN t.last_at >= :since THEN 1 ELSE 0 END) AS recent,"
        f" SUM(CASE WHEN {naive.CROSS['region']} THEN 1 ELSE 0 END) AS r, SUM(CASE WHEN {naive.CROSS['library']} THEN 1"
        f" ELSE 0 END) AS l {naive.TIED}",
        {"since": since},
    )
    members = await tx.value("SELECT COUNT(*) FROM people WHERE signed_up_at IS NOT NULL")
    assert figures is not None
    assert await network.figures(tx, since) == network.Figures(
        members, figures["ties"], figures["recent"] or 0, figures["r"] or 0, figures["l"] or 0
    )
    where = (
        f"p.signed_up_at IS NOT NULL AND {_PAUSED}"
        " AND NOT EXISTS (SELECT 1 FROM ties t WHERE t.a_id = p.id AND t.last_at >= :since)"
        " AND NOT EXISTS (SELECT 1 FROM ties t WHERE t.b_id = p.id AND t.last_at >= :since)"
    )
    alone = await tx.all(
        f"SELECT p.id, p.display_name FROM people p WHERE {where} ORDER BY p.signed_up_at, p.id",
        {"since": since, "now": now},
    )
    assert await network.isolated(tx, since, now, 3) == ([(r["id"], r["display_name"]) for r in alone[:3]], len(alone))
    reach = await tx.all(naive.BRIDGES)
    assert await network.bridges(tx, 5) == [
        network.Bridge(r["id"], r["display_name"], r["regions"], r["libraries"]) for r in reach
    ]
    for by in ("region", "library"):
        count_in_use, list_unlinked = naive.unlinked(by)
        in_use, labels = await tx.value(count_in_use), await tx.all(list_unlinked)
        assert await network.unlinked(tx, by) == ([r["label"] for r in labels], in_use)
    statuses = await tx.all("SELECT status, COUNT(*) AS n FROM intros GROUP BY status")
    assert await network.intro_counts(tx) == {r["status"]: r["n"] for r in statuses}


async def test_a_region_naming_a_forgotten_person_is_counted_as_it_reads_after_the_scrub(bot: ConsoleBot) -> None:
    await bot.say("Zed", "!volunteer research")
    await bot.say("bob", "!volunteer research")
    await bot.say("bob", '!profile region:"Zed Valley" library:public')
    bot.dm()
    await bot.say("Zed", "!forget me")
    await bot.say("Zed", "!forget me confirm")
    async with bot.app.db.transaction() as tx:
        assert not await summaries.differences(tx)
        groups = [tuple(row) for row in await tx.all("SELECT region, members FROM people_groups")]
    assert groups == [("a former member Valley", 1)]
    assert "a former member Valley (1)" in joined(await bot.say("you", "!coverage"))
