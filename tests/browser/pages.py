"""What the browser tests do on a page: check it with axe-core, photograph it, fill in forms,
and play the user's BankID app for the order the page shows."""

from __future__ import annotations

import os
import re
import tempfile
import weakref
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import LiveBankID

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The README's pictures are rewritten only on request (`make screenshots`): every run would
# otherwise change them (ids, dates) and leave the work tree dirty.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "intyga-screenshots"
)
FAILING_IMPACTS = {"serious", "critical"}
WIDTH = 1280
PHONE = 390  # an iPhone 12-15's CSS width: every page is checked here too
# The pages photographed at phone width as well for the README (every page is checked there).
PHONE_SHOTS = {
    "start",
    "employer-list",
    "colleagues",
    "certificate-step-personer",
    "certificate-step-anstallning",
    "certificate-step-tid-och-lon",
    "certificate-review",
    "employee-inbox",
    "employee-certificate",
    "employee-assessment",
    "akassa-list",
    "akassa-certificate",
}

# What Chromium refused under our Content-Security-Policy, per page (see `watch_csp`).
_CSP_REFUSALS: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def watch_csp(page: Page) -> Page:
    """Note every script, style or connection the CSP blocks: a page that relies on one is
    broken for real users, and `axe_violations` (run on every page checked) fails on it."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _CSP_REFUSALS[page] = refused
    return page


def new_page(browser: Browser, base_url: str) -> Page:
    """A fresh browser profile (another person at another computer) in Swedish, 1280 pixels
    wide; closing its context is the caller's."""
    context = browser.new_context(
        base_url=base_url, locale="sv-SE", viewport={"width": WIDTH, "height": 900}
    )
    context.set_default_timeout(10_000)
    return watch_csp(context.new_page())


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (make test does)")
    refused = _CSP_REFUSALS.get(page, [])
    assert not refused, f"the Content-Security-Policy blocked on {page.url}: {refused}"
    # Evaluated through DevTools, not as a <script> element, which the CSP would refuse.
    page.evaluate(AXE.read_text() + "\n;true")
    result: dict[str, Any] = page.evaluate("() => axe.run()")
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
    )


def look(page: Page, name: str) -> None:
    """Check the page at a desktop's and a phone's width: it never scrolls sideways and has no
    serious accessibility problem. Photographs it for the README on the way."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desktop = page.viewport_size or {"width": WIDTH, "height": 900}
    try:
        for width, suffix in ((WIDTH, ""), (PHONE, "-phone")):
            page.set_viewport_size({"width": width, "height": 900 if width == WIDTH else 844})
            if not suffix or name in PHONE_SHOTS:
                page.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{name} scrolls sideways at {width} pixels: it is {wide} wide"
            violations = axe_violations(page)
            assert not violations, (
                f"axe-core on {name} at {width} pixels ({page.url}):\n{describe(violations)}"
            )
    finally:
        page.set_viewport_size(desktop)


def fill(page: Page, values: dict[str, str]) -> None:
    """Type each value into the control of that name, as a person would: radios are clicked,
    selects chosen, text typed."""
    for name, value in values.items():
        control = page.locator(f'[name="{name}"]')
        kind = control.first.evaluate("e => e.type")
        if kind == "radio":
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "select-one":
            control.select_option(value)
        else:
            control.fill(value)


AUTOSTART = re.compile(r"autostarttoken=([0-9a-f-]+)")


def approve_in_bankid(page: Page, bankid: LiveBankID, personal_number: str) -> None:
    """Approve the order shown on the page in the BankID test app; the page's polling then
    continues by itself."""
    link = page.get_by_role("link", name="Öppna BankID på den här enheten")
    token = AUTOSTART.search(link.get_attribute("href") or "")
    assert token, "the order page links to the BankID app"
    answer = bankid.approve(token.group(1), personal_number)
    assert answer["status"] == "complete", answer


def log_in(page: Page, bankid: LiveBankID, personal_number: str) -> None:
    page.goto("/logga-in")
    log_in_here(page, bankid, personal_number)


def log_in_here(page: Page, bankid: LiveBankID, personal_number: str) -> None:
    """On the login page already, as when a link from an e-mail needed a login first."""
    page.get_by_role("button", name="Logga in med BankID").click()
    expect(page.get_by_role("heading", name="Logga in med BankID")).to_be_visible()
    approve_in_bankid(page, bankid, personal_number)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def choose_role(page: Page) -> None:
    """On the start page, where the login leads; elsewhere through the header, which asks
    every page until a role is chosen."""
    question = page.get_by_role("heading", name="Vem kommer du som?")
    if not question.is_visible():
        page.get_by_role("region", name="Din roll").get_by_role("link").click()
    expect(question).to_be_visible()


def summary_value(within: Page | Locator, term: str) -> Locator:
    """The value beside `term` in a description list (state, version, result...)."""
    page = within if isinstance(within, Page) else within.page
    # `has` takes a locator relative to each candidate, so it starts from the page.
    named = page.get_by_role("term").filter(has_text=re.compile(rf"^\s*{re.escape(term)}\s*$"))
    return within.locator("dl > div").filter(has=named).get_by_role("definition")


def terms(page: Page, block: str) -> list[str]:
    """The labels of a certificate block (its heading's text) in the order the page shows them."""
    section = page.get_by_role("region", name=block)
    return [text.strip() for text in section.get_by_role("term").all_inner_texts()]
