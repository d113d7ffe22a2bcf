"""attnlab._threads: large attention jobs split their heads between threads.

The parallel path must give the same numbers as the serial one, pass a worker's error on,
leave the BLAS thread count as it found it, and never deadlock when called from inside a job.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import attnlab
from attnlab import _threads, nn
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


@pytest.mark.parametrize("bad", [0, -1])
def test_set_num_threads_rejects_counts_below_one(bad):
    with pytest.raises(ValueError, match="positive int or None"):
        attnlab.set_num_threads(bad)


@pytest.mark.parametrize("bad", [1.5, 2.0, True, np.True_, "2", [2]])
def test_set_num_threads_rejects_what_is_not_an_int_with_a_type_error(bad):
    with pytest.raises(TypeError, match=r"n must be a positive int or None, got .*\("):
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


def _mha_step(B, T, dtype):
    mha = nn.MultiHeadAttention(48, 6, rng=0, dtype=dtype)
    x = np.random.default_rng(1).standard_normal((B, T, 48)).astype(dtype)
    out, _ = mha(x)
    return (out, *mha.backward(np.ones_like(out)), *(g.copy() for g in mha.grads.values()))


def _attention_step(shape, dtype):
    rng = np.random.default_rng(0)
    q, k, v, dout = (rng.standard_normal(shape).astype(dtype) for _ in range(4))
    out, cache = attention_forward(q, k, v)
    return (out, *attention_backward(dout, cache))


# Shapes where the number of heads is not a multiple of the heads per block, so a worker can
# be handed a short tail block first (its buffer must still fit the larger blocks after it).
TAIL_BLOCK_CASES = {
    "(5, 24, 64, 64) float64": lambda: _attention_step((5, 24, 64, 64), np.float64),
    "(11, 8, 100, 32) float32": lambda: _attention_step((11, 8, 100, 32), np.float32),
    "(13, 8, 100, 32) float32": lambda: _attention_step((13, 8, 100, 32), np.float32),
    "MHA(48, 6) B=9 T=128 float32": lambda: _mha_step(9, 128, np.float32),
}


@pytest.mark.parametrize("case", list(TAIL_BLOCK_CASES))
def test_threaded_attention_with_tail_head_blocks_equals_serial(two_threads, case):
    parallel = TAIL_BLOCK_CASES[case]()
    attnlab.set_num_threads(1)
    serial = TAIL_BLOCK_CASES[case]()
    for p, s in zip(parallel, serial, strict=True):
        np.testing.assert_array_equal(p, s)


def test_set_num_threads_while_another_thread_computes_is_safe():
    """Pool replacement never breaks a call in flight, and no block runs outside the limit."""
    errors, seen_blas = [], []
    stop = threading.Event()
    before = blas_threads()

    def work(group):
        seen_blas.append(blas_threads())  # each block must see BLAS held to one thread
        time.sleep(0.002)

    def compute():
        while not stop.is_set():
            try:
                _threads.run_blocks(work, list(range(8)), nbytes=64 << 20)
            except Exception as err:  # noqa: BLE001 - any error here is the bug
                errors.append(err)
                return

    attnlab.set_num_threads(2)
    worker = threading.Thread(target=compute)
    worker.start()
    try:
        for i in range(60):
            attnlab.set_num_threads((2, 3, None)[i % 3])
            time.sleep(0.003)
    finally:
        stop.set()
        worker.join(timeout=30)
        attnlab.set_num_threads(None)
    assert not worker.is_alive()
    assert errors == []
    assert seen_blas and all(max(b) == 1 for b in seen_blas)
    assert blas_threads() == before


def test_two_threads_running_large_jobs_at_once_leave_blas_as_it_was():
    before, seen, errors = blas_threads(), [], []

    def compute():
        try:
            for _ in range(20):
                _threads.run_blocks(lambda g: seen.append(max(blas_threads())), [0, 1, 2], 64 << 20)
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    workers = [threading.Thread(target=compute) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert errors == [] and set(seen) == {1}
    assert blas_threads() == before


def test_a_serial_large_job_also_holds_blas_to_one_thread():
    """With set_num_threads(1) every block runs as the parallel workers run it (1 BLAS thread)."""
    before = blas_threads()
    seen = []
    try:
        attnlab.set_num_threads(1)
        _threads.run_blocks(lambda group: seen.append(blas_threads()), list(range(4)), 64 << 20)
    finally:
        attnlab.set_num_threads(None)
    assert seen == [[1] * len(before)]
    assert blas_threads() == before


def test_results_do_not_depend_on_set_num_threads_even_where_blas_rounds_by_thread_count():
    """OpenBLAS's Haswell kernel rounds float32 products differently with 1 and 2 threads."""
    code = (
        "import numpy as np, attnlab\n"
        "from attnlab.functional import attention_forward, attention_backward\n"
        "rng = np.random.default_rng(0)\n"
        "q, k, v, d = (rng.standard_normal((2, 4, 512, 64)).astype(np.float32) for _ in range(4))\n"
        "def run():\n"
        "    out, cache = attention_forward(q, k, v)\n"
        "    return [out, *attention_backward(d, cache)]\n"
        "default = run()\n"
        "attnlab.set_num_threads(1)\n"
        "serial = run()\n"
        "print(max(float(np.abs(a - b).max()) for a, b in zip(default, serial)))\n"
    )
    env = {**os.environ, "OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "2"}
    env.pop("OPENBLAS_L2_SIZE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout.strip()) == 0.0


@pytest.mark.parametrize("n", [np.int64(2), np.int32(1)])
def test_set_num_threads_accepts_numpy_integers(n):
    try:
        attnlab.set_num_threads(n)
        assert attnlab.get_num_threads() == int(n)
    finally:
        attnlab.set_num_threads(None)


def test_a_thread_count_beyond_any_machine_is_a_clear_error():
    with pytest.raises(ValueError, match=r"n must be <= 1024.*got 1180591620717411303424"):
        with attnlab.blas_threads(2**70):  # was a raw ctypes OverflowError
            pass
