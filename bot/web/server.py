"""The leads' dashboard over HTTP (spec §16): aiohttp, server-rendered pages, read-only.

Presentation only, like an adapter: it finds the lead behind a request, asks the dashboard area
for a page's view, and renders it (HTML, or a CSV of one table). Every request is checked again
(session alive, still a lead); every page is a GET that changes nothing. The only forms are the
sign-in button behind a one-time link and "Sign out", and both carry a CSRF token. Pages read
through their own read-only connection, so a big page never holds up the bot's commands.

Nothing private goes into a URL (ids, category filters and the one-time link token only), into
the log (no paths: a link's token is in its path), or to another site (no CDN; the one script
library is served from here; `Referrer-Policy: same-origin`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from importlib import resources
from urllib.parse import urlparse

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.areas import dashboard
from bot.areas.dashboard import Refused, Viewer
from bot.clock import Clock, to_ts
from bot.config import Config
from bot.core.timing import Reader
from bot.storage.db import Database
from bot.web import pages, render
from bot.web.pages import BadQuery, Page

log = logging.getLogger(__name__)

SESSION = "vb_session"
LOGIN = "vb_login"
MAX_QUERY = 1024
MAX_PATH = 512
_NONCE = re.compile(r"[A-Za-z0-9_-]{22}")  # a sign-in cookie as `_link` makes it (16 random bytes)
STATIC = {"style.css": "text/css", "graph.js": "text/javascript", "d3-force.min.js": "text/javascript",
          "d3-LICENSE.txt": "text/plain", "favicon.svg": "image/svg+xml"}  # fmt: skip
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
_REFUSED = {
    Refused.NOT_A_LINK: (404, "That isn't a dashboard link", "The link may be cut short or mistyped."),
    Refused.EXPIRED: (410, "This link has expired", "Links work for 15 minutes."),
    Refused.USED: (410, "This link was already used", "Each link opens the dashboard once."),
    Refused.NO_SESSION: (401, "Please sign in", "Your session has ended, or this browser hasn't signed in."),
    Refused.NOT_LEAD: (403, "The dashboard is for leads", "You're not a lead any more, so your session has ended."),
}
_HTTP_ERRORS = {
    404: ("There's no such page", "The dashboard only shows pages; it changes nothing."),
    405: ("That isn't something this page does", "The dashboard only shows pages; it changes nothing."),
    413: ("That form is too big", "Nothing was changed. Open the page again and retry."),
}
_NEXT = "Ask the bot for a fresh link: send it `dashboard` in a private chat."

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Problem(Exception):
    """A request that gets a plain page with a 4xx status and changes nothing."""

    def __init__(self, status: int, title: str, *lines: str) -> None:
        super().__init__(title)
        self.status, self.title, self.lines = status, title, lines


def refused(why: Refused) -> Problem:
    status, title, line = _REFUSED[why]
    return Problem(status, title, line, _NEXT)


def _csrf(secret: str) -> str:
    """The CSRF token that goes with a cookie's value: only a page that could read the cookie
    (ours) can put it in a form."""
    return hashlib.sha256(f"csrf:{secret}".encode()).hexdigest()[:32]


class Dashboard:
    """The web app for one organisation's database."""

    def __init__(self, db: Database, reader: Database, config: Config, clock: Clock) -> None:
        self.db, self.reader, self.config, self.clock = db, reader, config, clock
        self.https = (config.web.base_url or "").startswith("https://")
        self._static = {name: resources.files("bot.web").joinpath("static", name).read_bytes() for name in STATIC}
        self._runner: web.AppRunner | None = None

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=16 * 1024)
        app.router.add_get("/", self._home)
        for page in pages.PAGES:
            app.router.add_get(page.path, self._page_handler(page))
            app.router.add_get(page.path + "/{table:[a-z]+}.csv", self._csv_handler(page))
        app.router.add_get(r"/people/{id:\d{1,12}}", self._person)
        app.router.add_get(r"/people/{id:\d{1,12}}/{table:[a-z]+}.csv", self._person)
        app.router.add_get("/login/{token}", self._link)
        app.router.add_post("/login", self._sign_in)
        app.router.add_post("/logout", self._sign_out)
        app.router.add_get("/static/{name}", self._file)
        app.on_response_prepare.append(self._headers)
        return app

    async def start(self, host: str, port: int) -> None:
        async with self.db.transaction() as tx:  # sessions of a version before it find it made
            await dashboard.addresses.keep_secret(tx)
        self._runner = web.AppRunner(self.application(), access_log=None)  # paths hold link tokens
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        log.info("dashboard listening on %s:%s", host, port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- every request ------------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        route = request.match_info.route.resource.canonical if request.match_info.route.resource else "-"
        try:
            # Each limit on its own part: the raw target holds the query too, percent-encoded, so
            # a filter of 86 accented letters would have counted against the path's 512.
            if len(request.query_string) > MAX_QUERY or len(request.raw_path.partition("?")[0]) > MAX_PATH:
                raise Problem(414, "That address is too long", "Use the page's own filters and links.")
            response = await handler(request)
        except Problem as problem:
            response = self._message(problem.status, problem.title, problem.lines)
        except web.HTTPException as error:  # the router's 404 and 405, aiohttp's 413
            if error.status < 400:
                raise
            title, line = _HTTP_ERRORS.get(error.status, _HTTP_ERRORS[405])
            response = self._message(error.status, title, (line,))
        except Exception:
            incident = secrets.token_hex(3)
            log.exception("incident %s on a dashboard request", incident)
            response = self._message(500, "Sorry, something went wrong", (f"Incident {incident}. Try again.",))
        log.info("dashboard %s %s %s %.1f ms", request.method, route, response.status,
                 (time.perf_counter() - started) * 1000)  # fmt: skip
        return response

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(HEADERS)
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # pages hold what only leads may see

    async def _viewer(self, request: web.Request) -> Viewer:
        async with self.db.transaction() as tx:
            found = await dashboard.access.viewer(tx, request.cookies.get(SESSION), self._now(), self.config)
        if isinstance(found, Refused):
            raise refused(found)
        return found

    async def _signed_in(self, request: web.Request) -> bool:
        """Whether this browser holds a live lead's session already."""
        async with self.db.transaction() as tx:
            found = await dashboard.access.viewer(tx, request.cookies.get(SESSION), self._now(), self.config)
        return not isinstance(found, Refused)

    def _secure(self, request: web.Request) -> bool | None:
        """Whether cookies get `Secure`: the public address is https, the request came over TLS,
        or the reverse proxy in front says the browser used HTTPS (`X-Forwarded-Proto`,
        `Forwarded: proto=`). The headers are trusted only to add `Secure`, which is stricter,
        so a forged one costs nothing but the forger's own cookie. None: leave it off."""
        said = ",".join(request.headers.getall("X-Forwarded-Proto", [])).lower().split(",")
        protos = {proto.strip() for proto in said} | {str(hop.get("proto", "")).lower() for hop in request.forwarded}
        return (self.https or request.secure or "https" in protos) or None

    def _now(self) -> int:
        return to_ts(self.clock.now())

    def _message(self, status: int, title: str, lines: tuple[str, ...], **extra: object) -> web.Response:
        html = render.page("message.html", title=title, lines=lines, org=self.config.organisation.name, **extra)
        return web.Response(status=status, text=html, content_type="text/html")

    def _check(self, request: web.Request, allowed: frozenset[str]) -> None:
        for key in request.query:
            if key not in allowed:
                raise Problem(400, "That page has no such filter", f"It takes: {', '.join(sorted(allowed)) or 'none'}.")
        if len(request.query) != len(set(request.query)):
            raise Problem(400, "A filter was given twice", "Use the page's own filters.")

    # --- pages ----------------------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.StreamResponse:
        await self._viewer(request)
        raise web.HTTPSeeOther("/network")

    def _page_handler(self, page: Page) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            viewer = await self._viewer(request)
            self._check(request, page.params)
            built = await self._build(page, viewer, request, full=False)
            return self._html(page.template, viewer, request, page.path, built)

        return handle

    def _csv_handler(self, page: Page) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            viewer = await self._viewer(request)
            self._check(request, page.params)
            built = await self._build(page, viewer, request, full=True)
            return self._csv(built, request.match_info["table"], page.path.strip("/"), viewer)

        return handle

    async def _build(self, page: Page, viewer: Viewer, request: web.Request, *, full: bool) -> pages.Built:
        try:
            async with self.reader.reading() as tx:
                return await page.build(tx, viewer, request.query, self._now(), self.config, full)
        except BadQuery as error:
            raise Problem(400, "That filter can't be used", f"{error}.") from None

    async def _person(self, request: web.Request) -> web.StreamResponse:
        viewer = await self._viewer(request)
        self._check(request, frozenset())
        person_id = int(request.match_info["id"])
        async with self.reader.reading() as tx:
            built = await pages.person(tx, viewer, person_id, self._now(), self.config, "table" in request.match_info)
        if built is None:
            raise Problem(404, "There's no such member", "They may have left, or never signed up.")
        if "table" in request.match_info:
            return self._csv(built, request.match_info["table"], f"member-{person_id}", viewer)
        return self._html("person.html", viewer, request, "/people", built)

    def _html(self, template: str, viewer: Viewer, request: web.Request, here: str, built: pages.Built) -> web.Response:
        now = self.clock.now()
        base = request.path

        def csv_link(key: str) -> str:
            query = request.rel_url.raw_query_string
            return f"{base}/{key}.csv" + (f"?{query}" if query else "")

        # Each page names the reader's zone at its top, so times need not name it again.
        html = render.page(
            template, viewer=viewer, org=self.config.organisation.name, title=here.strip("/") or "dashboard",
            nav=[(p.path, p.name) for p in pages.PAGES], here=here, csrf=_csrf(request.cookies.get(SESSION, "")),
            show=render.shower(Reader(viewer.zone, True), now), when=lambda at: dashboard.When(at, "time"),
            due=dashboard.views.due, csv=csv_link,
            zone=viewer.zone.key, **built.context,
        )  # fmt: skip
        return web.Response(text=html, content_type="text/html")

    def _csv(self, built: pages.Built, key: str, name: str, viewer: Viewer) -> web.Response:
        table = next((t for t in built.tables if t.key == key), None)
        if table is None:
            raise Problem(404, "There's no such table", "Use the Download CSV links under each table.")
        response = web.Response(text=render.csv_text(table, viewer.zone), content_type="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-{key}.csv"'
        return response

    async def _file(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:  # a fixed list: no path is ever read from what was asked
            raise Problem(404, "There's no such file", "")
        response = web.Response(body=self._static[name], content_type=STATIC[name])
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    # --- signing in and out ---------------------------------------------------------------------

    async def _link(self, request: web.Request) -> web.StreamResponse:
        """A one-time link, opened. Nothing is used up yet: link previews (Discord, Matrix) fetch
        links too, so the lead presses a button (a POST) to sign in."""
        token = request.match_info["token"]
        async with self.db.transaction() as tx:
            problem = await dashboard.access.check_link(tx, token, self._now(), self.config)
        if problem is Refused.USED and await self._signed_in(request):
            raise web.HTTPSeeOther("/network")  # the link clicked again in chat, in the browser it opened
        if problem is not None:
            raise refused(problem)
        # One sign-in cookie for every tab: the link opened twice (a double click, a second tab)
        # must not leave the first tab's button with a token that no longer matches.
        nonce = request.cookies.get(LOGIN, "")
        if _NONCE.fullmatch(nonce) is None:
            nonce = secrets.token_urlsafe(16)
        response = self._message(200, "Open the dashboard", ("This link signs you in once, on this browser.",),
                                 form={"token": token, "csrf": _csrf(nonce)})  # fmt: skip
        response.set_cookie(LOGIN, nonce, max_age=900, path="/login", httponly=True, samesite="Strict",
                            secure=self._secure(request))  # fmt: skip
        return response

    async def _posted(self, request: web.Request, cookie: str) -> tuple[str, dict[str, str]]:
        """A form's cookie secret and fields, once it is known to come from our own page: the
        browser says so (Origin), and its CSRF token matches the cookie only our pages can read."""
        origin = request.headers.get("Origin")
        if origin not in (None, "null") and urlparse(origin).netloc != request.host:
            raise Problem(403, "That form came from another site", "Nothing was changed.")
        secret = request.cookies.get(cookie)
        try:
            posted = await request.post()  # (a body over the size limit is aiohttp's own 413)
        except (ValueError, LookupError, HttpProcessingError, AssertionError):
            # A body our form never sends (a broken multipart body, bytes that are not text, an
            # unknown charset) raises aiohttp's parsing errors: a plain 400, not an incident.
            raise Problem(
                400, "That form couldn't be read", "Nothing was changed. Open the page again and retry."
            ) from None
        form = {key: value for key, value in posted.items() if isinstance(value, str)}
        if secret is None or not hmac.compare_digest(form.get("csrf", ""), _csrf(secret)):
            raise Problem(403, "That form has expired", "Nothing was changed. Open the page again and retry.")
        return secret, form

    async def _sign_in(self, request: web.Request) -> web.StreamResponse:
        _, form = await self._posted(request, LOGIN)
        async with self.db.transaction() as tx:
            session = await dashboard.access.open_session(tx, form.get("token", ""), self._now(), self.config)
        # The sign-in cookie is kept (it ends with the link's 15 minutes): the link's other tab
        # may still press its button, and finds this browser signed in.
        response = web.Response(status=303, headers={"Location": "/network"})
        if session is Refused.USED and await self._signed_in(request):
            return response
        if isinstance(session, Refused):
            raise refused(session)
        response.set_cookie(SESSION, session, max_age=dashboard.access.SESSION_SECONDS, path="/", httponly=True,
                            samesite="Strict", secure=self._secure(request))  # fmt: skip
        return response

    async def _sign_out(self, request: web.Request) -> web.StreamResponse:
        session, _ = await self._posted(request, SESSION)
        async with self.db.transaction() as tx:
            await dashboard.access.sign_out(tx, session)
        response = self._message(200, "Signed out", ("Send the bot `dashboard` for a new link.",))
        response.del_cookie(SESSION, path="/")
        return response
