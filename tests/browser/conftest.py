"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Skipped locally without Chromium or Playwright; required under ATTNLAB_REQUIRE_BROWSER=1 (see
``_harness.py``).

Every page a test opens (fixture ``page``) records its console errors, uncaught exceptions and
every request (websockets included), so a test can assert that nothing left file:// or
localhost (``RecordedPage.offsite``). Such requests cannot succeed anyway: Chromium's proxy is a
closed local port, which only 127.0.0.1 and localhost bypass. (Blocking with Playwright's ``route``
instead would send every request through this Python process, where it waits whenever the test
is not inside a Playwright call.) Tests wait with ``page.wait_for_timeout``, never
``time.sleep``, so that Playwright keeps delivering events. Screenshots go under the test's
``tmp_path``; their paths are printed (``pytest -s`` shows them, a failure always).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REQUIRE_BROWSER,
    VIEWPORT,
    RecordedPage,
    missing_browser,
    need,
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives headless Chromium (skipped without it unless ATTNLAB_REQUIRE_BROWSER=1)",
    )


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    reason = missing_browser() if browser_items else None
    if reason is None:
        return
    if REQUIRE_BROWSER:
        raise pytest.UsageError(f"ATTNLAB_REQUIRE_BROWSER=1 but {reason}")
    skip = pytest.mark.skip(reason=f"browser tests: {reason}")
    for item in browser_items:
        item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_failed = report.failed  # read by the page fixture: a screenshot on failure


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from attnlab.classroom.processes import free_port

    # A proxy on a port where nothing listens: every request to another machine fails at once.
    dead_proxy = {"server": f"http://127.0.0.1:{free_port()}", "bypass": "127.0.0.1,localhost"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, proxy=dead_proxy
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, tmp_path, request):
    """A fresh browser context and page that records what it does (see RecordedPage)."""
    shots = tmp_path / "screenshots"
    shots.mkdir()
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    rec = RecordedPage(context.new_page(), shots)

    rec.page.on("request", lambda r: rec.requests.append(r.url))

    def on_websocket(ws):
        rec.requests.append(ws.url)
        rec.frames_received.setdefault(ws.url, 0)

        def received(_payload):
            rec.frames_received[ws.url] += 1

        ws.on("framereceived", received)

    rec.page.on("websocket", on_websocket)
    rec.page.on("requestfailed", lambda r: rec.failed_requests.append(f"{r.url} ({r.failure})"))
    rec.page.on(
        "console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None
    )
    rec.page.on("pageerror", lambda err: rec.console_errors.append(f"uncaught: {err}"))
    yield rec
    if getattr(request.node, "browser_failed", False):
        try:
            rec.screenshot("after-failure")
        except Exception:
            pass
    context.close()


@pytest.fixture
def jupyterlab(tmp_path):
    """``start(*notebooks)``: a JupyterLab serving copies of the notebooks; stopped afterwards."""
    need("jupyterlab", "pip install 'attnlab[lessons]'")
    from _jupyterlab import start_lab

    servers = []

    def start(*notebooks: Path):
        servers.append(start_lab(list(notebooks), tmp_path / f"lab{len(servers)}"))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
