"""From an event stream to training examples: z-scores, chronological splits, sliding windows.

A window of ``seq_size`` events ending at event t (events t - seq_size + 1 .. t) gets the label
of event t. Windows are views into the event array (no copies) until a batch is taken.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_float_array, check_positive_int


class ZScore(NamedTuple):
    """Per-column mean and std, estimated on the training split only."""

    mean: np.ndarray  # (F,)
    std: np.ndarray  # (F,) a constant column gets std 1 (it becomes 0, not NaN)

    @classmethod
    def fit(cls, train) -> ZScore:
        train = as_float_array(train, "train")
        if train.ndim != 2 or train.shape[0] < 2:
            raise ValueError(f"train must have shape (N >= 2, F), got {train.shape}")
        std = train.std(axis=0)  # (F,)
        return cls(mean=train.mean(axis=0), std=np.where(std > 0, std, 1.0))

    def __call__(self, x) -> np.ndarray:
        x = as_float_array(x, "x")
        if x.shape[-1] != self.mean.shape[0]:
            raise ValueError(
                f"x has {x.shape[-1]} columns but the z-score was fitted on {self.mean.shape[0]}"
            )
        return (x - self.mean) / self.std  # (N, F)


def chronological_split(n: int, fractions=(0.7, 0.15, 0.15)) -> list[slice]:
    """Consecutive slices of ``range(n)`` in time order (no shuffling across time)."""
    n = check_positive_int(n, "n")
    try:
        fractions = np.asarray(fractions, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"fractions must be numbers that sum to 1, got {fractions!r}") from None
    if fractions.ndim != 1 or not np.isfinite(fractions).all():
        raise ValueError(f"fractions must be a list of finite numbers, got {fractions.tolist()}")
    if np.any(fractions <= 0) or not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions must be positive and sum to 1, got {fractions.tolist()}")
    bounds = np.round(np.cumsum(np.concatenate([[0.0], fractions])) * n).astype(int)  # (S + 1,)
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


class Windows:
    """Windows of ``seq_size`` events over ``features`` (N, F) with the label of their last event.

    ``labels`` (M,) labels events 0 .. M - 1 (M <= N: the last events may lack a future). The
    windows end at events ``seq_size - 1 .. M - 1``; ``windows[i]`` ends at ``ends[i]``.
    """

    def __init__(self, features, labels, seq_size: int):
        self.features = as_float_array(features, "features")  # (N, F)
        if self.features.ndim != 2:
            raise ValueError(f"features must have shape (N, F), got {self.features.shape}")
        self.labels = np.asarray(labels)
        if self.labels.ndim != 1 or self.labels.dtype.kind not in "iu":
            raise ValueError(
                f"labels must be a 1-d integer array, got {self.labels.dtype} {self.labels.shape}"
            )
        if self.labels.shape[0] > self.features.shape[0]:
            raise ValueError(
                f"{self.labels.shape[0]} labels for only {self.features.shape[0]} events"
            )
        self.seq_size = check_positive_int(seq_size, "seq_size")
        if self.labels.shape[0] < self.seq_size:
            raise ValueError(
                f"{self.labels.shape[0]} labelled events cannot fill one window of {self.seq_size}"
            )
        self.ends = np.arange(
            self.seq_size - 1, self.labels.shape[0]
        )  # (W,) last event of each window
        self.y = self.labels[self.ends]  # (W,)
        view = np.lib.stride_tricks.sliding_window_view(
            self.features, self.seq_size, axis=0
        )  # (N-T+1, F, T)
        self._view = view.transpose(0, 2, 1)  # (N - T + 1, T, F), still a view

    def __len__(self) -> int:
        return len(self.ends)

    def batch(self, idx) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` for window indices ``idx``: x (b, T, F) a fresh array, y (b,)."""
        idx = np.asarray(idx)
        if idx.dtype.kind not in "iu":
            raise TypeError(f"window indices must be integers, got dtype {idx.dtype}")
        outside = idx[(idx < -len(self)) | (idx >= len(self))]
        if outside.size:
            raise IndexError(
                f"window {int(outside[0])} does not exist: there are {len(self)} windows"
            )
        return np.ascontiguousarray(self._view[self.ends[idx] - (self.seq_size - 1)]), self.y[idx]

    def last_snapshots(self) -> np.ndarray:
        """The last event of every window (W, F): what a snapshot-only baseline sees."""
        return self.features[self.ends]

    def class_counts(self) -> np.ndarray:
        return np.bincount(self.y, minlength=3)
