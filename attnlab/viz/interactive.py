"""Classroom explorers: ipywidgets sliders and toggles over pure, tested functions.

Each explorer is two layers: a pure function of :mod:`attnlab.interactive` turns the widget
values into the numbers to show (no kernel, ipywidgets or matplotlib needed: that is what the
tests check), and a thin widget here wires the sliders to it and draws the result.
ipywidgets is imported only when an explorer is made.

In a notebook: ``from attnlab.viz.interactive import temperature_explorer;
temperature_explorer([2, 1, 0.5, 0, -1], lang="es")``.
"""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from ..interactive import mask_state, parse_pairs, pick_map, position_state, temperature_state
from .strings import text


def _show(fig) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def temperature_explorer(logits, *, lang: str = "en", labels=None):
    """A temperature slider over softmax(logits / tau): bars, entropy and the winner."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)
    names = labels or [str(i) for i in range(len(logits))]

    def draw(temperature: float = 1.0) -> None:
        state = temperature_state(logits, temperature)
        fig, ax = plt.subplots(figsize=(6, 3.2))
        ax.bar(
            names,
            state.probs,
            color=["#d95f02" if i == state.top else "#7570b3" for i in range(len(names))],
        )
        ax.set_ylim(0, 1)
        ax.set_ylabel(text("probability", lang))
        ax.set_title(f"tau = {temperature:.2f}   H = {state.entropy:.2f} nats")
        _show(fig)

    slider = widgets.FloatLogSlider(
        value=1.0, base=10, min=-1.3, max=1.3, step=0.05, description="tau"
    )
    return widgets.interactive(draw, temperature=slider)


def mask_explorer(scores, *, lang: str = "en", tokens=None):
    """Toggles for a causal mask and padding, plus a text box of (i, j) pairs to block by hand."""
    import ipywidgets as widgets

    from .heatmaps import attention_heatmap

    check_language(lang)
    S = np.asarray(scores).shape[1]

    def draw(causal: bool = True, length: int = S, blocked: str = "") -> None:
        try:
            pairs = parse_pairs(blocked)
            state = mask_state(scores, causal=causal, length=length, blocked=pairs)
        except ValueError as err:
            print(err)
            return
        ax = attention_heatmap(state.weights, tokens, tokens, mask=state.mask, lang=lang)
        if state.empty_rows:
            print(text("empty_rows", lang, rows=state.empty_rows))
        _show(ax.figure)

    return widgets.interactive(
        draw,
        causal=widgets.Checkbox(value=True, description="causal"),
        length=widgets.IntSlider(value=S, min=0, max=S, description=text("real_keys", lang)),
        blocked=widgets.Text(value="", description="(i,j)", placeholder="0,1 (2, 3)"),
    )


def maps_explorer(maps, *, lang: str = "en"):
    """Layer, head and sample selectors over per-layer attention weights (see ``pick_map``)."""
    import ipywidgets as widgets

    from .heatmaps import attention_heatmap

    check_language(lang)
    first = maps[0][1] if isinstance(maps[0], tuple) else maps[0]
    B, H = np.asarray(first).shape[:2]

    def draw(layer: int = 0, head: int = 0, sample: int = 0) -> None:
        try:
            w, kind = pick_map(maps, layer, head, sample)
        except ValueError as err:
            print(err)
            return
        ax = attention_heatmap(
            w, lang=lang, annotate=False, vmax=None, title=f"{kind} {layer}/{head}".strip()
        )
        _show(ax.figure)

    return widgets.interactive(
        draw,
        layer=widgets.IntSlider(0, 0, len(maps) - 1, description=text("layer", lang)),
        head=widgets.IntSlider(0, 0, H - 1, description=text("head", lang)),
        sample=widgets.IntSlider(0, 0, B - 1, description=text("sample", lang)),
    )


def position_explorer(table, *, lang: str = "en"):
    """Position and dimension sliders over a positional table (L, E)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)
    L, E = np.asarray(table).shape

    def draw(position: int = 0, dim: int = 0) -> None:
        state = position_state(table, position, dim)
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
        axes[0].plot(state.column, color="#1b9e77")
        axes[0].axvline(position, color="grey", lw=0.8)
        axes[0].set_title(text("dim_at_positions", lang, d=dim))
        axes[1].plot(state.similarity, color="#7570b3")
        axes[1].axvline(position, color="grey", lw=0.8)
        axes[1].set_title(text("dot_with_position", lang, p=position))
        for ax in axes:
            ax.set_xlabel(text("position", lang))
        _show(fig)

    return widgets.interactive(
        draw,
        position=widgets.IntSlider(0, 0, L - 1, description="pos"),
        dim=widgets.IntSlider(0, 0, E - 1, description="dim"),
    )
