"""Learning-rate schedule and gradient clipping for transformer training (as in nanoGPT).

Warmup then cosine decay::

    lr(step) = max_lr * (step + 1) / warmup                     step < warmup
             = min_lr + (max_lr - min_lr) (1 + cos(pi r)) / 2   warmup <= step < total
             = min_lr                                           step >= total
    with r = (step - warmup) / (total - warmup), from 0 to 1

Clipping by global norm, as ``torch.nn.utils.clip_grad_norm_``::

    norm = sqrt(sum of every gradient entry squared)
    every gradient *= min(1, max_norm / (norm + 1e-6))

The squares of finite gradients can overflow (1e200 in float64, 1e20 in float32) or
underflow to 0 (1e-200) although their norm is an ordinary number. So each array's norm is
taken after dividing it by a power of two near its largest entry (exact: only the exponent
changes, so in the ordinary range the result is the unscaled one), multiplied back, and the
per-array norms combined with ``math.hypot`` (no overflow either), as LayerNorm guards its
variance.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import check_positive_int
from .optimizer import check_hyper


def warmup_cosine(step: int, *, max_lr: float, min_lr: float, warmup: int, total: int) -> float:
    """The learning rate at ``step`` (0-based): linear warmup, then cosine down to ``min_lr``."""
    step = check_positive_int(step, "step", allow_zero=True)
    max_lr, min_lr = check_hyper(max_lr, "max_lr"), check_hyper(min_lr, "min_lr")
    warmup = check_positive_int(warmup, "warmup", allow_zero=True)
    total = check_positive_int(total, "total")
    if min_lr > max_lr or warmup > total:
        raise ValueError(
            f"need min_lr <= max_lr and warmup <= total, got min_lr={min_lr}, max_lr={max_lr}, "
            f"warmup={warmup}, total={total}"
        )
    if step < warmup:
        return max_lr * (step + 1) / warmup
    if step >= total:
        return min_lr
    r = (step - warmup) / (total - warmup)  # 0 -> 1
    return min_lr + 0.5 * (max_lr - min_lr) * (1.0 + math.cos(math.pi * r))


def clip_grad_norm(grads, max_norm: float) -> float:
    """Scale every gradient in place so that their global 2-norm is at most ``max_norm``.

    ``grads``: a Module (its ``grads``), a dict name -> array, or a list of arrays. Returns
    the norm *before* clipping, as torch does, computed without overflow or underflow (see
    the module docstring). Raises ValueError if a gradient holds NaN or inf (torch would
    scale every gradient by NaN), before changing any.
    """
    max_norm = check_hyper(max_norm, "max_norm")
    if hasattr(grads, "grads") and hasattr(grads, "params"):
        grads = grads.grads
    arrays = list(grads.values()) if isinstance(grads, dict) else list(grads)
    for g in arrays:
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            raise TypeError("clip_grad_norm needs float NumPy arrays (scaled in place)")
    total = math.hypot(*(array_norm(g) for g in arrays))
    coef = min(1.0, max_norm / (total + 1e-6))
    if coef < 1.0:
        for g in arrays:
            g *= coef
    return total


def array_norm(g: np.ndarray) -> float:
    """The 2-norm of ``g`` as a Python float, safe from overflow and underflow of the squares;
    ValueError if ``g`` holds NaN or inf."""
    if g.size == 0:
        return 0.0
    peak = float(np.max(np.abs(g)))
    if not math.isfinite(peak):
        raise ValueError(f"a gradient holds NaN or inf (shape {g.shape}): its norm is undefined")
    if peak == 0.0:
        return 0.0
    scale = 2.0 ** math.frexp(peak)[1]  # the power of two just above peak: g / scale is exact
    flat = (g / scale).reshape(-1)  # (N,) entries in [-1, 1], the dtype of g
    return scale * math.sqrt(float(np.dot(flat, flat)))
