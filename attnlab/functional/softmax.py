"""Softmax along one axis, with an optional boolean mask.

    softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m),   m = max_j x_j

Subtracting the row maximum ``m`` changes nothing mathematically (it cancels) but keeps every
``exp`` argument <= 0, so logits of 1e4 do not overflow. Masked entries (mask False, or a
logit of -inf) get weight exactly 0; a row with every entry masked gets all zeros, not NaN.
An axis of length 0 gives an empty result, as in torch.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_axis, check_cache


class SoftmaxCache(NamedTuple):
    out: np.ndarray  # the probabilities: all the backward needs
    axis: int


def softmax_forward(x, axis: int = -1, mask=None) -> tuple[np.ndarray, SoftmaxCache]:
    """Softmax of ``x`` along ``axis``; ``mask`` (bool, True = keep) broadcasts to ``x``.

    Returns ``(out, cache)`` with ``out`` the same shape and dtype as ``x``.
    Rows with every entry masked are all zeros.
    """
    x = as_float_array(x, "x", allow_neg_inf=True)
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension, got a scalar")
    axis = check_axis(axis, x.ndim)
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != bool:
            raise TypeError(f"mask must be boolean (True = keep), got dtype {mask.dtype}")
        try:
            np.broadcast_to(mask, x.shape)
        except ValueError:
            raise ValueError(
                f"mask of shape {mask.shape} does not broadcast to x of shape {x.shape}"
            ) from None
        x = np.where(mask, x, -np.inf)  # masked logits -> -inf -> exp gives exactly 0
    out = stable_softmax(x, axis)  # same shape as x
    # The cache keeps its own copy: changing the returned ``out`` cannot change the backward.
    return out, SoftmaxCache(out=out.copy(), axis=axis)


def stable_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    """Softmax of an already validated array whose masked entries are -inf (no checks)."""
    m = x.max(axis=axis, keepdims=True, initial=-np.inf)  # row max; -inf if all masked or empty
    m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)  # then any shift will do
    e = np.exp(x - m)  # same shape as x, every argument <= 0
    s = e.sum(axis=axis, keepdims=True)  # row sums
    return e / np.where(s > 0, s, 1).astype(x.dtype, copy=False)  # all-masked row: 0 / 1 = 0


def softmax_backward(dout, cache: SoftmaxCache) -> np.ndarray:
    """Gradient of softmax: ``dx = p * (dout - sum(dout * p))`` along the softmax axis.

    This is the Jacobian ``diag(p) - p p^T`` applied to ``dout`` without ever building it.
    Masked entries have ``p = 0``, hence ``dx = 0``.
    """
    check_cache(cache, SoftmaxCache, "softmax_forward")
    p = cache.out
    dout = as_dout(dout, p.shape, p.dtype)
    dot = np.sum(dout * p, axis=cache.axis, keepdims=True)  # (..., 1, ...) one number per row
    return p * (dout - dot)  # same shape as p
