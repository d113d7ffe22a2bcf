"""Scaled dot-product attention, forward and backward.

    scores = q k^T * scale            (..., T, S)   scale = 1 / sqrt(D) by default
    weights = softmax(scores + bias)  masked entries -> 0; fully masked rows -> all 0
    out = weights v                   (..., T, Dv)

Shapes: q (..., T, D), k (..., S, D), v (..., S, Dv). Leading dimensions broadcast against
each other (e.g. one k/v shared by every head); gradients come back in each input's own shape.

The backward walks the three forward lines in reverse:

    out = weights v        ->  dweights = dout v^T ,       dv = weights^T dout
    weights = softmax(.)   ->  dscores = weights * (dweights - sum(dweights * weights))
    scores = q k^T scale   ->  dq = dscores k scale ,       dk = dscores^T q scale
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_ndim, unbroadcast
from ..masks import prepare_mask
from .softmax import stable_softmax


class AttentionCache(NamedTuple):
    q: np.ndarray  # (..., T, D)
    k: np.ndarray  # (..., S, D)
    v: np.ndarray  # (..., S, Dv)
    weights: np.ndarray  # (..., T, S) softmax probabilities; kept so the backward needs no exp
    scale: float


def check_qkv(q, k, v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate q, k, v for attention and bring them to one float dtype."""
    q = as_float_array(q, "q")
    k = as_float_array(k, "k")
    v = as_float_array(v, "v")
    check_ndim(q, "q", 2, "(..., T, D)")
    check_ndim(k, "k", 2, "(..., S, D)")
    check_ndim(v, "v", 2, "(..., S, Dv)")
    shapes = f"(q: {q.shape}, k: {k.shape}, v: {v.shape})"
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"k has {k.shape[-1]} features but q has {q.shape[-1]} {shapes}")
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"v has {v.shape[-2]} keys/values but k has {k.shape[-2]} {shapes}")
    try:
        np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(f"the leading (batch) dimensions of q, k, v do not broadcast {shapes}") from None
    dtype = np.result_type(q, k, v)  # float32 only if all three are float32
    return q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False)


def attention_forward(q, k, v, mask=None, *, is_causal: bool = False, scale: float | None = None):
    """Scaled dot-product attention.

    Parameters
    ----------
    q, k, v : arrays (..., T, D), (..., S, D), (..., S, Dv)
    mask : bool (True = may attend) or float (additive) array broadcastable to (..., T, S)
    is_causal : also apply :func:`attnlab.causal_mask` (query i sees keys j <= i)
    scale : multiplies the scores; default ``1 / sqrt(D)``

    Returns
    -------
    out : (..., T, Dv), and an :class:`AttentionCache` whose ``weights`` are (..., T, S).

    Raises
    ------
    ValueError, TypeError : for mismatched shapes, NaN/inf, or a mask of the wrong shape/dtype.
    """
    q, k, v = check_qkv(q, k, v)
    D = q.shape[-1]
    if scale is None:
        scale = 1.0 / np.sqrt(D)
    elif isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise TypeError(f"scale must be a number or None, got {type(scale).__name__}")
    elif not np.isfinite(scale):
        raise ValueError(f"scale must be a finite number, got {scale}")
    scale = float(scale)
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    scores_shape = (*batch, q.shape[-2], k.shape[-2])
    allowed, bias = prepare_mask(mask, scores_shape, is_causal=is_causal)

    scores = (q @ k.swapaxes(-1, -2)) * scale  # (..., T, S)
    if bias is not None:
        scores = scores + bias.astype(scores.dtype, copy=False)  # (..., T, S)
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)  # (..., T, S) masked -> -inf
    weights = stable_softmax(scores, axis=-1)  # (..., T, S)
    out = weights @ v  # (..., T, Dv)
    return out, AttentionCache(q=q, k=k, v=v, weights=weights, scale=scale)


def attention_backward(dout, cache: AttentionCache):
    """Gradients ``(dq, dk, dv)`` of attention, each in the shape of its forward input."""
    q, k, v, w, scale = cache
    dout = as_dout(dout, (*w.shape[:-1], v.shape[-1]), w.dtype)  # (..., T, Dv)
    # out = w @ v
    dw = dout @ v.swapaxes(-1, -2)  # (..., T, S)
    dv = w.swapaxes(-1, -2) @ dout  # (..., S, Dv)
    # w = softmax(scores): the softmax Jacobian applied row by row
    dscores = w * (dw - np.sum(dw * w, axis=-1, keepdims=True))  # (..., T, S)
    # scores = q @ k^T * scale
    dq = (dscores @ k) * scale  # (..., T, D)
    dk = (dscores.swapaxes(-1, -2) @ q) * scale  # (..., S, D)
    return unbroadcast(dq, q.shape), unbroadcast(dk, k.shape), unbroadcast(dv, v.shape)
