"""What the browser tests share: where Chromium is, when to skip or fail, a recording page.

Locally the browser tests skip, saying why, when Chromium or Playwright is missing. In CI
``ATTNLAB_REQUIRE_BROWSER=1`` turns a missing browser, Playwright, JupyterLab, Voilà or export
dependency into an error, as ``ATTNLAB_REQUIRE_TORCH=1`` does for torch. ``ATTNLAB_CHROMIUM``
points at another Chromium binary.
"""

from __future__ import annotations

import importlib.util
import os
import time
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

    def new_image_src(self, img, previous: str | None, timeout: float, what: str) -> str:
        """The src of the image ``img`` (a locator) once it differs from ``previous`` and is
        decoded and painted (so that a screenshot shows it too); else fail saying ``what``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if img.count() == 1:
                src = img.get_attribute("src") or ""
                if (
                    src
                    and src != previous
                    and img.evaluate("i => i.complete && i.naturalWidth > 0")
                ):
                    return src
            self.pause(0.2)
        self.fail(f"{what} within {timeout:.0f} s")

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
