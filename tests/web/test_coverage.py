"""The coverage page (spec §16): the heat map keeps every region whatever skill it is filtered
to, and signed vs joined (spec §13) has its own section and CSV, counted as chat counts it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.console_bot import joined
from tests.web.site import Site, read

SIGNATORIES = """name,email,library type,region
Ann Signer,ann@example.org,public,Upper Midwest
Ben Signer,ben@example.org,school,New England
Cat Signer,cat@example.org,school,New England
Dee Signer,dee@example.org,academic,Pacific Northwest
"""


def _heat(page: str) -> str:
    return page.split('<table class="heat">')[1].split("</table>")[0]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_signed_vs_joined_has_its_own_section_and_csv_gaps_first_as_chat_orders_it(
    web: Site, tmp_path: Path
) -> None:
    await web.sign_in()
    empty = await read(await web.client.get("/coverage"))
    assert 'id="signed"' in empty and "None imported yet" in empty
    sheet = tmp_path / "signatories.csv"
    sheet.write_text(SIGNATORIES)
    web.bot.dm()
    await web.bot.feed(f"::attach {sheet}")
    assert "4 new" in joined(await web.bot.say("carol", "!signatures import"))
    await web.bot.say("alice", "!iam ann@example.org")
    web.bot.public()
    chat = joined(await web.bot.say("carol", "!signatures coverage"))
    page = await read(await web.client.get("/coverage"))
    section = page.split('id="signed"')[1].split("</section>")[0]
    assert "Signed vs joined" in page and "None imported yet" not in section
    shown = re.findall(r"<tr(?: class=\"gap\")?><td>([^<]+)(?: <span[^>]*>gap</span>)?</td><td>([^<]+)</td>", section)
    assert shown == [("New England", "school"), ("Pacific Northwest", "academic"), ("Upper Midwest", "public")]
    assert chat.index("school libraries in New England") < chat.index("academic libraries in Pacific Northwest")
    assert chat.index("academic libraries in Pacific Northwest") < chat.index("public libraries in Upper Midwest")
    assert section.count('<tr class="gap">') == 2  # nobody joined from those two places
    rows = _rows(await (await web.client.get("/coverage/signed.csv")).text())
    assert [(r["region"], r["library type"], r["signed"], r["joined"]) for r in rows] == [
        ("New England", "school", "2", "0"),
        ("Pacific Northwest", "academic", "1", "0"),
        ("Upper Midwest", "public", "1", "1"),
    ]
    assert 'href="/coverage/signed.csv"' in await (await web.client.get("/coverage")).text()


async def test_filtered_to_a_skill_every_region_stays_and_one_with_nobody_of_it_is_a_gap(web: Site) -> None:
    await web.sign_in()
    everyone = await read(await web.client.get("/coverage"))
    regions = re.findall(r"<tr(?: class=\"gap\")?><td>([^<]+)</td>", _heat(everyone))
    page = await read(await web.client.get("/coverage?skill=research"))  # alice (Upper Midwest), bob (New England)
    rows = re.findall(r"<tr( class=\"gap\")?><td>([^<]+)</td>((?:<td[^>]*>\d+</td>)+)</tr>", _heat(page))
    assert sorted(label for _, label, _ in rows) == sorted(regions)
    without = [label for _, label, cells in rows if sum(map(int, re.findall(r">(\d+)<", cells))) == 0
               and not label.startswith("(")]  # fmt: skip
    assert "Pacific Northwest" in without and "Zephyr Coast" in without
    assert all(mark for mark, label, _ in rows if label in without)  # marked as gaps
    order = [label for _, label, _ in rows]
    assert max(order.index(label) for label in without) < order.index("Upper Midwest")  # the biggest gaps first
    grid = _rows(await (await web.client.get("/coverage/regions.csv?skill=research")).text())
    assert {row["region"] for row in grid} == set(regions)
    assert next(row for row in grid if row["region"] == "Pacific Northwest")["total"] == "0"
    gaps = _rows(await (await web.client.get("/coverage/gaps.csv?skill=research")).text())
    assert {"Pacific Northwest", "Zephyr Coast", "Upper Midwest", "New England"} <= {row["region"] for row in gaps}
