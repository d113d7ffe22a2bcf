"""torch twins of the positions that act inside attention: RoPE, ALiBi, and multi-head
attention with them. Written from the papers' formulas in torch's own idiom (the
``rotate_half`` form of GPT-NeoX / LLaMA, the recursive ``get_slopes`` of the ALiBi paper), not
from attnlab's code, so a shared mistake is unlikely. torch is imported when one is called.

    compare_rope(x, positions)                    attnlab's rope_forward/backward vs torch
    compare_mha_positions(mha, query, ...)        MultiHeadAttention(rope=, alibi=) vs torch
"""

from __future__ import annotations

import math

import numpy as np

from ..i18n import tr
from ._torch import numpy as to_numpy
from ._torch import require_torch, tensor
from .report import ParityReport


def torch_rope(x, positions, base: float = 10000.0):
    """RoPE of a torch tensor x (..., T, D): ``x cos + rotate_half(x) sin`` (LLaMA's form).

    The angles are computed in float64 and cast to x's dtype, as attnlab does.
    """
    torch = require_torch()
    D = x.shape[-1]
    pos = torch.as_tensor(np.asarray(positions), dtype=torch.float64)
    inv_freq = 1.0 / (base ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
    freqs = torch.outer(pos, inv_freq)  # (T, D/2)
    emb = torch.cat((freqs, freqs), dim=-1)  # (T, D): each angle for both halves
    cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
    x1, x2 = x[..., : D // 2], x[..., D // 2 :]
    rotate_half = torch.cat((-x2, x1), dim=-1)
    return x * cos + rotate_half * sin


def torch_alibi_slopes(n: int) -> list[float]:
    """The slopes as the ALiBi paper's code computes them (recursive form)."""

    def power_of_2(n):
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        return [start * start**i for i in range(n)]

    if math.log2(n).is_integer():
        return power_of_2(n)
    closest = 2 ** math.floor(math.log2(n))
    return power_of_2(closest) + torch_alibi_slopes(2 * closest)[0::2][: n - closest]


def torch_alibi_bias(n_head: int, query_positions, key_positions, dtype=None):
    """-m_h |i - j| as a torch tensor (H, T, S)."""
    torch = require_torch()
    slopes = torch.tensor(torch_alibi_slopes(n_head), dtype=torch.float64)
    qp = torch.as_tensor(np.asarray(query_positions), dtype=torch.float64)
    kp = torch.as_tensor(np.asarray(key_positions), dtype=torch.float64)
    dist = (qp[:, None] - kp[None, :]).abs()
    bias = -slopes[:, None, None] * dist
    return bias if dtype is None else bias.to(dtype)


def compare_rope(x, positions=None, *, base: float = 10000.0, seed: int = 0) -> ParityReport:
    """attnlab's :func:`~attnlab.functional.rope_forward` / ``rope_backward`` against
    :func:`torch_rope` and autograd, on x (..., T, D) and a random upstream gradient."""
    from ..functional import rope_backward, rope_forward

    out, cache = rope_forward(x, positions, base=base)
    dout = np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype)
    dx = rope_backward(dout, cache)
    pos = np.arange(out.shape[-2]) if positions is None else np.asarray(positions)
    tx = tensor(np.asarray(x, dtype=out.dtype), grad=True)
    tout = torch_rope(tx, pos, base)
    tout.backward(tensor(dout))
    title = tr("RoPE frente a torch (rotate_half)", "RoPE vs torch (rotate_half)")
    return ParityReport.from_arrays(
        title, out.dtype, {"out": out, "dx": dx}, {"out": to_numpy(tout), "dx": to_numpy(tx.grad)}
    )


def torch_mha_positions(
    state,
    query,
    key,
    value,
    n_head,
    *,
    is_causal,
    rope,
    rope_base,
    alibi,
    query_positions,
    key_positions,
):
    """Multi-head attention written out in torch, with RoPE and/or ALiBi; returns
    ``(out, weights, leaves)`` where leaves maps every input and weight name to its tensor."""
    torch = require_torch()
    F = torch.nn.functional
    leaves = {k: tensor(v, grad=True) for k, v in state.items()}
    leaves.update(query=tensor(query, grad=True), key=tensor(key, grad=True))
    leaves["value"] = tensor(value, grad=True)
    w_q, w_k, w_v = leaves["in_proj_weight"].chunk(3)
    b_q, b_k, b_v = (None,) * 3
    if "in_proj_bias" in leaves:
        b_q, b_k, b_v = leaves["in_proj_bias"].chunk(3)
    B, T, E = leaves["query"].shape
    S, D = leaves["key"].shape[1], E // n_head

    def heads(t, n):
        return t.view(B, n, n_head, D).transpose(1, 2)  # (B, H, n, D)

    q = heads(F.linear(leaves["query"], w_q, b_q), T)
    k = heads(F.linear(leaves["key"], w_k, b_k), S)
    v = heads(F.linear(leaves["value"], w_v, b_v), S)
    if rope:
        q, k = torch_rope(q, query_positions, rope_base), torch_rope(k, key_positions, rope_base)
    att = (q @ k.transpose(-2, -1)) / math.sqrt(D)
    if alibi:
        att = att + torch_alibi_bias(n_head, query_positions, key_positions, att.dtype)
    if is_causal:
        causal = torch.tril(torch.ones(T, S, dtype=torch.bool))
        att = att.masked_fill(~causal, float("-inf"))
    weights = torch.softmax(att, dim=-1)
    y = (weights @ v).transpose(1, 2).reshape(B, T, E)
    out = F.linear(y, leaves["out_proj.weight"], leaves.get("out_proj.bias"))
    return out, weights, leaves


def compare_mha_positions(
    mha,
    query,
    key=None,
    value=None,
    *,
    is_causal: bool = False,
    query_positions=None,
    key_positions=None,
    seed: int = 0,
) -> ParityReport:
    """attnlab's :class:`~attnlab.nn.MultiHeadAttention` with ``rope``/``alibi`` against the
    same attention written out in torch: output, weights, input and weight gradients."""
    key = query if key is None else key
    value = key if value is None else value
    out, weights = mha.forward(
        query,
        key,
        value,
        is_causal=is_causal,
        query_positions=query_positions,
        key_positions=key_positions,
    )
    dout = np.random.default_rng(seed).standard_normal(out.shape).astype(out.dtype)
    mha.zero_grad()
    dq, dk, dv = mha.backward(dout)
    T, S = out.shape[1], np.shape(key)[1]
    qpos = np.arange(T) if query_positions is None else np.asarray(query_positions)
    kpos = np.arange(S) if key_positions is None else np.asarray(key_positions)
    arrays = [np.asarray(a, dtype=out.dtype) for a in (query, key, value)]
    tout, tweights, leaves = torch_mha_positions(
        mha.state_dict(),
        *arrays,
        mha.num_heads,
        is_causal=is_causal,
        rope=mha.rope,
        rope_base=mha.rope_base,
        alibi=mha.alibi,
        query_positions=qpos,
        key_positions=kpos,
    )
    tout.backward(tensor(dout))
    ours = {"out": out, "weights": weights, "dquery": dq, "dkey": dk, "dvalue": dv}
    ref = {"out": to_numpy(tout), "weights": to_numpy(tweights)}
    same = query is key
    for name in ("query", "key", "value"):
        ref[f"d{name}"] = None if same else to_numpy(leaves[name].grad)
    if same:  # self-attention: one input, its gradient is the sum of the three uses
        ours["dx"] = dq + dk + dv
        ref["dx"] = sum(to_numpy(leaves[n].grad) for n in ("query", "key", "value"))
    for name, g in mha.grads.items():
        ours[f"grad:{name}"], ref[f"grad:{name}"] = g, to_numpy(leaves[name].grad)
    flags = ", ".join(n for n in ("rope", "alibi") if getattr(mha, n)) or "-"
    title = tr(
        f"MultiHeadAttention ({flags}) frente a torch", f"MultiHeadAttention ({flags}) vs torch"
    )
    return ParityReport.from_arrays(title, out.dtype, ours, ref)
