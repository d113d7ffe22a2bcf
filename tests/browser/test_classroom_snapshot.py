"""Static widget snapshots for the offline pages, from widget state like nbclient stores it."""

from __future__ import annotations

import copy

import nbformat
import pytest

from attnlab.classroom.snapshot import (
    WIDGET_STATE,
    WIDGET_VIEW,
    freeze_widgets,
    render_output,
    widget_snapshot,
)

PNG = "iVBORw0KGgo="  # only ever embedded, never decoded here


def model(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}


STATES = {
    "box": model(
        "VBoxModel",
        children=["IPY_MODEL_cb", "IPY_MODEL_sl", "IPY_MODEL_log", "IPY_MODEL_tx", "IPY_MODEL_dd"]
        + ["IPY_MODEL_out"],
    ),
    "cb": model("CheckboxModel", description="causal", value=True),
    "sl": model("IntSliderModel", description="S reales", value=4, min=0, max=6),
    "log": model("FloatLogSliderModel", description="tau", value=10.0, min=-1, max=1, base=10),
    "tx": model("TextModel", description="(i,j)", value='0,1 "x"'),
    "dd": model("DropdownModel", description="head", _options_labels=["h0", "h1"], index=1),
    "out": model(
        "OutputModel",
        outputs=[
            {"output_type": "display_data", "data": {"image/png": PNG, "text/plain": "<Figure>"}},
            {"output_type": "stream", "name": "stdout", "text": "filas <vacías>: [2]\n"},
        ],
    ),
}


def test_snapshot_freezes_each_control_at_its_value_and_draws_the_output():
    html = widget_snapshot("box", STATES, "es")
    assert html.startswith('<figure class="attnlab-snapshot"><figcaption>Instantánea estática')
    assert '<label>causal <input type="checkbox" disabled checked></label>' in html
    assert 'min="0" max="6" step="any" value="4"> <output>4</output>' in html
    assert 'min="-1" max="1" step="any" value="1.0"> <output>10</output>' in html  # exponent 1
    assert 'value="0,1 &quot;x&quot;"' in html  # escaped, never raw
    assert "<output>h1</output>" in html
    assert f'<img alt="" src="data:image/png;base64,{PNG}">' in html
    assert "<pre>filas &lt;vacías&gt;: [2]\n</pre>" in html
    assert "disabled" in html and "<script" not in html


@pytest.mark.parametrize(
    ("lang", "label"), [("es", "Instantánea estática del widget"), ("en", "Static snapshot")]
)
def test_snapshot_caption_speaks_the_page_language(lang, label):
    assert f"<figcaption>{label}" in widget_snapshot("cb", STATES, lang)


def test_errors_in_an_output_are_shown_without_terminal_colours():
    out = {"output_type": "error", "traceback": ["\x1b[31mValueError\x1b[0m: bad <shape>"]}
    assert render_output(out) == "<pre>ValueError: bad &lt;shape&gt;</pre>"


def notebook_with_views(*model_ids):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: {"model_id": m}, "text/plain": f"widget {m}"}
        )
        for m in model_ids
    ]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": copy.deepcopy(STATES)}}
    return nb


def test_freeze_widgets_replaces_views_keeps_unknown_ones_and_drops_the_state():
    nb = notebook_with_views("box", "missing")
    assert freeze_widgets(nb, "en") == 1
    frozen, unknown = nb.cells[0].outputs
    assert list(frozen["data"]) == ["text/html"]
    assert "Static snapshot of the widget" in frozen["data"]["text/html"]
    assert unknown["data"]["text/plain"] == "widget missing"  # its fallback stays
    assert "widgets" not in nb.metadata
