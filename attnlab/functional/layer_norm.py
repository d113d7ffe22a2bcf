"""Layer normalisation over the last axis, as torch's ``nn.LayerNorm(E, eps=1e-5)``.

    mu = mean(x),  var = mean((x - mu)^2)   (biased, ddof=0, like torch)
    xhat = (x - mu) / sqrt(var + eps)
    y = xhat * weight + bias

Backward (per row of E features, r = 1 / sqrt(var + eps)):
    dxhat = dy * weight
    dx = r * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
    dweight = sum over rows of dy * xhat,   dbias = sum over rows of dy

A constant row has var = 0, so r = 1/sqrt(eps) stays finite: no NaN.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_ndim


class LayerNormCache(NamedTuple):
    xhat: np.ndarray  # (..., E) normalised input
    rstd: np.ndarray  # (..., 1) 1 / sqrt(var + eps); with xhat, all the backward needs
    weight: np.ndarray  # (E,)


def layer_norm_forward(x, weight, bias, eps: float = 1e-5) -> tuple[np.ndarray, LayerNormCache]:
    """Normalise ``x`` (..., E) over its last axis; scale by weight (E,), shift by bias (E,)."""
    x = as_float_array(x, "x")
    check_ndim(x, "x", 1, "(..., E)")
    E = x.shape[-1]
    weight = as_float_array(weight, "weight")
    bias = as_float_array(bias, "bias")
    for name, p in (("weight", weight), ("bias", bias)):
        if p.shape != (E,):
            raise ValueError(f"{name} must have shape ({E},) to match x {x.shape}, got {p.shape}")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    dtype = np.result_type(x, weight, bias)
    x = x.astype(dtype, copy=False)
    mu = x.mean(axis=-1, keepdims=True)  # (..., 1)
    xc = x - mu  # (..., E)
    var = np.mean(xc * xc, axis=-1, keepdims=True)  # (..., 1)
    rstd = 1.0 / np.sqrt(var + eps)  # (..., 1)
    xhat = xc * rstd  # (..., E)
    y = xhat * weight.astype(dtype, copy=False) + bias.astype(dtype, copy=False)  # (..., E)
    return y, LayerNormCache(xhat=xhat, rstd=rstd, weight=weight.astype(dtype, copy=False))


def layer_norm_backward(dy, cache: LayerNormCache):
    """Gradients ``(dx, dweight, dbias)``."""
    xhat, rstd, weight = cache
    dy = as_dout(dy, xhat.shape, xhat.dtype, "dy")
    E = xhat.shape[-1]
    dweight = (dy * xhat).reshape(-1, E).sum(axis=0)  # (E,)
    dbias = dy.reshape(-1, E).sum(axis=0)  # (E,)
    dxhat = dy * weight  # (..., E)
    dx = rstd * (
        dxhat
        - dxhat.mean(axis=-1, keepdims=True)
        - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True)
    )  # (..., E)
    return dx, dweight, dbias
