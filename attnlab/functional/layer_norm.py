"""Layer normalisation over the last axis, as torch's ``nn.LayerNorm(E, eps=1e-5)``.

    mu = mean(x),  var = mean((x - mu)^2)   (biased, ddof=0, like torch)
    xhat = (x - mu) / sqrt(var + eps)
    y = xhat * weight + bias

Backward (per row of E features, r = 1 / sqrt(var + eps)):
    dxhat = dy * weight
    dx = r * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
    dweight = sum over rows of dy * xhat,   dbias = sum over rows of dy

A constant row has var = 0, so r = 1/sqrt(eps) stays finite: no NaN. When some |x| is so
large that the squares could overflow (beyond about 1e150 in float64, 1e18 in float32), each
row is first divided by its largest |x| and eps by its square: xhat does not change, and a row
like [1e200, -1e200] gives +-1 instead of inf / inf.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_cache, check_ndim, check_number


class LayerNormCache(NamedTuple):
    xhat: np.ndarray  # (..., E) normalised input
    rstd: np.ndarray  # (..., 1) 1 / sqrt(var + eps); with xhat, all the backward needs
    weight: np.ndarray  # (E,)


def layer_norm_forward(x, weight, bias, eps: float = 1e-5) -> tuple[np.ndarray, LayerNormCache]:
    """Normalise ``x`` (..., E) over its last axis; scale by weight (E,), shift by bias (E,)."""
    x, weight, bias, eps = check_layer_norm(x, weight, bias, eps)
    m = 1.0
    if max(x.max(initial=0), -x.min(initial=0)) > overflow_bound(x):  # squares would overflow:
        m = np.maximum(np.abs(x).max(axis=-1, keepdims=True), 1.0)  # (..., 1) divide each row
        x, eps = x / m, eps / m / m  # by its largest |x|: with eps scaled too, xhat is the same
    mu = x.mean(axis=-1, keepdims=True)  # (..., 1)
    xc = x - mu  # (..., E)
    var = np.mean(xc * xc, axis=-1, keepdims=True)  # (..., 1)
    rstd = 1.0 / np.sqrt(var + eps)  # (..., 1)
    xhat = xc * rstd  # (..., E)
    y = xhat * weight + bias  # (..., E)
    return y, LayerNormCache(xhat=xhat, rstd=rstd / m, weight=weight)


def layer_norm_backward(dy, cache: LayerNormCache):
    """Gradients ``(dx, dweight, dbias)``."""
    check_cache(cache, LayerNormCache, "layer_norm_forward")
    xhat, rstd, weight = cache.xhat, cache.rstd, cache.weight
    dy = as_dout(dy, xhat.shape, xhat.dtype, "dy")  # (..., E)
    E = xhat.shape[-1]
    # y = xhat * weight + bias
    dweight = (dy * xhat).reshape(-1, E).sum(axis=0)  # (E,)
    dbias = dy.reshape(-1, E).sum(axis=0)  # (E,)
    dxhat = dy * weight  # (..., E)
    # xhat = (x - mu) * rstd
    dx = rstd * (
        dxhat
        - dxhat.mean(axis=-1, keepdims=True)
        - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True)
    )  # (..., E)
    return dx, dweight, dbias


def overflow_bound(x: np.ndarray) -> float:
    """Largest |x| for which E squared differences (each up to (2|x|)^2) sum without overflow."""
    return float(np.sqrt(np.finfo(x.dtype).max / (4 * x.shape[-1])))


def check_layer_norm(x, weight, bias, eps):
    """Validate layer_norm's arguments; return them in one float dtype (eps a Python float)."""
    x = as_float_array(x, "x")
    check_ndim(x, "x", 1, "(..., E)")
    E = x.shape[-1]
    if E == 0:
        raise ValueError(f"x must have at least one feature to normalise, got shape {x.shape}")
    weight = as_float_array(weight, "weight")
    bias = as_float_array(bias, "bias")
    for name, p in (("weight", weight), ("bias", bias)):
        if p.shape != (E,):
            raise ValueError(f"{name} must have shape ({E},) to match x {x.shape}, got {p.shape}")
    eps = check_number(eps, "eps", positive=True)
    dtype = np.result_type(x, weight, bias)
    x, weight, bias = (a.astype(dtype, copy=False) for a in (x, weight, bias))
    return x, weight, bias, eps
