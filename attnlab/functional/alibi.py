"""ALiBi (attention with linear biases, Press et al. 2022): no position vectors at all; each
head subtracts from every score a penalty proportional to the distance between query and key.

    bias[h, i, j] = -m_h * |p_i - p_j|        (H, T, S), added to the scores q k^T / sqrt(D)

Head h forgets at its own rate m_h (its slope): a head with a large slope looks only at the
last few tokens, one with a tiny slope sees far back. The slopes are a geometric sequence,
for H a power of two

    m_h = 2^(-8 (h + 1) / H)        h = 0 .. H - 1   (H = 8: 1/2, 1/4, ..., 1/256)

and for other H the rule of the authors' code: the slopes of the power of two n below H, then
every other slope (indices 0, 2, 4, ...) of the sequence for 2n, until there are H.

The bias is an additive float mask for :func:`attnlab.functional.attention_forward`. A decoder
also needs the causal mask: pass ``is_causal=True`` with it (the bias alone lets every query
see the future, only at a cost), or fold both into one float mask with ``-inf`` above the
diagonal: ``np.where(causal_mask(T), alibi_bias(H, pos, pos), -np.inf)``.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import check_float_dtype, check_positive_int
from .rope import check_positions


def _power_of_two_slopes(n: int) -> list[float]:
    """2^(-8/n), 2^(-16/n), ... , 2^(-8): n slopes (n a power of two)."""
    start = 2.0 ** (-8.0 / n)
    return [start * start**i for i in range(n)]


def alibi_slopes(num_heads: int) -> np.ndarray:
    """The slope m_h of each head (H,), float64, as in Press et al. (see the module docstring).

    >>> alibi_slopes(4).tolist()
    [0.25, 0.0625, 0.015625, 0.00390625]
    >>> alibi_slopes(3).tolist()  # those of 2 heads, then the first of 4's even-indexed ones
    [0.0625, 0.00390625, 0.25]
    """
    H = check_positive_int(num_heads, "num_heads")
    n = 2 ** math.floor(math.log2(H))  # the power of two at or below H
    slopes = _power_of_two_slopes(n)
    if n < H:  # fill in from the sequence for 2n, taking every other slope
        slopes += _power_of_two_slopes(2 * n)[0::2][: H - n]
    return np.array(slopes, dtype=np.float64)  # (H,)


def alibi_bias(num_heads: int, query_positions, key_positions, *, dtype=np.float64) -> np.ndarray:
    """The additive mask -m_h |i - j| (H, T, S) for queries at ``query_positions`` (T,) and keys
    at ``key_positions`` (S,) (integers >= 0; for self-attention both ``np.arange(T)``; with a
    KV cache the new queries sit at ``past + np.arange(T)`` and the keys at ``np.arange(S)``).

    It broadcasts against scores (B, H, T, S). Combine it with the causal mask for a decoder
    (``attention_forward(q, k, v, bias, is_causal=True)``). Raises ValueError / TypeError for
    a bad number of heads, positions that are not integers >= 0, or a bad dtype.
    """
    H = check_positive_int(num_heads, "num_heads")
    dtype = check_float_dtype(dtype)
    qpos = check_positions(query_positions, None, "query_positions")  # (T,)
    kpos = check_positions(key_positions, None, "key_positions")  # (S,)
    distance = np.abs(qpos[:, None] - kpos[None, :]).astype(np.float64)  # (T, S)
    slopes = alibi_slopes(H)  # (H,)
    bias = -slopes[:, None, None] * distance[None, :, :] + 0.0  # (H, T, S); + 0.0: no -0.0
    return bias.astype(dtype, copy=False)
