"""Timing and memory measurement that is fair to both sides (NumPy only; no torch here).

Rules every benchmark of attnlab follows:

- one process, the same inputs, the same number of threads for NumPy's BLAS and for torch;
- a warm-up call of each side first (page faults, lazy initialisation, BLAS buffers);
- the two sides alternate, A B then B A, with a pause before each call, so a burst of noise
  hits both sides and one side's thread pool is asleep when the other runs. The pause is
  200 ms, not 50: OpenBLAS's idle threads keep spinning for about 0.1 s after a call, and
  measured here, torch's SDPA after an attnlab call took 37 ms with a 50 ms pause and 15 ms
  with 150 ms (8, 8, 128, 64, float32): a 50 ms pause would have favoured attnlab;
- the result is the *median of the per-pair ratios*, reported with their min and max.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class PairTiming:
    """Seconds per call of two functions timed in alternation, and their ratios."""

    ours: list[float] = field(default_factory=list)
    theirs: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.ours, self.theirs, strict=True)]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def ratio_range(self) -> tuple[float, float]:
        return min(self.ratios), max(self.ratios)

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def theirs_median(self) -> float:
        return statistics.median(self.theirs)


def time_pair(
    ours: Callable, theirs: Callable, *, repeats: int = 7, warmup: int = 1, pause: float = 0.2
) -> PairTiming:
    """Time ``ours()`` and ``theirs()`` ``repeats`` times each, alternating which goes first."""
    for _ in range(warmup):
        ours()
        theirs()
    result = PairTiming()
    for i in range(repeats):
        order = [(result.ours, ours), (result.theirs, theirs)]
        for times, fn in order if i % 2 == 0 else order[::-1]:
            time.sleep(pause)
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return result


def time_one(fn: Callable, *, repeats: int = 5, warmup: int = 1, pause: float = 0.2) -> float:
    """Median seconds per call of ``fn`` alone."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        time.sleep(pause)
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _status_bytes(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    raise OSError(f"{key} not in /proc/self/status")


def peak_rss(fn: Callable) -> int | None:
    """Growth of the process's peak resident memory during ``fn()`` (Linux only, else None).

    Writing "5" to /proc/self/clear_refs resets the peak (VmHWM) to the current resident size;
    after ``fn()`` the new peak minus that size is the memory ``fn`` touched on top. It sees
    every allocator (torch's too) but not memory reused from earlier freed blocks, so it is a
    lower bound; the large T x S arrays are always fresh pages and are counted.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        before = _status_bytes("VmRSS")
    except OSError:
        return None
    fn()
    return max(0, _status_bytes("VmHWM") - before)


def matmul_gflops(dtype, *, n: int = 1024, repeats: int = 5) -> float:
    """This machine's NumPy matmul speed for ``dtype``: GFLOP/s of an n x n x n product."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)  # (n, n)
    b = rng.standard_normal((n, n)).astype(dtype)  # (n, n)
    out = np.empty((n, n), dtype=dtype)  # (n, n)
    seconds = time_one(lambda: np.matmul(a, b, out=out), repeats=repeats, pause=0.01)
    return 2 * n**3 / seconds / 1e9


def blas_info() -> str:
    """One line naming NumPy's BLAS, its kernel (architecture) and threads (threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"NumPy {np.__version__}, BLAS unknown (pip install threadpoolctl)"
    libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not libs:
        return f"NumPy {np.__version__}, no BLAS found by threadpoolctl"
    # NumPy's own BLAS first (SciPy may load another copy, which attnlab's matmuls do not use)
    libs.sort(key=lambda i: "numpy" not in i.get("filepath", ""))
    return f"NumPy {np.__version__} with " + "; ".join(
        f"{i.get('internal_api')} {i.get('version')} (kernel {i.get('architecture')}, "
        f"{i.get('num_threads')} threads, {i.get('threading_layer')}, "
        f"{'NumPy' if 'numpy' in i.get('filepath', '') else 'loaded by ' + i.get('prefix', '?')})"
        for i in libs
    )


def attention_flops(batch: int, T: int, S: int, D: int, Dv: int, *, backward: bool) -> int:
    """Useful floating-point operations of attention: its matrix products (2 multiply-adds
    each). Forward: q k^T and w v; the backward has four more of the same sizes."""
    forward = 2 * batch * T * S * (D + Dv)
    return 3 * forward if backward else forward
