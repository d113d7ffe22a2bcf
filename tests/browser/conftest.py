"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Locally they skip, saying why, when Chromium or Playwright is missing. In CI
``ATTNLAB_REQUIRE_BROWSER=1`` turns a missing browser, Playwright, JupyterLab or Voilà into an
error, as ``ATTNLAB_REQUIRE_TORCH=1`` does for torch. ``ATTNLAB_CHROMIUM`` points at another
Chromium binary.

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

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REQUIRE_BROWSER = os.environ.get("ATTNLAB_REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("ATTNLAB_CHROMIUM", "/usr/bin/chromium")
# Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here).
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
VIEWPORT = {"width": 1280, "height": 900}


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set ATTNLAB_CHROMIUM)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install playwright)"
    return None


def need(module: str, hint: str) -> None:
    """Skip the test if ``module`` is missing, or fail under ATTNLAB_REQUIRE_BROWSER=1."""
    if importlib.util.find_spec(module) is None:
        message = f"{module} is not installed ({hint})"
        if REQUIRE_BROWSER:
            pytest.fail(f"ATTNLAB_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)


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


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("file", "data", "blob", "about"):
        return True
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname in LOCAL_HOSTS


@dataclass
class RecordedPage:
    """A Playwright page plus what it did: console errors, requests, websockets."""

    page: object
    shots: Path
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    frames_received: dict[str, int] = field(default_factory=dict)  # per websocket URL

    @property
    def offsite(self) -> list[str]:
        """Requests that tried to leave file:// and localhost."""
        return [url for url in self.requests if not is_local(url)]

    def pause(self, seconds: float) -> None:
        """Wait while Playwright delivers events (time.sleep would hold them back)."""
        self.page.wait_for_timeout(seconds * 1000)

    def websocket_answered(self, fragment: str) -> bool:
        """True once a websocket whose URL contains ``fragment`` has received a frame."""
        return any(fragment in url and n > 0 for url, n in self.frames_received.items())

    def screenshot(self, name: str, *, full_page: bool = True, element=None) -> Path:
        path = self.shots / f"{name}.png"
        if element is not None:
            element.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=full_page)
        print(f"screenshot: {path}")
        return path

    def fail(self, message: str) -> None:
        """pytest.fail with a screenshot of the page now and what the page logged."""
        try:
            shot = self.screenshot("failure")
        except Exception as err:  # the page itself may be what broke
            shot = f"(no screenshot: {err})"
        pytest.fail(
            f"{message}\nscreenshot: {shot}\nconsole errors: {self.console_errors[-10:]}\n"
            f"offsite requests: {self.offsite[:10]}\nfailed requests: {self.failed_requests[:10]}"
        )


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    from attnlab.classroom.server import free_port

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
