"""The dashboard in a real headless Chromium: overview -> an event -> its highlighted article.

The server runs with uvicorn on a free loopback port in a thread; Playwright drives Debian's
``/usr/bin/chromium`` (no browser download).  Every request the page makes is checked to go to
that server only, so the charts and the map are proven to render offline.  Skipped, with the
reason, when Playwright or a chromium binary is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

from newsevents.server.app import create_app  # noqa: E402
from test_server import shared_db  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# Seconds to wait for the server to accept connections and for a page to load; generous for a
# loaded two-core CI machine, where the first page render takes well under a second.
STARTUP_TIMEOUT = 20.0
PAGE_TIMEOUT_MS = 20_000


def chromium_path() -> str | None:
    for candidate in (os.environ.get("NEWSEVENTS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = shared_db(tmp_path_factory)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium binary found (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_overview_to_article_highlights(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    requested: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    statuses: dict[str, int] = {}
    page.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    page.on("request", lambda r: requested.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base_url + "/")
    assert page.title().startswith("Overview")
    assert page.locator("#timeline svg rect").count() >= 1
    assert page.locator("#map svg image").count() == 1
    assert page.locator("#map svg circle").count() >= 1
    assert page.locator("#top-pairs a").count() >= 1
    assert statuses.get(base_url + "/static/world-land.svg") == 200, statuses
    assert statuses.get(base_url + "/static/style.css") == 200, statuses

    link = page.locator("#latest a.event-link").first
    href = link.get_attribute("href")
    assert href and "#event-" in href
    link.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == urlsplit(base_url + href).path
    for kind in ("hl-trigger", "hl-actor", "hl-place", "hl-date"):
        assert page.locator(f"#article-text mark.{kind}").count() >= 1, kind
    anchor = "event-" + href.split("#event-")[1]
    card = page.locator(f"#{anchor}")
    assert card.count() == 1 and card.is_visible()
    trigger = page.locator(f"#article-text a[href='#{anchor}'] mark.hl-trigger").first
    assert trigger.inner_text().strip()
    background = trigger.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("script").count() == 0

    hosts = {urlsplit(u).netloc for u in requested if not u.startswith("data:")}
    assert hosts == {urlsplit(base_url).netloc}, hosts
    assert not failed and not errors, (failed, errors)
    page.close()


def test_script_title_renders_as_text(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/articles/xss-talks")
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>"
    assert page.locator("script").count() == 0
    assert dialogs == []
    page.close()
