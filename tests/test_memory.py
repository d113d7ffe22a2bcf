"""``attnlab.memory.peak_memory``: the peak of the arrays a computation allocates on top."""

import tracemalloc

import numpy as np

from attnlab.memory import peak_memory


def test_peak_memory_sees_a_temporary_numpy_array():
    n = 1_000_000
    assert peak_memory(lambda: np.ones(n).sum()) >= 8 * n
    assert peak_memory(lambda: None) < 8 * n


def test_peak_memory_leaves_tracemalloc_as_it_found_it():
    assert not tracemalloc.is_tracing()
    peak_memory(lambda: np.ones(10))
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        assert peak_memory(lambda: np.ones(100_000)) >= 800_000
        assert tracemalloc.is_tracing()
    finally:
        tracemalloc.stop()
