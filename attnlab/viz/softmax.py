"""Softmax under temperature, and why attention divides its scores by sqrt(d)."""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from .strings import text
from .style import WEIGHTS_CMAP, new_figure, styled

DEFAULT_SCORES = (2.0, 1.0, 0.5, 0.0, -0.5, -1.5)


@styled
def softmax_temperature(
    scores=DEFAULT_SCORES, temperatures=(0.25, 0.5, 1.0, 2.0, 4.0), *, lang: str = "en"
):
    """softmax(scores / tau) as bars, one panel per temperature, on a shared 0..1 axis."""
    import matplotlib as mpl

    import attnlab

    check_language(lang)
    z = np.asarray(scores, dtype=np.float64)  # (S,)
    if z.ndim != 1:
        raise ValueError(f"scores must be 1-d, got shape {z.shape}")
    temps = [float(t) for t in temperatures]
    if any(t <= 0 for t in temps):
        raise ValueError(f"temperatures must be > 0, got {temps}")
    fig, axes = new_figure(
        1, len(temps), figsize=(2.9 * len(temps) + 0.6, 4.2), sharey=True, squeeze=False
    )
    cmap = mpl.colormaps[WEIGHTS_CMAP]
    for ax, tau in zip(axes[0], temps, strict=True):
        p = attnlab.softmax(z / tau)  # (S,)
        entropy = float(-(p * np.log(p, where=p > 0, out=np.zeros_like(p))).sum())
        ax.bar(np.arange(z.size), p, color=cmap(p), edgecolor="black", linewidth=0.6)
        ax.axhline(1.0 / z.size, color="black", linestyle=":", linewidth=1.0)
        ax.set_title(text("tau_eq", lang, t=tau))
        ax.set_xticks(np.arange(z.size), [f"{v:g}" for v in z])
        ax.set_xlabel(text("class_i", lang) + " z")
        ax.set_ylim(0.0, 1.08)
        ax.text(
            0.97,
            0.96,
            text("entropy_eq", lang, h=entropy),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=11,
        )
    axes[0, 0].set_ylabel(text("probability", lang))
    axes[0, -1].text(
        z.size - 0.6,
        1.0 / z.size + 0.02,
        text("uniform", lang),
        ha="right",
        va="bottom",
        fontsize=10,
    )
    fig.suptitle(text("softmax_title", lang))
    return fig


def scaling_statistics(dims=(4, 16, 64, 256, 1024), *, s: int = 16, rows: int = 400, seed: int = 0):
    """For random q, k with N(0, 1) entries: std of the scores and mean largest weight per row.

    Returns a dict of arrays over ``dims``: ``std_raw``, ``std_scaled``, ``max_raw``,
    ``max_scaled``. Raw scores have std sqrt(d); divided by sqrt(d) they have std 1.
    """
    import attnlab

    rng = np.random.default_rng(seed)
    out = {key: [] for key in ("std_raw", "std_scaled", "max_raw", "max_scaled")}
    for d in dims:
        q = rng.standard_normal((rows, 1, d))  # (R, 1, D) one query per row
        k = rng.standard_normal((rows, s, d))  # (R, S, D)
        raw = (q @ k.swapaxes(-1, -2))[:, 0]  # (R, S)
        scaled = raw / np.sqrt(d)  # (R, S)
        out["std_raw"].append(raw.std())
        out["std_scaled"].append(scaled.std())
        out["max_raw"].append(attnlab.softmax(raw).max(axis=-1).mean())
        out["max_scaled"].append(attnlab.softmax(scaled).max(axis=-1).mean())
    return {key: np.array(values) for key, values in out.items()}


@styled
def scaling_effect(dims=(4, 16, 64, 256, 1024), *, s: int = 16, seed: int = 0, lang: str = "en"):
    """Two panels over the head size d: the spread of q·k, and how peaked the softmax gets."""
    check_language(lang)
    stats = scaling_statistics(dims, s=s, seed=seed)
    d = np.asarray(dims)
    fig, (left, right) = new_figure(1, 2, figsize=(12.0, 4.6))
    raw_style = {"color": "#d73027", "marker": "o", "linewidth": 2}
    scaled_style = {"color": "#4575b4", "marker": "s", "linewidth": 2}
    left.plot(d, stats["std_raw"], label=text("unscaled", lang), **raw_style)
    left.plot(d, stats["std_scaled"], label=text("scaled", lang), **scaled_style)
    left.plot(d, np.sqrt(d), color="black", linestyle=":", linewidth=1.2, label="√d")
    left.set_xscale("log", base=2)
    left.set_yscale("log", base=2)
    top = int(np.ceil(np.log2(max(stats["std_raw"].max(), np.sqrt(d).max()))))
    left.set_yticks([2.0**i for i in range(top + 1)], [f"{2**i:d}" for i in range(top + 1)])
    left.set_xlabel(text("head_dim", lang))
    left.set_ylabel(text("score_std", lang))
    left.set_title(text("scores_spread", lang))
    left.legend()
    right.plot(d, stats["max_raw"], label=text("unscaled", lang), **raw_style)
    right.plot(d, stats["max_scaled"], label=text("scaled", lang), **scaled_style)
    right.axhline(1.0 / s, color="black", linestyle=":", linewidth=1.2, label=text("uniform", lang))
    right.set_xscale("log", base=2)
    right.set_ylim(0.0, 1.05)
    right.set_xlabel(text("head_dim", lang))
    right.set_ylabel(text("max_weight", lang))
    right.set_title(text("softmax_saturation", lang))
    right.legend(loc="center right")
    for ax in (left, right):
        ax.set_xticks(d, [str(v) for v in d])
        ax.grid(alpha=0.3)
    fig.suptitle(text("scaling_title", lang))
    return fig
