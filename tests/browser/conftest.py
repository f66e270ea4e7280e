"""Browser tests: headless Chromium (the system's, /usr/bin/chromium) driven by Playwright.

Playwright talks to its driver and the driver to the browser over pipes, so the suite's socket
block (tests/conftest.py) stays on. Networking is blocked in the browser too: every context is
offline and aborts any request that is not a file:, data: or blob: URL (and records it, so a
test can assert that the page asked for nothing).

Without a browser the tests skip with the reason, except under CI (CI=true, or
THEMECODER_REQUIRE_BROWSER=1 as .ci/run sets): there a missing browser fails the run, so the
browser tests cannot silently not run.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("THEMECODER_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_required() -> bool:
    return (os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
            or bool(os.environ.get("THEMECODER_REQUIRE_BROWSER")))


def no_browser(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason}: the browser tests must run in CI (.ci/run installs chromium)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("playwright is not installed (pip install -e '.[test]')")
    exe = chromium_path()
    if exe is None:
        no_browser("no Chromium found at /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Offline:
    """A browser context with the network blocked; `.blocked` lists what a page asked for."""

    def __init__(self, browser, **kw) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []     # script errors and console errors of its pages
        self.context = browser.new_context(offline=True, accept_downloads=True, **kw)
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser):
    """A fresh offline context (its own local storage) for one test."""
    ctx = Offline(browser, viewport={"width": 1100, "height": 900})
    yield ctx
    ctx.close()
