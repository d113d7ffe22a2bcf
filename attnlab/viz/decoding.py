"""Pictures of decoding: what temperature, top-k and top-p do to a next-token distribution,
and what the KV cache saves. Every function draws the arrays it is given (see
:mod:`attnlab.experiments.gpt` for where the gallery's come from). Colours and second cues as
in :mod:`attnlab.viz.gpt`.
"""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from .gpt import BIG, BLUE, GREEN, GREY, VERMILLION
from .strings import text
from .style import new_figure, styled


def setting_title(kind: str, settings: dict, lang: str) -> str:
    """A decoding setting in words: "temperature T = 0.5", "top-k, k = 3", ..."""
    if kind == "temperature":
        return text("dec_temperature", lang, t=settings["temperature"])
    if kind == "top_k":
        return text("dec_top_k", lang, k=settings["top_k"])
    if kind == "top_p":
        return text("dec_top_p", lang, p=settings["top_p"])
    return text({"model": "dec_model", "greedy": "dec_greedy"}[kind], lang)


def next_token_bars(ax, labels, original, probs, *, title=None, legend=False, lang="en"):
    """Bars of ``probs`` over the tokens ``labels`` (n,), the model's ``original`` (n,) as an
    outline behind them, and an x under every token the setting removed."""
    x = np.arange(len(labels))
    original = np.asarray(original, dtype=np.float64)  # (n,)
    probs = np.asarray(probs, dtype=np.float64)  # (n,)
    ax.bar(
        x,
        original,
        width=0.8,
        facecolor="none",
        edgecolor=GREY,
        linewidth=1.5,
        linestyle="--",
        label=text("dec_original", lang),
    )
    ax.bar(x, probs, width=0.55, color=BLUE, label=text("dec_filtered", lang))
    gone = probs == 0
    ax.plot(
        x[gone],
        np.full(gone.sum(), 0.02),
        "x",
        color=VERMILLION,
        markersize=10,
        mew=2.5,
        label=text("dec_removed", lang),
    )
    ax.set_xticks(x, labels, fontsize=14)
    ax.set_ylim(0, 1.0)
    ax.grid(axis="y", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=14)
    if legend:
        ax.legend(fontsize=11, loc="upper right")


@styled
def decoding_distributions(labels, panels, *, top: int = 12, suptitle=None, lang: str = "en"):
    """One next-token distribution under several decoding settings, one panel each.

    ``labels`` (V,): every token as text; ``panels``: ``(kind, settings, probs (V,))`` triples
    (see :func:`attnlab.experiments.gpt.decoding_panels`), the first being the model's own
    distribution. Each panel shows the ``top`` tokens most likely under the first, and says
    how many tokens of the whole vocabulary can still be drawn.
    """
    check_language(lang)
    original = np.asarray(panels[0][2], dtype=np.float64)  # (V,)
    order = np.argsort(-original, kind="stable")[:top]  # (top,) most likely first
    shown = [labels[i] for i in order]
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = new_figure(rows, cols, figsize=(6.0 * cols, 4.8 * rows + 0.8), squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_visible(False)
            continue
        kind, settings, probs = panels[i]
        probs = np.asarray(probs, dtype=np.float64)  # (V,)
        title = f"{setting_title(kind, settings, lang)}\n"
        title += text("dec_kept", lang, n=int(np.count_nonzero(probs)))
        next_token_bars(
            ax, shown, original[order], probs[order], title=title, legend=i == 0, lang=lang
        )
        if i % cols == 0:
            ax.set_ylabel(text("probability", lang), **BIG)
        if i // cols == rows - 1:
            ax.set_xlabel(text("next_char", lang), **BIG)
    if suptitle:
        fig.suptitle(suptitle, fontsize=16)
    return fig


@styled
def kv_cache_cost(bench, counted, *, lang: str = "en"):
    """Three panels: ms per new token (measured), multiply-adds (counted), cache memory.

    ``bench``: mapping with ``T``, ``ms_with``, ``ms_without``, ``source``, ``load``,
    ``config``, ``dtype``; ``counted``: mapping with ``T``, ``macs_with``, ``macs_without``,
    ``kib``.
    """
    check_language(lang)
    fig, (left, mid, right) = new_figure(1, 3, figsize=(18.0, 5.6))
    series = (
        ("ms_without", "macs_without", "kv_without", VERMILLION, "--", "s"),
        ("ms_with", "macs_with", "kv_with", BLUE, "-", "o"),
    )
    for ms, macs, label, color, style, marker in series:
        left.plot(
            bench["T"],
            bench[ms],
            color=color,
            linestyle=style,
            marker=marker,
            markersize=9,
            linewidth=2.5,
            label=text(label, lang),
        )
        mid.plot(
            counted["T"],
            counted[macs],
            color=color,
            linestyle=style,
            linewidth=2.5,
            label=text(label, lang),
        )
    mid.set_yscale("log")
    right.plot(counted["T"], counted["kib"], color=GREEN, linewidth=2.5)
    per_token = float(counted["kib"][-1] / counted["T"][-1])
    right.text(
        0.05,
        0.9,
        text("kv_per_token", lang, kib=per_token),
        transform=right.transAxes,
        fontsize=14,
        color=GREEN,
    )
    left.set_ylabel(text("kv_ms", lang), **BIG)
    mid.set_ylabel(text("kv_macs", lang), **BIG)
    right.set_ylabel(text("kv_memory", lang), **BIG)
    left.set_title(text("kv_time_panel", lang), fontsize=14)
    mid.set_title(text("kv_ops_panel", lang), fontsize=14)
    right.set_title(text("kv_mem_panel", lang), fontsize=14)
    for ax in (left, mid, right):
        ax.set_xlabel(text("kv_context", lang), **BIG)
        if ax is not mid:
            ax.set_ylim(bottom=0)
        ax.set_xlim(left=0)
        ax.grid(alpha=0.3)
    for ax in (left, mid):
        ax.legend(fontsize=12, loc="upper left")
    config = text(
        "kv_config",
        lang,
        dtype=bench["dtype"],
        source=bench["source"],
        load=bench["load"],
        **bench["config"],
    )
    fig.suptitle(f"{text('kv_title', lang)}\n{config}", fontsize=16)
    return fig
