"""The dashboard's TLOB panel: the shipped small TLOB's attention maps on one test window.

A slider picks a window of the synthetic book's test split (the split the model was evaluated
on, rebuilt from the settings it was trained with); a switch picks the temporal or the feature
maps. The title says the window's true class and what the model predicts, with its
probabilities. :func:`window_state` computes it (no widgets); the maps are drawn by
:func:`attnlab.viz.tlob_attention` for that one window.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from .. import softmax
from ..i18n import check_language, tr


@functools.lru_cache(maxsize=1)
def shipped_tlob():
    """``(model, test windows)``: the pretrained small TLOB and its test split (built once)."""
    from ..data import make_dataset
    from ..models import load_pretrained

    model, info = load_pretrained()
    return model, make_dataset(**info["data"]).test


class WindowState(NamedTuple):
    maps: list  # [(kind, (1, heads, N, N))] the model's attention maps on this window
    label: int  # the window's true class (0 up, 1 stationary, 2 down)
    probs: np.ndarray  # (3,) the model's probabilities
    predicted: int


def window_state(model, windows, index: int) -> WindowState:
    """The TLOB's maps and prediction on window ``index`` of ``windows``."""
    n = len(windows)
    if not 0 <= index < n:
        raise ValueError(f"window must be in [0, {n}), got {index}")
    x, y = windows.batch(np.array([index]))  # (1, T, F), (1,)
    logits = model.forward(x)  # (1, 3)
    probs = softmax(np.asarray(logits[0], dtype=np.float64))  # (3,)
    maps = [(kind, np.array(w)) for kind, w in model.attention_maps]
    return WindowState(maps, int(y[0]), probs, int(np.argmax(probs)))


def window_title(state: WindowState, index: int, lang: str) -> str:
    from ..viz.strings import class_names

    names = class_names(lang)
    probs = ", ".join(f"{name} {p:.2f}" for name, p in zip(names, state.probs, strict=True))
    return tr(
        f"ventana {index} · clase real: {names[state.label]} · el modelo: {probs}",
        f"window {index} · true class: {names[state.label]} · the model: {probs}",
        lang,
    )


def tlob_panel(*, lang: str = "en", start: int = 0):
    """A window slider and a temporal / feature switch over the TLOB's maps."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ..viz import tlob_attention

    check_language(lang)
    model, windows = shipped_tlob()
    window = widgets.IntSlider(
        value=start,
        min=0,
        max=len(windows) - 1,
        description=tr("ventana", "window", lang),
        continuous_update=False,  # one forward pass when the handle is let go
        layout=widgets.Layout(width="95%"),
    )
    kind = widgets.ToggleButtons(
        options=[
            (tr("temporal", "temporal", lang), "temporal"),
            (tr("rasgos", "feature", lang), "feature"),
        ],
        description=tr("mapas", "maps", lang),
    )
    out = widgets.Output()
    panel = widgets.VBox([window, kind, out])
    panel.add_class("attnlab-tlob")

    def redraw(*_) -> None:
        state = window_state(model, windows, window.value)
        panel.last_state = state
        fig = tlob_attention(
            state.maps, kind.value, average=False, subtitle=window_title(state, window.value, lang),
            lang=lang,
        )  # fmt: skip
        out.clear_output(wait=True)
        with out:
            display(fig)
            plt.close(fig)

    window.observe(redraw, names="value")
    kind.observe(redraw, names="value")
    redraw()
    return panel
