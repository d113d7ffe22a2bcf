"""Hypothesis strategies shared by the core tests: small shapes, finite values, masks."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

dims = st.integers(1, 5)


def float_arrays(shape, low: float = -10.0, high: float = 10.0, dtype=np.float64):
    """Finite arrays of ``shape`` with values in [low, high]."""
    return hnp.arrays(
        dtype,
        shape,
        elements=st.floats(low, high, allow_nan=False, width=np.dtype(dtype).itemsize * 8),
    )


@st.composite
def qkv(draw, *, batch: bool = True, low: float = -3.0, high: float = 3.0, dtype=np.float64):
    """``(q, k, v)`` of shapes (B, T, D), (B, S, D), (B, S, Dv) (no B if ``batch`` is False)."""
    lead = (draw(st.integers(1, 3)),) if batch else ()
    T, S, D, Dv = draw(dims), draw(dims), draw(dims), draw(dims)
    q = draw(float_arrays((*lead, T, D), low, high, dtype))
    k = draw(float_arrays((*lead, S, D), low, high, dtype))
    v = draw(float_arrays((*lead, S, Dv), low, high, dtype))
    return q, k, v


def random_mask(seed: int, shape, p_keep: float = 0.6) -> np.ndarray:
    """A boolean mask (True = may attend) drawn from a seed."""
    return np.random.default_rng(seed).random(shape) < p_keep


seeds = st.integers(0, 2**32 - 1)
