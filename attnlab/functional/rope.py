"""Rotary position embedding (RoPE): rotate each pair of features by an angle that grows with
the position, so that a query-key dot product depends only on how far apart they are.

Rotate-half convention (GPT-NeoX, LLaMA): for x (..., T, D) with D even and h = D / 2,

    theta_i = base^(-2 i / D)                         i = 0 .. h - 1, one frequency per pair
    a_{t,i} = p_t * theta_i                           the angle of pair i at position p_t
    out_i     = x_i cos(a) - x_{i+h} sin(a)           pair (x_i, x_{i+h}) rotated by a
    out_{i+h} = x_{i+h} cos(a) + x_i sin(a)

In the complex plane, z_i = x_i + j x_{i+h} is multiplied by e^{j a}. Because
(R_m q) . (R_n k) = q . R_{n-m} k, the score of a rotated query and key depends on the
positions only through the offset n - m.

The interleaved convention of RoFormer and GPT-J pairs neighbours (x_{2i}, x_{2i+1}) instead
of (x_i, x_{i+h}), with the same angles: it is the same rotation after a permutation of the
features (:func:`interleaved_order`), so the two give the same scores only if the projection
weights are permuted the same way (converting a checkpoint between them means permuting the
rows of W_q and W_k).

The backward is the inverse rotation (the transpose): dx = R^T dout.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import (
    as_dout,
    as_float_array,
    check_cache,
    check_ndim,
    check_number,
    check_positive_int,
)

# Positions count tokens, so they are integers; angles and distances are computed from them in
# float64, which holds every integer below 2**53 exactly (and skips some above it). Larger
# positions are an error rather than a silently rounded angle or a wrapped-around int64.
MAX_POSITION = 2**53 - 1


def check_positions(positions, length: int | None, name: str = "positions") -> np.ndarray:
    """``positions`` as an int64 array (length,) of token indices >= 0, or a clear error.

    ``length`` None accepts any 1-d array.
    Integer arrays (or lists of ints) are accepted; float arrays only if every value is a
    finite whole number (TypeError otherwise; NaN or inf is a ValueError). Negative positions
    are a ValueError: positions count tokens from the start of the sequence; so are positions
    of 2**53 or more (``MAX_POSITION`` = 2**53 - 1 is the largest float64 represents with
    every integer below it), checked before any conversion so nothing wraps around.
    """
    want = "(T,)" if length is None else f"({length},)"
    if positions is None:
        raise ValueError(f"{name} must be an integer array of shape {want} (e.g. np.arange(T))")
    if hasattr(positions, "detach") and hasattr(positions, "numpy"):
        raise TypeError(f"{name} is a torch tensor; pass {name}.detach().cpu().numpy()")
    try:
        arr = np.asarray(positions)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of integers: {err}") from None
    if arr.dtype == object and arr.size and all(type(p) is int for p in arr.flat):
        # Python ints beyond int64: clip them into range, keeping "too large" and "negative"
        arr = np.array([max(-1, min(p, MAX_POSITION + 1)) for p in arr.flat]).reshape(arr.shape)
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} must be finite whole numbers, got NaN or inf")
        if not np.array_equal(arr, np.round(arr)):
            raise TypeError(f"{name} must be whole numbers (token indices), got {arr.tolist()}")
    elif arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integers (token indices), got dtype {arr.dtype}")
    if arr.size and arr.max() > MAX_POSITION:  # compared in the array's own dtype: no wrap
        raise ValueError(
            f"{name} must be < 2**53 (exact in float64; the largest is {MAX_POSITION}), got "
            f"{arr.max()}"
        )
    if arr.ndim != 1 or (length is not None and arr.shape != (length,)):
        raise ValueError(
            f"{name} must have shape {want}, one position per token (e.g. np.arange(T)), "
            f"got shape {arr.shape}"
        )
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0 (indices of tokens from the start), got {arr.min()}")
    return arr.astype(np.int64, copy=False)


def check_base(base) -> float:
    """The RoPE base as a float > 1 (the wavelengths grow as base^(2i/D)), else an error."""
    base = check_number(base, "base")
    if not base > 1:
        raise ValueError(f"base must be > 1, got {base}")
    return base


def rope_angles(positions: np.ndarray, dim: int, base: float = 10000.0) -> np.ndarray:
    """The angles p_t * theta_i (T, D/2) in float64, theta_i = base^(-2i/D)."""
    theta = base ** (-np.arange(0, dim, 2, dtype=np.float64) / dim)  # (D/2,)
    return positions.astype(np.float64)[:, None] * theta[None, :]  # (T, D/2)


class RopeCache(NamedTuple):
    cos: np.ndarray  # (T, D/2) cos of the angles, in x's dtype
    sin: np.ndarray  # (T, D/2) sin of the angles, in x's dtype
    shape: tuple[int, ...]  # (..., T, D) the input's shape (the backward checks dout)


def rope_forward(x, positions=None, *, base: float = 10000.0) -> tuple[np.ndarray, RopeCache]:
    """Rotate the feature pairs (x_i, x_{i+D/2}) of x (..., T, D) by position * theta_i.

    Parameters
    ----------
    x : array (..., T, D), D even; float32 stays float32
    positions : integers (T,) >= 0, the absolute position of each row; default ``arange(T)``
        (with a KV cache, the new tokens' positions ``past + arange(T)``)
    base : > 1; theta_i = base^(-2i/D)

    Returns
    -------
    out : (..., T, D) with out_i = x_i cos - x_{i+D/2} sin, out_{i+D/2} = x_{i+D/2} cos + x_i sin
    cache : :class:`RopeCache` (the cos and sin tables; the backward needs no x)

    The angles and their cos/sin are computed in float64 and then cast to x's dtype, so a
    float32 input loses no accuracy to large angles (position * theta reaches thousands of
    radians). Raises ValueError for an odd D, positions of the wrong shape, negative or
    non-finite, or base <= 1; TypeError for non-integer positions.
    """
    x = as_float_array(x, "x")
    check_ndim(x, "x", 2, "(..., T, D)")
    T, D = x.shape[-2:]
    if D % 2:
        raise ValueError(
            f"x must have an even number of features D (RoPE rotates pairs), got D={D} "
            f"(x: {x.shape})"
        )
    pos = np.arange(T) if positions is None else check_positions(positions, T)
    angles = rope_angles(pos, D, check_base(base))  # (T, D/2) float64
    cos, sin = np.cos(angles).astype(x.dtype), np.sin(angles).astype(x.dtype)  # (T, D/2)
    h = D // 2
    x1, x2 = x[..., :h], x[..., h:]  # (..., T, D/2) the two halves of each pair
    out = np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)  # (..., T, D)
    return out, RopeCache(cos=cos, sin=sin, shape=x.shape)


def rope_backward(dout, cache: RopeCache) -> np.ndarray:
    """The gradient dx (..., T, D): the inverse rotation R^T applied to ``dout``."""
    check_cache(cache, RopeCache, "rope_forward")
    cos, sin = cache.cos, cache.sin
    dout = as_dout(dout, cache.shape, cos.dtype)  # (..., T, D)
    h = cache.shape[-1] // 2
    d1, d2 = dout[..., :h], dout[..., h:]  # (..., T, D/2)
    # out_i = x_i cos - x_{i+h} sin,  out_{i+h} = x_{i+h} cos + x_i sin
    dx1 = d1 * cos + d2 * sin  # (..., T, D/2)
    dx2 = d2 * cos - d1 * sin  # (..., T, D/2)
    return np.concatenate([dx1, dx2], axis=-1)  # (..., T, D)


def interleaved_order(dim: int) -> np.ndarray:
    """The permutation (D,) that turns interleaved pairs into rotate-half pairs.

    ``x[..., interleaved_order(D)]`` puts the features (x_0, x_2, ..., x_1, x_3, ...) in the
    order rotate-half expects, so rope_forward of it equals the interleaved RoPE
    (RoFormer, GPT-J) of x, permuted the same way.
    """
    dim = check_positive_int(dim, "dim", allow_zero=True)
    if dim % 2:
        raise ValueError(f"dim must be even, got {dim}")
    return np.concatenate([np.arange(0, dim, 2), np.arange(1, dim, 2)])  # (D,)
