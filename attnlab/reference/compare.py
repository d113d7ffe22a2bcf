"""Run the same computation in attnlab and in torch and report the largest differences.

Every ``compare_*`` function validates its inputs with attnlab's own checks, draws a random
upstream gradient ``dout`` (seeded), runs forward and backward on both sides (see
:mod:`.ours` and :mod:`.twins`) and returns a :class:`ParityReport` for the output and every
gradient. torch is imported only when a comparison runs::

    >>> from attnlab.reference import compare_attention
    >>> print(compare_attention(q, k, v, is_causal=True))      # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from .. import functional as F
from .._validate import check_positive_int, check_qkv
from ..i18n import tr
from . import ours, twins
from ._torch import require_torch
from .report import ParityReport


def _dout(shape, dtype, seed: int) -> np.ndarray:
    """A seeded random upstream gradient of the output's shape and dtype."""
    seed = check_positive_int(seed, "seed", allow_zero=True)
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _report(title: str, dtype, inputs: dict, kwargs: dict, op: str, note: str = "") -> ParityReport:
    require_torch()  # fail with the install hint before doing any work
    mine = getattr(ours, op)(**inputs, **kwargs)
    ref = getattr(twins, op)(**inputs, **kwargs)
    return ParityReport.from_arrays(title, dtype, mine, ref, note)


def compare_softmax(x, mask=None, *, axis: int = -1, seed: int = 0) -> ParityReport:
    """attnlab's softmax vs ``torch.softmax`` (mask applied as ``masked_fill(~mask, -inf)``)."""
    out, _ = F.softmax_forward(x, axis=axis, mask=mask)
    x = np.asarray(x, dtype=out.dtype)
    inputs = {"x": x, "dout": _dout(out.shape, out.dtype, seed), "mask": mask}
    empty = int(np.sum(~out.any(axis=axis)))
    note = (
        tr(
            f"{empty} fila(s) totalmente enmascarada(s): attnlab da 0, torch.softmax NaN",
            f"{empty} row(s) fully masked: attnlab gives 0, torch.softmax NaN",
        )
        if empty
        else ""
    )
    title = tr("softmax frente a torch.softmax", "softmax vs torch.softmax")
    return _report(title, out.dtype, inputs, {"axis": axis}, "softmax", note)


def compare_linear(x, weight, bias=None, *, seed: int = 0) -> ParityReport:
    """attnlab's linear vs ``torch.nn.functional.linear`` (``nn.Linear``'s forward)."""
    out, cache = F.linear_forward(x, weight, bias)
    dtype = out.dtype
    b = None if bias is None else np.asarray(bias, dtype=dtype)
    inputs = {
        "x": cache.x,
        "weight": cache.weight,
        "bias": b,
        "dout": _dout(out.shape, dtype, seed),
    }
    title = tr("linear frente a torch.nn.Linear", "linear vs torch.nn.Linear")
    return _report(title, dtype, inputs, {}, "linear")


def compare_layer_norm(
    x, weight=None, bias=None, *, eps: float = 1e-5, seed: int = 0
) -> ParityReport:
    """attnlab's layer_norm vs ``torch.nn.functional.layer_norm`` (weight 1, bias 0 by default)."""
    x_arr = np.asarray(x)
    E = x_arr.shape[-1] if x_arr.ndim else 0
    weight = np.ones(E, dtype=x_arr.dtype) if weight is None else weight
    bias = np.zeros(E, dtype=x_arr.dtype) if bias is None else bias
    out, _ = F.layer_norm_forward(x, weight, bias, eps)
    dtype = out.dtype
    inputs = {
        "x": np.asarray(x, dtype=dtype),
        "weight": np.asarray(weight, dtype=dtype),
        "bias": np.asarray(bias, dtype=dtype),
        "dout": _dout(out.shape, dtype, seed),
    }
    title = tr("layer_norm frente a torch.nn.LayerNorm", "layer_norm vs torch.nn.LayerNorm")
    return _report(title, dtype, inputs, {"eps": eps}, "layer_norm")


def compare_gelu(x, *, seed: int = 0) -> ParityReport:
    """attnlab's exact GELU vs ``torch.nn.GELU()``."""
    out, cache = F.gelu_forward(x)
    inputs = {"x": cache.x, "dout": _dout(out.shape, out.dtype, seed)}
    title = tr("gelu frente a torch.nn.GELU", "gelu vs torch.nn.GELU")
    return _report(title, out.dtype, inputs, {}, "gelu")


def compare_attention(
    q, k, v, mask=None, *, is_causal: bool = False, scale=None, seed: int = 0
) -> ParityReport:
    """attnlab's attention vs ``torch.nn.functional.scaled_dot_product_attention``.

    Same arguments as :func:`attnlab.scaled_dot_product_attention`. Reports ``out``, ``dq``,
    ``dk``, ``dv``. Raises ImportError (naming the ``torch`` extra) when torch is missing.
    """
    q, k, v = check_qkv(q, k, v)
    out, cache = F.attention_forward(q, k, v, mask, is_causal=is_causal, scale=scale)
    empty = int(np.sum(~cache.weights.any(axis=-1)))
    note = (
        tr(
            f"{empty} fila(s) de consulta sin ninguna clave permitida: attnlab y torch dan 0 ahí",
            f"{empty} query row(s) have no allowed key: attnlab and torch both give 0 there",
        )
        if empty
        else ""
    )
    inputs = {"q": q, "k": k, "v": v, "dout": _dout(out.shape, out.dtype, seed), "mask": mask}
    kwargs = {"is_causal": is_causal, "scale": scale}
    title = tr(
        "atención frente a torch.nn.functional.scaled_dot_product_attention",
        "attention vs torch.nn.functional.scaled_dot_product_attention",
    )
    return _report(title, out.dtype, inputs, kwargs, "attention", note)
