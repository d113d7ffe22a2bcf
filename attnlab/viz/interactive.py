"""Classroom explorers: ipywidgets sliders and toggles over pure, tested functions.

Each explorer is two layers:

- a **pure function** (``temperature_state``, ``mask_state``, ``pick_map``, ``position_state``)
  that turns the widget values into the numbers to show. These run without a kernel, without
  ipywidgets and without matplotlib, and are what the tests check;
- a **thin widget** (``temperature_explorer``, ...) that wires sliders to the pure function and
  draws the result with :mod:`attnlab.viz`. ipywidgets and matplotlib are imported only there.

In a notebook: ``from attnlab.viz.interactive import temperature_explorer;
temperature_explorer([2, 1, 0.5, 0, -1], lang="es")``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import causal_mask, softmax
from .._validate import as_float_array


# -- temperature ----------------------------------------------------------------------------
class TemperatureState(NamedTuple):
    probs: np.ndarray  # (n,) softmax(logits / temperature)
    entropy: float  # in nats: log(n) for uniform, 0 for one-hot
    top: int  # index of the largest probability


def temperature_state(logits, temperature: float) -> TemperatureState:
    """softmax(logits / temperature) with its entropy and arg-max (temperature > 0)."""
    z = as_float_array(logits, "logits")
    if z.ndim != 1:
        raise ValueError(f"logits must be 1-d, got shape {z.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    p = softmax(z / float(temperature))  # (n,)
    entropy = float(-np.sum(p * np.log(np.where(p > 0, p, 1.0))))
    return TemperatureState(p, entropy, int(np.argmax(p)))


# -- masks ----------------------------------------------------------------------------------
class MaskState(NamedTuple):
    mask: np.ndarray  # (T, S) bool, True = may attend
    weights: np.ndarray  # (T, S) attention weights under that mask
    empty_rows: list[int]  # queries with every key masked (their weights are all 0)


def mask_state(scores, *, causal: bool = False, length: int | None = None, blocked=()) -> MaskState:
    """Attention weights of ``scores`` (T, S) under a mask built from toggles.

    ``causal``: query i sees keys j <= i; ``length``: only the first ``length`` keys are real
    (padding after them); ``blocked``: extra (i, j) pairs switched off by hand.
    """
    scores = as_float_array(scores, "scores")
    if scores.ndim != 2:
        raise ValueError(f"scores must have shape (T, S), got {scores.shape}")
    T, S = scores.shape
    mask = np.ones((T, S), dtype=bool)  # (T, S)
    if causal:
        mask &= causal_mask(T, S)
    if length is not None:
        if not 0 <= length <= S:
            raise ValueError(f"length must be between 0 and S={S}, got {length}")
        mask[:, length:] = False
    for i, j in blocked:
        if not (0 <= i < T and 0 <= j < S):
            raise ValueError(f"blocked entry {(i, j)} is outside the ({T}, {S}) scores")
        mask[i, j] = False
    weights = softmax(scores, mask=mask)  # (T, S)
    return MaskState(mask, weights, [int(i) for i in np.where(~mask.any(axis=1))[0]])


def toggle(blocked, i: int, j: int) -> tuple[tuple[int, int], ...]:
    """Switch entry (i, j) in a set of blocked pairs; returns a new sorted tuple."""
    pairs = set(map(tuple, blocked))
    pairs ^= {(int(i), int(j))}
    return tuple(sorted(pairs))


# -- heads and layers -----------------------------------------------------------------------
def pick_map(maps, layer: int, head: int = 0, sample: int = 0) -> tuple[np.ndarray, str]:
    """One (n, n) map from per-layer weights, and its kind.

    ``maps`` is a list with one entry per layer: an array (B, H, T, S), or a pair
    ``(kind, array)`` like TLOB's ``attention_maps``. Returns ``(map, kind)``, kind "" if none.
    """
    if not 0 <= layer < len(maps):
        raise ValueError(
            f"layer {layer} does not exist: there are {len(maps)} layers (0..{len(maps) - 1})"
        )
    entry = maps[layer]
    kind, w = entry if isinstance(entry, tuple) else ("", entry)
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(f"layer {layer}: expected weights (B, H, T, S), got shape {w.shape}")
    if not 0 <= head < w.shape[1]:
        raise ValueError(
            f"head {head} does not exist in layer {layer}, which has {w.shape[1]} heads"
        )
    if not 0 <= sample < w.shape[0]:
        raise ValueError(f"sample {sample} does not exist: the batch has {w.shape[0]}")
    return w[sample, head], str(kind)


# -- positions ------------------------------------------------------------------------------
class PositionState(NamedTuple):
    row: np.ndarray  # (E,) the encoding of `position`
    column: np.ndarray  # (L,) dimension `dim` at every position
    similarity: np.ndarray  # (L,) dot product of every position's encoding with `position`'s


def position_state(table, position: int, dim: int) -> PositionState:
    """Slices of a positional table (L, E) for the position and dimension sliders."""
    table = as_float_array(table, "table")
    if table.ndim != 2:
        raise ValueError(f"table must have shape (L, E), got {table.shape}")
    L, E = table.shape
    if not 0 <= position < L:
        raise ValueError(f"position must be in [0, {L}), got {position}")
    if not 0 <= dim < E:
        raise ValueError(f"dim must be in [0, {E}), got {dim}")
    return PositionState(table[position], table[:, dim], table @ table[position])


# -- the widgets (thin) ---------------------------------------------------------------------
def _show(fig) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def temperature_explorer(logits, *, lang: str = "en", labels=None):
    """A temperature slider over softmax(logits / tau): bars, entropy and the winner."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

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
        ax.set_ylabel("probabilidad" if lang == "es" else "probability")
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

    S = np.asarray(scores).shape[1]

    def draw(causal: bool = True, length: int = S, blocked: str = "") -> None:
        pairs = []
        for part in blocked.replace(";", " ").split():
            try:
                i, j = (int(n) for n in part.strip("()").split(","))
            except ValueError:
                continue
            pairs.append((i, j))
        try:
            state = mask_state(scores, causal=causal, length=length, blocked=pairs)
        except ValueError as err:
            print(err)
            return
        ax = attention_heatmap(state.weights, tokens, tokens, mask=state.mask, lang=lang)
        if state.empty_rows:
            print(
                (
                    "filas sin ninguna clave (pesos 0): "
                    if lang == "es"
                    else "rows with no key left (weights 0): "
                )
                + str(state.empty_rows)
            )
        _show(ax.figure)

    return widgets.interactive(
        draw,
        causal=widgets.Checkbox(value=True, description="causal"),
        length=widgets.IntSlider(
            value=S, min=0, max=S, description="S real" if lang == "en" else "S reales"
        ),
        blocked=widgets.Text(value="", description="(i,j)", placeholder="0,1 2,3"),
    )


def maps_explorer(maps, *, lang: str = "en"):
    """Layer, head and sample selectors over per-layer attention weights (see :func:`pick_map`)."""
    import ipywidgets as widgets

    from .heatmaps import attention_heatmap

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
        layer=widgets.IntSlider(
            0, 0, len(maps) - 1, description="capa" if lang == "es" else "layer"
        ),
        head=widgets.IntSlider(0, 0, H - 1, description="cabeza" if lang == "es" else "head"),
        sample=widgets.IntSlider(0, 0, B - 1, description="muestra" if lang == "es" else "sample"),
    )


def position_explorer(table, *, lang: str = "en"):
    """Position and dimension sliders over a positional table (L, E)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    L, E = np.asarray(table).shape

    def draw(position: int = 0, dim: int = 0) -> None:
        state = position_state(table, position, dim)
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
        axes[0].plot(state.column, color="#1b9e77")
        axes[0].axvline(position, color="grey", lw=0.8)
        axes[0].set_title(
            f"dimensión {dim} en cada posición"
            if lang == "es"
            else f"dimension {dim} at every position"
        )
        axes[1].plot(state.similarity, color="#7570b3")
        axes[1].axvline(position, color="grey", lw=0.8)
        axes[1].set_title(
            f"producto escalar con la posición {position}"
            if lang == "es"
            else f"dot product with position {position}"
        )
        for ax in axes:
            ax.set_xlabel("posición" if lang == "es" else "position")
        _show(fig)

    return widgets.interactive(
        draw,
        position=widgets.IntSlider(0, 0, L - 1, description="pos"),
        dim=widgets.IntSlider(0, 0, E - 1, description="dim"),
    )
