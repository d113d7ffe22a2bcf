"""Time and memory of standard vs tiled attention against the sequence length T."""

from __future__ import annotations

from ..i18n import check_language
from .strings import text
from .style import new_figure

# The paths a memory point times, their marker, and their label key (torch's name stays as is).
PATHS = (
    ("standard", "o", "path_standard"),
    ("tiled", "s", "path_tiled"),
    ("torch SDPA", "^", None),
)


def bench_time_memory(points, *, lang: str = "en", head_dim: int = 64):
    """Two log-log panels: seconds and peak extra MiB of forward + backward versus T.

    ``points`` have ``T``, ``seconds`` and ``peak`` (dicts keyed by path name), as the
    repository's ``benchmarks.cases.memory_points`` returns. Returns the Figure.
    """
    check_language(lang)
    fig, (ax_t, ax_m) = new_figure(1, 2, figsize=(11, 4.2))
    Ts = [p.T for p in points]
    for name, marker, key in PATHS:
        label = name if key is None else text(key, lang)
        ax_t.plot(Ts, [p.seconds[name] * 1e3 for p in points], marker=marker, label=label)
        mib = [p.peak[name] / 2**20 if p.peak[name] else float("nan") for p in points]
        ax_m.plot(Ts, mib, marker=marker, label=label)  # 0 (nothing measurable) is left out
    weights = [8 * T * T / 2**20 for T in Ts]  # one float64 T x T matrix, in MiB
    ax_m.plot(Ts, weights, "k--", lw=1, label=text("bench_square", lang))
    for ax in (ax_t, ax_m):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("T (= S)")
        ax.legend()
    ax_t.set_ylabel(text("bench_ms", lang))
    ax_m.set_ylabel(text("bench_mib", lang))
    ax_t.set_title(text("bench_time", lang))
    ax_m.set_title(text("bench_memory", lang))
    fig.suptitle(text("bench_title", lang, d=head_dim))
    return fig
