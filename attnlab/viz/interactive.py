"""Classroom explorers: ipywidgets sliders and toggles over pure, tested functions.

Each explorer is two layers: a pure function of :mod:`attnlab.interactive` turns the widget
values into the numbers to show (no kernel, ipywidgets or matplotlib needed: that is what the
tests check), and a thin widget here wires the controls to it and draws the result. Each
explorer keeps what it drew last in ``explorer.last_state`` (handy in tests and for teachers).
ipywidgets is imported only when an explorer is made.

In a notebook: ``from attnlab.viz.interactive import temperature_explorer;
temperature_explorer([2, 1, 0.5, 0, -1], lang="es")``.
"""

from __future__ import annotations

import numpy as np

from ..i18n import check_language, tr
from ..interactive import (
    mask_state,
    parse_numbers,
    parse_pairs,
    pick_map,
    position_state,
    query_state,
    temperature_state,
)
from .strings import text
from .style import style

WINNER, OTHERS = "#d95f02", "#7570b3"  # Dark2 orange and purple: colour-blind safe, plus labels


def _show(fig) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


class _Memo:
    """Keeps an explorer's last state: the first drawing runs before the widget exists."""

    def __init__(self):
        self.widget, self.state = None, None

    def keep(self, state) -> None:
        self.state = state
        if self.widget is not None:
            self.widget.last_state = state

    def attach(self, widget):
        self.widget, widget.last_state = widget, self.state
        return widget


def _numbers_text(values) -> str:
    return ", ".join(f"{float(v):g}" for v in values)


def temperature_explorer(logits, *, lang: str = "en", labels=None):
    """A temperature slider over softmax(logits / tau), and a box to edit the logits.

    The bars show the probabilities (the winner in orange, with its value written on top), the
    title the entropy. Type other logits in the box (``2, 1, 0.5, 0, -1``) to try your own.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)
    start = _numbers_text(logits)
    memo = _Memo()

    def draw(temperature: float = 1.0, typed: str = start) -> None:
        try:
            z = parse_numbers(typed, lang=lang)
        except ValueError as err:
            print(err)
            return
        names = list(labels) if labels is not None and len(labels) == len(z) else None
        names = names or [str(i) for i in range(len(z))]
        state = temperature_state(z, temperature)
        memo.keep(state)
        with style():  # projector-sized text
            fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
            colours = [WINNER if i == state.top else OTHERS for i in range(len(z))]
            bars = ax.bar(names, state.probs, color=colours, edgecolor="black", linewidth=0.6)
            ax.bar_label(bars, [f"{p:.2f}" for p in state.probs], padding=2)
            ax.set_ylim(0, 1.15)
            ax.set_ylabel(text("probability", lang))
            ax.set_title(f"tau = {temperature:.2f}   H = {state.entropy:.2f} nats")
        _show(fig)

    explorer = widgets.interactive(
        draw,
        temperature=widgets.FloatLogSlider(
            value=1.0, base=10, min=-1.3, max=1.3, step=0.05, description="tau"
        ),
        typed=widgets.Text(
            value=start,
            description="logits",
            placeholder="2, 1, 0.5, 0, -1",
            continuous_update=False,  # redraw when Enter is pressed or the box loses focus
        ),
    )
    return memo.attach(explorer)


def query_explorer(k, v, *, queries=None, key_labels=None, lang: str = "en"):
    """Move one query with sliders (or choose one of ``queries``) and see what attention does.

    ``k`` (S, D) and ``v`` (S, Dv), with D <= 6 (one slider per feature of the query). Left:
    the weight the query gives each key (the winner in orange). Right: when Dv = 2, the values
    as labelled points and the output as a black star, the blend of the values; otherwise the
    output's features as bars. The numbers are :func:`attnlab.interactive.query_state`'s.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)
    k, v = np.asarray(k, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if k.ndim != 2 or v.ndim != 2 or not 1 <= k.shape[1] <= 6 or v.shape[0] != k.shape[0]:
        raise ValueError(
            f"k must be (S, D) with 1 <= D <= 6 and v (S, Dv) with the same S; got k {k.shape}, "
            f"v {v.shape}"
        )
    S, D = k.shape
    names = [str(s) for s in key_labels] if key_labels is not None else [str(j) for j in range(S)]
    presets = np.zeros((0, D)) if queries is None else np.asarray(queries, dtype=np.float64)
    memo = _Memo()

    def draw(**components: float) -> None:
        q = np.array([components[f"q{d}"] for d in range(D)])  # (D,)
        state = query_state(q, k, v)
        memo.keep(state)
        with style():  # projector-sized text
            fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
            colours = [WINNER if j == state.top else OTHERS for j in range(S)]
            bars = left.bar(names, state.weights, color=colours, edgecolor="black", linewidth=0.6)
            left.bar_label(bars, [f"{w:.2f}" for w in state.weights], padding=2)
            left.set_ylim(0, 1.15)
            left.set_ylabel(tr("peso de atención", "attention weight", lang))
            left.set_title(tr("pesos de la consulta", "the query's weights", lang))
            if v.shape[1] == 2:
                _draw_blend(right, v, state, names, colours, lang)
            else:
                right.bar([str(i) for i in range(v.shape[1])], state.out, color=OTHERS)
                right.set_xlabel(tr("rasgo de la salida", "output feature", lang))
            right.set_title(
                tr("salida = mezcla de los valores", "output = blend of the values", lang)
            )
        _show(fig)

    start = presets[0] if len(presets) else np.zeros(D)
    sliders = {
        f"q{d}": widgets.FloatSlider(
            value=float(start[d]), min=-6.0, max=6.0, step=0.25, description=f"q[{d}]"
        )
        for d in range(D)
    }
    explorer = memo.attach(widgets.interactive(draw, **sliders))
    if len(presets):
        choose = widgets.Dropdown(
            options=[(f"{tr('consulta', 'query', lang)} {i}", i) for i in range(len(presets))],
            value=0,
            description=tr("elige", "choose", lang),
        )

        def jump(change) -> None:  # a preset moves every slider to its query
            for d in range(D):
                sliders[f"q{d}"].value = float(presets[change["new"]][d])

        choose.observe(jump, names="value")
        explorer.children = (choose, *explorer.children)
    return explorer


def _draw_blend(ax, v, state, names, colours, lang: str) -> None:
    """Values as points (bigger = more weight) and the output, their blend, as a black star."""
    ax.scatter(v[:, 0], v[:, 1], s=80 + 600 * state.weights, c=colours, edgecolors="k")
    for j, name in enumerate(names):
        ax.annotate(name, v[j], textcoords="offset points", xytext=(9, 7))
    ax.scatter(*state.out, marker="*", s=300, c="black", zorder=3)
    ax.annotate(
        tr("salida", "output", lang), state.out, textcoords="offset points", xytext=(9, -14)
    )
    pad = 0.18 * (np.ptp(v) or 1.0)
    ax.set_xlim(v[:, 0].min() - pad, v[:, 0].max() + pad)
    ax.set_ylim(v[:, 1].min() - pad, v[:, 1].max() + pad)
    ax.set_xlabel("v[:, 0]")
    ax.set_ylabel("v[:, 1]")


def mask_explorer(scores, *, lang: str = "en", tokens=None):
    """Toggles for a causal mask and padding, plus a text box of (i, j) pairs to block by hand."""
    import ipywidgets as widgets

    from .heatmaps import attention_heatmap, masked_legend_handle

    check_language(lang)
    T, S = np.asarray(scores).shape
    memo = _Memo()

    def draw(causal: bool = True, length: int = S, blocked: str = "") -> None:
        try:
            pairs = parse_pairs(blocked, lang=lang)
            state = mask_state(scores, causal=causal, length=length, blocked=pairs, lang=lang)
        except ValueError as err:
            print(err)
            return
        memo.keep(state)
        ax = attention_heatmap(state.weights, tokens, tokens, mask=state.mask, lang=lang)
        legend = ax.get_legend()
        if legend is not None:  # above the map, so that it never covers a weight
            legend.remove()
            ax.legend(
                handles=[masked_legend_handle(lang)],
                loc="lower right",
                bbox_to_anchor=(1.0, 1.0),
                borderaxespad=0.3,
                framealpha=0.95,
            )
        if not state.mask.any():
            ax.text(
                (S - 1) / 2,
                (T - 1) / 2,
                tr(
                    "ninguna clave que mirar:\ntodos los pesos valen 0",
                    "no key to look at:\nevery weight is 0",
                    lang,
                ),
                ha="center",
                va="center",
                fontsize=12,
                bbox={"facecolor": "white", "edgecolor": "black", "alpha": 0.95},
                zorder=4,
            )
        if state.empty_rows:
            print(text("empty_rows", lang, rows=state.empty_rows))
        if state.already_masked:
            print(
                tr(
                    f"ya estaban enmascaradas (no cambian nada): {state.already_masked}",
                    f"already masked (they change nothing): {state.already_masked}",
                    lang,
                )
            )
        _show(ax.figure)

    explorer = widgets.interactive(
        draw,
        causal=widgets.Checkbox(value=True, description="causal"),
        length=widgets.IntSlider(value=S, min=0, max=S, description=text("real_keys", lang)),
        blocked=widgets.Text(
            value="",
            description="(i,j)",
            placeholder="2,0 (3, 1)",
            continuous_update=False,  # read the pairs when Enter is pressed, not mid-typing
        ),
    )
    return memo.attach(explorer)


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
