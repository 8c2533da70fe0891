"""What the dashboard's pages show (spec §16): the network as a graph, coverage gaps first, the
asks board, follow-ups and check-ins overdue first with blockers, and a CSV for every table."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from bot.areas import dashboard
from bot.areas.dashboard.views import blocker
from tests.web.site import Site, read


def _graph(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    assert isinstance(data, dict)
    # Read each node as graph.js reads it: [label, colour, size, flags, member id or group query].
    data["nodes"] = [
        {"l": label, "c": c, "s": s, "i": f & 1, "b": f >> 1, "h": h if h is None else
         (f"/people/{h}" if isinstance(h, int) else f"/network?{h}")}
        for label, c, s, f, h in data["nodes"]
    ]  # fmt: skip
    return data


def _region_id(page: str, label: str) -> str:
    """The id the region filter offers for a region (addresses never carry its name)."""
    (found,) = re.findall(rf'<option value="([0-9a-f]{{16}})"[^>]*>{re.escape(label)}</option>', page)
    return str(found)


async def test_the_network_page_draws_members_and_ties_with_isolated_members_and_bridges(web: Site) -> None:
    await web.sign_in()
    response = await web.client.get("/network")
    page = await read(response)
    data = _graph(page)
    nodes = {node["l"]: node for node in data["nodes"]}  # type: ignore[attr-defined]
    assert set(nodes) >= {"you", "alice", "bob", "carol", "dave", "zed"} and data["grouped"] is None
    assert len(data["edges"]) == 3  # type: ignore[arg-type]
    assert nodes["dave"]["i"] == 1 and nodes["alice"]["i"] == 0  # dave has met nobody
    assert nodes["bob"]["b"] == 1  # bob's ties reach other regions and library types
    assert nodes["alice"]["h"].startswith("/people/")
    assert nodes["alice"]["c"] == nodes["carol"]["c"] != nodes["bob"]["c"]  # coloured by region
    assert "Upper Midwest (3)" in page and "Members" in page and "Isolated" in page
    assert '<script src="/static/d3-force.min.js"></script>' in page and "cdn" not in page.lower()
    by_library = _graph(await read(await web.client.get("/network?colour=library")))
    colours = {node["l"]: node["c"] for node in by_library["nodes"]}  # type: ignore[attr-defined]
    assert colours["alice"] != colours["carol"]  # public and school
    midwest = _region_id(page, "Upper Midwest")
    only = _graph(await read(await web.client.get(f"/network?region={midwest}&skill=research")))
    assert [node["l"] for node in only["nodes"]] == ["alice"]  # type: ignore[attr-defined]
    refused = await web.client.get("/network?region=upper%20midwest")  # a region by name is no address
    assert refused.status == 400 and "`region` should be one of the regions the filter offers" in await read(refused)


async def test_a_big_network_is_drawn_by_groups_that_open_when_clicked(
    web: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard.graph, "MAX_NODES", 2)
    await web.sign_in()
    page = await read(await web.client.get("/network"))
    data = _graph(page)
    assert data["grouped"] == "region"
    groups = {node["l"]: node for node in data["nodes"]}  # type: ignore[attr-defined]
    midwest = _region_id(page, "Upper Midwest")
    assert (
        groups["Upper Midwest"]["s"] == 3 and groups["Upper Midwest"]["h"] == f"/network?region={midwest}&colour=region"
    )
    assert "midwest" not in page.split("<body")[1].replace("Upper Midwest", "")  # nowhere but its label
    assert groups["Pacific Northwest"]["i"] == 1  # no ties to any other region
    inner = _graph(await read(await web.client.get(groups["Upper Midwest"]["h"])))
    assert inner["grouped"] == "library"  # still too many: the region by library type
    kinds = {node["l"]: node for node in inner["nodes"]}  # type: ignore[attr-defined]
    assert kinds["public"]["s"] == 2 and "library=public" in kinds["public"]["h"]
    leaf = _graph(await read(await web.client.get(kinds["public"]["h"])))
    assert leaf["grouped"] is None and {n["l"] for n in leaf["nodes"]} == {"you", "alice"}  # type: ignore[attr-defined]


async def test_coverage_is_a_heat_map_with_gaps_first(web: Site) -> None:
    await web.sign_in()
    page = await read(await web.client.get("/coverage"))
    heat = page.split('<table class="heat">')[1].split("</table>")[0]
    regions = re.findall(r"<tr class=\"gap\"><td>([^<]+)</td>", heat)
    assert regions[:1] != ["Upper Midwest"] and "Upper Midwest" in regions  # most gaps first
    assert 'class="cell h0">0</td>' in heat  # a gap is a red cell
    skills = (await read(await web.client.get("/coverage/skills.csv"))).splitlines()
    assert skills[0] == "skill,volunteers,open asks"
    filtered = await read(await web.client.get("/coverage?skill=research"))
    assert "<option selected>research</option>" in filtered  # (every region stays: test_coverage.py)


async def test_the_asks_board_sorts_asks_by_how_they_stand_with_due_dates_in_the_leads_zone(web: Site) -> None:
    await web.sign_in()
    page = await read(await web.client.get("/asks"))
    column = {name: page.split(f'id="col-{name}"')[1].split("</section>")[0] for name in dashboard.views.COLUMNS}
    assert "Phone bank" in column["open"] and "Compile" in column["claimed"] and "Design" in column["claimed"]
    assert "due Fri 27 Nov" in column["claimed"]  # "friday", shown in carol's zone
    raw = await (await web.client.get("/asks")).text()
    assert "Phone bank &lt;b&gt;the&lt;/b&gt;" in raw  # what people type is text, never markup
    await web.bot.advance("8d")  # claims with no update for a week are stale
    await web.sign_in()  # (the session of 12 hours is long over)
    later = await read(await web.client.get("/asks"))
    assert "Compile" in later.split('id="col-stale"')[1].split("</section>")[0]
    await web.bot.say("alice", "!done 1")
    await web.bot.say("bob", "!claim 1")
    await web.bot.say("bob", "!done 1")
    done = await read(await web.client.get("/asks"))
    assert "Compile" in done.split('id="col-done"')[1].split("</section>")[0]


async def test_follow_ups_come_overdue_first_and_check_in_blockers_stand_out(web: Site) -> None:
    await web.bot.advance("1d")
    await web.sign_in()
    page = await read(await web.client.get("/follow-ups"))
    assert re.search(r'<tr class="overdue"><td>Tue 24 Nov <span class="tag overdue">overdue</span>', page)  # a day
    answers = page.split('id="checkins"')[1]
    assert answers.index("(not answered)") < answers.index("Stuck on the archive") < answers.index("no blockers")
    assert '<tr class="blocker"><td><a href="/people/2">alice</a>' in answers


def test_the_blocker_rule_reads_simple_negations() -> None:
    for answer in ("Stuck on the archive request", "I need a lawyer", "blocked by IT", "Waiting on the union"):
        assert blocker(answer), answer
    for answer in ("Finished the reading list, no blockers.", "Nothing needed this week", None, "", "All good"):
        assert not blocker(answer), answer


async def test_every_table_downloads_as_csv_with_all_its_rows(web: Site) -> None:
    await web.sign_in()
    for page in ("/network", "/coverage", "/asks", "/follow-ups", "/people/3"):
        html = await (await web.client.get(page)).text()
        links = re.findall(r'href="([^"]+\.csv[^"]*)" download', html)
        assert links, page
        for link in links:
            response = await web.client.get(link.replace("&amp;", "&"))
            assert response.status == 200 and response.content_type == "text/csv", link
            assert "attachment" in response.headers["Content-Disposition"]
            rows = list(csv.reader(io.StringIO(await response.text())))
            assert rows and rows[0], link
    members = list(csv.DictReader(io.StringIO(await (await web.client.get("/network/members.csv")).text())))
    assert {row["member"] for row in members} >= {"alice", "bob", "zed"}
    alice = next(row for row in members if row["member"] == "alice")
    assert alice["last met"] == "2026-11-23T10:00:00-06:00"  # ISO-8601 in the lead's zone
    skills = await (await web.client.get("/coverage/skills.csv")).text()
    assert "\n=" not in skills and "\n+" not in skills and "\n@" not in skills  # nothing a spreadsheet would run


async def test_pages_are_small_and_carry_their_safety_headers(web: Site) -> None:
    await web.sign_in()
    for page in ("/network", "/coverage", "/asks", "/follow-ups", "/people/2"):
        response = await web.client.get(page)
        body = await response.read()
        assert len(body) < 200_000, page
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"
    style = await web.client.get("/static/style.css")
    assert style.status == 200 and style.content_type == "text/css"
    licence = await read(await web.client.get("/static/d3-LICENSE.txt"))
    assert "Mike Bostock" in licence and "Permission to use" in licence


async def test_a_member_page_shows_what_the_lead_may_see_and_whom_they_met(web: Site) -> None:
    await web.sign_in()
    page = await read(await web.client.get("/people/3"))
    assert "<h1>bob</h1>" in page and "New England" in page and "research, writing" in page
    assert 'href="/people/2">alice</a>' in page and "network @bob" in page
    unsigned = await web.client.get("/people/1")  # "you" signed up; an id that never did is unknown
    assert unsigned.status == 200
