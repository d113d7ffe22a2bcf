"""GELU, exact erf form (torch's default ``nn.GELU()``).

    gelu(x) = x * Phi(x),   Phi(x) = (1 + erf(x / sqrt(2))) / 2   (standard normal CDF)
    gelu'(x) = Phi(x) + x * phi(x),   phi(x) = exp(-x^2 / 2) / sqrt(2 pi)

The backward reuses Phi(x) from the cache, so erf is computed once per forward. While
``attnlab.get_fast()`` is True both functions hand the call to their in-place twins in
:mod:`attnlab.functional.fast.gelu` (the same formulas, without temporaries).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import erf

from .._validate import as_dout, as_float_array, check_cache
from . import fast
from .fast.switch import get_fast

SQRT2 = float(np.sqrt(2.0))  # Python floats keep float32 float32
SQRT_2PI = float(np.sqrt(2.0 * np.pi))


class GeluCache(NamedTuple):
    x: np.ndarray  # input
    cdf: np.ndarray  # Phi(x), reused by the backward


def gelu_forward(x) -> tuple[np.ndarray, GeluCache]:
    """``x * Phi(x)`` elementwise; same shape and dtype as ``x``."""
    if get_fast():  # the in-place twin: same numbers, fewer temporaries
        return fast.gelu_forward(x)
    x = as_float_array(x, "x")
    cdf = (1.0 + erf(x / SQRT2)) / 2  # Phi(x), same shape and dtype as x
    return x * cdf, GeluCache(x=x, cdf=cdf)


def gelu_backward(dout, cache: GeluCache) -> np.ndarray:
    """``dx = dout * (Phi(x) + x * phi(x))``."""
    if get_fast():
        return fast.gelu_backward(dout, cache)
    check_cache(cache, GeluCache, "gelu_forward")
    x, cdf = cache.x, cache.cdf
    dout = as_dout(dout, x.shape, x.dtype)  # same shape as x
    pdf = np.exp(-x * x / 2) / SQRT_2PI  # phi(x), same shape as x
    return dout * (cdf + x * pdf)  # gelu'(x) dout
