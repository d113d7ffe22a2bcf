"""Run independent blocks of work on every core at once.

Why this exists: NumPy's elementwise functions (``exp``, ``+``, ``*``) use one core; only its
matrix products (BLAS) use all of them. Attention's heads are independent, so two Python
threads can each take half of the head blocks: NumPy releases the GIL inside its loops and
inside BLAS, so the threads really run side by side.

While they run, BLAS is held to one thread per caller (with threadpoolctl). Without that,
OpenBLAS's own threads, which keep spinning for a while after every product, fight ours for
the two cores: measured at (4, 8, 512, 64), two threads *without* the limit were slower than
one thread (34 ms vs 29 ms for the forward), and 18 ms with it.

Small jobs run serially: starting the threads costs more than it saves below a few MiB.
``attnlab.set_num_threads(1)`` turns all of this off (results are the same either way: each
block is computed by one thread with the same operations).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

Block = TypeVar("Block")

# Jobs of at most this many bytes run serially. Measured on 2 cores, attention forward +
# backward: 4 MiB of scores (8, 8, 128, 64) float32, 12 ms serial vs 8 ms on two threads;
# 2 MiB, the same either way; 1 MiB, two threads 10% slower.
MIN_BYTES = 3 << 20

_num_threads: int | None = None  # None: one per available core
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_pid = 0  # the process that made the pool: a forked child must make its own
_controller = None  # threadpoolctl.ThreadpoolController, made once (it scans the loaded libraries)
_lock = threading.Lock()  # guards the pool and the controller
# One parallel job at a time: a second one (another user thread, or a call made from inside a
# block) runs serially, so the BLAS thread limit is set and restored by one job only.
_busy = threading.Lock()


def available_cores() -> int:
    """Cores this process may run on (respects taskset/containers where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def set_num_threads(n: int | None) -> None:
    """Threads attnlab's attention may use; ``None`` = one per core, 1 = serial."""
    global _num_threads, _pool
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"n must be a positive int or None, got {n!r}")
    with _lock:
        _num_threads = n
        if _pool is not None:  # the next parallel call makes a pool of the new size
            _pool.shutdown(wait=True)
            _pool = None


def get_num_threads() -> int:
    """The number of threads :func:`run_blocks` uses for large jobs."""
    return _num_threads if _num_threads is not None else available_cores()


def run_blocks(
    work: Callable[[Sequence[Block]], None],
    blocks: Sequence[Block],
    nbytes: int,
    min_bytes: int | None = None,
) -> None:
    """Call ``work(group)`` on groups of ``blocks`` that together cover them all, in parallel.

    ``work`` must write only its own blocks' part of the output. ``nbytes`` is the size of the
    job (e.g. the score array); at or below ``min_bytes`` it all runs here, in one call.
    """
    min_bytes = MIN_BYTES if min_bytes is None else min_bytes
    n = min(get_num_threads(), len(blocks))
    if n < 2 or nbytes <= min_bytes or not _busy.acquire(blocking=False):
        work(blocks)
        return
    try:
        groups = [blocks[i * len(blocks) // n : (i + 1) * len(blocks) // n] for i in range(n)]
        pool, controller = _resources(n)
        with controller.limit(limits=1, user_api="blas"):  # one BLAS thread per worker, see above
            futures = [pool.submit(work, group) for group in groups]
            wait(futures)  # every block done (or failed) before the BLAS limit is lifted
            for future in futures:
                future.result()  # re-raises a worker's exception here
    finally:
        _busy.release()


@contextmanager
def blas_threads(n: int = 1) -> Iterator[None]:
    """Hold NumPy's BLAS to ``n`` threads inside a ``with`` block (training loops of small models).

    Why: OpenBLAS's idle threads keep spinning after every product. For the small matrices of
    a small model on a busy machine, two BLAS threads can make a step many times slower than
    one (see ``benchmarks/README.md``), so attnlab's training loops run inside
    ``blas_threads(1)``. The previous limits come back when the block ends.
    """
    from ._validate import check_positive_int

    n = check_positive_int(n, "n")
    with _controller_().limit(limits=n, user_api="blas"):
        yield


def _controller_():
    """The BLAS controller (threadpoolctl), created once: it scans the loaded libraries."""
    global _controller
    with _lock:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
        return _controller


def _resources(n: int):
    """The worker pool (n threads) and the BLAS controller, created on first use."""
    global _pool, _pool_size, _pool_pid
    with _lock:
        if _pool_pid != os.getpid():  # after a fork the inherited pool has no threads: forget it
            _pool, _pool_pid = None, os.getpid()
        if _pool is None or _pool_size != n:
            if _pool is not None:
                _pool.shutdown(wait=True)
            _pool, _pool_size = ThreadPoolExecutor(max_workers=n, thread_name_prefix="attnlab"), n
        pool = _pool
    return pool, _controller_()
