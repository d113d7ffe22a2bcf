"""Run independent blocks of work on every core at once.

Why this exists: NumPy's elementwise functions (``exp``, ``+``, ``*``) use one core; only its
matrix products (BLAS) use all of them. Attention's heads are independent, so two Python
threads can each take half of the head blocks: NumPy releases the GIL inside its loops and
inside BLAS, so the threads really run side by side.

While a large job runs, BLAS is held to one thread (with threadpoolctl). Without that,
OpenBLAS's own threads, which keep spinning for a while after every product, fight ours for
the cores (measured in ``benchmarks/core_notes.md``). The hold applies whether the blocks go
to several threads or run here one after the other, so every block is computed the same way
and the results do not depend on :func:`set_num_threads` (a BLAS product can round
differently with another number of BLAS threads).

Small jobs run serially with BLAS as it is: starting threads costs more than it saves there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

import numpy as np

Block = TypeVar("Block")

# Jobs of at most this many bytes (e.g. the attention scores) run serially with BLAS as it is.
# Chosen from the measurements in benchmarks/core_notes.md (two threads pay off above it).
MIN_BYTES = 3 << 20

_num_threads: int | None = None  # None: one per available core
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_controller = None  # threadpoolctl.ThreadpoolController, made once (it scans the loaded libraries)
_lock = threading.Lock()  # guards the controller and the hold count below
# One parallel job at a time: a second one (another user thread, or a call made from inside a
# block) runs serially. The pool is only used, and only replaced, by the job holding this.
_busy = threading.Lock()
_holds = 0  # jobs (in any thread) inside _one_blas_thread
_limiter = None  # what restores the BLAS threads when the last of them leaves


def available_cores() -> int:
    """Cores this process may run on (respects taskset/containers where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def set_num_threads(n: int | None) -> None:
    """Threads attnlab's attention may use for large jobs; ``None`` = one per core, 1 = serial.

    Safe while other threads are computing: calls in flight finish with the pool they started
    with; the next large job makes a pool of the new size. Results do not depend on ``n``.
    """
    global _num_threads
    if n is not None and (isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer))):
        raise TypeError(f"n must be a positive int or None, got {n!r} ({type(n).__name__})")
    if n is not None and n < 1:
        raise ValueError(f"n must be a positive int or None, got {n!r}")
    _num_threads = None if n is None else int(n)


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
    if nbytes <= min_bytes:
        work(blocks)
        return
    with _one_blas_thread():  # serial or parallel, every block runs with one BLAS thread
        n = min(get_num_threads(), len(blocks))
        if n < 2 or not _busy.acquire(blocking=False):
            work(blocks)
            return
        try:
            groups = [blocks[i * len(blocks) // n : (i + 1) * len(blocks) // n] for i in range(n)]
            pool = _pool_of(n)
            futures = []
            try:
                for group in groups:
                    futures.append(pool.submit(work, group))
            finally:
                wait(futures)  # every submitted block done (or failed) before the hold ends
            for future in futures:
                future.result()  # re-raises a worker's exception here
        finally:
            _busy.release()


MAX_THREADS = 1024  # more BLAS threads than any machine attnlab runs on has cores


@contextmanager
def blas_threads(n: int = 1) -> Iterator[None]:
    """Hold NumPy's BLAS to ``n`` threads inside a ``with`` block (training loops of small models).

    Why: OpenBLAS's idle threads keep spinning after every product. For the small matrices of
    a small model on a busy machine, two BLAS threads can make a step many times slower than
    one (measured in ``benchmarks/core_notes.md``). The previous limits come back when the
    block ends.
    """
    from ._validate import check_positive_int

    n = check_positive_int(n, "n")
    if n > MAX_THREADS:  # the BLAS takes a C int: a huge count is a ctypes error, not a limit
        raise ValueError(f"n must be <= {MAX_THREADS} BLAS threads, got {n}")
    controller = _controller_()
    _free_blas_control()  # so that this works from any thread (see _free_blas_control)
    with controller.limit(limits=n, user_api="blas"):
        yield


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS held to one thread until every job (of any thread) inside this has left.

    Counted, not nested: two threads entering and leaving in any order leave BLAS as it was
    before the first entered (two plain limits would restore each other's values).
    """
    global _holds, _limiter
    controller = _controller_()
    with _lock:
        if _holds == 0:
            _free_blas_control()
            _limiter = controller.limit(limits=1, user_api="blas")
            _free_blas_control()
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0:  # the last one out restores, whichever thread it is
                _free_blas_control()
                _limiter.restore_original_limits()
                _free_blas_control()
                _limiter = None


def _free_blas_control() -> None:
    """Let the current thread change OpenBLAS's thread count through threadpoolctl.

    OpenBLAS's thread count is process-wide, so recent threadpoolctl versions let only one
    "controlling" thread change it and silently ignore the others. attnlab's hold is entered
    and left by whichever thread runs a job (under ``_lock``), so it frees the control before
    and after each change.
    """
    try:
        from threadpoolctl import OpenBLASController
    except ImportError:  # older threadpoolctl: no controlling thread, nothing to free
        return
    clear = getattr(OpenBLASController, "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)


def _controller_():
    """The BLAS controller (threadpoolctl), created once: it scans the loaded libraries."""
    global _controller
    with _lock:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
        return _controller


def _pool_of(n: int) -> ThreadPoolExecutor:
    """The worker pool with ``n`` threads; called only by the job holding ``_busy``."""
    global _pool, _pool_size
    if _pool is None or _pool_size != n:
        if _pool is not None:
            _pool.shutdown(wait=False)  # idle: no other job can be using it (we hold _busy)
        _pool, _pool_size = ThreadPoolExecutor(max_workers=n, thread_name_prefix="attnlab"), n
    return _pool


def _after_fork_in_child() -> None:
    """A forked child has only the forking thread: forget the pool and reset the locks.

    The parent's pool threads do not exist in the child, and a lock another parent thread held
    at the fork would stay locked forever.
    """
    global _pool, _pool_size, _lock, _busy, _holds, _limiter
    _pool, _pool_size = None, 0
    _lock, _busy = threading.Lock(), threading.Lock()
    _holds, _limiter = 0, None


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)
