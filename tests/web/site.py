"""A seeded network and the dashboard serving it, for the web tests.

The seed holds what must never leak: a contact shared `private` (with a follow-up) and a profile
kept for leads (`visibility:leads`), each with words found nowhere else, so a test can look for
them in every page and every CSV.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.storage.db import Database
from bot.web.server import Dashboard
from tests.console_bot import ConsoleBot, make_config

BASE = "http://dashboard.test"
PRIVATE_CONTACT = ("Quill Secretsworth", "Hushhush Legal")  # shared `private`: never on any page
LEADS_ONLY = ("Zephyr Coast", "Zed's quiet job")  # zed's profile, visibility:leads
SEED = f"""
!profile tz:America/Chicago region:"Upper Midwest" library:public
!volunteer organising
alice: !volunteer research
alice: !profile tz:America/Chicago region:"Upper Midwest" library:public interests:"archives, bargaining"
bob: !volunteer research writing
bob: !profile tz:Boston region:"New England" library:academic
carol: !volunteer outreach
carol: !profile tz:America/Chicago region:"Upper Midwest" library:school
dave: !volunteer design
dave: !profile region:"Pacific Northwest" library:special
zed: !volunteer data
zed: !profile region:"{LEADS_ONLY[0]}" library:archive role:"{LEADS_ONLY[1]}" visibility:leads
mo: !volunteer =HYPERLINK("x")
alice: !met @bob
carol: !met @alice
bob: !met @zed
!role @carol lead
!ask title:"Compile sectoral-bargaining resources" skill:research need:2 due:friday
!ask title:"Design the union zine" skill:design due:2026-12-04
!ask title:"Phone bank <b>the</b> academic libraries" skill:outreach
alice: !claim 1
dave: !claim 2
::in dm
carol: !contact add name:"Jordan Lee" org:"State Teachers Union" follow:2026-11-24 share:leads
carol: !contact add name:"{PRIVATE_CONTACT[0]}" org:"{PRIVATE_CONTACT[1]}" follow:2026-11-24 share:private
bob: !contact add name:"{PRIVATE_CONTACT[0]} Two" org:"{PRIVATE_CONTACT[1]}" follow:2026-11-24 share:private
alice: !checkin every:day at:10:00
bob: !checkin every:day at:10:00
::advance 1d
alice: Stuck on the archive request: we need a lawyer to look at the records policy.
bob: Finished the reading list, no blockers.
::in #general
"""


async def read(response: ClientResponse) -> str:
    """A page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(await response.text())


@dataclass
class Site:
    """The bot (to talk to and move time) and an HTTP client of its dashboard."""

    bot: ConsoleBot
    client: TestClient
    path: Path

    async def link(self, name: str = "carol") -> str:
        """A fresh one-time link, asked for as a lead asks: `dashboard` in chat."""
        replies = "\n".join(await self.bot.say(name, "!dashboard"))
        found = re.search(re.escape(BASE) + r"(/login/[A-Za-z0-9_-]+)", replies)
        assert found, replies
        return found.group(1)

    async def sign_in(self, name: str = "carol") -> None:
        path = await self.link(name)
        page = await self.client.get(path)
        assert page.status == 200, await page.text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', await page.text())
        assert csrf
        done = await self.client.post("/login", data={"token": path.rsplit("/", 1)[1], "csrf": csrf.group(1)},
                                      allow_redirects=False)  # fmt: skip
        assert done.status == 303, await done.text()

    async def count(self, table: str) -> int:
        async with self.bot.app.db.reading() as tx:
            return int(await tx.value(f"SELECT COUNT(*) FROM {table}"))


@asynccontextmanager
async def site(tmp_path: Path, base_url: str = BASE) -> AsyncIterator[Site]:
    path = tmp_path / "bot.sqlite3"
    bot = await ConsoleBot.start(path, make_config(web={"base_url": base_url}))
    reader = await Database.open_reader(path)
    try:
        await bot.script(SEED)
        server = TestServer(Dashboard(bot.app.db, reader, bot.app.config, bot.clock).application())
        async with TestClient(server) as client:
            yield Site(bot, client, path)
    finally:
        await reader.close()
        await bot.close()
