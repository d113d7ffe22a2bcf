"""Attention masks side by side: causal, padding, both, and the weights they produce."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch

from ..i18n import check_language
from ..masks import causal_mask, padding_mask
from .heatmaps import attention_heatmap, draw_masked, masked_legend_handle
from .strings import text
from .style import new_figure, styled


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


@styled
def masks_side_by_side(t: int = 6, length: int = 4, *, seed: int = 0, lang: str = "en"):
    """Causal, padding (``length`` real tokens of ``t``), both, and the weights they produce."""
    import attnlab

    check_language(lang)
    causal = causal_mask(t)  # (T, T)
    pad = padding_mask([length], max_len=t)[0]  # (T,) True = real token
    padding = np.broadcast_to(pad[None, :], (t, t))  # (T, T) every query sees the real keys
    combined = causal & padding  # (T, T)
    rng = np.random.default_rng(seed)
    q, k, v = (rng.standard_normal((t, 8)) for _ in range(3))  # (T, D) each
    _, weights = attnlab.scaled_dot_product_attention(q, k, v, mask=combined)  # (T, T)

    fig, axes = new_figure(1, 4, figsize=(17.0, 4.9))
    draw_mask(causal, ax=axes[0], title=text("mask_causal", lang), lang=lang)
    draw_mask(padding, ax=axes[1], title=text("mask_padding", lang, n=length), lang=lang)
    draw_mask(combined, ax=axes[2], title=text("mask_combined", lang), lang=lang)
    attention_heatmap(
        weights,
        mask=combined,
        ax=axes[3],
        title=text("mask_weights", lang),
        annotate=True,
        lang=lang,
    )
    axes[3].get_legend().remove()
    for ax in axes[1:]:
        ax.set_ylabel("")
    allowed = Patch(facecolor="white", edgecolor="#606060", label=text("may_attend", lang))
    axes[0].legend(handles=[allowed, masked_legend_handle(lang)], loc="upper right", framealpha=1.0)
    fig.suptitle(text("masks_title", lang))
    return fig
