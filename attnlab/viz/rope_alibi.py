"""Positions inside attention: RoPE's rotating pairs and offset-only scores, ALiBi's per-head
penalties, and what each position scheme extrapolates to. Only draws the arrays it is given
(computed by :mod:`attnlab.interactive_positions` and :mod:`attnlab.experiments.extrapolation`).

Colours are Okabe and Ito's colour-blind-safe palette, always with a second cue (marker or
line style), and ordered sequences (ALiBi's heads) use cividis.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..i18n import check_language
from .heatmaps import draw_masked
from .strings import STRINGS, text
from .style import new_figure, styled

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), "-")
# One look per scheme, the same in every figure.
SCHEME_STYLE = {
    "learned": dict(color="#000000", marker="s", linestyle="-"),
    "sinusoidal": dict(color="#E69F00", marker="^", linestyle="--"),
    "rope": dict(color="#0072B2", marker="o", linestyle="-"),
    "alibi": dict(color="#009E73", marker="D", linestyle="-."),
    "none": dict(color="#CC79A7", marker="v", linestyle=":"),
    "sinusoidal_x0.1": dict(color="#D55E00", marker="P", linestyle=(0, (5, 1))),
}


def _circle(ax, radius: float) -> None:
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(radius * np.cos(t), radius * np.sin(t), color="#bbbbbb", linewidth=1, zorder=0)


@styled
def rope_rotation(
    trails, thetas, pairs, starts, offsets, rope_scores, added_scores, *, lang: str = "en"
):
    """Three panels: pairs of features turning with position (``trails``: one (P, 2) path per
    pair, ``thetas`` their frequencies), RoPE scores against the offset for several query
    positions ``starts`` (``rope_scores`` (M, O): one curve), and the same with an added
    sinusoidal table (``added_scores`` (M, O): curves apart)."""
    check_language(lang)
    fig, axes = new_figure(1, 3, figsize=(19.0, 6.2), width_ratios=(1.0, 1.25, 1.25))
    ax = axes[0]
    for n, (trail, theta, pair) in enumerate(zip(trails, thetas, pairs, strict=True)):
        radius = 1.0 - 0.25 * n  # concentric circles, one per pair
        _circle(ax, radius)
        xy = np.asarray(trail) * radius  # (P, 2)
        ax.plot(
            xy[:, 0],
            xy[:, 1],
            color=OKABE_ITO[n],
            marker=MARKERS[n],
            markersize=8,
            linestyle=LINESTYLES[n],
            linewidth=2,
            label=text("rope_pair_label", lang, i=pair, theta=theta),
        )
        last = None
        for p in range(len(xy)):
            if last is not None and p < len(xy) - 1 and np.linalg.norm(xy[p] - last) < 0.15:
                continue  # too close to the previous label (a slow pair): skip it
            last = xy[p]
            ax.annotate(
                str(p),
                xy[p] * 1.0,
                xytext=(xy[p] / radius) * (radius + 0.09),
                ha="center",
                va="center",
                fontsize=10,
                color=OKABE_ITO[n],
            )
    ax.set_aspect("equal")
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.axhline(0, color="#dddddd", linewidth=0.8, zorder=0)
    ax.axvline(0, color="#dddddd", linewidth=0.8, zorder=0)
    ax.set_xlabel(text("feature_i", lang))
    ax.set_ylabel(text("feature_i_half", lang))
    ax.set_title(text("rope_pairs_title", lang) + "\n(" + text("rope_positions_note", lang) + ")")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    limits = []
    for ax, scores, key in (
        (axes[1], rope_scores, "rope_scores_title"),
        (axes[2], added_scores, "added_scores_title"),
    ):
        for n, (m, row) in enumerate(zip(starts, scores, strict=True)):
            ax.plot(
                offsets,
                row,
                color=OKABE_ITO[n],
                marker=MARKERS[n],
                linestyle=LINESTYLES[n],
                markersize=9 - 1.5 * n,
                markevery=(n, len(starts)),
                linewidth=2.4 - 0.4 * n,
                label=text("query_at", lang, m=m),
            )
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_xlabel(text("offset_axis", lang))
        ax.set_ylabel(text("score_axis", lang))
        ax.set_title(text(key, lang))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        limits.append(ax.get_ylim())
    fig.suptitle(text("rope_title", lang))
    return fig


@styled
def alibi_bias(slopes, bias, head: int, distances, query: int, weights, *, lang: str = "en"):
    """Three panels: head ``head``'s causal bias (T, T) with the masked cells hatched, every
    head's penalty -m_h d against the distance ``distances`` (D,), and ``weights`` (H, query+1):
    what query ``query`` attends to in each head when the content scores are all equal."""
    check_language(lang)
    slopes = np.asarray(slopes)
    H = len(slopes)
    colors = mpl.colormaps["cividis"](np.linspace(0.0, 0.85, H))  # (H, 4) steep -> gentle
    fig, axes = new_figure(1, 3, figsize=(19.0, 6.2), width_ratios=(1.0, 1.15, 1.15))
    ax = axes[0]
    shown = np.where(np.isfinite(bias), bias, np.nan)  # (T, T)
    image = ax.imshow(shown, cmap="cividis", interpolation="nearest")
    draw_masked(ax, ~np.isfinite(bias))
    fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02).set_label(text("bias", lang))
    ax.set_xlabel(text("key_pos", lang))
    ax.set_ylabel(text("query_pos", lang))
    ax.set_title(text("alibi_matrix_title", lang, head=head, m=slopes[head]))
    d = np.asarray(distances)
    for h in range(H):
        style = dict(color=colors[h], marker=MARKERS[h % len(MARKERS)], markevery=4, linewidth=2)
        axes[1].plot(d, -slopes[h] * d, label=text("head_slope", lang, h=h, m=slopes[h]), **style)
        back = np.arange(query, -1, -1)  # (query + 1,) distance of keys 0 .. query
        axes[2].plot(back, weights[h], **style)
    axes[1].set_xlabel(text("distance_axis", lang))
    axes[1].set_ylabel(text("bias_axis", lang))
    axes[1].set_title(text("alibi_lines_title", lang))
    axes[1].legend(loc="lower left", ncol=2, fontsize=10, frameon=False)
    axes[2].set_xlabel(text("distance_axis", lang))
    axes[2].set_ylabel(text("weight_axis", lang) + " " + text("log_scale", lang))
    axes[2].set_yscale("log")
    axes[2].set_title(text("alibi_weights_title", lang, q=query))
    for ax in axes[1:]:
        ax.grid(alpha=0.3)
    fig.suptitle(text("alibi_title", lang, h=H))
    return fig


@styled
def position_extrapolation(
    summary: dict,
    lengths,
    train_length: int,
    bin_size: int,
    *,
    seeds: int,
    corpus: str,
    lang: str = "en",
):
    """Two panels from the experiment's ``summary`` (scheme -> mean/min/max loss per length and
    the mean loss by position): loss against the evaluation length (log scale, bars = range
    over seeds; a scheme that cannot run a length has no point there), and loss against the
    position inside the longest sequences."""
    check_language(lang)
    fig, (left, right) = new_figure(1, 2, figsize=(17.0, 6.8))
    lengths = list(lengths)
    for scheme, s in summary.items():
        style = SCHEME_STYLE.get(scheme, dict(color="#777777", marker="o", linestyle="-"))
        label = text(f"scheme_{scheme}", lang)
        ok = [L for L in lengths if s["mean"][L] is not None]
        mean = np.array([s["mean"][L] for L in ok])
        err = np.array(
            [[s["mean"][L] - s["min"][L] for L in ok], [s["max"][L] - s["mean"][L] for L in ok]]
        )
        z = 3 if len(ok) == 1 else 2  # a single point (learned) on top of the others
        left.errorbar(
            ok,
            mean,
            yerr=err,
            capsize=4,
            markersize=9,
            linewidth=2.2,
            label=label,
            zorder=z,
            **style,
        )
        curve = np.asarray(s["by_position"])
        x = (np.arange(len(curve)) + 0.5) * bin_size
        right.plot(x, curve, markersize=7, linewidth=2.2, label=label, **style)
        if len(ok) == 1:
            left.annotate(
                text("learned_stops", lang),
                (ok[0], mean[0]),
                xytext=(0.05, 0.8),
                textcoords="axes fraction",
                fontsize=11,
                color=style["color"],
                arrowprops=dict(arrowstyle="->", color=style["color"]),
            )
    left.set_xscale("log", base=2)
    left.set_xticks(lengths, [str(L) for L in lengths])
    left.minorticks_off()
    for ax in (left, right):
        ax.axvline(
            train_length,
            color="#555555",
            linestyle=":",
            linewidth=1.5,
            label=text("train_length", lang),
        )
        ax.set_ylabel(text("val_loss", lang))
        ax.grid(alpha=0.3)
    left.set_xlabel(text("eval_length", lang))
    left.set_title(text("extrap_lengths_title", lang))
    right.set_xlabel(text("position_in_sequence", lang))
    right.set_title(text("extrap_positions_title", lang))
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, frameon=False)
    corpus = text(f"corpus_{corpus}", lang) if f"corpus_{corpus}" in STRINGS else corpus
    fig.suptitle(text("extrap_title", lang, seeds=seeds, corpus=corpus))
    return fig
