"""The dashboard's mask builder: a grid of (query, key) cells to click, showing the weights.

Each cell is one pair (query i, key j). Clicking it blocks the pair, or frees it again; the
grid then shows the attention weights under the new mask. A cell shows its weight written on
the weights' colour (viridis, as in every attnlab figure: the number is the second cue), a
blocked pair a grey cell with ✕, a pair hidden by the causal mask or the padding a grey cell
with —. The numbers are :func:`attnlab.interactive.mask_state`'s; :func:`grid_cells` turns them
into what each cell shows (tested without widgets) and :func:`mask_builder` is the widget.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_float_array
from ..i18n import check_language, tr
from ..interactive import MaskState, mask_state, toggle

BLOCKED, HIDDEN = "✕", "—"
MASKED_FACE = "#d0d0d0"  # the figures' grey for "masked": never mistaken for a weight of 0
CELL_PX = 86


class Cell(NamedTuple):
    text: str  # the weight ("0.42"), ✕ (blocked by hand) or — (causal mask or padding)
    background: str  # "#rrggbb"
    color: str  # the text colour that reads on that background
    kind: str  # "weight", "blocked" or "hidden"


MAX_CELLS = 10  # rows or columns: more would not fit a projector's width


def example_scores(seed: int = 0, T: int = 6, S: int | None = None, D: int = 8) -> np.ndarray:
    """Scores q k^T / sqrt(D) of random q (T, D) and k (S, D): (T, S). With S = T (the
    default) the same x serves as q and k, as in lesson 03 (which uses seed 0)."""
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((T, D))  # (T, D)
    k = q if S is None or S == T else rng.standard_normal((S, D))  # (S, D)
    return q @ k.T / np.sqrt(D)  # (T, S)


def grid_cells(state: MaskState, blocked) -> list[list[Cell]]:
    """What every cell of the grid shows, row by row (T rows of S cells)."""
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    from ..viz.style import WEIGHTS_CMAP, text_color_for

    cmap = mpl.colormaps[WEIGHTS_CMAP]
    blocked = set(map(tuple, blocked))
    rows = []
    for i, (allowed, weights) in enumerate(zip(state.mask, state.weights, strict=True)):
        row = []
        for j, (ok, w) in enumerate(zip(allowed, weights, strict=True)):
            if ok:
                colour = text_color_for(w, 0.0, 1.0, cmap)
                row.append(Cell(f"{w:.2f}", to_hex(cmap(float(w))), colour, "weight"))
            elif (i, j) in blocked:
                row.append(Cell(BLOCKED, MASKED_FACE, "black", "blocked"))
            else:
                row.append(Cell(HIDDEN, MASKED_FACE, "#555555", "hidden"))
        rows.append(row)
    return rows


def row_sums(state: MaskState) -> list[str]:
    """Σ of each row: 1.00, or 0 for a query with no key left (its weights are all 0)."""
    return [f"Σ {s:.2f}" for s in state.weights.sum(axis=1)]


def colour_scale(lang: str) -> str:
    """An HTML colour bar 0 .. 1 of the weights' colour map, and the grey of masked cells."""
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    from ..viz.style import WEIGHTS_CMAP

    stops = ", ".join(to_hex(mpl.colormaps[WEIGHTS_CMAP](x)) for x in np.linspace(0, 1, 9))
    bar = f"display:inline-block;width:260px;height:22px;background:linear-gradient(90deg,{stops})"
    grey = f"display:inline-block;width:40px;height:22px;background:{MASKED_FACE}"
    masked = tr("enmascarado", "masked", lang)
    return (
        f"<div style='display:flex;gap:0.5em;align-items:center'>0 <span style='{bar}'></span> 1"
        f"&emsp;<span style='{grey}'></span> {BLOCKED} / {HIDDEN} {masked}</div>"
    )


def mask_builder(scores=None, *, lang: str = "en"):
    """The clickable grid with a causal switch, a real-keys slider and two buttons.

    Returns a VBox with ``click(i, j)`` (what a click on a cell does) and ``last_state``.
    """
    import ipywidgets as widgets

    check_language(lang)
    scores = example_scores() if scores is None else as_float_array(scores, "scores")
    if scores.ndim != 2 or not (1 <= min(scores.shape) and max(scores.shape) <= MAX_CELLS):
        raise ValueError(
            f"scores must be (T, S) with 1 <= T, S <= {MAX_CELLS} (one cell each), "
            f"got shape {scores.shape}"
        )
    T, S = scores.shape
    current = {"scores": scores, "blocked": (), "seed": 0}
    causal = widgets.Checkbox(value=True, description="causal", indent=False)
    length = widgets.IntSlider(value=S, min=0, max=S, description=tr("S reales", "real S", lang))
    wide = widgets.Layout(width="auto")
    reseed = widgets.Button(description=tr("otras puntuaciones", "other scores", lang), layout=wide)
    clear = widgets.Button(description=tr("quitar bloqueos", "clear blocks", lang), layout=wide)
    message = widgets.HTML()
    size = widgets.Layout(width=f"{CELL_PX}px", height=f"{int(CELL_PX * 0.7)}px")
    buttons = [[widgets.Button(layout=size) for _ in range(S)] for _ in range(T)]
    sums = [widgets.Label() for _ in range(T)]
    for sum_label in sums:
        sum_label.add_class("attnlab-row-sum")

    def label(text: str):
        return widgets.HTML(f"<b>{text}</b>", layout=widgets.Layout(width=f"{CELL_PX}px"))

    axes = tr(
        "<b>i</b>: consulta (fila) · <b>j</b>: clave (columna)",
        "<b>i</b>: query (row) · <b>j</b>: key (column)",
        lang,
    )
    head = [label("i \\ j")] + [label(str(j)) for j in range(S)]
    rows = [widgets.HBox([label(str(i)), *buttons[i], sums[i]]) for i in range(T)]
    grid = widgets.VBox([widgets.HBox(head), *rows], layout=widgets.Layout(margin="0.5em 0"))
    box = widgets.VBox(
        [
            widgets.HBox([causal, length]),
            widgets.HBox([reseed, clear]),
            widgets.HTML(axes),
            grid,
            widgets.HTML(colour_scale(lang)),
            message,
        ]
    )
    box.add_class("attnlab-mask-builder")

    def redraw(*_) -> None:
        blocked = current["blocked"]
        state = mask_state(
            current["scores"], causal=causal.value, length=length.value, blocked=blocked, lang=lang
        )
        box.last_state = state
        for row, cells in zip(buttons, grid_cells(state, blocked), strict=True):
            for button, cell in zip(row, cells, strict=True):
                button.description = cell.text
                button.style.button_color = cell.background
                button.style.text_color = cell.color
                button.style.font_weight = "bold" if cell.kind == "blocked" else "normal"
        for sum_label, text in zip(sums, row_sums(state), strict=True):
            sum_label.value = text
        notes = []
        if state.empty_rows:
            notes.append(
                tr(
                    f"consultas sin ninguna clave (sus pesos valen 0): {state.empty_rows}",
                    f"queries with no key left (their weights are 0): {state.empty_rows}",
                    lang,
                )
            )
        if state.already_masked:
            notes.append(
                tr(
                    f"ya estaban tapadas (bloquearlas no cambia nada): {state.already_masked}",
                    f"already hidden (blocking them changes nothing): {state.already_masked}",
                    lang,
                )
            )
        message.value = "<br>".join(notes)

    def click(i: int, j: int) -> None:
        current["blocked"] = toggle(current["blocked"], i, j)
        redraw()

    def new_scores(_=None) -> None:
        current["seed"] += 1
        current["scores"] = example_scores(current["seed"], T, S)
        redraw()

    def clear_blocks(_=None) -> None:
        current["blocked"] = ()
        redraw()

    for i, row in enumerate(buttons):
        for j, button in enumerate(row):
            button.tooltip = tr(f"consulta {i}, clave {j}", f"query {i}, key {j}", lang)
            button.add_class("attnlab-cell")
            button.on_click(lambda _, i=i, j=j: click(i, j))
    causal.observe(redraw, names="value")
    length.observe(redraw, names="value")
    reseed.on_click(new_scores)
    clear.on_click(clear_blocks)
    box.click = click
    redraw()
    return box
