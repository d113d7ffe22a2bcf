"""Cross-entropy for class logits.

    loss = mean_b [ logsumexp(z_b) - z_b[y_b] ]
    dz = (softmax(z) - onehot(y)) / B

z are the logits (B, C) and y the class indices (B,).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_float_array, check_cache, check_number
from .softmax import stable_softmax


class CrossEntropyCache(NamedTuple):
    probs: np.ndarray  # (B, C) softmax of the logits
    targets: np.ndarray  # (B,) int class indices


def cross_entropy_forward(logits, targets) -> tuple[float, CrossEntropyCache]:
    """Mean cross-entropy of logits (B, C) against integer targets (B,) in [0, C)."""
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (B, C), got {logits.shape}")
    targets = np.asarray(targets)
    if targets.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer class indices, got dtype {targets.dtype}")
    B, C = logits.shape
    if B == 0 or C == 0:
        raise ValueError(f"logits must have at least one row and one class, got {logits.shape}")
    if targets.shape != (B,):
        raise ValueError(
            f"targets must have shape ({B},) to match logits {logits.shape}, got {targets.shape}"
        )
    if targets.size and (targets.min() < 0 or targets.max() >= C):
        raise ValueError(
            f"targets must lie in [0, {C}), got values in [{targets.min()}, {targets.max()}]"
        )
    m = logits.max(axis=1, keepdims=True)  # (B, 1) max subtraction: no overflow
    logsumexp = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))  # (B,)
    loss = float(np.mean(logsumexp - logits[np.arange(B), targets]))
    return loss, CrossEntropyCache(probs=stable_softmax(logits, axis=1), targets=targets)


def cross_entropy_backward(dloss: float, cache: CrossEntropyCache) -> np.ndarray:
    """Gradient of the mean loss with respect to the logits, times ``dloss``: (B, C)."""
    check_cache(cache, CrossEntropyCache, "cross_entropy_forward")
    probs, targets = cache.probs, cache.targets
    dloss = check_number(dloss, "dloss")
    B = probs.shape[0]
    dlogits = probs.copy()  # (B, C)
    dlogits[np.arange(B), targets] -= 1.0
    return dlogits * (dloss / B)
