"""torch's side of every comparison, with the same inputs and names as :mod:`.ours`.

Each function copies the NumPy inputs into torch leaf tensors, runs torch's forward, calls
``backward(dout)`` and returns NumPy arrays. Where attnlab's conventions differ from torch's
(``nn.MultiheadAttention``'s boolean mask means *blocked*), the conversion happens here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..masks import causal_mask
from ._torch import numpy, require_torch, tensor


def _grads(**leaves) -> dict:
    return {f"d{name}": numpy(t.grad) if t is not None else None for name, t in leaves.items()}


def softmax(x, dout, mask=None, *, axis: int = -1) -> dict:
    """``torch.softmax``; a mask becomes ``masked_fill(~mask, -inf)`` (all-masked row: NaN)."""
    torch = require_torch()
    tx = tensor(x, grad=True)
    logits = (
        tx if mask is None else tx.masked_fill(~tensor(np.asarray(mask, dtype=bool)), -torch.inf)
    )
    out = torch.softmax(logits, dim=axis)
    out.backward(tensor(dout))
    return {"out": numpy(out), **_grads(x=tx)}


def linear(x, weight, dout, bias=None) -> dict:
    torch = require_torch()
    tx, tw = tensor(x, grad=True), tensor(weight, grad=True)
    tb = None if bias is None else tensor(bias, grad=True)
    out = torch.nn.functional.linear(tx, tw, tb)
    out.backward(tensor(dout))
    return {"out": numpy(out), **_grads(x=tx, weight=tw, bias=tb)}


def layer_norm(x, weight, bias, dout, *, eps: float = 1e-5) -> dict:
    torch = require_torch()
    tx, tw, tb = tensor(x, grad=True), tensor(weight, grad=True), tensor(bias, grad=True)
    out = torch.nn.functional.layer_norm(tx, tw.shape, tw, tb, eps)
    out.backward(tensor(dout))
    return {"out": numpy(out), **_grads(x=tx, weight=tw, bias=tb)}


def gelu(x, dout) -> dict:
    torch = require_torch()
    tx = tensor(x, grad=True)
    out = torch.nn.functional.gelu(tx)  # approximate="none": the exact erf form
    out.backward(tensor(dout))
    return {"out": numpy(out), **_grads(x=tx)}


def combine_causal(mask, t: int, s: int, dtype):
    """attnlab's ``mask`` and ``is_causal`` as one torch-ready mask (torch accepts only one)."""
    causal = causal_mask(t, s)  # (T, S)
    if mask is None:
        return causal
    mask = np.asarray(mask)
    if mask.dtype == bool:
        return mask & causal
    return np.where(causal, mask, -np.inf).astype(dtype)


def attention(q, k, v, dout, mask=None, *, is_causal: bool = False, scale=None) -> dict:
    """``torch.nn.functional.scaled_dot_product_attention`` (boolean mask: True = may attend)."""
    torch = require_torch()
    q, k, v = (np.asarray(a) for a in (q, k, v))
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    tq, tk, tv = tensor(q, grad=True), tensor(k, grad=True), tensor(v, grad=True)
    if is_causal and mask is not None:
        mask, is_causal = combine_causal(mask, q.shape[-2], k.shape[-2], q.dtype), False
    tmask = None if mask is None else tensor(np.asarray(mask))
    out = torch.nn.functional.scaled_dot_product_attention(
        tq.expand(*batch, *q.shape[-2:]),  # torch sums the gradient of a broadcast input back
        tk.expand(*batch, *k.shape[-2:]),
        tv.expand(*batch, *v.shape[-2:]),
        attn_mask=tmask,
        is_causal=is_causal,
        scale=scale,
    )
    out.backward(tensor(dout))
    return {"out": numpy(out), **_grads(q=tq, k=tk, v=tv)}


def multihead_mask(mask, B: int, H: int, T: int, S: int, dtype, is_causal: bool):
    """attnlab's mask (True = may attend, broadcastable to (B, H, T, S)) in torch MHA's form.

    ``nn.MultiheadAttention`` wants ``attn_mask`` (T, S) or (B*H, T, S), and a boolean True
    there means *not allowed*, so booleans become an additive float mask (0 or -inf).
    """
    if is_causal:
        mask = combine_causal(mask, T, S, dtype)
    if mask is None:
        return None
    mask = np.broadcast_to(np.asarray(mask), (B, H, T, S)).reshape(B * H, T, S)
    if mask.dtype == bool:
        mask = np.where(mask, 0.0, -np.inf)
    return mask.astype(dtype)


def torch_multihead(state: Mapping, num_heads: int, dtype=np.float64):
    """A ``torch.nn.MultiheadAttention(batch_first=True)`` holding the weights in ``state``."""
    torch = require_torch()
    from ._torch import torch_dtype

    E = np.shape(state["in_proj_weight"])[1]
    mha = torch.nn.MultiheadAttention(
        E, num_heads, bias="in_proj_bias" in state, batch_first=True, dtype=torch_dtype(dtype)
    )
    mha.load_state_dict({k: tensor(np.asarray(v, dtype=dtype)) for k, v in state.items()})
    return mha


def multi_head_attention(
    query, key, value, dout, mask=None, *, state: Mapping, num_heads: int, is_causal: bool = False
) -> dict:
    """``nn.MultiheadAttention`` with attnlab's weights; per-head weights (B, H, T, S)."""
    query, key, value = (np.asarray(a) for a in (query, key, value))
    mha = torch_multihead(state, num_heads, query.dtype)
    B, T, _ = query.shape
    S = key.shape[1]
    tmask = multihead_mask(mask, B, num_heads, T, S, query.dtype, is_causal)
    tq, tk, tv = tensor(query, grad=True), tensor(key, grad=True), tensor(value, grad=True)
    out, weights = mha(
        tq,
        tk,
        tv,
        attn_mask=None if tmask is None else tensor(tmask),
        need_weights=True,
        average_attn_weights=False,
    )
    out.backward(tensor(dout))
    result = {"out": numpy(out), "weights": numpy(weights), **_grads(query=tq, key=tk, value=tv)}
    result.update({f"d{name}": numpy(p.grad) for name, p in mha.named_parameters()})
    return result


def optimizer(name: str, params: Mapping, grads_per_step: Sequence[Mapping], **hyper) -> dict:
    """``torch.optim.SGD`` / ``Adam`` after one step per entry of ``grads_per_step``."""
    torch = require_torch()
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[name]
    tparams = {k: tensor(p, grad=True) for k, p in params.items()}
    opt = cls(list(tparams.values()), **hyper)
    for step_grads in grads_per_step:
        for k, t in tparams.items():
            t.grad = tensor(np.asarray(step_grads[k], dtype=params[k].dtype))
        opt.step()
    return {k: numpy(t) for k, t in tparams.items()}
