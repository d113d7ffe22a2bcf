"""attnlab._threads: large attention jobs split their heads between threads.

The parallel path must give the same numbers as the serial one, pass a worker's error on,
leave the BLAS thread count as it found it, and never deadlock when called from inside a job.
"""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import attnlab
from attnlab import _threads
from attnlab.functional import attention_backward, attention_forward


@pytest.fixture
def two_threads():
    """Force two worker threads (even on a one-core runner), then restore the default."""
    attnlab.set_num_threads(2)
    yield
    attnlab.set_num_threads(None)


def blas_threads():
    return sorted(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("masked", [False, True])
def test_parallel_attention_equals_serial(two_threads, dtype, masked):
    rng = np.random.default_rng(0)
    B, H, T, D = 2, 4, 384, 16  # scores: 2*4*384*384 numbers, above the serial threshold
    q, k, v, dout = (rng.standard_normal((B, H, T, D)).astype(dtype) for _ in range(4))
    mask = None
    if masked:  # padding on some keys, one fully masked query row
        mask = rng.random((B, 1, T, T)) > 0.3
        mask[0, 0, 5] = False
    assert B * H * T * T * np.dtype(dtype).itemsize > (4 << 20)  # weights.nbytes: parallel path
    out2, cache2 = attention_forward(q, k, v, mask, is_causal=masked)
    grads2 = attention_backward(dout, cache2)
    attnlab.set_num_threads(1)
    out1, cache1 = attention_forward(q, k, v, mask, is_causal=masked)
    grads1 = attention_backward(dout, cache1)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(out2, out1, rtol=0, atol=tol)
    np.testing.assert_allclose(cache2.weights, cache1.weights, rtol=0, atol=tol)
    for g2, g1 in zip(grads2, grads1, strict=True):
        np.testing.assert_allclose(g2, g1, rtol=0, atol=tol * 10)
    if masked:
        assert not out2[0, :, 5].any() and np.isfinite(out2).all()


def test_parallel_path_is_taken_and_blas_limit_restored(two_threads, monkeypatch):
    before = blas_threads()
    seen = []

    def work(group):
        seen.append(list(group))

    _threads.run_blocks(work, list(range(10)), nbytes=64 << 20)
    assert len(seen) == 2 and sorted(sum(seen, [])) == list(range(10))  # two groups, all blocks
    assert blas_threads() == before


def test_small_jobs_run_serially(two_threads):
    seen = []
    _threads.run_blocks(seen.append, list(range(10)), nbytes=1024)
    assert seen == [list(range(10))]


def test_worker_error_is_raised_and_state_restored(two_threads):
    before = blas_threads()

    def work(group):
        if 7 in group:
            raise RuntimeError("block 7 failed")

    with pytest.raises(RuntimeError, match="block 7 failed"):
        _threads.run_blocks(work, list(range(10)), nbytes=64 << 20)
    assert blas_threads() == before
    seen = []  # and the next job still runs in parallel (the busy lock was released)
    _threads.run_blocks(seen.append, list(range(4)), nbytes=64 << 20)
    assert len(seen) == 2


def test_nested_call_runs_serially_without_deadlock(two_threads):
    inner = []

    def work(group):
        _threads.run_blocks(inner.append, list(group), nbytes=64 << 20)

    _threads.run_blocks(work, list(range(6)), nbytes=64 << 20)
    assert sorted(sum(inner, [])) == list(range(6)) and len(inner) == 2  # one call per group


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_set_num_threads_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="positive int or None"):
        attnlab.set_num_threads(bad)


def test_get_num_threads_follows_set():
    try:
        attnlab.set_num_threads(3)
        assert attnlab.get_num_threads() == 3
    finally:
        attnlab.set_num_threads(None)
    assert attnlab.get_num_threads() == _threads.available_cores()


def test_a_forked_child_makes_its_own_pool(two_threads):
    """The parent's pool threads do not exist in a fork: the child must not wait on them."""
    import multiprocessing
    import time

    # slow blocks, so that the parent's pool really starts both of its threads
    _threads.run_blocks(lambda group: time.sleep(0.05), list(range(4)), nbytes=64 << 20)
    assert len(_threads._pool._threads) == 2
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        assert pool.apply_async(_parallel_sum_in_child).get(timeout=30) == 45


def _parallel_sum_in_child() -> int:
    seen = []  # two threads, as the parent set (the fixture), and the parent's dead pool

    _threads.run_blocks(seen.append, list(range(10)), nbytes=64 << 20)
    return sum(sum(group) for group in seen) if len(seen) == 2 else -1
