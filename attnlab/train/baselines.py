"""Baselines a sequence model must beat: the majority class, and a logistic regression that
sees only the last snapshot of each window (no history)."""

from __future__ import annotations

import numpy as np

from ..nn import Linear, Module


class MajorityClass:
    """Always predicts the most frequent class of the training labels."""

    def fit(self, y) -> MajorityClass:
        self.label = int(np.argmax(np.bincount(np.asarray(y), minlength=3)))
        return self

    def predict(self, n: int) -> np.ndarray:
        return np.full(n, self.label, dtype=np.int64)


class LastSnapshotLogistic(Module):
    """Multinomial logistic regression on the last event of a window: logits = W x[:, -1] + b.

    Trained with the same loop, optimizer and loss as TLOB (it is a Module with a backward).
    """

    def __init__(self, num_features: int, *, rng=None, dtype=np.float64):
        super().__init__()
        self.linear = Linear(num_features, 3, rng=rng, dtype=dtype)
        self._shape = None

    def forward(self, x) -> np.ndarray:
        x = np.asarray(x)
        self._shape = x.shape
        return self.linear(x[:, -1])  # (B, 3)

    def backward(self, dlogits) -> np.ndarray:
        dx = np.zeros(self._shape, dtype=self.linear.weight.dtype)  # (B, T, F)
        dx[:, -1] = self.linear.backward(dlogits)  # only the last event was read
        return dx
