"""The dashboard in a real browser (testing.md): Debian's headless Chromium, driven by Selenium
with Debian's chromium-driver, loads each page of a seeded network from a real server on
127.0.0.1: no console errors, the graph drawn (its nodes in the DOM), a screenshot of each page
kept under `tests/artifacts/` (git-ignored). `.ci/run` installs Chromium, so there it never skips.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from pathlib import Path

import pytest

from tests.web.site import Site

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
)  # fmt: skip
PAGES = ("network", "network?colour=library", "coverage", "asks", "follow-ups", "people/3")

if not (CHROMIUM and DRIVER):
    if os.environ.get("DASHBOARD_BROWSER_REQUIRED"):
        raise RuntimeError("no Chromium or chromedriver, and .ci/run says the browser tests must run")
    pytest.skip(
        "no Chromium found: install Debian's chromium and chromium-driver (.ci/run does) to run the browser tests",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _browse(base: str, link: str, folder: Path) -> dict[str, tuple[int, list[str]]]:
    """Sign in through the link's button, then load each page: (circles drawn, console errors)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.wait import WebDriverWait

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    found: dict[str, tuple[int, list[str]]] = {}
    try:
        driver.get(base + link)
        driver.find_element("css selector", "form[action='/login'] button").click()
        WebDriverWait(driver, 30).until(  # signed in: the sign-in's redirect has landed on the network page
            lambda d: (
                d.current_url.endswith("/network") and d.execute_script("return document.readyState") == "complete"
            )
        )
        for page in PAGES:
            driver.get(f"{base}/{page}")
            circles = int(driver.execute_script("return document.querySelectorAll('#graph circle').length"))
            errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
            name = page.replace("/", "-").replace("?", "-").replace("=", "-")
            driver.save_screenshot(str(folder / f"{name}.png"))
            found[page] = (circles, errors)
        driver.set_window_size(390, 844)  # a phone
        driver.get(f"{base}/network")
        driver.save_screenshot(str(folder / "network-phone.png"))
        found["phone"] = (
            int(driver.execute_script("return document.querySelectorAll('#graph circle').length")),
            [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"],
        )
        found["width"] = (int(driver.execute_script("return document.documentElement.scrollWidth")), [])
    finally:
        driver.quit()
    return found


@pytest.mark.slow
async def test_every_page_loads_in_chromium_without_errors_and_the_graph_draws(web: Site, tmp_path: Path) -> None:
    from bot.storage.db import Database
    from bot.web.server import Dashboard

    port = _free_port()
    reader = await Database.open_reader(web.path)
    server = Dashboard(web.bot.app.db, reader, web.bot.app.config, web.bot.clock)
    await server.start("127.0.0.1", port)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        link = await web.link()
        found = await asyncio.wait_for(asyncio.to_thread(_browse, f"http://127.0.0.1:{port}", link, ARTIFACTS), 180)
    finally:
        await server.stop()
        await reader.close()
    for page, (_circles, errors) in found.items():
        assert not errors, (page, errors)
    assert found["network"][0] >= 7 and found["network?colour=library"][0] >= 7 and found["phone"][0] >= 7
    assert found["coverage"][0] == 0  # only the network page draws
    assert found["width"][0] <= 400  # nothing wider than a phone's screen but the tables' own scroll
    for page in PAGES:
        shot = ARTIFACTS / f"{page.replace('/', '-').replace('?', '-').replace('=', '-')}.png"
        assert shot.stat().st_size > 5000, shot
        shutil.copy(shot, tmp_path / shot.name)
