"""Positional encodings: the sinusoidal table, some of its columns, similarity between
positions, and a learnable table before and after training (trained elsewhere:
:mod:`attnlab.experiments.positions`)."""

from __future__ import annotations

import numpy as np

from ..functional import sinusoidal_encoding
from ..i18n import check_language
from .heatmaps import attention_heatmap
from .strings import text
from .style import SIGNED_CMAP, SIMILARITY_CMAP, get_ax, new_figure, styled


@styled
def sinusoidal_table(length: int = 128, dim: int = 64, *, ax=None, lang: str = "en"):
    """The (length, dim) sinusoidal table as an image, diverging colours from -1 to 1."""
    check_language(lang)
    table = sinusoidal_encoding(length, dim)  # (T, E)
    ax = get_ax(ax, figsize=(8.4, 6.2))
    image = ax.imshow(
        table, cmap=SIGNED_CMAP, vmin=-1.0, vmax=1.0, aspect="auto", interpolation="nearest"
    )
    ax.set_xlabel(text("dimension", lang))
    ax.set_ylabel(text("position", lang))
    ax.set_title(text("sin_table_title", lang, t=length, d=dim))
    ax.figure.colorbar(image, ax=ax, pad=0.02).set_label(text("value", lang))
    return ax


@styled
def sinusoidal_curves(
    length: int = 64,
    dim: int = 64,
    dims=(4, 5, 12, 24),
    *,
    ax=None,
    lang: str = "en",
    base: float = 10000.0,
):
    """Columns ``dims`` of the sinusoidal table as curves over the positions."""
    check_language(lang)
    table = sinusoidal_encoding(length, dim, base)  # (T, E)
    ax = get_ax(ax, figsize=(10.0, 4.8))
    pos = np.arange(length)  # (T,)
    for i in dims:
        if not 0 <= i < dim:
            raise ValueError(f"dimension {i} is outside the table's {dim} columns")
        period = 2.0 * np.pi * base ** ((i - i % 2) / dim)  # positions per full turn
        label = text("dim_sin" if i % 2 == 0 else "dim_cos", lang, i=i, p=period)
        ax.plot(pos, table[:, i], linewidth=2, marker="o", markersize=3, label=label)
    ax.set_xlabel(text("position", lang))
    ax.set_ylabel(text("value", lang))
    ax.set_ylim(-1.15, 1.15)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(text("sin_curves_title", lang))
    return ax


@styled
def position_similarity(length: int = 64, dim: int = 64, refs=(0, 32), *, lang: str = "en"):
    """PE PE^T as a map, and the row of a few reference positions as curves."""
    check_language(lang)
    table = sinusoidal_encoding(length, dim)  # (T, E)
    sim = table @ table.T  # (T, T) depends only on |i - j|: each sin/cos pair gives cos(w (i - j))
    fig, (left, right) = new_figure(1, 2, figsize=(13.0, 5.4), width_ratios=(1.0, 1.25))
    # Sequential colours: for this table every dot product is positive (the slow columns add ~E/2).
    image = left.imshow(sim, cmap=SIMILARITY_CMAP, interpolation="nearest")
    left.set_xlabel(text("position", lang) + " j")
    left.set_ylabel(text("position", lang) + " i")
    fig.colorbar(image, ax=left, shrink=0.85, pad=0.02).set_label(text("dot_product", lang))
    for p in refs:
        right.plot(np.arange(length), sim[p], linewidth=2, label=text("similarity_to", lang, p=p))
        right.axvline(p, color="black", linestyle=":", linewidth=1)
    right.set_xlabel(text("position", lang) + " j")
    right.set_ylabel(text("dot_product", lang))
    right.grid(alpha=0.3)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(refs), frameon=False)
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
    fig, axes = new_figure(2, 3, figsize=(16.0, 10.0))
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
