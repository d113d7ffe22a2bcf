"""How much memory a computation needs: the peak of the arrays it allocates on top.

    >>> from attnlab.memory import peak_memory
    >>> peak_memory(lambda: np.ones(1_000_000).sum())        # doctest: +SKIP
    8000128

NumPy reports every array buffer it allocates to :mod:`tracemalloc`, so the count is exact for
NumPy code (attnlab's); memory that another library allocates outside Python's tracing (torch's
allocator) is not seen.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated while ``fn()`` runs, above what was allocated before it started.

    Starts :mod:`tracemalloc` for the call (and stops it after) unless it is already tracing.
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return max(0, tracemalloc.get_traced_memory()[1] - before)
    finally:
        if started:
            tracemalloc.stop()


__all__ = ["peak_memory"]
