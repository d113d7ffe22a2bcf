"""Baselines a sequence model must beat: the majority class, and a logistic regression that
sees only the last snapshot of each window (no history)."""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_positive_int
from ..nn import Linear, Module


class MajorityClass:
    """Always predicts the most frequent class of the training labels."""

    def fit(self, y) -> MajorityClass:
        y = np.asarray(y)
        if y.ndim != 1 or y.size == 0 or y.dtype.kind not in "iu" or y.min() < 0:
            raise ValueError(
                f"y must be a non-empty 1-d array of class indices >= 0, got {y.dtype} {y.shape}"
            )
        self.label = int(np.argmax(np.bincount(y, minlength=3)))
        return self

    def predict(self, n: int) -> np.ndarray:
        if not hasattr(self, "label"):
            raise RuntimeError("call fit before predict")
        return np.full(check_positive_int(n, "n", allow_zero=True), self.label, dtype=np.int64)


class LastSnapshotLogistic(Module):
    """Multinomial logistic regression on the last event of a window: logits = W x[:, -1] + b.

    Trained with the same loop, optimizer and loss as TLOB (it is a Module with a backward).
    """

    def __init__(self, num_features: int, *, rng=None, dtype=np.float64):
        super().__init__()
        self.linear = Linear(num_features, 3, rng=rng, dtype=dtype)
        self._shape = None

    def forward(self, x) -> np.ndarray:
        x = as_float_array(x, "x")
        if x.ndim != 3:
            raise ValueError(f"x must be windows (B, T, F), got shape {x.shape}")
        self._shape = x.shape
        return self.linear(x[:, -1])  # (B, 3)

    def backward(self, dlogits) -> np.ndarray:
        if self._shape is None:
            raise RuntimeError("call forward before backward")
        dx = np.zeros(self._shape, dtype=self.linear.weight.dtype)  # (B, T, F)
        dx[:, -1] = self.linear.backward(dlogits)  # only the last event was read
        return dx
