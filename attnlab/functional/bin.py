"""BiN, the bilinear normalisation at the input of TLOB (x of shape (B, F, T)).

Two z-scores of the same input, each with its own learned scale and shift, then mixed:

    temporal branch (per feature, over time):   Z2 = (x - mean_T x) / std_T x
        X2 = l2 * Z2 + B2           l2, B2 (F, 1) broadcast over T
    feature branch (per time step, over features): Z1 = (x - mean_F x) / std_F x
        X1 = l1^T * Z1 + B1^T       l1, B1 (T, 1) broadcast over F
    out = y1 * X1 + y2 * X2         y1, y2 scalars of shape (1,)

Both stds use ddof=1 (torch.std's default). The published code replaces a temporal std below
1e-4 by 1 (a constant feature becomes 0, not 0/0). It has no such guard on the feature branch,
so a time step where all features are equal gives NaN there. attnlab applies the same guard to
both branches: this is a documented deviation, and the only one (it changes nothing unless a
std is below 1e-4).

Backward of one z-score z = (x - mu) / s over N entries, s = sqrt(sum (x - mu)^2 / (N - 1)):

    dx = (dz - mean(dz) - z * sum(dz * z) / (N - 1)) / s

and where the guard fired (s is the constant 1) the last term drops: dx = dz - mean(dz).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_cache

STD_GUARD = 1e-4  # stds below this are replaced by 1 (published rule for the temporal branch)


class BinCache(NamedTuple):
    z1: np.ndarray  # (B, F, T) feature-branch z-score
    s1: np.ndarray  # (B, 1, T) guarded std over features
    guard1: np.ndarray  # (B, 1, T) True where s1 was replaced by 1
    z2: np.ndarray  # (B, F, T) temporal-branch z-score
    s2: np.ndarray  # (B, F, 1) guarded std over time
    guard2: np.ndarray  # (B, F, 1) True where s2 was replaced by 1
    l1: np.ndarray  # (T, 1)
    l2: np.ndarray  # (F, 1)
    X1: np.ndarray  # (B, F, T) feature branch after scale and shift (for dy1)
    X2: np.ndarray  # (B, F, T) temporal branch after scale and shift (for dy2)
    y1: np.ndarray  # (1,)
    y2: np.ndarray  # (1,)


def _zscore(x: np.ndarray, axis: int):
    """z-score along ``axis`` with the ddof=1 std and the small-std guard."""
    mu = x.mean(axis=axis, keepdims=True)  # mean along axis, kept as size 1
    xc = x - mu  # same shape as x
    s = np.sqrt(np.sum(xc * xc, axis=axis, keepdims=True) / (x.shape[axis] - 1))  # ddof=1
    guard = s < STD_GUARD
    s = np.where(guard, 1.0, s).astype(x.dtype, copy=False)
    return xc / s, s, guard


def _zscore_backward(dz: np.ndarray, z: np.ndarray, s: np.ndarray, guard: np.ndarray, axis: int):
    N = z.shape[axis]
    dot = np.where(
        guard, 0.0, np.sum(dz * z, axis=axis, keepdims=True) / (N - 1)
    )  # s fixed: no term
    return (dz - dz.mean(axis=axis, keepdims=True) - z * dot.astype(z.dtype, copy=False)) / s


def _check_param(p, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
    p = as_float_array(p, name)
    if p.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {p.shape}")
    return p.astype(dtype, copy=False)


def bin_forward(x, l1, B1, l2, B2, y1, y2) -> tuple[np.ndarray, BinCache]:
    """BiN of x (B, F, T) with l1, B1 (T, 1), l2, B2 (F, 1), y1, y2 (1,); out (B, F, T).

    Raises ValueError when x is not 3-d, has fewer than 2 features or time steps (the ddof=1
    std needs two values), or a parameter has the wrong shape.
    """
    x = as_float_array(x, "x")
    if x.ndim != 3:
        raise ValueError(f"x must have shape (B, F, T), got {x.ndim}-d array of shape {x.shape}")
    _, F, T = x.shape
    if F < 2 or T < 2:
        raise ValueError(
            f"BiN needs at least 2 features and 2 time steps (std with ddof=1), got x {x.shape}"
        )
    dtype = x.dtype
    l1 = _check_param(l1, "l1", (T, 1), dtype)
    B1 = _check_param(B1, "B1", (T, 1), dtype)
    l2 = _check_param(l2, "l2", (F, 1), dtype)
    B2 = _check_param(B2, "B2", (F, 1), dtype)
    y1 = _check_param(y1, "y1", (1,), dtype)
    y2 = _check_param(y2, "y2", (1,), dtype)

    z2, s2, guard2 = _zscore(x, axis=2)  # (B, F, T), (B, F, 1): over time, per feature
    X2 = l2 * z2 + B2  # (B, F, T)
    z1, s1, guard1 = _zscore(x, axis=1)  # (B, F, T), (B, 1, T): over features, per time step
    X1 = l1.T * z1 + B1.T  # (B, F, T)
    out = y1 * X1 + y2 * X2  # (B, F, T)
    return out, BinCache(z1, s1, guard1, z2, s2, guard2, l1, l2, X1, X2, y1, y2)


def bin_backward(dout, cache: BinCache):
    """Gradients ``(dx, dl1, dB1, dl2, dB2, dy1, dy2)`` in the shapes of the forward inputs."""
    check_cache(cache, BinCache, "bin_forward")
    c = cache
    dout = as_dout(dout, c.z1.shape, c.z1.dtype)  # (B, F, T)
    # out = y1 * X1 + y2 * X2
    dy1 = np.sum(dout * c.X1).reshape(1)  # (1,)
    dy2 = np.sum(dout * c.X2).reshape(1)  # (1,)
    dX1 = dout * c.y1  # (B, F, T)
    dX2 = dout * c.y2  # (B, F, T)
    # X1 = l1^T * z1 + B1^T
    dl1 = np.sum(dX1 * c.z1, axis=(0, 1))[:, None]  # (T, 1)
    dB1 = np.sum(dX1, axis=(0, 1))[:, None]  # (T, 1)
    dz1 = dX1 * c.l1.T  # (B, F, T)
    # X2 = l2 * z2 + B2
    dl2 = np.sum(dX2 * c.z2, axis=(0, 2))[:, None]  # (F, 1)
    dB2 = np.sum(dX2, axis=(0, 2))[:, None]  # (F, 1)
    dz2 = dX2 * c.l2  # (B, F, T)
    # both z-scores read the same x: their gradients add
    dx = _zscore_backward(dz1, c.z1, c.s1, c.guard1, axis=1) + _zscore_backward(
        dz2, c.z2, c.s2, c.guard2, axis=2
    )  # (B, F, T)
    return dx, dl1, dB1, dl2, dB2, dy1, dy2
