"""GELU, tuned: the formulas of :mod:`attnlab.functional.gelu`, each in one array, in place.

The readable lines make a new array of x's size at every step (``x / sqrt 2``, ``erf(.)``,
``1 + .``, ...). Here the forward makes one array for Phi(x) and the backward one for the
gradient, and every step writes back into it (``out=``, ``+=``, ``*=``). erf itself is
attnlab's rational approximation (:mod:`attnlab.functional.erf`, within a few ulp of SciPy's
exact one, which costs far more per number: see ``benchmarks/gpt.md``).
"""

from __future__ import annotations

import numpy as np

from ..._validate import as_dout, as_float_array, check_cache
from .. import gelu as readable
from ..erf import erf


def gelu_forward(x):
    """Same as :func:`attnlab.functional.gelu_forward`."""
    x = as_float_array(x, "x")
    cdf = erf(x * (1.0 / readable.SQRT2))  # erf(x / sqrt(2)), a new array of x's dtype
    cdf += 1.0
    cdf *= 0.5  # Phi(x)
    return x * cdf, readable.GeluCache(x=x, cdf=cdf)


def gelu_backward(dout, cache):
    """Same as :func:`attnlab.functional.gelu_backward`; accepts either path's cache."""
    check_cache(cache, readable.GeluCache, "gelu_forward")
    x, cdf = cache.x, cache.cdf
    dout = as_dout(dout, x.shape, x.dtype)
    dx = np.multiply(x, x, out=np.empty_like(x))  # x^2, the one new array
    dx *= -0.5
    np.exp(dx, out=dx)
    dx *= 1.0 / readable.SQRT_2PI  # phi(x)
    dx *= x  # x phi(x)
    dx += cdf  # gelu'(x) = Phi(x) + x phi(x)
    dx *= dout
    return dx
