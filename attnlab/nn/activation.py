"""GELU as a module (no parameters)."""

from __future__ import annotations

import numpy as np

from ..functional import gelu_backward, gelu_forward
from .module import Module


class GELU(Module):
    """Exact (erf) GELU, ``torch.nn.GELU()``."""

    def __init__(self) -> None:
        super().__init__()
        self.cache = None

    def forward(self, x) -> np.ndarray:
        y, self.cache = gelu_forward(x)
        return y

    def backward(self, dy) -> np.ndarray:
        return gelu_backward(dy, self.last_cache())
