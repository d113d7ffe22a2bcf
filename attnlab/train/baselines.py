"""Baselines a sequence model must beat: the majority class; a logistic regression that sees only
the last snapshot of each window (no history); and a small MLP that sees the whole window
flattened (all the history, no attention). The last two separate what history brings from what
attention brings."""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_positive_int
from ..nn import GELU, Linear, Module
from ..nn.init import make_rng


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


class WindowMLP(Module):
    """A two-layer MLP on the flattened window: logits = fc2(GELU(fc1(x.reshape(B, T * F)))).

    It reads every event of the window, like TLOB, but has no attention and no notion of
    order beyond the position of each number in the flattened vector. Trained with the same
    loop, optimizer and loss as TLOB.
    """

    def __init__(
        self, seq_size: int, num_features: int, hidden: int = 16, *, rng=None, dtype=np.float64
    ):
        super().__init__()
        self.seq_size = check_positive_int(seq_size, "seq_size")
        self.num_features = check_positive_int(num_features, "num_features")
        rng = make_rng(rng)
        self.fc1 = Linear(self.seq_size * self.num_features, hidden, rng=rng, dtype=dtype)
        self.act = GELU()
        self.fc2 = Linear(hidden, 3, rng=rng, dtype=dtype)
        self._shape = None

    def forward(self, x) -> np.ndarray:
        x = as_float_array(x, "x")
        T, F = self.seq_size, self.num_features
        if x.ndim != 3 or x.shape[1:] != (T, F):
            raise ValueError(f"x must be windows (B, T={T}, F={F}), got shape {x.shape}")
        self._shape = x.shape
        flat = x.reshape(x.shape[0], T * F)  # (B, T * F) event by event
        return self.fc2(self.act(self.fc1(flat)))  # (B, 3)

    def backward(self, dlogits) -> np.ndarray:
        if self._shape is None:
            raise RuntimeError("call forward before backward")
        dflat = self.fc1.backward(self.act.backward(self.fc2.backward(dlogits)))  # (B, T * F)
        return dflat.reshape(self._shape)  # (B, T, F)
