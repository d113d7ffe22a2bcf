"""Multi-head attention, with torch's weight layout.

    q = query W_q^T + b_q,  k = key W_k^T + b_k,  v = value W_v^T + b_v      (B, T|S, E)
    split each into H heads of size D = E / H                                (B, H, T|S, D)
    rope=True:  q, k = rope(q, query_positions), rope(k, key_positions)      per head
    alibi=True: mask = mask + alibi_bias(H, query_positions, key_positions)  (H, T, S)
    a = attention(q, k, v, mask)                                             (B, H, T, D)
    merge heads back                                                         (B, T, E)
    out = a W_o^T + b_o                                                      (B, T, E)

``in_proj_weight`` (3E, E) stacks W_q, W_k, W_v by rows and ``in_proj_bias`` (3E,) stacks their
biases, exactly as ``torch.nn.MultiheadAttention`` stores them. The backward runs the same
steps in reverse, reusing the functional pairs of linear, RoPE and attention.

Positions inside attention (both off by default): ``rope=True`` rotates each head's queries
and keys (:func:`attnlab.functional.rope_forward`, after the projections, before the
scores); ``alibi=True`` adds :func:`attnlab.alibi_bias` to the scores. Both use the absolute
positions ``query_positions`` (T,) and ``key_positions`` (S,), ``arange`` by default.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_cache, check_positive_int
from ..masks import prepare_mask
from .alibi import alibi_bias
from .attention import AttentionCache, attention_backward, attention_forward
from .linear import LinearCache, linear_backward, linear_forward
from .rope import RopeCache, check_base, check_positions, rope_backward, rope_forward


def split_heads(x: np.ndarray, num_heads: int) -> np.ndarray:
    """(B, T, E) -> (B, H, T, D), a view: head h owns features h*D .. (h+1)*D - 1."""
    x = x if isinstance(x, np.ndarray) else as_float_array(x, "x")
    H = check_positive_int(num_heads, "num_heads")
    if x.ndim != 3 or x.shape[-1] % H:
        raise ValueError(
            f"x must have shape (B, T, E) with E divisible by num_heads={H}, got {x.shape}"
        )
    B, T, E = x.shape
    return x.reshape(B, T, H, E // H).transpose(0, 2, 1, 3)  # (B, H, T, D)


def merge_heads(x: np.ndarray) -> np.ndarray:
    """(B, H, T, D) -> (B, T, E): the inverse of :func:`split_heads` (a copy unless H = 1)."""
    x = x if isinstance(x, np.ndarray) else as_float_array(x, "x")
    if x.ndim != 4:
        raise ValueError(f"x must have shape (B, H, T, D), got {x.shape}")
    B, H, T, D = x.shape
    return x.transpose(0, 2, 1, 3).reshape(B, T, H * D)  # (B, T, E)


class MultiHeadCache(NamedTuple):
    q_proj: LinearCache
    k_proj: LinearCache
    v_proj: LinearCache
    attn: AttentionCache  # attn.weights is (B, H, T, S)
    out_proj: LinearCache
    num_heads: int
    q_rope: RopeCache | None = None  # the rotations of q and k (rope=True), else None
    k_rope: RopeCache | None = None


def multi_head_attention_forward(
    query,
    key,
    value,
    in_proj_weight,
    in_proj_bias,
    out_weight,
    out_bias,
    num_heads: int,
    mask=None,
    *,
    is_causal: bool = False,
    rope: bool = False,
    rope_base: float = 10000.0,
    alibi: bool = False,
    query_positions=None,
    key_positions=None,
) -> tuple[np.ndarray, MultiHeadCache]:
    """Multi-head attention on batch-first inputs query (B, T, E), key and value (B, S, E).

    Biases may be None. ``mask`` is boolean (True = may attend) or additive float,
    broadcastable to (B, H, T, S). ``rope`` / ``alibi`` / positions: see the module
    docstring (RoPE needs an even head size D). Returns ``(out, cache)``: out (B, T, E);
    ``cache.attn.weights`` holds the per-head weights (B, H, T, S).
    """
    query, key, value, in_proj_weight, in_proj_bias, out_weight, out_bias, qpos, kpos = (
        check_multi_head(
            query, key, value, in_proj_weight, in_proj_bias, out_weight, out_bias, num_heads,
            rope=rope, rope_base=rope_base, alibi=alibi,
            query_positions=query_positions, key_positions=key_positions,
        )
    )  # fmt: skip
    B, T, S, H = query.shape[0], query.shape[1], key.shape[1], int(num_heads)
    if alibi:  # ALiBi's -m_h |i - j| joins the mask: one additive float mask (H, T, S)
        mask = add_alibi(mask, H, qpos, kpos, (B, H, T, S), query.dtype)
    w_q, w_k, w_v = np.split(in_proj_weight, 3)  # 3 x (E, E)
    b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else np.split(in_proj_bias, 3)  # 3 x (E,)

    q, q_cache = linear_forward(query, w_q, b_q)  # (B, T, E)
    k, k_cache = linear_forward(key, w_k, b_k)  # (B, S, E)
    v, v_cache = linear_forward(value, w_v, b_v)  # (B, S, E)
    qh, kh, vh = split_heads(q, H), split_heads(k, H), split_heads(v, H)  # (B, H, T|S, D)
    q_rope = k_rope = None
    if rope:  # rotate each head's queries and keys by their absolute positions
        qh, q_rope = rope_forward(qh, qpos, base=rope_base)  # (B, H, T, D)
        kh, k_rope = rope_forward(kh, kpos, base=rope_base)  # (B, H, S, D)
    a, attn_cache = attention_forward(qh, kh, vh, mask, is_causal=is_causal)  # (B, H, T, D)
    out, out_cache = linear_forward(merge_heads(a), out_weight, out_bias)  # (B, T, E)
    return out, MultiHeadCache(q_cache, k_cache, v_cache, attn_cache, out_cache, H, q_rope, k_rope)


def add_alibi(mask, H: int, query_positions, key_positions, scores_shape, dtype) -> np.ndarray:
    """``mask`` (None, boolean or additive float) with ALiBi's bias added: one float mask.

    Masked entries (False or -inf) stay -inf; the others get -m_h |i - j| added.
    """
    allowed, extra = prepare_mask(mask, scores_shape)  # validated: bool or None, float or None
    bias = alibi_bias(H, query_positions, key_positions, dtype=dtype)  # (H, T, S)
    if extra is not None:
        bias = bias + extra  # (B, H, T, S) or (H, T, S)
    if allowed is not None:
        bias = np.where(allowed, bias, -np.inf)  # masked entries stay masked
    return bias.astype(dtype, copy=False)


def multi_head_attention_backward(dout, cache: MultiHeadCache):
    """Gradients ``(dquery, dkey, dvalue, din_proj_weight, din_proj_bias, dw_out, db_out)``.

    ``dw_out``, ``db_out`` are the gradients of ``out_weight`` and ``out_bias``. Bias gradients
    are None where the forward had no bias. For self-attention (query, key and value the same
    array) the input gradient is ``dquery + dkey + dvalue``.
    """
    check_cache(cache, MultiHeadCache, "multi_head_attention_forward")
    H, out_proj = cache.num_heads, cache.out_proj
    dout = as_dout(dout, (*out_proj.x.shape[:-1], out_proj.weight.shape[0]), out_proj.x.dtype)

    # out = merge_heads(a) W_o^T + b_o
    da, dw_out, db_out = linear_backward(dout, out_proj)  # (B, T, E), (E, E), (E,)
    # a = attention(qh, kh, vh) with qh, kh, vh = split_heads(q), ... (rotated if rope)
    dqh, dkh, dvh = attention_backward(split_heads(da, H), cache.attn)  # (B, H, T|S, D)
    if cache.q_rope is not None:  # qh = rope(split_heads(q)): undo the rotation
        dqh = rope_backward(dqh, cache.q_rope)  # (B, H, T, D)
        dkh = rope_backward(dkh, cache.k_rope)  # (B, H, S, D)
    # q, k, v = the three projections of query, key, value
    dquery, dw_q, db_q = linear_backward(merge_heads(dqh), cache.q_proj)  # (B, T, E)
    dkey, dw_k, db_k = linear_backward(merge_heads(dkh), cache.k_proj)  # (B, S, E)
    dvalue, dw_v, db_v = linear_backward(merge_heads(dvh), cache.v_proj)  # (B, S, E)
    din_proj_weight = np.concatenate([dw_q, dw_k, dw_v])  # (3E, E)
    din_proj_bias = None if db_q is None else np.concatenate([db_q, db_k, db_v])  # (3E,)
    return dquery, dkey, dvalue, din_proj_weight, din_proj_bias, dw_out, db_out


def check_multi_head(
    query,
    key,
    value,
    in_proj_weight,
    in_proj_bias,
    out_weight,
    out_bias,
    H,
    *,
    rope=False,
    rope_base=10000.0,
    alibi=False,
    query_positions=None,
    key_positions=None,
):
    """Validate multi-head attention's arguments; return the arrays and the positions.

    query (B, T, E), key and value (B, S, E), in_proj_weight (3E, E), in_proj_bias (3E,),
    out_weight (E, E), out_bias (E,), and ``H`` heads dividing E; ``rope`` and ``alibi``
    True or False, with RoPE an even head size D = E / H and a valid ``rope_base``;
    ``query_positions`` (T,) and ``key_positions`` (S,) integers >= 0 (default ``arange``).
    Returns ``(query, key, value, in_proj_weight, in_proj_bias, out_weight, out_bias,
    query_positions, key_positions)``; the biases may stay None.
    """
    query = as_float_array(query, "query")
    key = as_float_array(key, "key")
    value = as_float_array(value, "value")
    for name, x in (("query", query), ("key", key), ("value", value)):
        if x.ndim != 3:
            raise ValueError(f"{name} must have shape (B, L, E), got {x.shape}")
    if key.shape != value.shape:
        raise ValueError(
            f"key and value must have the same shape, got key {key.shape} and value {value.shape}"
        )
    if query.shape[0] != key.shape[0]:
        raise ValueError(
            f"query has batch {query.shape[0]} but key has {key.shape[0]} "
            f"(query: {query.shape}, key: {key.shape})"
        )
    E = query.shape[-1]
    if key.shape[-1] != E:
        raise ValueError(
            f"key has {key.shape[-1]} features but query has {E} "
            f"(query: {query.shape}, key: {key.shape})"
        )
    H = check_positive_int(H, "num_heads")
    if E % H:
        raise ValueError(f"embed_dim {E} is not divisible by num_heads {H}")
    in_proj_weight = as_float_array(in_proj_weight, "in_proj_weight")
    if in_proj_weight.ndim == 2 and in_proj_weight.shape[1] != E:
        raise ValueError(
            f"query has {E} features but the projection weights expect {in_proj_weight.shape[1]} "
            f"(query: {query.shape}, in_proj_weight: {in_proj_weight.shape})"
        )
    arrays = {"in_proj_weight": (in_proj_weight, (3 * E, E))}
    arrays["in_proj_bias"] = (in_proj_bias, (3 * E,))
    arrays["out_weight"] = (out_weight, (E, E))
    arrays["out_bias"] = (out_bias, (E,))
    checked = []
    for name, (p, shape) in arrays.items():
        if p is not None or name.endswith("weight"):
            p = as_float_array(p, name)
            if p.shape != shape:
                raise ValueError(f"{name} must have shape {shape} (E = {E}), got {p.shape}")
        checked.append(p)
    for name, flag in (("rope", rope), ("alibi", alibi)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    if rope:
        check_base(rope_base)
        if (E // H) % 2:
            raise ValueError(f"rope needs an even head size, got D = E / H = {E // H}")
    T, S = query.shape[1], key.shape[1]
    qpos = np.arange(T) if query_positions is None else check_positions(query_positions, T)
    kpos = np.arange(S) if key_positions is None else check_positions(key_positions, S)
    return query, key, value, *checked, qpos, kpos
