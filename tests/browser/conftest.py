"""Browser fixtures: the app on a real loopback port, and Debian's Chromium driven by Playwright.

The live app is a second app on the test database with real commits (a browser cannot join the
test's transaction); the rows it leaves are removed after the module. Nothing here downloads a
browser: Playwright launches /usr/bin/chromium, which `make test` installs from Debian.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.browser.pages import WIDTH, watch_csp
from tests.conftest import LiveBankID, app_config, empty_tables

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def live(app: Flask, database_url: str, bankid: LiveBankID) -> Iterator[str]:
    """The app served over HTTP on 127.0.0.1; `app` has migrated the database already."""
    served = create_app(app_config(database_url, bankid))
    httpd = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
        with served.app_context():
            empty_tables(db.engine)
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Per module: while Playwright runs, its event loop is the thread's running loop, and
    code that calls asyncio.run() (PDF signing) would fail in the tests after it."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is absent: install Debian's chromium (make test does) to run these"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live: str) -> Iterator[Page]:
    """A fresh browser profile in Swedish, 1280 pixels wide, with the live app as base URL."""
    context = browser.new_context(
        base_url=live, locale="sv-SE", viewport={"width": WIDTH, "height": 900}
    )
    context.set_default_timeout(10_000)
    opened = watch_csp(context.new_page())
    yield opened
    context.close()
