"""Attention weights as heatmaps: one map, every head of a layer, one head across layers.

Rows are queries, columns are keys, each row sums to 1. Masked cells are drawn hatched grey,
so a masked entry never looks like a weight that happens to be 0.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Rectangle

from ..i18n import check_language
from .strings import text
from .style import (
    CELL_FONTSIZE,
    MASKED_EDGE,
    MASKED_FACE,
    MASKED_HATCH,
    WEIGHTS_CMAP,
    get_ax,
    highlight,
    new_figure,
    styled,
    text_color_for,
)


def _as_map(weights, name: str = "weights") -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2:
        raise ValueError(f"{name} must be one (T, S) map, got shape {w.shape}")
    return w  # (T, S)


def _as_mask(mask, shape: tuple[int, int]) -> np.ndarray | None:
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(f"mask must be boolean (True = may attend), got dtype {m.dtype}")
    return np.broadcast_to(m, shape)  # (T, S)


def masked_runs(masked: np.ndarray) -> list[tuple[int, int, int]]:
    """``(row, first column, length)`` of every horizontal run of True cells in ``masked``."""
    runs = []
    for r, row in enumerate(np.asarray(masked, dtype=bool)):
        edges = np.diff(np.concatenate([[0], row.astype(np.int8), [0]]))  # +1 starts, -1 ends
        starts, stops = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
        runs += [(r, int(a), int(b - a)) for a, b in zip(starts, stops, strict=True)]
    return runs


def draw_masked(ax, masked: np.ndarray) -> None:
    """Cover the cells where ``masked`` is True with hatched grey (one rectangle per run of a
    row, so a causal 64 x 64 map needs 63 rectangles, not 2016)."""
    cells = [Rectangle((c - 0.5, r - 0.5), n, 1) for r, c, n in masked_runs(masked)]
    if cells:
        ax.add_collection(
            PatchCollection(
                cells,
                facecolor=MASKED_FACE,
                edgecolor=MASKED_EDGE,
                hatch=MASKED_HATCH,
                linewidth=0.0,
                zorder=2,
            )
        )


def masked_legend_handle(lang: str) -> Patch:
    return Patch(
        facecolor=MASKED_FACE, edgecolor=MASKED_EDGE, hatch=MASKED_HATCH, label=text("masked", lang)
    )


def _tick_labels(ax, labels, n: int, axis: str, max_labels: int = 12) -> None:
    """Token labels when given; otherwise positions, thinned out so they never overlap."""
    set_ticks = ax.set_xticks if axis == "x" else ax.set_yticks
    if labels is not None:
        labels = [str(s) for s in labels]
        if len(labels) != n:
            raise ValueError(
                f"got {len(labels)} {axis}-labels for {n} {'keys' if axis == 'x' else 'queries'}"
            )
        if axis == "x":
            set_ticks(np.arange(n), labels, rotation=45, ha="right", rotation_mode="anchor")
        else:
            set_ticks(np.arange(n), labels)
    else:
        step = max(1, int(np.ceil(n / max_labels)))
        step = next(s for s in (1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100) if s >= step)
        set_ticks(np.arange(0, n, step))


@styled
def attention_heatmap(
    weights,
    queries=None,
    keys=None,
    *,
    mask=None,
    annotate: bool | None = None,
    ax=None,
    title: str | None = None,
    colorbar: bool = True,
    vmax: float | None = 1.0,
    lang: str = "en",
):
    """Draw one attention map (T, S) and return its Axes.

    Parameters
    ----------
    weights : (T, S) attention weights (rows = queries, columns = keys).
    queries, keys : optional token labels (T and S strings); positions otherwise.
    mask : optional boolean (T, S) mask, True = may attend; False cells are hatched grey.
    annotate : write each weight in its cell; default: only for maps up to 18 x 18.
    vmax : top of the colour scale (1 = the largest possible weight; None = the map's max).
    """
    check_language(lang)
    w = _as_map(weights)  # (T, S)
    T, S = w.shape
    masked = None if mask is None else ~_as_mask(mask, w.shape)  # (T, S)
    ax = get_ax(ax, figsize=(2.6 + 0.6 * S, 1.8 + 0.55 * T) if T <= 18 else (7.0, 6.0))
    vmax = float(w.max()) if vmax is None else vmax
    image = ax.imshow(
        w, cmap=WEIGHTS_CMAP, vmin=0.0, vmax=vmax, interpolation="nearest", aspect="equal"
    )
    if masked is not None:
        draw_masked(ax, masked)
    if annotate is None:
        annotate = T <= 18 and S <= 18
    if annotate:
        for (i, j), value in np.ndenumerate(w):
            if masked is not None and masked[i, j]:
                continue
            ax.text(
                j,
                i,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize=CELL_FONTSIZE,
                color=text_color_for(value, 0.0, vmax, WEIGHTS_CMAP),
                zorder=3,
            )
    _tick_labels(ax, keys, S, "x")
    _tick_labels(ax, queries, T, "y")
    ax.set_xlabel(text("key" if keys is not None else "key_pos", lang))
    ax.set_ylabel(text("query" if queries is not None else "query_pos", lang))
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    if title:
        ax.set_title(title)
    if colorbar:
        cbar = ax.figure.colorbar(image, ax=ax, shrink=0.85, pad=0.02)
        cbar.set_label(text("attn_weight", lang))
    if masked is not None and masked.any():
        ax.legend(
            handles=[masked_legend_handle(lang)],
            loc="upper right",
            bbox_to_anchor=(1.0, 1.0),
            framealpha=0.95,
            handlelength=1.4,
        )
    return ax


def _grid_shape(n: int, max_cols: int = 4) -> tuple[int, int]:
    cols = min(n, max_cols)
    return int(np.ceil(n / cols)), cols


def _maps_grid(
    maps, titles, queries, keys, mask, suptitle, lang, panel_size, ncols=None, marks=None
):
    """Maps in a grid (``ncols`` per row), one colour bar; ``marks`` {index: tag} frames panels."""
    n = len(maps)
    nrows, ncols = _grid_shape(n) if ncols is None else (int(np.ceil(n / ncols)), ncols)
    fig, axes = new_figure(
        nrows,
        ncols,
        figsize=(panel_size * ncols + 1.6, (panel_size + 0.45) * nrows + 1.6),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_visible(False)
            continue
        attention_heatmap(
            maps[i],
            queries if i % ncols == 0 else None,
            keys if i // ncols == nrows - 1 or i + ncols >= n else None,
            mask=mask,
            annotate=False,
            ax=ax,
            title=titles[i],
            colorbar=False,
            lang=lang,
        )
        if i % ncols:
            ax.set_yticklabels([])
            ax.set_ylabel("")
        if i // ncols != nrows - 1 and i + ncols < n:
            ax.set_xticklabels([])
            ax.set_xlabel("")
        elif keys is not None:  # vertical labels: one per key even in a small panel
            ax.tick_params(axis="x", labelrotation=90)
        if ax.get_legend() is not None and i != ncols - 1:
            ax.get_legend().remove()
        if marks and i in marks:
            highlight(ax, marks[i])
    mappable = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(0.0, 1.0), cmap=WEIGHTS_CMAP)
    cbar = fig.colorbar(mappable, ax=axes, shrink=0.8, pad=0.01)
    cbar.set_label(text("attn_weight", lang))
    if suptitle:
        fig.suptitle(suptitle)
    return fig


@styled
def heads_grid(
    weights,
    queries=None,
    keys=None,
    *,
    mask=None,
    title: str | None = None,
    titles=None,
    ncols: int | None = None,
    lang: str = "en",
):
    """Every head of one layer, weights (H, T, S), in a grid with one shared colour bar.

    ``titles`` (one per head) replace "head h"; ``ncols`` sets the panels per row (default up
    to 4).
    """
    check_language(lang)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 3:
        raise ValueError(f"weights must have shape (H, T, S), got {w.shape}")
    if titles is None:
        titles = [text("head_n", lang, n=h) for h in range(w.shape[0])]
    elif len(titles) != w.shape[0]:
        raise ValueError(f"got {len(titles)} titles for {w.shape[0]} heads")
    return _maps_grid(list(w), titles, queries, keys, mask, title, lang, 3.6, ncols)


@styled
def layers_grid(
    maps,
    head: int = 0,
    queries=None,
    keys=None,
    *,
    mask=None,
    title: str | None = None,
    lang: str = "en",
):
    """The same head across layers: ``maps`` holds one (H, T, S) or (T, S) array per layer."""
    check_language(lang)
    picked = []
    for i, m in enumerate(maps):
        m = np.asarray(m, dtype=np.float64)
        if m.ndim == 3:
            if not 0 <= head < m.shape[0]:
                raise ValueError(
                    f"head {head} does not exist in layer {i}, which has {m.shape[0]} heads"
                )
            m = m[head]  # (T, S)
        picked.append(_as_map(m, f"maps[{i}]"))
    titles = [text("layer_n", lang, n=i) for i in range(len(picked))]
    return _maps_grid(picked, titles, queries, keys, mask, title, lang, panel_size=3.4)


@styled
def layer_head_grid(
    maps,
    queries=None,
    keys=None,
    *,
    mask=None,
    titles=None,
    marks=None,
    title: str | None = None,
    panel_size: float = 2.9,
    lang: str = "en",
):
    """Every head of every layer: row l, column h shows head h of layer l (``maps``: one
    (H, T, S) array per layer). ``titles[l][h]`` replace "layer l, head h"; ``marks`` maps
    ``(l, h)`` to a tag drawn on a frame around that panel. Each row says its layer."""
    check_language(lang)
    layers = [np.asarray(m, dtype=np.float64) for m in maps]
    if not layers or any(m.ndim != 3 for m in layers):
        raise ValueError("maps must hold one (H, T, S) array per layer")
    H = layers[0].shape[0]
    if any(m.shape[0] != H for m in layers):
        raise ValueError(
            f"every layer must have the same heads, got {[m.shape[0] for m in layers]}"
        )
    flat = [m[h] for m in layers for h in range(H)]
    if titles is None:
        names = [text("layer_head", lang, l=l, h=h) for l in range(len(layers)) for h in range(H)]
    else:
        names = [t for row in titles for t in row]
    where = {l * H + h: tag for (l, h), tag in (marks or {}).items()}
    fig = _maps_grid(flat, names, queries, keys, mask, title, lang, panel_size, H, where)
    for l, ax in enumerate(fig.axes[: len(flat) : H]):  # the first panel of each row
        ax.set_ylabel(text("layer_query" if queries is not None else "layer_n", lang, l=l, n=l))
    return fig
