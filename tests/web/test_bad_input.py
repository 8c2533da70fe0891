"""Bad input to the dashboard: each gets a plain 4xx page and changes nothing."""

from __future__ import annotations

from yarl import URL

from tests.web.site import Site, read


async def _state(web: Site) -> tuple[int, ...]:
    return tuple([await web.count(t) for t in ("dashboard_sessions", "dashboard_links", "audit", "people", "asks")])


async def test_a_huge_query_string_is_refused_plainly(web: Site) -> None:
    await web.sign_in()
    before = await _state(web)
    long = await web.client.get("/network?skill=" + "a" * 3000)
    assert long.status == 414 and "That address is too long" in await read(long)
    huge = await web.client.get("/network?skill=" + "a" * 20000)
    assert huge.status in (400, 414)  # past aiohttp's own limit on a request line
    assert await _state(web) == before
    assert (await web.client.get("/network")).status == 200


async def test_paths_that_climb_out_find_nothing(web: Site) -> None:
    await web.sign_in()
    before = await _state(web)
    for raw in ("/static/../bot/config.py", "/static/..%2f..%2fbot%2fconfig.py", "/static/%2e%2e/%2e%2e/etc/passwd",
                "/static/style.css%00.py", "/people/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
                "/network/../../../etc/passwd", "/static//etc/passwd"):  # fmt: skip
        response = await web.client.get(URL(raw, encoded=True))
        text = await read(response)
        assert 400 <= response.status < 500, raw
        assert "root:" not in text and "ConfigError" not in text and "<html" in text, raw
    assert await _state(web) == before


async def test_unknown_filters_and_values_are_refused_with_a_reason(web: Site) -> None:
    await web.sign_in()
    cases = {
        "/network?colour=purple": "`colour` should be region or library",
        "/network?library=bookshop": "`library` should be one of",
        "/network?region=" + "x" * 200: "`region` is too long",
        "/network?sort=name": "That page has no such filter",
        "/asks?skill=research": "That page has no such filter",
        "/network?skill=a&skill=b": "A filter was given twice",
    }
    for path, why in cases.items():
        response = await web.client.get(path)
        assert response.status == 400, path
        assert why in await read(response), path


async def test_unknown_members_tables_and_pages_are_plain_404s(web: Site) -> None:
    await web.sign_in()
    for path in ("/people/99999", "/people/999999999999", "/network/nothing.csv", "/admin", "/people/2/secrets.csv"):
        response = await web.client.get(path)
        assert response.status == 404, path
        assert "<html" in await read(response)
    assert (await web.client.get("/people/99999999999999999999")).status == 404  # past the id pattern


async def test_a_forged_session_cookie_is_no_session(web: Site) -> None:
    for cookie in ("x", "A" * 43, "'; DROP TABLE people; --", "\u2603" * 10):
        response = await web.client.get("/network", cookies={"vb_session": cookie})
        assert response.status == 401, cookie
    assert await web.count("people") > 0


async def test_a_form_body_that_cannot_be_read_is_a_plain_400_that_changes_nothing(web: Site) -> None:
    await web.sign_in()
    path = await web.link()
    await web.client.get(path)  # the sign-in page's cookie, as a browser would hold it
    before = await _state(web)
    bodies = (
        ("multipart/form-data; boundary=zz", b"--zz\r\nbroken"),
        ("application/x-www-form-urlencoded", b"\xff\xfe=\xff"),
        ("application/x-www-form-urlencoded; charset=nonsense", b"csrf=a"),
    )
    for target in ("/login", "/logout"):
        for kind, body in bodies:
            response = await web.client.post(target, data=body, headers={"Content-Type": kind})
            text = await read(response)
            assert response.status == 400, (target, kind)
            assert "That form couldn't be read" in text and "Nothing was changed" in text and "Incident" not in text
    assert await _state(web) == before
    assert (await web.client.get("/asks")).status == 200  # still signed in


async def test_the_path_and_the_query_each_have_their_own_limit(web: Site) -> None:
    await web.sign_in()
    accented = await web.client.get("/network", params={"skill": "é" * 86})  # 523 characters, percent-encoded
    assert accented.status == 200
    too_long = await web.client.get("/network", params={"skill": "é" * 101})
    assert too_long.status == 400 and "`skill` is too long" in await read(too_long)
    several = await web.client.get("/network", params={"skill": "é" * 90, "colour": "region", "library": ""})
    assert several.status == 200
    long_path = await web.client.get("/people/" + "a" * 600)
    assert long_path.status == 414 and "That address is too long" in await read(long_path)
