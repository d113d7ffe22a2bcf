"""Attention, tuned: the maths of :mod:`attnlab.functional.attention`, rearranged for speed.

What changes, and why it is still the same maths:

- **Head blocks.** The batch axes (..., H) are cut into blocks of whole heads whose T x S
  scores fit in the CPU cache; each block goes through scores, mask, softmax and ``@ v``
  before the next starts, so the softmax's passes find their data in the cache.
- **In place.** The scores are written by ``matmul(out=)`` into the one T x S array the
  forward keeps, and the softmax overwrites them (``-=``, ``exp(out=)``, ``*=``): no T x S
  temporaries. The scale multiplies q (T x D numbers), not the scores (T x S).
- **rowdot = dout . out.** The backward's row sums ``sum_j dweights_ij weights_ij`` equal
  ``dout_i . out_i`` because ``dweights = dout v^T`` and ``out = weights v``: Dv numbers per
  row instead of S (as FlashAttention does).
- **Threads.** Head blocks are independent, so large jobs are split between threads
  (:func:`attnlab._threads.run_blocks`); each block is computed the same way on any thread.
"""

from __future__ import annotations

import numpy as np

from ..._threads import run_blocks
from ..._validate import as_dout, check_cache, check_qkv, check_scale, unbroadcast
from ...masks import check_mask
from .. import attention as readable
from ..softmax import ATTENTION_SCORES, check_row_max


def attention_forward(q, k, v, mask=None, *, is_causal: bool = False, scale: float | None = None):
    """Same arguments and results as :func:`attnlab.functional.attention_forward`."""
    q, k, v = check_qkv(q, k, v)
    scale = check_scale(scale, q.shape[-1])
    keep, bias = check_mask(mask, q, k, v, is_causal=is_causal)
    T, S, D, Dv = q.shape[-2], k.shape[-2], q.shape[-1], v.shape[-1]
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    lead = batch or (1,)  # no batch axes: one block of one "head" (added views, no copies)

    qb = np.broadcast_to(q, (*lead, T, D))  # (..., T, D) a view over the heads, no copy
    kb = np.broadcast_to(k, (*lead, S, D))  # (..., S, D)
    vb = np.broadcast_to(v, (*lead, S, Dv))  # (..., S, Dv)
    weights = np.empty((*lead, T, S), dtype=q.dtype)  # (..., T, S) the one T x S array
    out = (np.zeros if S == 0 else np.empty)((*lead, T, Dv), dtype=q.dtype)  # (..., T, Dv)
    if bias is not None:
        bias = np.broadcast_to(bias, weights.shape)  # (..., T, S) a view, no copy
    if keep is not None:
        keep = np.broadcast_to(keep, weights.shape)  # (..., T, S) a view, no copy

    @np.errstate(over="ignore", invalid="ignore")  # per thread; softmax_inplace checks overflow
    def forward_blocks(blocks):  # each block: a few whole heads
        for h in blocks:
            scores = weights[h]  # (g, ..., T, S) a view: the scores are computed in place
            np.matmul(qb[h] * scale, kb[h].swapaxes(-1, -2), out=scores)  # (g, ..., T, S)
            if bias is not None:
                scores += bias[h]  # additive float mask
            if keep is not None:
                np.copyto(scores, -np.inf, where=~keep[h])  # masked -> -inf -> weight 0
            softmax_inplace(scores)  # scores -> weights, masked entries -> 0
            np.matmul(scores, vb[h], out=out[h])  # (g, ..., T, Dv)

    if S > 0:  # no keys: out is 0 (like a fully masked row) and there are no weights
        run_blocks(forward_blocks, list(head_blocks(lead, T * S)), weights.nbytes)
    weights, out = weights.reshape(*batch, T, S), out.reshape(*batch, T, Dv)
    # The cache keeps its own copy of out: changing the returned array cannot change it.
    cache = readable.AttentionCache(q=q, k=k, v=v, weights=weights, scale=scale, out=out.copy())
    return out, cache


def attention_backward(dout, cache):
    """Same as :func:`attnlab.functional.attention_backward`; accepts either path's cache."""
    check_cache(cache, readable.AttentionCache, "attention_forward")
    q, k, v, w, scale, out = cache.q, cache.k, cache.v, cache.weights, cache.scale, cache.out
    batch, (T, S), D, Dv = w.shape[:-2], w.shape[-2:], q.shape[-1], v.shape[-1]
    dout = as_dout(dout, (*batch, T, Dv), w.dtype)  # (..., T, Dv)
    lead = batch or (1,)
    w = w.reshape(*lead, T, S)  # (..., T, S) a view
    dout = dout.reshape(*lead, T, Dv)  # (..., T, Dv) a view
    qb = np.broadcast_to(q, (*lead, T, D))  # (..., T, D) views over the heads, no copies
    kb = np.broadcast_to(k, (*lead, S, D))  # (..., S, D)
    vb = np.broadcast_to(v, (*lead, S, Dv))  # (..., S, Dv)
    ob = None if out is None else out.reshape(*lead, T, Dv)  # (..., T, Dv) a view
    dq = np.empty((*lead, T, D), dtype=w.dtype)  # (..., T, D)
    dk = np.empty((*lead, S, D), dtype=w.dtype)  # (..., S, D)
    dv = np.empty((*lead, S, Dv), dtype=w.dtype)  # (..., S, Dv)

    def backward_blocks(blocks):
        if not blocks:
            return
        shape = max((w[h].shape for h in blocks), key=lambda shape: shape[0])  # the largest block
        buffer = np.empty(shape, dtype=w.dtype)  # (g, ..., T, S) reused by every block
        for h in blocks:
            wh = w[h]  # (g, ..., T, S)
            dw = buffer[: wh.shape[0]]  # (g, ..., T, S) a view of the buffer
            # out = w @ v
            np.matmul(dout[h], vb[h].swapaxes(-1, -2), out=dw)  # (g, ..., T, S) dweights
            np.matmul(wh.swapaxes(-1, -2), dout[h], out=dv[h])  # (g, ..., S, Dv)
            # w = softmax(scores): dscores = w * (dw - rowdot), rowdot_i = sum_j dw_ij w_ij
            # = dout_i . out_i: a sum over Dv numbers instead of S; dscores is made in dw.
            # (a cache from the readable path keeps no out: this block's is recomputed)
            oh = ob[h] if ob is not None else wh @ vb[h]  # (g, ..., T, Dv)
            rowdot = np.einsum("...td,...td->...t", dout[h], oh)[..., None]  # (g, ..., T, 1)
            dw -= rowdot
            dw *= wh  # (g, ..., T, S) now dscores
            # scores = (q @ k^T) scale; the scale is applied to the small results, in place
            np.matmul(dw, kb[h], out=dq[h])  # (g, ..., T, D)
            dq[h] *= scale
            np.matmul(dw.swapaxes(-1, -2), qb[h], out=dk[h])  # (g, ..., S, D)
            dk[h] *= scale

    run_blocks(backward_blocks, list(head_blocks(lead, T * S)), w.nbytes)  # as the forward
    dq, dk, dv = (a.reshape(*batch, *a.shape[-2:]) for a in (dq, dk, dv))  # no added axis
    return unbroadcast(dq, q.shape), unbroadcast(dk, k.shape), unbroadcast(dv, v.shape)


def head_blocks(batch: tuple[int, ...], scores_per_head: int, target: int = 2**16):
    """Index tuples that cut the batch axes (..., H) into blocks of about ``target`` scores.

    Each block's scores (``scores_per_head`` = T x S for each head) stay in the CPU cache
    while the softmax passes over them several times. The cut is made along the first batch
    axis whose trailing axes fit in a block, so that small heads are grouped by many (one
    NumPy call for many heads) and large ones are taken a few at a time; the axes before it
    are walked one index at a time. Every block's first axis is the one that was cut.
    """
    inner = scores_per_head * int(np.prod(batch, dtype=np.int64))
    for axis, n in enumerate(batch):
        inner //= max(n, 1)  # scores under one index of this axis
        if inner <= target or axis == len(batch) - 1:
            break
    g = max(1, target // max(1, inner))  # indices of the cut axis per block
    rest = (slice(None),) * (len(batch) - axis - 1)
    for lead in np.ndindex(*batch[:axis]):
        for i0 in range(0, batch[axis], g):
            yield (*lead, slice(i0, min(i0 + g, batch[axis])), *rest)


def softmax_inplace(x: np.ndarray) -> np.ndarray:
    """Softmax along the last axis (length >= 1), overwriting ``x``; returns ``x`` (no checks).

    The same steps as :func:`attnlab.functional.softmax.stable_softmax`, each written back
    into ``x``, so a large score array is never copied. ``fmax`` skips ``max``'s NaN handling
    (NaN from overflowed scores shows in the row sum instead), which makes the maximum cheaper.
    A row sum is +inf or NaN exactly when the row held +inf or NaN: a ScoresOverflowError.
    """
    m = np.fmax.reduce(x, axis=-1, keepdims=True)  # (..., 1)
    m[~np.isfinite(m)] = 0.0  # all-masked row: m = -inf, and any finite shift will do
    x -= m
    np.exp(x, out=x)
    s = x.sum(axis=-1, keepdims=True)  # (..., 1)
    check_row_max(s, x.dtype, ATTENTION_SCORES)  # inf or NaN: the scores overflowed
    s[s == 0] = 1.0  # all-masked row: 0 / 1 = 0
    x *= 1.0 / s  # one division per row, then a multiplication per entry
    return x
