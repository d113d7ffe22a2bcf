"""Positional encodings: the sinusoidal table, some of its columns, similarity between
positions, and a learnable table before and after training (trained elsewhere:
:mod:`attnlab.experiments.positions`)."""

from __future__ import annotations

import numpy as np

from ..functional import sinusoidal_encoding
from ..i18n import check_language
from .heatmaps import attention_heatmap
from .strings import text
from .style import SIGNED_CMAP, SIMILARITY_CMAP, get_ax, new_figure, series_style, styled


@styled
def sinusoidal_table(length: int = 128, dim: int = 64, *, lang: str = "en"):
    """The (length, dim) sinusoidal table as two images side by side: its sine columns
    (0, 2, 4, ...) and its cosine columns (1, 3, 5, ...), both against the pair index i.

    attnlab's table interleaves them (``sinusoidal_encoding``: sin on even columns, cos on odd
    ones); split apart, each half shows its frequencies slowing from left to right.
    """
    check_language(lang)
    table = sinusoidal_encoding(length, dim)  # (T, E)
    fig, axes = new_figure(1, 2, figsize=(12.0, 6.4), sharey=True)
    halves = ((table[:, 0::2], "sin_half"), (table[:, 1::2], "cos_half"))  # (T, E/2) each
    for ax, (half, key) in zip(axes, halves, strict=True):
        image = ax.imshow(
            half, cmap=SIGNED_CMAP, vmin=-1.0, vmax=1.0, aspect="auto", interpolation="nearest"
        )
        ax.set_title(text(key, lang))
        ax.set_xlabel(text("pair_index", lang))
    axes[0].set_ylabel(text("position", lang))
    fig.colorbar(image, ax=axes, pad=0.02, shrink=0.9).set_label(text("value", lang))
    fig.suptitle(text("sin_table_title", lang, t=length, d=dim))
    return fig


@styled
def sinusoidal_curves(
    length: int = 64,
    dim: int = 64,
    dims=(4, 5, 16, 17),
    *,
    ax=None,
    lang: str = "en",
    base: float = 10000.0,
):
    """Columns ``dims`` of the sinusoidal table: the smooth sine or cosine each column samples,
    with the table's values at whole positions as dots. A column 2i and its partner 2i + 1
    share a colour (same frequency); sine solid, cosine dashed."""
    check_language(lang)
    table = sinusoidal_encoding(length, dim, base)  # (T, E)
    ax = get_ax(ax, figsize=(11.0, 5.0))
    pos = np.arange(length)  # (T,)
    smooth = np.linspace(0.0, length - 1, 20 * length)  # (20 T,) between the positions
    for i in dims:
        if not 0 <= i < dim:
            raise ValueError(f"dimension {i} is outside the table's {dim} columns")
        pair = i // 2
        omega = base ** (-2.0 * pair / dim)  # the pair's angular frequency
        wave = np.sin if i % 2 == 0 else np.cos
        style = series_style(pair % 7)
        label = text("dim_sin" if i % 2 == 0 else "dim_cos", lang, i=i, p=2.0 * np.pi / omega)
        ax.plot(
            smooth,
            wave(omega * smooth),
            color=style["color"],
            linestyle="-" if i % 2 == 0 else "--",
            linewidth=2,
            label=label,
        )
        ax.plot(
            pos, table[:, i], linestyle="none", marker=style["marker"], markersize=5,
            color=style["color"],
        )  # fmt: skip
    ax.set_xlabel(text("position", lang))
    ax.set_ylabel(text("value", lang))
    ax.set_ylim(-1.15, 1.15)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    ax.set_title(text("sin_curves_title", lang))
    return ax


@styled
def position_similarity(length: int = 64, dim: int = 64, refs=(0, 16, 32, 48), *, lang: str = "en"):
    """PE PE^T as a map, and each reference position's row against the offset j - i: the rows
    fall on one curve, because each sin/cos pair contributes cos(w (j - i))."""
    check_language(lang)
    table = sinusoidal_encoding(length, dim)  # (T, E)
    sim = table @ table.T  # (T, T) depends only on j - i: each sin/cos pair gives cos(w (i - j))
    fig, (left, right) = new_figure(1, 2, figsize=(13.0, 5.6), width_ratios=(1.0, 1.3))
    # Sequential colours: for this table every dot product is positive (the slow columns add ~E/2).
    image = left.imshow(sim, cmap=SIMILARITY_CMAP, interpolation="nearest")
    left.set_xlabel(text("position", lang) + " j")
    left.set_ylabel(text("position", lang) + " i")
    left.set_title(text("similarity_map", lang))
    fig.colorbar(image, ax=left, shrink=0.85, pad=0.02).set_label(text("dot_product", lang))
    for n, p in enumerate(refs):
        style = series_style(n)
        left.axhline(p, color="white", linewidth=3.0)
        left.axhline(p, color=style["color"], linewidth=1.6, linestyle=style["linestyle"])
        offsets = np.arange(length) - p  # (T,) j - i
        right.plot(
            offsets,
            sim[p],
            linewidth=6 - 1.2 * n,
            alpha=0.85,
            label=text("similarity_to", lang, p=p),
            color=style["color"],
            linestyle=style["linestyle"],
        )
    right.axvline(0, color="black", linestyle=":", linewidth=1)
    right.set_xlabel(text("offset", lang))
    right.set_ylabel(text("dot_product", lang))
    right.set_title(text("similarity_collapse", lang))
    right.grid(alpha=0.3)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    fig.suptitle(text("similarity_title", lang))
    return fig


def _cosine(table: np.ndarray) -> np.ndarray:
    unit = table / np.linalg.norm(table, axis=1, keepdims=True)  # (T, E)
    return unit @ unit.T  # (T, T)


@styled
def learnable_positions(result, *, lang: str = "en"):
    """Before/after rows: the table P, the cosine similarity of its rows, the attention weights.

    ``result`` has ``before`` and ``after`` tables (T, E), ``weights_before`` and
    ``weights_after`` (T, T) and ``losses`` (steps,), like
    :func:`attnlab.experiments.train_learnable_positions` returns.
    """
    check_language(lang)
    T = result.before.shape[0]
    causal = np.tril(np.ones((T, T), dtype=bool))  # (T, T)
    fig, axes = new_figure(2, 3, figsize=(14.5, 9.4))
    rows = (
        ("before_training", result.before, result.weights_before),
        ("after_training", result.after, result.weights_after),
    )
    for r, (when_key, table, weights) in enumerate(rows):
        when = text(when_key, lang)
        limit = float(np.abs(table).max())  # own scale per row: the initial table is tiny
        image = axes[r, 0].imshow(
            table, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, interpolation="nearest"
        )
        axes[r, 0].set_title(text("learned_table", lang, when=when, s=float(table.std())))
        axes[r, 0].set_xlabel(text("dimension", lang))
        axes[r, 0].set_ylabel(text("position", lang))
        fig.colorbar(image, ax=axes[r, 0], shrink=0.8, pad=0.02).set_label(text("value", lang))
        image = axes[r, 1].imshow(
            _cosine(table), cmap=SIGNED_CMAP, vmin=-1.0, vmax=1.0, interpolation="nearest"
        )
        axes[r, 1].set_title(text("cosine_sim", lang, when=when))
        axes[r, 1].set_xlabel(text("position", lang) + " j")
        axes[r, 1].set_ylabel(text("position", lang) + " i")
        fig.colorbar(image, ax=axes[r, 1], shrink=0.8, pad=0.02)
        ticks = np.arange(0, T, 4 if T > 8 else 1)
        for ax in axes[r, :2]:
            ax.set_yticks(ticks)
        axes[r, 0].set_xticks(np.arange(0, table.shape[1], 4 if table.shape[1] > 8 else 1))
        axes[r, 1].set_xticks(ticks)
        attention_heatmap(
            weights,
            mask=causal,
            ax=axes[r, 2],
            annotate=False,
            title=text("attn_when", lang, when=when),
            lang=lang,
        )
        axes[r, 2].get_legend().remove()
    fig.suptitle(text("learn_title", lang, steps=len(result.losses)))
    return fig
