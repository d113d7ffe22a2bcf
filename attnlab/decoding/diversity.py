"""How repetitive generated text is: the share of distinct n-grams.

    distinct_n = (number of different n-grams) / (number of n-grams)

1.0: no n-gram repeats; near 0: the same few n-grams over and over (greedy decoding's loops).
"""

from __future__ import annotations

import numpy as np

from .._validate import check_positive_int


def distinct_n(tokens, n: int = 2) -> float:
    """Distinct n-grams / all n-grams of a token sequence (1-d) or of each row together (2-d).

    Rows are not joined: an n-gram never spans two rows. Raises ValueError if there is no
    n-gram at all.
    """
    n = check_positive_int(n, "n")
    arr = np.asarray(tokens)
    if arr.dtype.kind not in "iu" or arr.ndim not in (1, 2):
        raise TypeError(f"tokens must be a 1-d or 2-d integer array, got {arr.dtype} {arr.shape}")
    rows = arr[None] if arr.ndim == 1 else arr
    if rows.shape[0] == 0:
        raise ValueError(f"tokens has no rows {arr.shape}: there is no {n}-gram to count")
    if rows.shape[1] < n:
        raise ValueError(f"a row of {rows.shape[1]} tokens has no {n}-gram")
    grams = np.lib.stride_tricks.sliding_window_view(rows, n, axis=1)  # (R, L - n + 1, n)
    flat = grams.reshape(-1, n)  # (R (L - n + 1), n)
    return len(np.unique(flat, axis=0)) / len(flat)
