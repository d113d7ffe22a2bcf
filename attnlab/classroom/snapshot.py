"""A static snapshot of a Jupyter widget: its controls frozen at their values, its output drawn.

When nbclient runs a notebook it stores every widget's state in the notebook's metadata
(``application/vnd.jupyter.widget-state+json``), including what each ``Output`` widget
displayed. :func:`widget_snapshot` turns one widget (and its children) into plain HTML: disabled
inputs showing the control values, the output's figures as inline PNG, its text as ``<pre>``,
under a caption saying, in the page's language, that this is a static snapshot. No JavaScript:
the page stays readable offline, and nobody mistakes the frozen sliders for live ones.
"""

from __future__ import annotations

import html
import math
import re

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CAPTION = {
    "es": "Instantánea estática del widget: aquí los controles no se mueven. "
    "Para moverlos, abre la lección en Jupyter.",
    "en": "Static snapshot of the widget: the controls do not move here. "
    "To move them, open the lesson in Jupyter.",
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_DEPTH = 12  # widget trees are shallow; this only guards against a cycle in broken state


def widget_states(nb) -> dict:
    """``{model_id: {"model_name": ..., "state": {...}}}`` stored in an executed notebook."""
    stored = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    return stored.get("state", {})


def widget_snapshot(model_id: str, states: dict, lang: str) -> str:
    """HTML for the widget ``model_id``: a captioned figure with its controls and outputs."""
    body = _render(model_id, states, depth=0)
    return (
        '<figure class="attnlab-snapshot">'
        f"<figcaption>{html.escape(CAPTION[lang])}</figcaption>{body}</figure>"
    )


def _render(ref: str, states: dict, depth: int) -> str:
    model_id = ref.removeprefix("IPY_MODEL_")
    if depth > MAX_DEPTH or model_id not in states:
        return ""
    name = states[model_id].get("model_name", "")
    state = states[model_id].get("state", {})
    if "children" in state:  # VBox, HBox, Tab, Accordion, interactive...
        parts = [_render(child, states, depth + 1) for child in state["children"]]
        controls = "".join(p for p in parts if p.startswith("<label"))
        rest = "".join(p for p in parts if not p.startswith("<label"))
        return (f'<div class="attnlab-controls">{controls}</div>' if controls else "") + rest
    if name == "OutputModel":
        return "".join(render_output(out) for out in state.get("outputs", []))
    return _control(name, state)


def _control(name: str, state: dict) -> str:
    label = html.escape(str(state.get("description", "")))
    value = state.get("value")
    if name in ("HTMLModel", "HTMLMathModel"):
        return f"<div>{value or ''}</div>"
    if name == "LabelModel":
        return f"<div>{html.escape(str(value or ''))}</div>"
    if name in ("CheckboxModel", "ToggleButtonModel"):
        checked = " checked" if value else ""
        return f'<label>{label} <input type="checkbox" disabled{checked}></label>'
    if name.endswith("SliderModel") and not isinstance(value, list):
        shown, lo, hi, at = value, state.get("min", 0), state.get("max", 100), value
        if name == "FloatLogSliderModel":  # min/max are exponents of base
            at = math.log(value, state.get("base", 10)) if value and value > 0 else lo
        return (
            f'<label>{label} <input type="range" disabled min="{lo}" max="{hi}" '
            f'step="any" value="{at}"> <output>{html.escape(_fmt(shown))}</output></label>'
        )
    if "_options_labels" in state:  # Dropdown, Select, RadioButtons, ToggleButtons
        options, index = state["_options_labels"], state.get("index")
        chosen = options[index] if isinstance(index, int) and 0 <= index < len(options) else ""
        return f"<label>{label} <output>{html.escape(str(chosen))}</output></label>"
    if name == "ButtonModel":
        return f"<label><button disabled>{label}</button></label>"
    if value is not None:  # Text, Textarea, IntText, ranges...
        text = html.escape(_fmt(value), quote=True)
        return f'<label>{label} <input type="text" disabled value="{text}"></label>'
    return ""


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return " – ".join(_fmt(v) for v in value)
    return str(value)


def render_output(out: dict) -> str:
    """One nbformat output (display data, stream or error) as static HTML."""
    kind = out.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(out.get('text', ''))}</pre>"
    if kind == "error":
        trace = ANSI.sub("", "\n".join(out.get("traceback", [])))
        return f"<pre>{html.escape(trace)}</pre>"
    data = out.get("data", {})
    if "image/png" in data:
        return f'<img alt="" src="data:image/png;base64,{data["image/png"].strip()}">'
    if "image/svg+xml" in data:
        return data["image/svg+xml"]
    if "text/html" in data:
        return data["text/html"]
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def freeze_widgets(nb, lang: str) -> int:
    """Replace every widget view in ``nb``'s outputs by its static snapshot; drop widget state.

    Returns how many widgets were frozen. A view whose state is missing keeps its text/plain
    fallback. The notebook is modified in place.
    """
    states, frozen = widget_states(nb), 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and view.get("model_id") in states:
                out["data"] = {"text/html": widget_snapshot(view["model_id"], states, lang)}
                frozen += 1
    nb.metadata.pop("widgets", None)
    return frozen
