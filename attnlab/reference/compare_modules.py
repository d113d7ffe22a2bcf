"""Comparisons for stateful pieces: ``nn.MultiheadAttention`` and the optimizers."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..i18n import tr
from ..masks import prepare_mask
from . import ours, twins
from ._torch import require_torch
from .report import ParityReport


def compare_multi_head_attention(
    module, query, key=None, value=None, mask=None, *, is_causal: bool = False, seed: int = 0
) -> ParityReport:
    """attnlab's :class:`~attnlab.nn.MultiHeadAttention` vs ``torch.nn.MultiheadAttention``.

    torch's module gets ``module``'s weights (``batch_first=True``); our boolean mask (True =
    may attend) is converted to torch's form. Reports the output, the per-head weights
    (B, H, T, S), the three input gradients and every parameter gradient.

    torch's module returns NaN for a query row whose keys are all masked (attnlab gives 0), so
    such masks are refused with a ValueError here.
    """
    from ..nn import MultiHeadAttention

    if not isinstance(module, MultiHeadAttention):
        raise TypeError(
            f"module must be an attnlab.nn.MultiHeadAttention, got {type(module).__name__}"
        )
    key = query if key is None else key
    value = key if value is None else value
    out, weights = module.forward(query, key, value, mask, is_causal=is_causal)  # validates
    require_torch()
    allowed, _ = prepare_mask(mask, weights.shape, is_causal=is_causal)
    if allowed is not None and not np.broadcast_to(allowed, weights.shape).any(axis=-1).all():
        raise ValueError(
            "some query rows have every key masked: torch.nn.MultiheadAttention returns NaN "
            "there (attnlab returns 0), so there is nothing to compare; use "
            "compare_attention for fully masked rows"
        )
    dtype = out.dtype
    arrays = [np.asarray(a, dtype=dtype) for a in (query, key, value)]
    dout = np.random.default_rng(seed).standard_normal(out.shape).astype(dtype)
    kwargs = {"state": module.state_dict(), "num_heads": module.num_heads, "is_causal": is_causal}
    inputs = dict(zip(("query", "key", "value"), arrays, strict=True), dout=dout, mask=mask)
    mine = ours.multi_head_attention(**inputs, **kwargs)
    ref = twins.multi_head_attention(**inputs, **kwargs)
    title = tr(
        "MultiHeadAttention frente a torch.nn.MultiheadAttention(batch_first=True)",
        "MultiHeadAttention vs torch.nn.MultiheadAttention(batch_first=True)",
    )
    return ParityReport.from_arrays(title, dtype, mine, ref)


def random_grads(params: Mapping, steps: int, seed: int = 0) -> list[dict[str, np.ndarray]]:
    """``steps`` dicts of standard-normal gradients shaped like ``params``."""
    rng = np.random.default_rng(seed)
    return [
        {k: rng.standard_normal(np.shape(p)).astype(np.asarray(p).dtype) for k, p in params.items()}
        for _ in range(steps)
    ]


def compare_optimizer(name: str, params, *, steps: int = 5, seed: int = 0, **hyper) -> ParityReport:
    """attnlab.optim vs torch.optim: the parameters after ``steps`` steps on random gradients.

    ``name`` is ``"sgd"`` or ``"adam"``; ``params`` a dict of arrays or a Module (left
    untouched: both sides work on copies); ``hyper`` goes to both constructors (``lr``, ...).
    """
    if name not in ours.OPTIMIZERS:
        raise ValueError(f"name must be one of {sorted(ours.OPTIMIZERS)}, got {name!r}")
    params = dict(params.params if hasattr(params, "params") else params)
    if not params:
        raise ValueError("params is empty: nothing to optimise")
    require_torch()
    grads = random_grads(params, steps, seed)
    mine = ours.optimizer(name, params, grads, **hyper)
    ref = twins.optimizer(name, params, grads, **hyper)
    settings = ", ".join(f"{k}={v}" for k, v in hyper.items())
    optimizer = f"{ours.OPTIMIZERS[name].__name__}({settings})"
    title = tr(
        f"{optimizer} frente a torch.optim, {steps} pasos",
        f"{optimizer} vs torch.optim, {steps} steps",
    )
    dtype = np.result_type(*params.values())
    return ParityReport.from_arrays(title, dtype, mine, ref)
