"""The whole benchmark: every case at the issue's sizes, and the results as markdown."""

from __future__ import annotations

import dataclasses
import datetime
import os
import platform

import numpy as np

from attnlab import _threads
from attnlab.i18n import pick, tr

from .cases import MemoryPoint, Row, attention_rows, memory_points, mha_rows, tlob_rows
from .harness import PairTiming, blas_info, matmul_gflops

CASES = ("attention", "mha", "tlob", "memory")
MiB = 2**20

# (shape, dtype) -> targets: attnlab / torch, forward + backward (from the issue)
ATTENTION = [
    ((8, 8, 128, 64), np.float32, {"sdpa": 1.0, "plain": 1.0}),
    ((8, 8, 128, 64), np.float64, {"sdpa": 1.0, "plain": 1.0}),
    ((4, 8, 512, 64), np.float32, {"sdpa": 1.0, "plain": 0.7}),
    ((4, 8, 512, 64), np.float64, {"sdpa": 0.8}),
]


def run_suite(
    *,
    cases=CASES,
    quick: bool = False,
    threads: int | None = None,
    repeats: int | None = None,
    rounds: int = 1,
    log=print,
) -> dict:
    """Run the chosen cases; returns ``{"header": [...], "rows": [Row], "memory": [MemoryPoint],
    "matmul": {dtype name: GFLOP/s}}``. ``quick``: fewer repeats and T <= 2048 for memory.

    ``rounds`` > 1 runs the timed cases again that many times, one round after the other, and
    pools every round's alternating pairs: medians and [min, max] then cover minutes of the
    machine's changing load, not one burst. Memory (deterministic) is measured once.
    """
    from threadpoolctl import threadpool_limits

    from attnlab.reference._torch import require_torch

    torch = require_torch()
    threads = threads or os.cpu_count() or 1
    repeats = repeats or (3 if quick else 9)
    result = {"rows": [], "memory": []}
    previous = _threads._num_threads
    _threads.set_num_threads(threads)  # attnlab's head blocks get the same number of threads
    try:
        with threadpool_limits(limits=threads, user_api="blas"):
            torch.set_num_threads(threads)
            result["matmul"] = {
                np.dtype(dt).name: matmul_gflops(dt) for dt in (np.float32, np.float64)
            }
            result["header"] = header(threads, result["matmul"], torch.__version__)
            if rounds > 1:
                result["header"].append(
                    f"{rounds} rounds of {repeats} alternating pairs per case, pooled"
                )
            for line in result["header"]:
                log(line)
            for i in range(rounds):
                if rounds > 1:
                    log(f"round {i + 1} of {rounds}")
                rows = _timed_rows(cases, quick, repeats, result["matmul"], log)
                result["rows"] = (
                    rows
                    if i == 0
                    else [_pool(a, b) for a, b in zip(result["rows"], rows, strict=True)]
                )
            if "memory" in cases:
                lengths = [256, 512, 1024, 2048] + ([] if quick else [4096, 8192])
                for point in memory_points(lengths, repeats=2 if quick else 3):
                    result["memory"].append(point)
                    log(memory_line(point))
            end = "load average at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
            result["header"].append(end)
            log(end)
    finally:
        _threads.set_num_threads(previous)
    return result


def _timed_rows(cases, quick: bool, repeats: int, matmul: dict, log) -> list[Row]:
    rows = []
    if "attention" in cases:
        for shape, dtype, targets in ATTENTION[::2] if quick else ATTENTION:  # quick: float32
            rows += _logged(
                log, attention_rows(shape, dtype, repeats=repeats, targets=targets), matmul
            )
    if "mha" in cases:
        for dtype in (np.float32, np.float64):
            rows += _logged(log, mha_rows(8, 128, 512, 8, dtype, repeats=repeats), matmul)
    if "tlob" in cases:
        try:
            rows += _logged(log, tlob_rows(32, np.float32, repeats=repeats), matmul)
        except ImportError as err:  # TLOB or its twin not available in this version
            log(f"TLOB skipped: {err}")
    return rows


def _pool(a: Row, b: Row) -> Row:
    """Row ``a`` with ``b``'s timed pairs added (same case); memory stays ``a``'s."""
    forward = PairTiming(a.forward.ours + b.forward.ours, a.forward.theirs + b.forward.theirs)
    both = PairTiming(a.both.ours + b.both.ours, a.both.theirs + b.both.theirs)
    return dataclasses.replace(a, forward=forward, both=both)


def _logged(log, rows: list[Row], matmul: dict | None = None) -> list[Row]:
    for row in rows:
        log(row_line(row, matmul))
    return rows


def header(threads: int, matmul: dict, torch_version: str) -> list[str]:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    env = {
        k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if os.environ.get(k)
    }
    return [
        f"attnlab benchmark, {when}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, {threads} thread(s) for NumPy's BLAS, attnlab's head blocks "
        "and torch",
        f"BLAS: {blas_info()}" + (f"; environment {env}" if env else ""),
        "load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (other processes on these cores make every time noisier)",
        f"torch {torch_version}; NumPy matmul speed (1024^3): "
        + ", ".join(f"{name} {g:.0f} GFLOP/s" for name, g in matmul.items()),
    ]


def _mib(n) -> str:
    return "-" if n is None else f"{n / MiB:.1f}"


def _gflops(row: Row, seconds: float) -> float | None:
    return None if row.flops is None else row.flops / seconds / 1e9


def row_line(row: Row, matmul: dict | None = None) -> str:
    """One console line per row: times, ratio, GFLOP/s (and fraction of matmul), peak memory."""
    lo, hi = row.both.ratio_range
    g = _gflops(row, row.both.ours_median)
    speed = "" if g is None else f"  {g:.0f} GFLOP/s"
    if g is not None and matmul:
        speed += f" ({g / matmul[row.dtype]:.0%} of matmul)"
    return (
        f"{row.case} {row.ours} {row.shape} {row.dtype} vs {row.theirs}: "
        f"fwd {row.forward.ours_median * 1e3:.1f} ms vs {row.forward.theirs_median * 1e3:.1f} ms, "
        f"fwd+bwd {row.both.ours_median * 1e3:.1f} ms vs {row.both.theirs_median * 1e3:.1f} ms, "
        f"ratio {row.both.ratio:.2f}x [{lo:.2f}, {hi:.2f}]"
        + (f" (target <= {row.target})" if row.target else "")
        + f"{speed}, peak {_mib(row.mem_ours)} MiB vs {_mib(row.mem_theirs_rss)} MiB"
    )


def memory_line(p: MemoryPoint) -> str:
    return f"T={p.T:5d}  " + "  ".join(
        f"{name} {p.seconds[name] * 1e3:8.1f} ms {_mib(p.peak[name])} MiB" for name in p.seconds
    )


def markdown(result: dict) -> str:
    """The results as markdown: header, the ratio table, the memory table."""
    lines = ["```", *result["header"], "```", ""]
    if result["rows"]:
        lines += [
            "Ratios are attnlab / torch, forward + backward: the median over alternating pairs, "
            '[min, max] in brackets. GFLOP/s count the matrix products only; "of matmul" '
            "divides by NumPy's matmul speed in this dtype measured in the same run. Peak "
            "memory is the extra memory of one forward + backward: tracemalloc (exact) for "
            "attnlab, growth of peak resident memory (VmHWM) for torch and, in parentheses, "
            "attnlab.",
            "",
            "| case | attnlab path | torch side | shape | dtype | attnlab fwd ms "
            "| attnlab fwd+bwd ms | torch fwd ms | torch fwd+bwd ms | ratio fwd "
            "| **ratio fwd+bwd** [min, max] | target "
            "| attnlab GFLOP/s (of matmul) | torch GFLOP/s | attnlab peak MiB | torch peak MiB |",
            "|" + "---|" * 16,
        ]
        for r in result["rows"]:
            lo, hi = r.both.ratio_range
            mm = result["matmul"][r.dtype]
            ours_g, theirs_g = _gflops(r, r.both.ours_median), _gflops(r, r.both.theirs_median)
            met = "" if r.target is None else (" ✓" if r.both.ratio <= r.target else " ✗")
            lines.append(
                f"| {r.case} | {r.ours} | {r.theirs} | {r.shape} | {r.dtype} "
                f"| {r.forward.ours_median * 1e3:.1f} | {r.both.ours_median * 1e3:.1f} "
                f"| {r.forward.theirs_median * 1e3:.1f} | {r.both.theirs_median * 1e3:.1f} "
                f"| {r.forward.ratio:.2f} | **{r.both.ratio:.2f}** [{lo:.2f}, {hi:.2f}] "
                f"| {'' if r.target is None else f'<= {r.target}'}{met} "
                f"| {'-' if ours_g is None else f'{ours_g:.0f} ({ours_g / mm:.0%})'} "
                f"| {'-' if theirs_g is None else f'{theirs_g:.0f}'} "
                f"| {_mib(r.mem_ours)} ({_mib(r.mem_ours_rss)}) | {_mib(r.mem_theirs_rss)} |"
            )
        lines.append("")
    if result["memory"]:
        lines += [
            "Standard vs tiled attention, one head, D = 64, float64, forward + backward: time "
            "and peak extra memory (tracemalloc for attnlab, resident-memory growth for torch).",
            "",
            "| T | standard ms | tiled ms | torch SDPA ms | standard MiB | tiled MiB "
            "| tiled / standard memory | torch SDPA MiB |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in result["memory"]:
            frac = p.peak["tiled"] / p.peak["standard"] if p.peak["standard"] else float("nan")
            lines.append(
                f"| {p.T} | {p.seconds['standard'] * 1e3:.1f} | {p.seconds['tiled'] * 1e3:.1f} "
                f"| {p.seconds['torch SDPA'] * 1e3:.1f} | {_mib(p.peak['standard'])} "
                f"| {_mib(p.peak['tiled'])} | {frac:.3f} (1/{1 / frac:.1f}) "
                f"| {_mib(p.peak['torch SDPA'])} |"
            )
        lines.append("")
    return "\n".join(lines)


def summary(result: dict, lang: str = "en") -> str:
    """The compact ratio table of the README, in ``lang`` ("es" or "en")."""
    head = tr(
        "| caso | dtype | attnlab | frente a torch "
        "| **proporción** (delante + retropropagación) [mín, máx] | objetivo |",
        "| case | dtype | attnlab | against torch | **ratio** fwd+bwd [min, max] | target |",
        lang,
    )
    lines = [head, "|---|---|---|---|---|---|"]
    for r in result["rows"]:
        lo, hi = r.both.ratio_range
        target = ""
        if r.target is not None:
            met = r.both.ratio <= r.target
            target = f"<= {r.target} " + (
                "✓" if met else tr("✗ (no alcanzado)", "✗ (missed)", lang)
            )
        case, ours, theirs = (
            pick(NAMES.get(x, {"es": x, "en": x}), lang) for x in (r.case, r.ours, r.theirs)
        )
        lines.append(
            f"| {case} {r.shape} | {r.dtype} | {ours} | {theirs} "
            f"| **{r.both.ratio:.2f}x** [{lo:.2f}, {hi:.2f}] | {target} |"
        )
    return "\n".join(lines)


# The table's cases, attnlab paths and torch sides in both languages (the rest are code names).
NAMES = {
    "attention": {"es": "atención", "en": "attention"},
    "multi-head attention": {"es": "atención multicabeza", "en": "multi-head attention"},
    "standard": {"es": "estándar", "en": "standard"},
    "tiled": {"es": "por bloques", "en": "tiled"},
    "plain torch ops": {"es": "operaciones sueltas de torch", "en": "plain torch ops"},
    "torch twin": {"es": "gemelo de torch", "en": "torch twin"},
}
