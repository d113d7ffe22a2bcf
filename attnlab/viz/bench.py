"""Time and memory of standard vs tiled attention against the sequence length T."""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from .strings import text
from .style import new_figure, series_style, styled

# The paths a memory point times, and their label key (torch's name stays as it is).
PATHS = (
    ("standard", "path_standard"),
    ("tiled", "path_tiled"),
    ("torch SDPA", None),
)


@styled
def bench_time_memory(points, *, lang: str = "en", head_dim: int = 64):
    """Two log-log panels: milliseconds and peak extra MiB of forward + backward versus T.

    ``points`` have ``T``, ``seconds`` and ``peak`` (dicts keyed by path name; peak in bytes),
    as the repository's ``benchmarks.cases.memory_points`` returns. A peak of 0 means nothing
    was measurable (torch's growth of resident memory can be 0 when it reuses freed memory):
    such points are drawn hollow on the bottom edge and named in the legend, not left out
    silently. Returns the Figure.
    """
    check_language(lang)
    fig, (ax_t, ax_m) = new_figure(1, 2, figsize=(13.0, 5.4))
    Ts = np.array([p.T for p in points])  # (P,)
    mib_all = [p.peak[name] / 2**20 for p in points for name, _ in PATHS if p.peak[name]]
    floor = min([*mib_all, 8 * Ts.min() ** 2 / 2**20]) / 3  # where unmeasurable points sit
    unmeasured = False
    for i, (name, key) in enumerate(PATHS):
        style = series_style(i, linewidth=2, markersize=8)
        label = name if key is None else text(key, lang)
        ax_t.plot(Ts, [p.seconds[name] * 1e3 for p in points], label=label, **style)
        mib = np.array([p.peak[name] / 2**20 for p in points])  # (P,)
        measured = mib > 0
        ax_m.plot(Ts[measured], mib[measured], label=label, **style)
        if (~measured).any():
            unmeasured = True
            ax_m.plot(
                Ts[~measured], np.full((~measured).sum(), floor), linestyle="none",
                marker=style["marker"], markersize=9, markerfacecolor="white",
                markeredgecolor=style["color"], markeredgewidth=2, clip_on=False,
                label=text("bench_unmeasured", lang, name=label),
            )  # fmt: skip
    weights = 8 * Ts.astype(float) ** 2 / 2**20  # one float64 T x T matrix, in MiB
    ax_m.plot(Ts, weights, color="black", linestyle=":", linewidth=1.5,
              label=text("bench_square", lang))  # fmt: skip
    for ax in (ax_t, ax_m):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(Ts, [str(t) for t in Ts])
        ax.minorticks_off()
        ax.set_xlabel("T (= S)")
        ax.grid(alpha=0.3)
    if unmeasured:
        ax_m.set_ylim(bottom=floor / 1.5)
    ax_t.legend(loc="upper left")
    ax_m.legend(loc="lower right")
    ax_t.set_ylabel(text("bench_ms", lang))
    ax_m.set_ylabel(text("bench_mib", lang))
    ax_t.set_title(text("bench_time", lang))
    ax_m.set_title(text("bench_memory", lang))
    fig.suptitle(text("bench_title", lang, d=head_dim))
    return fig
