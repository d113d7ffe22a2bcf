"""The READMEs' screenshots of the classroom dashboard: figures/classroom/dashboard_{es,en}.png.

Repository tooling (like the browser tests, it needs the classroom and dev extras and Chromium):

    python tools/classroom_screenshots.py [--chromium /usr/bin/chromium]

Serves the dashboard in each language, opens it in headless Chromium (no network beyond this
machine), blocks one pair of the mask grid so that the picture shows a click's effect, and saves
the visible part of the page at projector-like size.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "figures" / "classroom"
VIEWPORT = {"width": 1280, "height": 900}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--chromium", default=os.environ.get("ATTNLAB_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from attnlab.classroom.server import free_port, start

    OUT.mkdir(parents=True, exist_ok=True)
    dead_proxy = {"server": f"http://127.0.0.1:{free_port()}", "bypass": "127.0.0.1,localhost"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=args.chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            proxy=dead_proxy,
        )
        for lang in ("es", "en"):
            with start(lang=lang, port=free_port(), env={"PYTHONPATH": str(REPO)}) as server:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(server.url, timeout=120_000)
                cells = page.locator(".attnlab-panel-mask .attnlab-cell")
                cells.first.wait_for(timeout=120_000)
                cells.nth(4 * 6 + 1).click()  # block (4, 1): ✕, and row 4 shares its weight
                page.wait_for_function(
                    "() => document.querySelectorAll('.attnlab-cell')[25].innerText.trim() === '✕'"
                )
                page.wait_for_timeout(500)
                path = OUT / f"dashboard_{lang}.png"
                page.screenshot(path=str(path))
                print(path)
                page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
