"""What the RoPE and ALiBi explorers show, as pure functions of the widget values (NumPy only).

The widgets of :mod:`attnlab.viz.interactive_positions` draw these; the tests check them
without a kernel, ipywidgets or matplotlib. The figures ``rope_rotation`` and ``alibi_bias``
use them too.

    rotation_state(position, pair, dim)     where pair i of a vector points at a position
    offset_scores(q, k, starts, offsets)    (R_m q) . (R_{m+o} k) for many m and o
    additive_scores(q, k, starts, offsets)  the same with a sinusoidal table added instead
    alibi_state(num_heads, length, head, query)   one head's bias and what it alone attends to
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import softmax
from ._validate import as_float_array, check_positive_int
from .functional import alibi_bias, alibi_slopes, rope_forward, sinusoidal_encoding
from .functional.rope import check_base


def _index(value, name: str, size: int, what: str) -> int:
    value = check_positive_int(value, name, allow_zero=True)
    if value >= size:
        raise ValueError(f"{name} must be in [0, {size}) ({what}), got {value}")
    return value


# -- RoPE -----------------------------------------------------------------------------------
class RotationState(NamedTuple):
    theta: float  # the pair's frequency base^(-2i/D), radians per position
    angle: float  # position * theta, radians
    degrees: float  # the same angle in degrees, wrapped to [0, 360)
    wavelength: float  # positions per full turn, 2 pi / theta
    trail: np.ndarray  # (position + 1, 2) where (x_i, x_{i+D/2}) of the unit vector (1, 0) points
    # at positions 0 .. position


def rotation_state(position: int, pair: int, dim: int = 64, base: float = 10000.0):
    """Pair ``pair`` (features i and i + D/2) of a vector whose pair starts at (1, 0), rotated
    to positions 0 .. ``position`` by RoPE: its angle and its path around the unit circle."""
    dim = check_positive_int(dim, "dim")
    if dim % 2:
        raise ValueError(f"dim must be even (RoPE rotates pairs), got {dim}")
    position = check_positive_int(position, "position", allow_zero=True)
    pair = _index(pair, "pair", dim // 2, f"there are D/2 = {dim // 2} pairs")
    base = check_base(base)
    x = np.zeros((position + 1, dim))  # (P, D) the same vector at every position
    x[:, pair] = 1.0
    rotated, _ = rope_forward(x, np.arange(position + 1), base=base)  # (P, D)
    trail = rotated[:, [pair, pair + dim // 2]]  # (P, 2)
    theta = float(base ** (-2.0 * pair / dim))
    angle = position * theta
    return RotationState(theta, angle, float(np.degrees(angle) % 360.0), 2 * np.pi / theta, trail)


def _check_qk(q, k) -> tuple[np.ndarray, np.ndarray]:
    q, k = as_float_array(q, "q"), as_float_array(k, "k")
    if q.ndim != 1 or q.shape != k.shape or q.size % 2:
        raise ValueError(
            f"q and k must be 1-d vectors of one even length, got {q.shape} and {k.shape}"
        )
    return q, k


def offset_scores(q, k, starts, offsets, base: float = 10000.0) -> np.ndarray:
    """(R_m q) . (R_{m+o} k) for every start m (M,) and offset o (O,): (M, O).

    Every row is the same curve: the score depends only on o (up to rounding).
    """
    q, k = _check_qk(q, k)
    starts, offsets = np.asarray(starts), np.asarray(offsets)
    out = np.empty((len(starts), len(offsets)))  # (M, O)
    for r, m in enumerate(starts):
        qm, _ = rope_forward(q[None], [int(m)], base=base)  # (1, D)
        kn, _ = rope_forward(np.tile(k, (len(offsets), 1)), int(m) + offsets, base=base)  # (O, D)
        out[r] = kn @ qm[0]  # (O,)
    return out


def additive_scores(q, k, starts, offsets, base: float = 10000.0) -> np.ndarray:
    """(q + PE_m) . (k + PE_{m+o}): the sinusoidal table added to the vectors instead, (M, O).

    The rows differ: q . PE_n and PE_m . k depend on where the pair sits, not only on o.
    """
    q, k = _check_qk(q, k)
    starts, offsets = np.asarray(starts), np.asarray(offsets)
    table = sinusoidal_encoding(int(starts.max() + offsets.max()) + 1, q.size, base)  # (L, D)
    qm = q + table[starts]  # (M, D)
    kn = k + table[starts[:, None] + offsets]  # (M, O, D)
    return np.einsum("md,mod->mo", qm, kn)  # (M, O)


# -- ALiBi ----------------------------------------------------------------------------------
class AlibiState(NamedTuple):
    slopes: np.ndarray  # (H,) every head's slope m_h
    bias: np.ndarray  # (T, T) head `head`'s bias -m |i - j|, -inf above the diagonal (causal)
    row: np.ndarray  # (query + 1,) the penalties of query `query` over keys 0 .. query
    weights: np.ndarray  # (query + 1,) its attention weights if every content score were equal
    half_distance: float  # distance at which a key's weight halves: ln 2 / m


def alibi_state(num_heads: int, length: int, head: int, query: int) -> AlibiState:
    """Head ``head`` of ``num_heads``: its causal ALiBi bias over ``length`` positions, and what
    query ``query`` attends to when the content scores are all equal (softmax of the bias)."""
    H = check_positive_int(num_heads, "num_heads")
    T = check_positive_int(length, "length")
    head = _index(head, "head", H, f"there are {H} heads")
    query = _index(query, "query", T, f"there are {T} positions")
    pos = np.arange(T)  # (T,)
    bias = alibi_bias(H, pos, pos)[head]  # (T, T)
    bias = np.where(pos[None, :] <= pos[:, None], bias, -np.inf)  # (T, T) causal
    row = bias[query, : query + 1]  # (query + 1,)
    slopes = alibi_slopes(H)  # (H,)
    return AlibiState(slopes, bias, row, softmax(row), float(np.log(2.0) / slopes[head]))
