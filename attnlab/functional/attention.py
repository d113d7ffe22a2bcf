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

from .._threads import run_blocks
from .._validate import as_dout, as_float_array, check_ndim, unbroadcast
from ..masks import prepare_mask
from .softmax import softmax_inplace


class AttentionCache(NamedTuple):
    q: np.ndarray  # (..., T, D)
    k: np.ndarray  # (..., S, D)
    v: np.ndarray  # (..., S, Dv)
    weights: np.ndarray  # (..., T, S) softmax probabilities; kept so the backward needs no exp
    scale: float
    out: np.ndarray  # (..., T, Dv) a private copy of the output, for rowdot in the backward


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
        raise ValueError(
            f"the leading (batch) dimensions of q, k, v do not broadcast {shapes}"
        ) from None
    dtype = np.result_type(q, k, v)  # float32 only if all three are float32
    return q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False)


def check_scale(scale, D: int) -> float:
    """The score scale as a Python float: ``1 / sqrt(D)`` for None, else a finite number."""
    if scale is None:
        return 1.0 / float(np.sqrt(D))
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise TypeError(f"scale must be a number or None, got {type(scale).__name__}")
    if not np.isfinite(scale):
        raise ValueError(f"scale must be a finite number, got {scale}")
    return float(scale)


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
    scale = check_scale(scale, D)
    T, S, Dv = q.shape[-2], k.shape[-2], v.shape[-1]
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    allowed, bias = prepare_mask(mask, (*batch, T, S), is_causal=is_causal)

    qb = np.broadcast_to(q, (*batch, T, D))  # (..., T, D) a view over the heads, no copy
    kb = np.broadcast_to(k, (*batch, S, D))  # (..., S, D)
    vb = np.broadcast_to(v, (*batch, S, Dv))  # (..., S, Dv)
    weights = np.empty((*batch, T, S), dtype=q.dtype)  # (..., T, S) the one T x S array
    out = np.empty((*batch, T, Dv), dtype=q.dtype)  # (..., T, Dv)
    if bias is not None:
        bias = np.broadcast_to(bias, weights.shape)  # (..., T, S) a view, no copy
    if allowed is not None:
        allowed = np.broadcast_to(allowed, weights.shape)  # (..., T, S) a view, no copy

    def forward_blocks(blocks):  # each block: a few whole heads
        for h in blocks:
            scores = weights[h]  # (g, T, S) a view: the scores are computed in place
            # Speed: the scale multiplies the block of q (T x D numbers), not the scores (T x S).
            qs = qb[h] * scale  # (g, T, D)
            np.matmul(qs, kb[h].swapaxes(-1, -2), out=scores)  # (g, T, S) written by BLAS
            if bias is not None:
                scores += bias[h]  # additive float mask
            if allowed is not None:
                np.copyto(scores, -np.inf, where=~allowed[h])  # masked -> -inf -> weight 0
            softmax_inplace(scores)  # scores -> weights, masked entries -> 0
            np.matmul(scores, vb[h], out=out[h])  # (g, T, Dv)

    # Speed: the head blocks are independent; large jobs split them between the cores.
    run_blocks(forward_blocks, list(head_blocks(batch, T * S)), weights.nbytes)
    # The copy keeps the backward right even if the caller changes ``out`` in place.
    return out, AttentionCache(q=q, k=k, v=v, weights=weights, scale=scale, out=out.copy())


def head_blocks(batch: tuple[int, ...], block_size: int, target: int = 2**16):
    """Index tuples that cut the batch axes (..., H) into blocks of whole heads.

    Speed: each block's T x S scores (about ``target`` numbers, 256 KiB in float32) stay in
    the CPU cache while the softmax passes over them several times, instead of going back and
    forth to main memory as they would if every step ran over all heads at once. The last
    batch axis (usually the heads) is cut into groups; the others are walked one at a time.
    """
    if not batch:
        yield (Ellipsis,)
        return
    g = max(1, target // max(1, block_size))  # heads per block
    H = batch[-1]
    for lead in np.ndindex(*batch[:-1]):
        for h0 in range(0, H, g):
            yield (*lead, slice(h0, min(h0 + g, H)))


def attention_backward(dout, cache: AttentionCache):
    """Gradients ``(dq, dk, dv)`` of attention, each in the shape of its forward input."""
    q, k, v, w, scale, out = cache
    batch, (T, S), D, Dv = w.shape[:-2], w.shape[-2:], q.shape[-1], v.shape[-1]
    dout = as_dout(dout, (*batch, T, Dv), w.dtype)  # (..., T, Dv)
    qb = np.broadcast_to(q, (*batch, T, D))  # (..., T, D) views over the heads, no copies
    kb = np.broadcast_to(k, (*batch, S, D))  # (..., S, D)
    vb = np.broadcast_to(v, (*batch, S, Dv))  # (..., S, Dv)
    dq = np.empty((*batch, T, D), dtype=w.dtype)  # (..., T, D)
    dk = np.empty((*batch, S, D), dtype=w.dtype)  # (..., S, D)
    dv = np.empty((*batch, S, Dv), dtype=w.dtype)  # (..., S, Dv)

    def backward_blocks(blocks):
        buffer = None
        for h in blocks:
            wh = w[h]  # (g, T, S)
            if buffer is None:  # one cache-sized buffer for all blocks (the last may be smaller)
                buffer = np.empty_like(wh)  # (g, T, S)
            dw = buffer[: wh.shape[0]] if wh.ndim == 3 else buffer  # (g, T, S)
            # out = w @ v
            np.matmul(dout[h], vb[h].swapaxes(-1, -2), out=dw)  # (g, T, S) dweights
            np.matmul(wh.swapaxes(-1, -2), dout[h], out=dv[h])  # (g, S, Dv)
            # w = softmax(scores): dscores = w * (dw - rowdot), rowdot_i = sum_j dw_ij w_ij.
            # Speed: sum_j dw_ij w_ij = sum_j (dout_i . v_j) w_ij = dout_i . out_i, a sum over
            # Dv numbers instead of S (as FlashAttention does); dscores is then made in dw.
            rowdot = np.einsum("...td,...td->...t", dout[h], out[h])[..., None]  # (g, T, 1)
            dw -= rowdot
            dw *= wh  # (g, T, S) now dscores
            # scores = (q @ k^T) scale; the scale is applied to the small results, in place
            np.matmul(dw, kb[h], out=dq[h])  # (g, T, D)
            dq[h] *= scale
            np.matmul(dw.swapaxes(-1, -2), qb[h], out=dk[h])  # (g, S, D)
            dk[h] *= scale

    run_blocks(backward_blocks, list(head_blocks(batch, T * S)), w.nbytes)  # as in the forward
    return unbroadcast(dq, q.shape), unbroadcast(dk, k.shape), unbroadcast(dv, v.shape)
