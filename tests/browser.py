"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright, every request watched.

Playwright drives the system's Chromium (``executable_path``), never a browser of its own: nothing is downloaded.
Each page gets a fresh context whose requests pass a gate: the page's own file, and the origins a test allows,
go through; anything else is refused and recorded, so a test fails on the first attempt to reach the network,
and the machine's lack of internet access never decides a result. A test without Playwright or Chromium is
skipped on a developer's machine and fails in CI (``$CI`` set), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KGTOOL_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Set it to a folder to keep a copy of every screenshot the tests take (they always go to the test's tmp_path).
SCREENSHOTS_ENV = "KGTOOL_SCREENSHOTS"


def require_browser() -> None:
    """Skip (or, in CI, fail) when Playwright for Python or Chromium is missing."""
    reason = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright for Python is missing: pip install '.[test]'"
    if not reason and not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium (or set KGTOOL_CHROMIUM)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@contextmanager
def chromium() -> Iterator:
    """A running headless Chromium (a Playwright ``Browser``), closed on exit."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a page did: every request, and whatever went wrong."""

    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    stood_in: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No request refused or failed, no console error, no uncaught exception."""
        assert not self.refused, f"the page tried to reach the network: {self.refused}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.page_errors, f"uncaught errors: {self.page_errors}"


#: A stand-in answer for a third-party URL a page asks for: (status, content type, body).
StandIn = tuple[int, str, str]


@contextmanager
def page(
    browser,
    allowed_origins: tuple[str, ...] = (),
    stand_ins: dict[str, StandIn] | None = None,
    offline: bool = False,
    viewport: tuple[int, int] = (1280, 900),
) -> Iterator[tuple[object, Watch]]:
    """A new page in a fresh context; requests outside ``file:`` and ``allowed_origins`` are refused, except
    exact URLs in ``stand_ins``, which get the stand-in answer (and are recorded as such)."""
    watch = Watch()
    stand_ins = stand_ins or {}
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block", offline=offline
    )
    context.route("**/*", _gate(watch, allowed_origins, stand_ins))
    tab = context.new_page()
    tab.on("request", lambda request: watch.requests.append(request.url))
    tab.on("requestfailed", lambda request: watch.failed.append(f"{request.url}: {request.failure}"))
    tab.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
    tab.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    try:
        yield tab, watch
    finally:
        context.close()


def _gate(watch: Watch, allowed: tuple[str, ...], stand_ins: dict[str, StandIn]) -> Callable:
    def decide(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")) or any(url.startswith(origin) for origin in allowed):
            route.continue_()
        elif url in stand_ins:
            status, content_type, body = stand_ins[url]
            watch.stood_in.append(url)
            route.fulfill(status=status, content_type=content_type, body=body)
        else:
            watch.refused.append(url)
            route.abort("blockedbyclient")

    return decide


def screenshot(target, path: Path) -> Path:
    """Save a PNG of a page (all of it) or of one element (a locator); a copy goes to $KGTOOL_SCREENSHOTS if set."""
    if hasattr(target, "goto"):
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    keep = os.environ.get(SCREENSHOTS_ENV)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, Path(keep) / path.name)
    return path


def is_png(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 1000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
