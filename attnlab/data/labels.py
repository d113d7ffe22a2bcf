"""TLOB's labelling: compare the mean mid-price of the next k events after a horizon h with the
mean of the k events starting now.

    m_minus(t) = mean(mid[t : t + k])            m_plus(t) = mean(mid[t + h : t + h + k])
    l(t) = (m_plus - m_minus) / m_minus
    alpha = mean(|l|) / 2                        over the split being labelled
    class 0 (up) if l > alpha, 2 (down) if l < -alpha, else 1 (stationary)

Only events with a full future window get a label: t = 0 .. N - h - k.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_positive_int
from ._checks import check_real

UP, STATIONARY, DOWN = 0, 1, 2


def mid_price(book) -> np.ndarray:
    """(best ask + best bid) / 2 from a book in FI-2010 order: columns 0 and 2. (N,)"""
    book = as_float_array(book, "book")
    if book.ndim != 2 or book.shape[1] < 4:
        raise ValueError(f"book must have shape (N, >= 4) in FI-2010 order, got {book.shape}")
    return (book[:, 0] + book[:, 2]) / 2.0  # (N,)


def smoothing_window(horizon: int, k: int | None = None) -> int:
    """TLOB's default k = 10, or k = h when the horizon is shorter than 10."""
    return min(10, horizon) if k is None else check_positive_int(k, "k")


def tlob_returns(mid, horizon: int, k: int | None = None) -> np.ndarray:
    """The smoothed relative change l(t), t = 0 .. N - h - k. (N - h - k + 1,)"""
    mid = as_float_array(mid, "mid")
    if mid.ndim != 1:
        raise ValueError(f"mid must be a 1-d price series, got shape {mid.shape}")
    h = check_positive_int(horizon, "horizon")
    k = smoothing_window(h, k)
    n = mid.shape[0] - h - k + 1
    if n < 1:
        raise ValueError(
            f"a series of {mid.shape[0]} prices is too short for horizon {h} and window {k}"
        )
    if np.any(mid <= 0):
        raise ValueError("mid prices must be > 0 (l divides by the mean price)")
    csum = np.concatenate([[0.0], np.cumsum(mid)])  # (N + 1,) running sums: window means in O(N)
    means = (csum[k:] - csum[:-k]) / k  # (N - k + 1,) means[t] = mean(mid[t : t + k])
    m_minus = means[:n]  # (n,)
    m_plus = means[h : h + n]  # (n,)
    return (m_plus - m_minus) / m_minus  # (n,)


def tlob_labels(mid, horizon: int, k: int | None = None, alpha: float | None = None):
    """``(labels, alpha)``: classes (N - h - k + 1,) of int64, and the threshold used.

    ``alpha`` defaults to mean(|l|) / 2 of this series (TLOB computes it on the split being
    labelled).
    """
    l = tlob_returns(mid, horizon, k)  # (n,)
    if alpha is None:
        alpha = float(np.mean(np.abs(l)) / 2.0)
    elif check_real(alpha, "alpha") < 0:
        raise ValueError(f"alpha must be >= 0 (a threshold on |l|), got {alpha}")
    labels = np.full(l.shape, STATIONARY, dtype=np.int64)  # (n,)
    labels[l > alpha] = UP
    labels[l < -alpha] = DOWN
    return labels, alpha
