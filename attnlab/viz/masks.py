"""Attention masks in a 2 x 2 grid: causal, padding, both, and the weights they produce."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch, Rectangle

from ..i18n import check_language
from ..masks import causal_mask, padding_mask
from .heatmaps import attention_heatmap, draw_masked, masked_legend_handle
from .strings import text
from .style import HIGHLIGHT_COLOR, new_figure, styled

PAD_ROW_COLOR = HIGHLIGHT_COLOR  # the bracket that marks padded query rows


def draw_mask(mask, *, ax, title: str | None = None, lang: str = "en"):
    """One boolean (T, S) mask: allowed cells white, masked cells hatched grey."""
    m = np.asarray(mask, dtype=bool)  # (T, S)
    T, S = m.shape
    ax.imshow(np.ones(m.shape), cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")  # white
    draw_masked(ax, ~m)
    ax.set_xticks(np.arange(S + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(T + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#606060", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(np.arange(S))
    ax.set_yticks(np.arange(T))
    ax.set_xlabel(text("key_pos", lang))
    ax.set_ylabel(text("query_pos", lang))
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    if title:
        ax.set_title(title)
    return ax


def mark_padded_queries(ax, first: int, T: int, S: int, lang: str) -> None:
    """Outline query rows ``first .. T-1`` (padding themselves) and say so beside them."""
    ax.add_patch(
        Rectangle(
            (-0.5, first - 0.5),
            S,
            T - first,
            fill=False,
            edgecolor=PAD_ROW_COLOR,
            linewidth=3.5,
            linestyle="--",
            zorder=4,
            clip_on=False,
        )
    )
    ax.text(
        S - 0.5 + 0.25,
        (first + T - 1) / 2,
        text("padding_short", lang),
        ha="left",
        va="center",
        fontsize=12,
        rotation=90,
        color="black",
    )


@styled
def masks_side_by_side(t: int = 6, length: int = 4, *, seed: int = 0, lang: str = "en"):
    """Causal, padding (``length`` real tokens of ``t``), both, and the weights they produce,
    in a 2 x 2 grid. Query rows that are padding are outlined: their output is discarded."""
    import attnlab

    check_language(lang)
    causal = causal_mask(t)  # (T, T)
    pad = padding_mask([length], max_len=t)[0]  # (T,) True = real token
    padding = np.broadcast_to(pad[None, :], (t, t))  # (T, T) every query sees the real keys
    combined = causal & padding  # (T, T)
    rng = np.random.default_rng(seed)
    q, k, v = (rng.standard_normal((t, 8)) for _ in range(3))  # (T, D) each
    _, weights = attnlab.scaled_dot_product_attention(q, k, v, mask=combined)  # (T, T)

    fig, axes = new_figure(2, 2, figsize=(11.0, 10.6))
    (a_causal, a_pad), (a_both, a_weights) = axes
    draw_mask(causal, ax=a_causal, title=text("mask_causal", lang), lang=lang)
    draw_mask(padding, ax=a_pad, title=text("mask_padding", lang, n=length), lang=lang)
    draw_mask(combined, ax=a_both, title=text("mask_combined", lang), lang=lang)
    attention_heatmap(
        weights,
        mask=combined,
        ax=a_weights,
        title=text("mask_weights", lang),
        annotate=True,
        lang=lang,
    )
    a_weights.get_legend().remove()
    for ax in (a_pad, a_both, a_weights):
        mark_padded_queries(ax, length, t, t, lang)
    allowed = Patch(facecolor="white", edgecolor="#606060", label=text("may_attend", lang))
    padded = Patch(
        facecolor="none",
        edgecolor=PAD_ROW_COLOR,
        linestyle="--",
        linewidth=2.5,
        label=text("padded_queries", lang),
    )
    fig.legend(
        handles=[allowed, masked_legend_handle(lang), padded],
        loc="outside lower center",
        ncol=3,
        frameon=False,
    )
    fig.suptitle(text("masks_title", lang))
    return fig
