"""Time and memory of standard vs tiled attention against the sequence length T."""

from __future__ import annotations

from .style import new_figure


def bench_time_memory(points, *, lang: str = "en"):
    """Two log-log panels from :func:`attnlab.benchmarks.cases.memory_points`: seconds and
    peak extra MiB of forward + backward versus T. Returns the Figure."""
    es = lang == "es"
    fig, (ax_t, ax_m) = new_figure(1, 2, figsize=(11, 4.2))
    Ts = [p.T for p in points]
    for name, marker in (("standard", "o"), ("tiled", "s"), ("torch SDPA", "^")):
        label = {"standard": "estándar", "tiled": "por bloques"}.get(name, name) if es else name
        ax_t.plot(Ts, [p.seconds[name] * 1e3 for p in points], marker=marker, label=label)
        mib = [p.peak[name] / 2**20 if p.peak[name] else float("nan") for p in points]
        ax_m.plot(Ts, mib, marker=marker, label=label)  # 0 (nothing measurable) is left out
    weights = [8 * T * T / 2**20 for T in Ts]  # one float64 T x T matrix, in MiB
    ax_m.plot(Ts, weights, "k--", lw=1, label="8 T² bytes (T x T)")
    for ax in (ax_t, ax_m):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("T (= S)")
        ax.legend()
    ax_t.set_ylabel("ms, paso hacia delante + retropropagación" if es else "ms, forward + backward")
    ax_m.set_ylabel("MiB de memoria extra (pico)" if es else "peak extra MiB")
    ax_t.set_title("Tiempo" if es else "Time")
    ax_m.set_title("Memoria: T x T frente a O(T)" if es else "Memory: T x T vs O(T)")
    fig.suptitle(
        "Atención de una cabeza, D = 64, float64" if es else "One-head attention, D = 64, float64"
    )
    return fig
