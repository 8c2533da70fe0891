"""Who may open the dashboard (spec §16): one-time links, sessions, leads only, CSRF-safe forms."""

from __future__ import annotations

import re
from pathlib import Path

from bot.ids import Role
from tests.console_bot import joined, platform_message
from tests.web.site import Site, read, site

PAGES = ("/network", "/coverage", "/asks", "/follow-ups", "/people/2", "/network/members.csv", "/asks/asks.csv")


async def _csrf(web: Site, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', await read(await web.client.get(path)))
    assert found
    return found.group(1)


async def test_without_a_session_every_page_asks_to_sign_in_and_shows_nothing(web: Site) -> None:
    for path in PAGES:
        response = await web.client.get(path)
        text = await read(response)
        assert response.status == 401, path
        assert "Please sign in" in text and "send it `dashboard`" in text
        assert "alice" not in text and "Upper Midwest" not in text


async def test_a_lead_gets_a_private_one_time_link_that_opens_a_twelve_hour_session(web: Site) -> None:
    replies = await web.bot.say("carol", "!dashboard")
    assert replies[0].startswith("[to carol]")  # asked in #general, answered privately
    assert "It works once, for 15 minutes" in joined(replies)
    path = await web.link()
    page = await web.client.get(path)
    assert page.status == 200 and "Open the dashboard" in await read(page)
    assert await web.count("dashboard_sessions") == 0  # opening the link (a preview bot does too) uses nothing
    csrf = re.search(r'name="csrf" value="([^"]+)"', await read(page))
    assert csrf
    token = path.rsplit("/", 1)[1]
    signed = await web.client.post("/login", data={"token": token, "csrf": csrf.group(1)}, allow_redirects=False)
    assert signed.status == 303 and signed.headers["Location"] == "/network"
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here
    assert (await web.client.get("/network")).status == 200
    async with web.bot.app.db.reading() as tx:
        stored = [row[0] for row in await tx.all("SELECT token_hash FROM dashboard_sessions")]
        links = [row[0] for row in await tx.all("SELECT token_hash FROM dashboard_links")]
    session = signed.cookies["vb_session"].value
    assert session not in stored and token not in links and len(stored[0]) == 64  # only hashes are kept


async def test_behind_https_the_session_cookie_is_secure(tmp_path: Path) -> None:
    async with site(tmp_path, "https://dash.example.org") as web:
        replies = joined(await web.bot.say("carol", "!dashboard"))
        token = re.search(r"https://dash\.example\.org/login/([A-Za-z0-9_-]+)", replies)
        assert token
        page = await web.client.get(f"/login/{token.group(1)}")
        assert "Secure" in page.headers["Set-Cookie"]
        csrf = re.search(r'name="csrf" value="([^"]+)"', await read(page))
        assert csrf
        # This client speaks plain HTTP, so it holds back Secure cookies: hand it over as a browser would.
        signed = await web.client.post(
            "/login",
            data={"token": token.group(1), "csrf": csrf.group(1)},
            cookies={"vb_login": page.cookies["vb_login"].value},
            allow_redirects=False,
        )
        assert "Secure" in signed.headers["Set-Cookie"] and "HttpOnly" in signed.headers["Set-Cookie"]


async def test_a_used_link_gets_a_clear_page_and_opens_nothing(web: Site) -> None:
    path = await web.link()
    await web.sign_in()  # another link, used
    csrf = await _csrf(web, path)
    first = await web.client.post("/login", data={"token": path.rsplit("/", 1)[1], "csrf": csrf}, allow_redirects=False)
    assert first.status == 303
    web.client.session.cookie_jar.clear()
    again = await web.client.get(path)
    assert again.status == 410 and "This link was already used" in await read(again)
    sessions = await web.count("dashboard_sessions")
    reuse = await web.client.post("/login", data={"token": path.rsplit("/", 1)[1], "csrf": "x"})
    assert reuse.status == 403  # no sign-in cookie from our page: refused before anything is looked at
    assert await web.count("dashboard_sessions") == sessions
    assert (await web.client.get("/network")).status == 401


async def test_an_expired_link_gets_a_clear_page(web: Site) -> None:
    path = await web.link()
    await web.bot.advance("16m")
    response = await web.client.get(path)
    assert response.status == 410 and "This link has expired" in await read(response)


async def test_a_tampered_or_truncated_link_is_a_plain_404_that_changes_nothing(web: Site) -> None:
    path = await web.link()
    token = path.rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (flipped, token[:20], token + "x", "%00", "..%2F..%2Fetc%2Fpasswd"):
        response = await web.client.get(f"/login/{bad}")
        assert response.status == 404, bad
        assert "That isn't a dashboard link" in await read(response)
    assert await web.count("dashboard_sessions") == 0
    assert (await web.client.get(path)).status == 200  # the real link still works


async def test_a_member_cannot_get_a_link(web: Site) -> None:
    reply = joined(await web.bot.say("alice", "!dashboard"))
    assert "/login/" not in reply and "lead" in reply
    assert await web.count("dashboard_links") == 0


async def test_someone_who_is_no_longer_a_lead_loses_access_at_the_next_request(web: Site) -> None:
    await web.sign_in()
    assert (await web.client.get("/asks")).status == 200
    await web.bot.feed("!role @carol member")
    response = await web.client.get("/asks")
    text = await read(response)
    assert response.status == 403 and "The dashboard is for leads" in text and "Compile" not in text
    assert await web.count("dashboard_sessions") == 0
    await web.bot.feed("!role @carol lead")
    assert (await web.client.get("/asks")).status == 401  # a lead again needs a new link


async def test_forget_me_ends_the_dashboard_sessions(web: Site) -> None:
    await web.sign_in()
    await web.bot.say("carol", "!forget me")
    await web.bot.say("carol", "!forget me confirm")
    assert await web.count("dashboard_sessions") == 0
    assert (await web.client.get("/network")).status == 401


async def test_a_session_ends_after_twelve_hours(web: Site) -> None:
    await web.sign_in()
    await web.bot.advance("11h")
    assert (await web.client.get("/coverage")).status == 200
    await web.bot.advance("61m")
    assert (await web.client.get("/coverage")).status == 401


async def test_admins_from_the_config_may_sign_in(web: Site) -> None:
    await web.bot.feed("!role @carol member")
    web.bot.app.dispatcher.config.admins.append("console:carol")
    try:
        await web.sign_in("carol")
        assert (await web.client.get("/network")).status == 200
    finally:
        web.bot.app.dispatcher.config.admins.remove("console:carol")


async def test_signing_out_needs_the_pages_csrf_token(web: Site) -> None:
    await web.sign_in()
    for data, headers in (({}, {}), ({"csrf": "0" * 32}, {}), ({"csrf": await _csrf(web, "/asks")},
                                                                {"Origin": "https://evil.example"})):  # fmt: skip
        refused = await web.client.post("/logout", data=data, headers=headers)
        assert refused.status == 403 and "Nothing was changed" in await read(refused)
        assert (await web.client.get("/asks")).status == 200
    done = await web.client.post("/logout", data={"csrf": await _csrf(web, "/asks")})
    assert done.status == 200 and "Signed out" in await read(done)
    assert await web.count("dashboard_sessions") == 0
    assert (await web.client.get("/asks")).status == 401


async def test_signing_in_needs_the_cookie_of_the_link_page(web: Site) -> None:
    path = await web.link()
    token = path.rsplit("/", 1)[1]
    forged = await web.client.post("/login", data={"token": token, "csrf": "a" * 32})
    assert forged.status == 403
    assert await web.count("dashboard_sessions") == 0
    csrf = await _csrf(web, path)
    wrong = await web.client.post("/login", data={"token": token, "csrf": csrf[::-1]})
    assert wrong.status == 403 and await web.count("dashboard_sessions") == 0
    ok = await web.client.post("/login", data={"token": token, "csrf": csrf}, allow_redirects=False)
    assert ok.status == 303


async def test_the_dashboard_is_read_only_every_page_refuses_other_methods(web: Site) -> None:
    await web.sign_in()
    before = await web.count("audit")
    for path in ("/network", "/asks", "/people/2", "/asks/asks.csv"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            response = await web.client.request(method, path, data={"x": "1"})
            assert response.status == 405, (method, path)
            assert "it changes nothing" in await read(response)
    assert await web.count("audit") == before


async def test_the_deployers_command_line_link_is_for_leads_only(web: Site) -> None:
    from bot.config import Config
    from bot.web import LinkError, link

    config = web.bot.app.config
    assert isinstance(config, Config)
    url = await link(config, str(web.path), "console:carol", "https://dash.example.org/")
    assert re.fullmatch(r"https://dash\.example\.org/login/[A-Za-z0-9_-]{43}", url)
    for who, why in (("alice", "isn't one"), ("nobody", "I don't know anyone called nobody")):
        try:
            await link(config, str(web.path), who, "https://x.example")
        except LinkError as error:
            assert why in str(error)
        else:
            raise AssertionError(f"a link for {who}")
    assert Role.LEAD  # the import is the role the check uses


async def test_a_demotion_ends_the_session_at_once_so_a_promotion_before_the_next_click_does_not_revive_it(
    web: Site,
) -> None:
    await web.sign_in()
    assert (await web.client.get("/asks")).status == 200
    await web.bot.feed("!role @carol member")
    await web.bot.feed("!role @carol lead")  # no request in between
    response = await web.client.get("/asks")
    assert response.status == 401 and "Compile" not in await read(response)  # a lead again needs a new link
    await web.sign_in()
    assert (await web.client.get("/asks")).status == 200


async def test_a_platform_role_taken_away_ends_the_session_at_once(web: Site) -> None:
    async def carol_says(role: Role) -> None:  # as an adapter hands it over, with the role the platform grants
        await web.bot.app.dispatcher.handle(platform_message(web.bot, "console", "carol", "carol", "!mine",
                                                             private=True, role=role))  # fmt: skip

    await web.bot.feed("!role @carol member")
    await carol_says(Role.LEAD)  # the platform grants lead: stored as the platform's
    await web.sign_in()
    assert (await web.client.get("/asks")).status == 200
    await carol_says(Role.MEMBER)  # the platform takes it back
    await carol_says(Role.LEAD)  # and grants it again before her next click
    assert (await web.client.get("/asks")).status == 401


async def test_a_demoted_leads_unused_link_says_the_dashboard_is_for_leads(web: Site) -> None:
    path = await web.link()
    await web.sign_in()
    await web.bot.feed("!role @carol member")
    assert (await web.client.get("/asks")).status == 403  # (that request ends what is left, too)
    for _ in range(2):
        response = await web.client.get(path)
        assert response.status == 403 and "The dashboard is for leads" in await read(response)
    await web.bot.feed("!role @carol lead")
    again = await web.client.get(path)  # ended for good: a lead again needs a new link
    assert again.status == 410 and "expired" in await read(again)
    assert await web.count("dashboard_sessions") == 0


async def test_behind_an_https_proxy_the_cookies_are_secure_whatever_the_base_url(web: Site) -> None:
    for headers in ({"X-Forwarded-Proto": "https"}, {"Forwarded": "for=192.0.2.1;proto=https"},
                    {"X-Forwarded-Proto": "https, http"}):  # fmt: skip
        path = await web.link()
        page = await web.client.get(path, headers=headers)
        assert "Secure" in page.headers["Set-Cookie"], headers
        csrf = re.search(r'name="csrf" value="([^"]+)"', await read(page))
        assert csrf
        signed = await web.client.post(
            "/login",
            data={"token": path.rsplit("/", 1)[1], "csrf": csrf.group(1)},
            cookies={"vb_login": page.cookies["vb_login"].value},
            headers=headers,
            allow_redirects=False,
        )
        assert signed.status == 303 and "Secure" in signed.headers["Set-Cookie"], headers
    plain = await web.client.get(await web.link(), headers={"X-Forwarded-Proto": "http"})
    assert "Secure" not in plain.headers["Set-Cookie"]
