"""BiN module: TLOB's bilinear input normalisation, over the functional pair."""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_positive_int
from ..functional.bin import bin_backward, bin_forward
from .init import make_rng, xavier_normal
from .module import Module


class BiN(Module):
    """Bilinear normalisation of x (B, F, T): a temporal and a feature z-score, mixed.

    Parameters (the published names): ``l1``, ``B1`` (T, 1); ``l2``, ``B2`` (F, 1); ``y1``,
    ``y2`` (1,). Init: l1, l2 Xavier-normal, B1, B2 zeros, y1 = y2 = 0.5.
    See :mod:`attnlab.functional.bin` for the formulas and the one documented deviation.
    """

    def __init__(self, num_features: int, seq_size: int, *, rng=None, dtype=np.float64):
        super().__init__()
        self.num_features = F = check_positive_int(num_features, "num_features")
        self.seq_size = T = check_positive_int(seq_size, "seq_size")
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        self.add_param("B1", np.zeros((T, 1), dtype=dtype))
        self.add_param("l1", xavier_normal(rng, (T, 1), dtype))
        self.add_param("B2", np.zeros((F, 1), dtype=dtype))
        self.add_param("l2", xavier_normal(rng, (F, 1), dtype))
        self.add_param("y1", np.full(1, 0.5, dtype=dtype))
        self.add_param("y2", np.full(1, 0.5, dtype=dtype))
        self.cache = None

    def forward(self, x) -> np.ndarray:
        out, self.cache = bin_forward(
            x, self.l1, self.B1, self.l2, self.B2, self.y1, self.y2
        )  # (B, F, T)
        return out

    def backward(self, dout) -> np.ndarray:
        dx, dl1, dB1, dl2, dB2, dy1, dy2 = bin_backward(dout, self.last_cache())
        for name, g in (
            ("l1", dl1),
            ("B1", dB1),
            ("l2", dl2),
            ("B2", dB2),
            ("y1", dy1),
            ("y2", dy2),
        ):
            self._grads[name] += g
        return dx

    def extra_repr(self) -> str:
        return f"num_features={self.num_features}, seq_size={self.seq_size}"
