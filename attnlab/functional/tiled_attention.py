"""Tiled attention: exact softmax attention that never holds the T x S weights.

The standard path (:mod:`attnlab.functional.attention`) builds the whole T x S weight matrix:
T x S x 8 bytes in float64 for each head (512 MiB for T = S = 8192). Here the keys are read in
blocks of ``block_size`` and the softmax is computed *online* (Milakov & Gimelshein 2018, the idea
behind FlashAttention). For each query row we keep only two numbers while the blocks go by:

    m  = the largest score seen so far
    l  = sum of exp(score - m) over the keys seen so far
    acc = sum of exp(score - m) v over the keys seen so far        (T x Dv, like the output)

When a new block raises the maximum from m to m', everything summed so far was measured
against the old m, so it is rescaled by exp(m - m') (<= 1, no overflow):

    m' = max(m, max_j s_j)
    l' = l exp(m - m') + sum_j exp(s_j - m')
    acc' = acc exp(m - m') + sum_j exp(s_j - m') v_j

After the last block, out = acc / l: exactly softmax(scores) v, up to rounding.

The backward keeps only the log-sum-exp ``lse = m + log l`` per row (O(T) numbers) and
*recomputes* each block's weights, ``w_blk = exp(s_blk - lse)``, instead of storing them: one
more matrix product in exchange for memory that grows with T, not T x S. With
``rowdot_i = dout_i . out_i`` (= sum_j dw_ij w_ij) every block's gradients are local:

    dv_blk = w_blk^T dout       ds_blk = w_blk * (dout v_blk^T - rowdot)
    dq += ds_blk k_blk scale    dk_blk = ds_blk^T q scale

Masks are those of :func:`attention_forward`: boolean (True = may attend), additive float,
``is_causal``; a fully masked row gives output 0 and gradient 0, never NaN.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import (
    as_dout,
    check_cache,
    check_positive_int,
    check_qkv,
    check_scale,
    unbroadcast,
)
from ..masks import prepare_mask
from .softmax import ATTENTION_SCORES, check_row_max


class TiledAttentionCache(NamedTuple):
    q: np.ndarray  # (..., T, D)
    k: np.ndarray  # (..., S, D)
    v: np.ndarray  # (..., S, Dv)
    out: np.ndarray  # (..., T, Dv) a private copy, for rowdot in the backward
    lse: np.ndarray  # (..., T, 1) log-sum-exp of each row's scores: all the softmax needs
    allowed: np.ndarray | None  # bool, broadcastable to (..., T, S), or None
    bias: np.ndarray | None  # float, broadcastable to (..., T, S), or None
    is_causal: bool
    scale: float
    block_size: int


def key_blocks(S: int, block_size: int):
    """The slices ``[j0, j1)`` that cut ``S`` keys into blocks of ``block_size``."""
    for j0 in range(0, S, block_size):
        yield slice(j0, min(j0 + block_size, S))


@np.errstate(over="ignore", invalid="ignore")  # an overflow is reported by check_row_max
def block_scores(qs, k, allowed, bias, is_causal: bool, j: slice) -> np.ndarray:
    """Masked scores ``(q scale) k_blk^T`` of the key block ``j``; masked entries are -inf.

    ``allowed`` and ``bias`` are None or (..., T, S) views; only their block ``j`` is read.
    """
    s = qs @ k[..., j, :].swapaxes(-1, -2)  # (..., T, Sb)
    if bias is not None:
        s += bias[..., j]
    if allowed is not None:
        np.copyto(s, -np.inf, where=~allowed[..., j])
    if is_causal:  # query i sees keys <= i, built per block: no T x S mask in memory
        keys = np.arange(j.start, j.stop)  # (Sb,)
        np.copyto(s, -np.inf, where=keys[None, :] > np.arange(s.shape[-2])[:, None])  # (T, Sb)
    return s


def tiled_attention_forward(
    q,
    k,
    v,
    mask=None,
    *,
    is_causal: bool = False,
    scale: float | None = None,
    block_size: int | None = None,
):
    """Attention ``softmax(q k^T scale + mask) v`` computed over blocks of keys.

    Same arguments and result as :func:`attnlab.functional.attention_forward`, plus
    ``block_size`` (keys per block; default: about 2^20 scores per block, at least 64 keys).
    The cache holds O(T) statistics, not the T x S weights.

    Returns ``(out, cache)``: out (..., T, Dv) and a :class:`TiledAttentionCache`.
    """
    q, k, v = check_qkv(q, k, v)
    scale = check_scale(scale, q.shape[-1])
    T, S = q.shape[-2], k.shape[-2]
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if block_size is None:
        rows = int(np.prod(batch, dtype=np.int64)) * T  # query rows processed at once
        block_size = max(64, 2**20 // max(rows, 1))  # a block of scores: about 2^20 numbers
    block_size = check_positive_int(block_size, "block_size")
    if not isinstance(is_causal, (bool, np.bool_)):
        raise TypeError(f"is_causal must be True or False, got {is_causal!r}")
    allowed, bias = prepare_mask(mask, (*batch, T, S))  # the causal part is made per block
    # Broadcast views (no copies) to the full score shape, so a key block is one slice [..., j].
    if allowed is not None:
        allowed = np.broadcast_to(allowed, (*batch, T, S))  # (..., T, S) view
    if bias is not None:
        bias = np.broadcast_to(bias.astype(q.dtype, copy=False), (*batch, T, S))  # (..., T, S) view

    with np.errstate(over="ignore"):  # q scale = inf shows in the scores: check_row_max
        qs = q * scale  # (..., T, D)
    m = np.full((*batch, T, 1), -np.inf, dtype=q.dtype)  # (..., T, 1) running max
    l = np.zeros((*batch, T, 1), dtype=q.dtype)  # (..., T, 1) running sum of exp
    acc = np.zeros((*batch, T, v.shape[-1]), dtype=q.dtype)  # (..., T, Dv) running sum of exp * v
    for j in key_blocks(S, block_size):
        s = block_scores(qs, k, allowed, bias, is_causal, j)  # (..., T, Sb)
        m_new = np.maximum(m, s.max(axis=-1, keepdims=True))  # (..., T, 1)
        check_row_max(m_new, q.dtype, ATTENTION_SCORES)  # +inf or NaN: the scores overflowed
        # A row with no allowed key so far has m_new = -inf; shift it by 0 instead (exp gives 0).
        shift = np.where(np.isfinite(m_new), m_new, 0.0).astype(q.dtype, copy=False)  # (..., T, 1)
        rescale = np.exp(m - shift)  # (..., T, 1) exp(m - m'), 1 when the max did not move
        with np.errstate(over="ignore"):  # s - shift below -1.8e308: -inf, exp gives 0
            s -= shift
        p = np.exp(s, out=s)  # (..., T, Sb) unnormalised weights of this block, in place
        l *= rescale
        l += p.sum(axis=-1, keepdims=True)
        acc *= rescale
        acc += p @ v[..., j, :]  # (..., T, Dv)
        m = m_new
    has_keys = l > 0  # (..., T, 1) False for fully masked rows
    out = acc / np.where(has_keys, l, 1.0).astype(q.dtype, copy=False)  # (..., T, Dv) 0 if no key
    # lse = +inf for a fully masked row makes every recomputed weight exp(s - inf) = 0.
    with np.errstate(divide="ignore"):
        lse = np.where(has_keys, m + np.log(l), np.inf).astype(q.dtype, copy=False)  # (..., T, 1)
    cache = TiledAttentionCache(
        q=q,
        k=k,
        v=v,
        out=out.copy(),  # its own copy: changing the returned out cannot change the backward
        lse=lse,
        allowed=allowed,
        bias=bias,
        is_causal=bool(is_causal),
        scale=scale,
        block_size=block_size,
    )
    return out, cache


def tiled_attention_backward(dout, cache: TiledAttentionCache):
    """Gradients ``(dq, dk, dv)``, each in its input's shape; weights recomputed block by block."""
    check_cache(cache, TiledAttentionCache, "tiled_attention_forward")
    q, k, v, out, lse = cache.q, cache.k, cache.v, cache.out, cache.lse
    allowed, bias, is_causal, scale = cache.allowed, cache.bias, cache.is_causal, cache.scale
    block_size = cache.block_size
    batch, T, S, D = out.shape[:-2], q.shape[-2], k.shape[-2], q.shape[-1]
    dout = as_dout(dout, out.shape, out.dtype)  # (..., T, Dv)
    # sum_j dw_ij w_ij over all blocks equals dout_i . out_i (dw = dout v^T and out = w v):
    # known before any block is recomputed, and only T x Dv work.
    rowdot = np.sum(dout * out, axis=-1, keepdims=True)  # (..., T, 1)
    qs = q * scale  # (..., T, D)
    dq = np.zeros((*batch, T, D), dtype=q.dtype)  # (..., T, D) summed over the key blocks
    dk = np.empty((*batch, S, D), dtype=q.dtype)  # (..., S, D) one block of rows at a time
    dv = np.empty((*batch, S, v.shape[-1]), dtype=q.dtype)  # (..., S, Dv)
    for j in key_blocks(S, block_size):
        s = block_scores(qs, k, allowed, bias, is_causal, j)  # (..., T, Sb)
        with np.errstate(over="ignore"):  # as in the forward: -inf, and exp gives 0
            s -= lse
        w = np.exp(s, out=s)  # (..., T, Sb) this block's weights, recomputed in place
        # out = w @ v
        dv[..., j, :] = w.swapaxes(-1, -2) @ dout  # (..., Sb, Dv)
        dw = dout @ v[..., j, :].swapaxes(-1, -2)  # (..., T, Sb)
        # w = softmax(scores): dscores = w * (dw - rowdot), in place in dw
        dw -= rowdot
        dw *= w  # (..., T, Sb) dscores
        # scores = (q scale) @ k^T
        dq += dw @ k[..., j, :]  # (..., T, D) scale applied once at the end
        dk[..., j, :] = dw.swapaxes(-1, -2) @ qs  # (..., Sb, D)
    dq *= scale
    return unbroadcast(dq, q.shape), unbroadcast(dk, k.shape), unbroadcast(dv, v.shape)
