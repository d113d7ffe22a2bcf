"""Scaled dot-product attention, forward and backward, written as the maths reads.

    scores = q k^T * scale            (..., T, S)   scale = 1 / sqrt(D) by default
    weights = softmax(scores + mask)  masked entries -> 0; fully masked rows -> all 0
    out = weights v                   (..., T, Dv)

Shapes: q (..., T, D), k (..., S, D), v (..., S, Dv). Leading dimensions broadcast against
each other (e.g. one k/v shared by every head); gradients come back in each input's own shape.

The backward walks the three forward lines in reverse:

    out = weights v        ->  dweights = dout v^T ,       dv = weights^T dout
    weights = softmax(.)   ->  dscores = weights * (dweights - sum(dweights * weights))
    scores = q k^T scale   ->  dq = dscores k scale ,       dk = dscores^T q scale

While ``attnlab.get_fast()`` is True (the default) both functions hand the call to their tuned
twins in :mod:`attnlab.functional.fast.attention`: the same numbers, computed faster.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, check_cache, check_qkv, check_scale, unbroadcast
from ..masks import check_mask
from . import fast
from .fast.switch import get_fast
from .softmax import ATTENTION_SCORES, stable_softmax


class AttentionCache(NamedTuple):
    q: np.ndarray  # (..., T, D)
    k: np.ndarray  # (..., S, D)
    v: np.ndarray  # (..., S, Dv)
    weights: np.ndarray  # (..., T, S) softmax probabilities; kept so the backward needs no exp
    scale: float
    out: np.ndarray | None = None  # (..., T, Dv) kept by the tuned path only (for its rowdot)


def attention_forward(q, k, v, mask=None, *, is_causal: bool = False, scale: float | None = None):
    """Scaled dot-product attention: ``softmax(q k^T * scale + mask) v``.

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
    OverflowError : (also a ValueError) if finite inputs give scores beyond the dtype (inf).
    """
    if get_fast():  # the tuned twin: same numbers, faster (attnlab.set_fast(False) to skip it)
        return fast.attention_forward(q, k, v, mask, is_causal=is_causal, scale=scale)
    q, k, v = check_qkv(q, k, v)  # one float dtype, shapes that fit together
    scale = check_scale(scale, q.shape[-1])  # 1 / sqrt(D) unless given
    keep, bias = check_mask(mask, q, k, v, is_causal=is_causal)  # bool or None, float or None

    with np.errstate(over="ignore", invalid="ignore"):  # overflow: the softmax says so, clearly
        scores = q @ k.swapaxes(-1, -2) * scale  # (..., T, S)
        if bias is not None:
            scores = scores + bias  # (..., T, S) additive float mask
    if keep is not None:
        scores = np.where(keep, scores, -np.inf)  # (..., T, S) masked -> -inf -> weight 0
    weights = stable_softmax(scores, -1, ATTENTION_SCORES)  # (..., T, S) rows sum to 1 (or 0)
    out = weights @ v  # (..., T, Dv)
    return out, AttentionCache(q=q, k=k, v=v, weights=weights, scale=scale)


def attention_backward(dout, cache: AttentionCache):
    """Gradients ``(dq, dk, dv)`` of attention, each in the shape of its forward input."""
    if get_fast():  # the tuned twin (it accepts caches from either path)
        return fast.attention_backward(dout, cache)
    check_cache(cache, AttentionCache, "attention_forward")
    q, k, v, weights, scale = cache.q, cache.k, cache.v, cache.weights, cache.scale
    dout = as_dout(dout, (*weights.shape[:-1], v.shape[-1]), weights.dtype)  # (..., T, Dv)

    # out = weights @ v
    dweights = dout @ v.swapaxes(-1, -2)  # (..., T, S)
    dv = weights.swapaxes(-1, -2) @ dout  # (..., S, Dv)
    # weights = softmax(scores)
    rowdot = np.sum(dweights * weights, axis=-1, keepdims=True)  # (..., T, 1)
    dscores = weights * (dweights - rowdot)  # (..., T, S)
    # scores = q @ k^T * scale
    dq = dscores @ k * scale  # (..., T, D)
    dk = dscores.swapaxes(-1, -2) @ q * scale  # (..., S, D)
    return unbroadcast(dq, q.shape), unbroadcast(dk, k.shape), unbroadcast(dv, v.shape)
