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

from .._validate import ScoresOverflowError, as_dout, as_float_array, check_axis, check_cache

ATTENTION_SCORES = "the attention scores q k^T * scale (plus the float mask)"


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


def stable_softmax(x: np.ndarray, axis: int, name: str = "x") -> np.ndarray:
    """Softmax of an already validated array whose masked entries are -inf.

    ``name`` says what ``x`` is in the error raised when a row's maximum is +inf or NaN (see
    :func:`check_row_max`).
    """
    m = x.max(axis=axis, keepdims=True, initial=-np.inf)  # row max; -inf if all masked or empty
    check_row_max(m, x.dtype, name)  # +inf or NaN: x overflowed before it got here
    m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)  # then any shift will do
    with np.errstate(over="ignore"):  # x - m below -1.8e308 is -inf, and exp(-inf) = 0 exactly
        e = np.exp(x - m)  # same shape as x, every argument <= 0
    s = e.sum(axis=axis, keepdims=True)  # row sums
    return e / np.where(s > 0, s, 1).astype(x.dtype, copy=False)  # all-masked row: 0 / 1 = 0


def check_row_max(m: np.ndarray, dtype: np.dtype, name: str) -> None:
    """A clear error if a row maximum ``m`` (or a row sum of exp) is +inf or NaN.

    Inputs are checked finite and masked entries are -inf, so a row maximum of +inf (or NaN,
    from inf - inf) means the computation before the softmax overflowed ``dtype``: e.g. the
    scores q k^T * scale of large q and k. A maximum of -inf is a fully masked row: fine.
    One comparison per row, cheap next to the softmax itself.
    """
    if (m < np.inf).all():  # False for +inf and for NaN
        return
    dtype = np.dtype(dtype)
    tip = ", or compute in float64 (x.astype(np.float64))" if dtype == np.float32 else ""
    raise ScoresOverflowError(
        f"{name} overflowed {dtype.name}: a row's maximum is inf or NaN although every input "
        f"is finite (the largest {dtype.name} is {np.finfo(dtype).max:.3g}); use a smaller "
        f"scale or smaller inputs{tip}"
    )


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
