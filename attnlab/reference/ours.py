"""attnlab's side of every comparison: run forward and backward, return arrays by name.

Each runner takes the forward's inputs plus the upstream gradient ``dout`` and returns
``{"out": ..., "d<input>": ...}``. :mod:`.twins` returns the same names from torch, and
:mod:`.golden` compares these runners with stored torch results, so all three agree on names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .. import functional as F
from ..nn import MultiHeadAttention
from ..optim import SGD, Adam

OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def softmax(x, dout, mask=None, *, axis: int = -1) -> dict:
    out, cache = F.softmax_forward(x, axis=axis, mask=mask)
    return {"out": out, "dx": F.softmax_backward(dout, cache)}


def linear(x, weight, dout, bias=None) -> dict:
    out, cache = F.linear_forward(x, weight, bias)
    dx, dweight, dbias = F.linear_backward(dout, cache)
    return {"out": out, "dx": dx, "dweight": dweight, "dbias": dbias}


def layer_norm(x, weight, bias, dout, *, eps: float = 1e-5) -> dict:
    out, cache = F.layer_norm_forward(x, weight, bias, eps)
    dx, dweight, dbias = F.layer_norm_backward(dout, cache)
    return {"out": out, "dx": dx, "dweight": dweight, "dbias": dbias}


def gelu(x, dout) -> dict:
    out, cache = F.gelu_forward(x)
    return {"out": out, "dx": F.gelu_backward(dout, cache)}


def attention(q, k, v, dout, mask=None, *, is_causal: bool = False, scale=None) -> dict:
    out, cache = F.attention_forward(q, k, v, mask, is_causal=is_causal, scale=scale)
    dq, dk, dv = F.attention_backward(dout, cache)
    return {"out": out, "weights": cache.weights, "dq": dq, "dk": dk, "dv": dv}


def multi_head_attention(
    query, key, value, dout, mask=None, *, state: Mapping, num_heads: int, is_causal: bool = False
) -> dict:
    """Run :class:`attnlab.nn.MultiHeadAttention` loaded with ``state`` (torch's key names)."""
    query = np.asarray(query)
    E = query.shape[-1]
    module = MultiHeadAttention(E, num_heads, bias="in_proj_bias" in state, dtype=query.dtype)
    module.load_state_dict(state)
    out, weights = module.forward(query, key, value, mask, is_causal=is_causal)
    dquery, dkey, dvalue = module.backward(dout)
    result = {"out": out, "weights": weights, "dquery": dquery, "dkey": dkey, "dvalue": dvalue}
    result.update({f"d{name}": g for name, g in module.grads.items()})
    return result


def optimizer(
    name: str, params: Mapping, grads_per_step: Sequence[Mapping], **hyper
) -> dict[str, np.ndarray]:
    """Parameters after one ``step()`` per entry of ``grads_per_step`` (on copies)."""
    params = {k: np.array(p) for k, p in params.items()}
    grads = {k: np.zeros_like(p) for k, p in params.items()}
    opt = OPTIMIZERS[name](params, grads, **hyper)
    for step_grads in grads_per_step:
        for k, g in step_grads.items():
            grads[k][...] = g
        opt.step()
    return params
