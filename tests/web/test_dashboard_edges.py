"""The dashboard at its edges (spec §16), as a lead and as someone holding a link or a
page: two tabs on one link, a link pressed again in a browser already signed in, a member's whole
"has met" table in its CSV, text with bidi controls kept to itself on every page, a form too big
told as such, and no token in the log of a real server."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import socket
from html.parser import HTMLParser

import aiohttp
import pytest

from bot.web import start
from tests.console_bot import platform_message
from tests.web.site import Site, read

_EMBED, _ISOLATE, _PDF, _PDI = "\u202a\u202b\u202d\u202e", "\u2066\u2067\u2068", "\u202c", "\u2069"


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found
    return found.group(1)


async def test_a_link_opened_in_two_tabs_signs_in_from_either(web: Site) -> None:
    path = await web.link()
    token = path.rsplit("/", 1)[1]
    first = _csrf(await read(await web.client.get(path)))
    second = _csrf(await read(await web.client.get(path)))  # the chat link clicked twice
    signed = await web.client.post("/login", data={"token": token, "csrf": first}, allow_redirects=False)
    assert signed.status == 303 and signed.headers["Location"] == "/network", await read(signed)
    again = await web.client.post("/login", data={"token": token, "csrf": second}, allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/network"  # already signed in: no dead end
    assert await web.count("dashboard_sessions") == 1  # the link still opened one session only
    assert (await web.client.get("/asks")).status == 200


async def test_a_used_link_opened_again_in_a_signed_in_browser_goes_to_the_dashboard(web: Site) -> None:
    path = await web.link()
    await web.client.get(path)
    await web.client.post("/login", data={"token": path.rsplit("/", 1)[1], "csrf": _csrf(await read(
        await web.client.get(path)))}, allow_redirects=False)  # fmt: skip
    reopened = await web.client.get(path, allow_redirects=False)
    assert reopened.status == 303 and reopened.headers["Location"] == "/network"
    assert reopened.headers["Cache-Control"] == "no-store"
    web.client.session.cookie_jar.clear()  # another browser, holding the used link: still refused
    elsewhere = await web.client.get(path, allow_redirects=False)
    assert elsewhere.status == 410 and "already used" in await read(elsewhere)


async def test_a_members_has_met_table_counts_everyone_and_its_csv_holds_them_all(web: Site) -> None:
    for n in range(14):
        await web.bot.say(f"m{n}", "!volunteer research")
        await web.bot.say("alice", f"!met @m{n}")
    await web.sign_in()
    page = await read(await web.client.get("/people/2"))
    assert re.search(r'<h2 id="met">Has met <span class="tag">16</span>', page), page  # bob, carol and 14
    assert "Download CSV (all 16)" not in page  # a page shows up to 100 rows: nothing cut here
    rows = list(csv.DictReader(io.StringIO(await (await web.client.get("/people/2/met.csv")).text())))
    assert len(rows) == 16 and {"bob", "carol", "m0", "m13"} <= {row["member"] for row in rows}


class _Runs(HTMLParser):
    """Each run of text between two tags, as the browser lays it out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []

    def handle_data(self, data: str) -> None:
        self.runs.append(data)


def _left_open(text: str) -> list[str]:
    """The bidi embeddings, overrides and isolates a run of text leaves open (they would turn the
    text after it, in the same line, around)."""
    stack: list[str] = []
    for ch in text:
        if ch in _EMBED or ch in _ISOLATE:
            stack.append(ch)
        elif ch == _PDF and stack and stack[-1] in _EMBED:
            stack.pop()
        elif ch == _PDI and any(k in _ISOLATE for k in stack):
            while stack.pop() not in _ISOLATE:
                pass
    return stack


async def test_a_name_with_a_right_to_left_override_turns_nothing_after_it_around(web: Site) -> None:
    evil = "\u202eevil \u2069\u202e twin"  # an override, a stray closer, and another override
    for uid, text in (("@e:x.org", "!volunteer research"), ("@e:x.org", "!met @alice")):
        await web.bot.app.dispatcher.handle(platform_message(web.bot, "matrix", uid, evil, text, private=True))
    await web.bot.say("carol", f'!ask title:"Read {evil[:5]} this" skill:research')
    await web.sign_in()
    pages = ["/network", "/network?colour=library", "/coverage", "/asks", "/follow-ups", "/people/2"]
    network = await read(await web.client.get("/network"))
    evil_id = re.search(r'href="/people/(\d+)">[^<]*evil', network)
    assert evil_id, "the member is listed"
    pages.append(f"/people/{evil_id.group(1)}")
    shown = 0
    for path in pages:
        response = await web.client.get(path)
        assert response.status == 200, path
        parser = _Runs()
        parser.feed(await response.text())
        for run in parser.runs:
            shown += "\u202eevil" in run
            assert not _left_open(run), (path, run)
    assert shown >= 3  # shown as typed, inside an isolate of its own
    graph = await web.client.get("/network")
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', await graph.text())
    assert data
    labels = [node[0] for node in json.loads(data.group(1))["nodes"]]
    assert all(not _left_open(label) for label in labels) and any("evil" in label for label in labels)


async def test_a_form_too_big_is_told_so_and_changes_nothing(web: Site) -> None:
    await web.sign_in()
    response = await web.client.post("/logout", data={"csrf": "x" * 100_000})
    text = await read(response)
    assert response.status == 413 and "too big" in text and "Nothing was changed" in text
    assert "it changes nothing" not in text  # (the words for a method a page does not take)
    assert (await web.client.get("/asks")).status == 200


async def test_a_real_server_logs_no_link_token_no_path_and_no_name(
    web: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = await web.link()
    token = path.rsplit("/", 1)[1]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    async with (
        start(web.bot.app.db, web.bot.app.config, web.bot.clock, "127.0.0.1", port),
        aiohttp.ClientSession(f"http://127.0.0.1:{port}") as browser,
    ):
        page = await browser.get(path)
        await browser.post("/login", data={"token": token, "csrf": _csrf(await page.text())})
        for target in ("/network", "/people/2", "/people/2/met.csv", "/nowhere", path):
            await (await browser.get(target)).read()
    said = "\n".join(record.getMessage() for record in caplog.records)
    assert "dashboard GET /login/{token}" in said  # one line a request, by route pattern
    for secret in (token, "/people/2", "alice", "Upper Midwest", "/nowhere"):
        assert secret not in said, secret
