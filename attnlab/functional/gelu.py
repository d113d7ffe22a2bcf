"""GELU, exact erf form (torch's default ``nn.GELU()``).

    gelu(x) = x * Phi(x),   Phi(x) = (1 + erf(x / sqrt(2))) / 2   (standard normal CDF)
    gelu'(x) = Phi(x) + x * phi(x),   phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import erf

from .._validate import as_dout, as_float_array

_INV_SQRT2 = float(1.0 / np.sqrt(2.0))  # Python floats keep float32 float32
_INV_SQRT_2PI = float(1.0 / np.sqrt(2.0 * np.pi))


class GeluCache(NamedTuple):
    x: np.ndarray  # input
    cdf: np.ndarray  # Phi(x), reused by the backward


def gelu_forward(x) -> tuple[np.ndarray, GeluCache]:
    """``x * Phi(x)`` elementwise; same shape and dtype as ``x``."""
    x = as_float_array(x, "x")
    cdf = 0.5 * (1.0 + erf(x * _INV_SQRT2))  # Phi(x), same dtype as x
    return x * cdf, GeluCache(x=x, cdf=cdf)


def gelu_backward(dout, cache: GeluCache) -> np.ndarray:
    """``dx = dout * (Phi(x) + x * phi(x))``."""
    x, cdf = cache
    dout = as_dout(dout, x.shape, x.dtype)
    pdf = np.exp(-0.5 * x * x) * _INV_SQRT_2PI  # phi(x)
    return dout * (cdf + x * pdf)
