"""Issue 14, browser test 2 (prototype): the classroom dashboard served by Voilà works offline.

``attnlab.classroom.server.start`` serves the prototype panel (lessons/classroom/) in Spanish;
Chromium renders its widget without JavaScript errors and without requests leaving the machine,
in projector-sized type, and moving the temperature slider redraws the bars. Stopping the server
shuts its kernel down. The real panels (heads of the tiny GPT, generation, RoPE...) come later.
"""

from __future__ import annotations

import os

import pytest
from _harness import need
from _jupyterlab import REPO
from _pixels import changed_fraction, decode_data_uri

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RENDER_S = 90


def wait_for_new_image(rec, previous: str | None) -> str:
    what = "the panel's figure did not appear" if previous is None else "no redraw"
    return rec.new_image_src(rec.page.locator(".widget-output img"), previous, RENDER_S, what)


def test_dashboard_prototype_renders_offline_in_large_type_and_redraws_on_a_slider(page):
    need("voila", "pip install 'attnlab[classroom]'")
    from attnlab.classroom.server import free_port, start

    rec = page
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    server = start(lang="es", port=free_port(), env={"PYTHONPATH": path, "ATTNLAB_QUICK": "1"})
    try:
        rec.page.goto(server.url, timeout=RENDER_S * 1000)
        before = wait_for_new_image(rec, None)
        assert rec.page.locator("h1").first.inner_text() == "Temperatura de la softmax"
        label_px = rec.page.locator(".widget-slider .widget-label").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert label_px >= 20, f"slider label at {label_px}px: too small for a projector"
        rec.screenshot("dashboard-1-initial")

        slider = rec.page.locator(".widget-slider").first
        slider.locator(".noUi-handle").first.focus()
        rec.page.keyboard.press("End")  # the hottest temperature: nearly uniform bars
        after = wait_for_new_image(rec, before)
        assert changed_fraction(decode_data_uri(before), decode_data_uri(after)) > 0.01
        assert slider.locator(".widget-readout").inner_text().strip() == "20.0"
        rec.screenshot("dashboard-2-hot")

        assert rec.console_errors == [], rec.console_errors
        assert rec.offsite == [], f"the dashboard tried to leave the machine: {rec.offsite}"
        assert rec.failed_requests == []
    finally:
        code = server.stop()
    assert code == 0, f"Voilà exited with {code}:\n{server.log_tail()}"
    assert "Kernel shutdown" in server.log.read_text(), server.log_tail()
