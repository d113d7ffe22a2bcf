"""Affine map, as torch's ``nn.Linear``: weight stored (out, in).

    y = x W^T + b          x (..., F_in), W (F_out, F_in), b (F_out,)  ->  y (..., F_out)

Backward:
    dx = dy W              dW = sum over rows of dy^T x        db = sum over rows of dy
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_cache, check_ndim


class LinearCache(NamedTuple):
    x: np.ndarray  # (..., F_in) input, needed for dW
    weight: np.ndarray  # (F_out, F_in), needed for dx
    has_bias: bool


def linear_forward(x, weight, bias=None) -> tuple[np.ndarray, LinearCache]:
    """``y = x @ weight.T + bias`` with x (..., F_in), weight (F_out, F_in), bias (F_out,)."""
    x = as_float_array(x, "x")
    weight = as_float_array(weight, "weight")
    check_ndim(x, "x", 1, "(..., F_in)")
    if weight.ndim != 2:
        raise ValueError(f"weight must have shape (F_out, F_in), got shape {weight.shape}")
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"x has {x.shape[-1]} features but weight expects {weight.shape[1]} "
            f"(x: {x.shape}, weight: {weight.shape})"
        )
    dtype = np.result_type(x, weight)
    x, weight = x.astype(dtype, copy=False), weight.astype(dtype, copy=False)
    # Speed: all leading axes as one (N, F_in) matrix: one BLAS call instead of one per batch row.
    x2 = x.reshape(-1, x.shape[-1])  # (N, F_in)
    y = (x2 @ weight.T).reshape(*x.shape[:-1], weight.shape[0])  # (..., F_out)
    if bias is not None:
        bias = as_float_array(bias, "bias").astype(dtype, copy=False)
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"bias must have shape ({weight.shape[0]},), got {bias.shape}")
        y += bias
    return y, LinearCache(x=x, weight=weight, has_bias=bias is not None)


def linear_backward(dy, cache: LinearCache):
    """Gradients ``(dx, dweight, dbias)``; ``dbias`` is None when the forward had no bias."""
    check_cache(cache, LinearCache, "linear_forward")
    x, weight, has_bias = cache.x, cache.weight, cache.has_bias
    dy = as_dout(dy, (*x.shape[:-1], weight.shape[0]), x.dtype, "dy")
    dy2 = dy.reshape(-1, dy.shape[-1])  # (N, F_out): every leading position is a "row"
    x2 = x.reshape(-1, x.shape[-1])  # (N, F_in)
    dx = (dy2 @ weight).reshape(x.shape)  # (..., F_in) one BLAS call, as in the forward
    dweight = dy2.T @ x2  # (F_out, F_in)
    dbias = dy2.sum(axis=0) if has_bias else None  # (F_out,)
    return dx, dweight, dbias
