"""Issue 14, browser test 1: a lesson's widget works in JupyterLab, as a student meets it.

JupyterLab opens lessons/es/03_masks.ipynb, "Run All Cells" runs it in a real kernel (quick
mode), the mask explorer renders, and moving its controls redraws the heat map: the image's
pixels after each move differ from before. The explorer is found by its DOM (an ipywidgets
``interact`` box holding a "causal" checkbox and an output image), not by cell position.
"""

from __future__ import annotations

import time

import pytest
from _pixels import changed_fraction, decode_data_uri

from tools.lessons_build import lessons_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = lessons_dir() / "es" / "03_masks.ipynb"
LOAD_S, RUN_ALL_S, REDRAW_S = 90, 240, 45  # generous, bounded waits (seconds)


def image_src(rec, explorer, after: str | None = None) -> str:
    """The explorer's image src, once there is one (and it differs from ``after``)."""
    what = (
        "the mask explorer's image never appeared"
        if after is None
        else "the image did not change after moving a control"
    )
    return rec.new_image_src(explorer.locator(".widget-output img"), after, REDRAW_S, what)


def wait_for_explorer(rec, explorer, deadline: float) -> None:
    """Wait for the explorer; accept a kernel dialog if JupyterLab still shows one."""
    dialog_button = rec.page.locator(".jp-Dialog .jp-mod-accept")
    while not explorer.is_visible():
        if dialog_button.is_visible():
            dialog_button.click()
        if time.monotonic() > deadline:
            rec.fail("no mask explorer (an interact box with a 'causal' checkbox) after Run All")
        rec.pause(0.5)


def wait_for_kernel(rec, deadline: float) -> None:
    """Until the kernel is connected: its channels websocket has answered and it says idle.

    The toolbar's idle indicator alone can show before the websocket is open, and a Run All
    sent then runs nothing.
    """
    idle = rec.page.locator(".jp-NotebookPanel-toolbar [data-status='idle']")
    while not (rec.websocket_answered("/channels") and idle.count() > 0):
        if time.monotonic() > deadline:
            rec.fail(f"JupyterLab did not connect to the notebook's kernel in {LOAD_S} s")
        rec.pause(0.3)


def run_all(rec) -> None:
    """Run > Run All Cells, from the menu as a student would; check that cells start running."""
    page = rec.page
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    deadline = time.monotonic() + 30
    while not any(c in first_prompt.inner_text() for c in "*0123456789"):
        if time.monotonic() > deadline:
            rec.fail("Run All Cells did not start the first code cell within 30 s")
        rec.pause(0.2)


def test_mask_explorer_renders_in_jupyterlab_and_its_controls_redraw_the_heat_map(jupyterlab, page):
    rec = page
    lab = jupyterlab(NOTEBOOK)
    started = time.monotonic()
    rec.page.goto(lab.url(NOTEBOOK.name), timeout=LOAD_S * 1000)
    wait_for_kernel(rec, started + LOAD_S)
    run_all(rec)

    explorer = rec.page.locator(".widget-interact").filter(
        has=rec.page.get_by_role("checkbox", name="causal")
    )
    wait_for_explorer(rec, explorer, started + RUN_ALL_S)
    explorer.scroll_into_view_if_needed()
    before = image_src(rec, explorer)
    rec.screenshot("03_masks-explorer-1-initial", element=explorer)

    # 1. The causal toggle: switching it off lets queries see the future, the map changes.
    rec.page.get_by_role("checkbox", name="causal").uncheck()
    after_toggle = image_src(rec, explorer, after=before)
    assert changed_fraction(decode_data_uri(before), decode_data_uri(after_toggle)) > 0.01
    rec.screenshot("03_masks-explorer-2-causal-off", element=explorer)

    # 2. The slider of real keys, moved with the keyboard from 6 to 4: two keys become padding.
    slider = explorer.locator(".widget-slider")
    slider.locator(".noUi-handle").first.focus()
    rec.page.keyboard.press("ArrowLeft")
    at_five = image_src(rec, explorer, after=after_toggle)  # one redraw per step: wait for each
    rec.page.keyboard.press("ArrowLeft")
    after_slider = image_src(rec, explorer, after=at_five)
    assert changed_fraction(decode_data_uri(after_toggle), decode_data_uri(after_slider)) > 0.01
    assert slider.locator(".widget-readout").inner_text().strip() == "4"
    rec.screenshot("03_masks-explorer-3-four-real-keys", element=explorer)

    # The whole lesson ran: every code cell has an execution count, and none raised.
    deadline = started + RUN_ALL_S
    while any("*" in p for p in rec.page.locator(".jp-InputPrompt").all_inner_texts()):
        if time.monotonic() > deadline:
            rec.fail(f"Run All did not finish within {RUN_ALL_S} s")
        rec.pause(0.5)
    code_prompts = rec.page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
    unrun = [i for i, p in enumerate(code_prompts) if not any(c.isdigit() for c in p)]
    if unrun:
        rec.fail(f"code cells {unrun} did not run (an earlier cell failed?)")
    tracebacks = rec.page.locator(".jp-OutputArea-output", has_text="Traceback").count()
    if tracebacks:
        rec.fail(f"{tracebacks} cell(s) raised an exception")
    assert not rec.offsite, f"JupyterLab tried to leave the machine: {rec.offsite}"
