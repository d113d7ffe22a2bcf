"""Softmax under temperature, and why attention divides its scores by sqrt(d)."""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from .strings import text
from .style import WEIGHTS_CMAP, new_figure, series_style, styled

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
        1, len(temps), figsize=(2.6 * len(temps) + 0.6, 4.6), sharey=True, squeeze=False
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
        ax.tick_params(axis="x", labelsize=11)
        ax.set_ylim(0.0, 1.08)
        ax.text(
            0.97,
            0.96,
            text("entropy_eq", lang, h=entropy),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=12,
        )
    axes[0, 0].set_ylabel(text("probability", lang))
    axes[0, -1].text(
        z.size - 0.6,
        1.0 / z.size + 0.02,
        text("uniform", lang),
        ha="right",
        va="bottom",
        fontsize=12,
    )
    h_max = float(np.log(z.size))
    fig.suptitle(text("softmax_title", lang) + "\n" + text("entropy_max", lang, s=z.size, h=h_max))
    return fig


def softmax_jacobian_norm(p: np.ndarray) -> np.ndarray:
    """Frobenius norm of the softmax Jacobian diag(p) - p p^T for each row p (..., S) -> (...).

    It bounds how much gradient flows back through the softmax: near 0 when p is one-hot.
    """
    jac = p[..., :, None] * (np.eye(p.shape[-1]) - p[..., None, :])  # (..., S, S)
    return np.sqrt((jac**2).sum(axis=(-2, -1)))  # (...,)


def scaling_statistics(dims=(4, 16, 64, 256, 1024), *, s: int = 16, rows: int = 400, seed: int = 0):
    """For random q, k with N(0, 1) entries and ``s`` keys per query: how the scores and the
    softmax behave with and without the 1/sqrt(d) scale.

    Returns a dict of arrays over ``dims``: ``std_raw``, ``std_scaled`` (spread of the scores),
    ``max_raw``, ``max_scaled`` (mean largest weight of a row) and ``grad_raw``,
    ``grad_scaled`` (mean Frobenius norm of the softmax Jacobian of a row). Raw scores have std
    sqrt(d); divided by sqrt(d) they have std 1.
    """
    import attnlab

    rng = np.random.default_rng(seed)
    keys = ("std_raw", "std_scaled", "max_raw", "max_scaled", "grad_raw", "grad_scaled")
    out = {key: [] for key in keys}
    for d in dims:
        q = rng.standard_normal((rows, 1, d))  # (R, 1, D) one query per row
        k = rng.standard_normal((rows, s, d))  # (R, S, D)
        raw = (q @ k.swapaxes(-1, -2))[:, 0]  # (R, S)
        scaled = raw / np.sqrt(d)  # (R, S)
        p_raw, p_scaled = attnlab.softmax(raw), attnlab.softmax(scaled)  # (R, S) each
        out["std_raw"].append(raw.std())
        out["std_scaled"].append(scaled.std())
        out["max_raw"].append(p_raw.max(axis=-1).mean())
        out["max_scaled"].append(p_scaled.max(axis=-1).mean())
        out["grad_raw"].append(softmax_jacobian_norm(p_raw).mean())
        out["grad_scaled"].append(softmax_jacobian_norm(p_scaled).mean())
    return {key: np.array(values) for key, values in out.items()}


@styled
def scaling_effect(dims=(4, 16, 64, 256, 1024), *, s: int = 16, seed: int = 0, lang: str = "en"):
    """Three panels over the head size d, for q, k ~ N(0, 1) and S = ``s`` keys: the spread of
    q·k (it grows as sqrt(d)), the largest softmax weight (one-hot without the scale) and the
    size of the softmax's gradient (it vanishes without the scale: the real reason for it)."""
    check_language(lang)
    stats = scaling_statistics(dims, s=s, seed=seed)
    d = np.asarray(dims)
    fig, (left, middle, right) = new_figure(1, 3, figsize=(15.0, 5.2))
    raw_style = series_style(1, linewidth=2.2, markersize=8, linestyle="-")
    scaled_style = series_style(0, linewidth=2.2, markersize=8, linestyle="--")
    left.plot(
        d, np.sqrt(d), color="#bbbbbb", linewidth=9, solid_capstyle="round",
        label=text("sqrt_d_theory", lang), zorder=1,
    )  # fmt: skip
    left.plot(d, stats["std_raw"], label=text("unscaled", lang), zorder=3, **raw_style)
    left.plot(d, stats["std_scaled"], label=text("scaled", lang), zorder=3, **scaled_style)
    left.set_xscale("log", base=2)
    left.set_yscale("log", base=2)
    top = int(np.ceil(np.log2(max(stats["std_raw"].max(), np.sqrt(d).max()))))
    left.set_yticks([2.0**i for i in range(top + 1)], [f"{2**i:d}" for i in range(top + 1)])
    left.set_ylabel(text("score_std", lang))
    left.set_title(text("scores_spread", lang))
    left.legend(loc="upper left")
    middle.plot(d, stats["max_raw"], label=text("unscaled", lang), **raw_style)
    middle.plot(d, stats["max_scaled"], label=text("scaled", lang), **scaled_style)
    middle.axhline(1.0 / s, color="black", linestyle=":", linewidth=1.5)
    middle.text(d[-1], 1.0 / s + 0.02, text("uniform", lang), ha="right", va="bottom")
    middle.set_ylim(0.0, 1.05)
    middle.set_ylabel(text("max_weight", lang))
    middle.set_title(text("softmax_saturation", lang))
    middle.legend(loc="center right")
    right.plot(d, stats["grad_raw"], label=text("unscaled", lang), **raw_style)
    right.plot(d, stats["grad_scaled"], label=text("scaled", lang), **scaled_style)
    right.set_ylim(bottom=0.0)
    right.set_ylabel(text("jacobian_norm", lang))
    right.set_title(text("softmax_gradient", lang))
    right.legend(loc="lower left")
    for ax in (left, middle, right):
        ax.set_xscale("log", base=2)
        ax.set_xticks(d, [str(v) for v in d])
        ax.set_xlabel(text("head_dim", lang))
        ax.grid(alpha=0.3)
    fig.suptitle(text("scaling_title", lang, s=s))
    return fig
