"""Every page and every CSV obeys the visibility rules of chat (spec §11, §16): a contact shared
`private` never appears; a `visibility:leads` profile is shown to leads (as `whois` shows it to
them) and to nobody else."""

from __future__ import annotations

import re

import pytest

from bot.areas import dashboard
from bot.areas.dashboard import Filters, Someone, Viewer
from bot.ids import PersonId, Role
from bot.storage import persons
from bot.zones import zone
from tests.web.site import LEADS_ONLY, PRIVATE_CONTACT, Site, read


async def _everything(web: Site) -> dict[str, str]:
    """Every page a lead can reach by following links, and every CSV offered on them."""
    seen: dict[str, str] = {}
    todo = ["/network", "/network?colour=library", "/coverage", "/asks", "/follow-ups"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        response = await web.client.get(path)
        assert response.status == 200, path
        seen[path] = await read(response)
        for link in re.findall(r'href="(/(?:people|network|coverage|asks|follow-ups)[^"]*)"', seen[path]):
            todo.append(link.replace("&amp;", "&"))
    return seen


async def test_a_private_contact_is_on_no_page_and_in_no_csv_even_for_its_owner(web: Site) -> None:
    await web.sign_in("carol")  # carol owns one of the private contacts
    pages = await _everything(web)
    assert any(path.endswith(".csv") for path in pages) and any(path.startswith("/people/") for path in pages)
    assert "Jordan Lee" in pages["/follow-ups"]  # the contact shared with leads is there …
    for path, text in pages.items():
        for secret in PRIVATE_CONTACT:
            assert secret not in text, (secret, path)  # … the private ones never are
    assert "2 more open follow-ups are on contacts their owners keep private" in pages["/follow-ups"]


async def test_a_leads_only_profile_is_shown_to_a_lead_as_chat_shows_it(web: Site) -> None:
    await web.sign_in("carol")
    pages = await _everything(web)
    zed = next(path for path, text in pages.items() if path.startswith("/people/") and "<h1>zed</h1>" in text)
    assert LEADS_ONLY[0] in pages[zed] and LEADS_ONLY[1] in pages[zed] and "leads" in pages[zed]
    whois = "\n".join(await web.bot.say("carol", "!whois zed"))
    assert LEADS_ONLY[0] in whois and LEADS_ONLY[1] in whois  # the same as chat shows a lead


async def test_nobody_without_a_leads_session_sees_a_leads_only_profile_or_a_check_in_answer(web: Site) -> None:
    await web.sign_in("carol")
    pages = await _everything(web)
    await web.bot.feed("!role @carol member")
    for path in pages:
        response = await web.client.get(path)
        text = await read(response)
        assert response.status in (401, 403), path
        for secret in (*LEADS_ONLY, *PRIVATE_CONTACT, "Stuck on the archive", "Jordan Lee"):
            assert secret not in text, (secret, path)


@pytest.mark.parametrize("max_nodes", [2000, 2])
async def test_the_pages_apply_the_profile_rule_of_chat_to_whoever_looks(
    web: Site, max_nodes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule is `people.can_see_private`, the one `whois` uses: were a member ever to look, a
    leads-only profile would show only its name — in the graph and in every table, drawn member
    by member or by groups (`max_nodes` 2), and no filter would find it by its region."""
    monkeypatch.setattr(dashboard.graph, "MAX_NODES", max_nodes)
    async with web.bot.app.db.reading() as tx:
        alice = await persons.get(tx, PersonId(2))
        assert alice is not None
        now = web.bot.app.clock.now()
        for role, shown in ((Role.MEMBER, False), (Role.LEAD, True)):
            viewer = Viewer(alice, role, zone(None, "UTC"))
            view = await dashboard.graph.view(tx, viewer, Filters(), "region", int(now.timestamp()),
                                              web.bot.app.config, rows=None)  # fmt: skip
            text = repr(view.tables) + repr([node.label for node in view.nodes])
            assert (LEADS_ONLY[0] in text) is shown, role
            rows = [row for t in view.tables for row in t.rows if Someone in {type(c) for c in row.cells}]
            zed = [row for row in rows if any(isinstance(c, Someone) and c.name == "zed" for c in row.cells)]
            assert all((LEADS_ONLY[0] in row.cells) is shown for row in zed)
            assert zed or view.grouped
            region = Filters(region=LEADS_ONLY[0].lower())
            found = await dashboard.graph.view(tx, viewer, region, "region", int(now.timestamp()),
                                               web.bot.app.config, rows=None)  # fmt: skip
            assert (found.members == 1) is shown, role
