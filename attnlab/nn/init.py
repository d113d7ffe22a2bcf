"""Parameter initialisers (the same distributions torch uses, drawn with NumPy)."""

from __future__ import annotations

import numpy as np

from .._validate import as_rng


def make_rng(rng) -> np.random.Generator:
    """Accept None (fresh seed 0 generator), an int seed >= 0 or a Generator."""
    return as_rng(rng, "rng", none_seed=0)


def uniform_fan_in(
    rng: np.random.Generator, shape: tuple[int, ...], fan_in: int, dtype
) -> np.ndarray:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)): torch's default for Linear weights and biases."""
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape).astype(dtype)


def xavier_uniform(rng: np.random.Generator, shape: tuple[int, int], dtype) -> np.ndarray:
    """U(-a, a), a = sqrt(6 / (fan_in + fan_out)): torch's init for MultiheadAttention.in_proj."""
    fan_out, fan_in = shape
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=shape).astype(dtype)


def xavier_normal(rng: np.random.Generator, shape: tuple[int, int], dtype) -> np.ndarray:
    """N(0, 2 / (fan_in + fan_out)) with torch's fan convention for a 2-d (out, in) tensor."""
    fan_out, fan_in = shape
    return (rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))).astype(dtype)
