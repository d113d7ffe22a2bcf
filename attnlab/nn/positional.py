"""Positional encodings as modules that add a (T, E) table to inputs (B, T, E)."""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_number, check_positive_int
from ..functional import add_positions_backward, add_positions_forward, sinusoidal_encoding
from .init import make_rng
from .module import Module


class SinusoidalPositionalEncoding(Module):
    """Adds the fixed sinusoidal table (no parameters); inputs longer than ``length`` are errors."""

    def __init__(self, length: int, dim: int, base: float = 10000.0, *, dtype=np.float64):
        super().__init__()
        self.table = sinusoidal_encoding(length, dim, base, dtype=dtype)  # (L, E)
        self.cache = None

    def forward(self, x) -> np.ndarray:
        out, self.cache = add_positions_forward(x, self.table)  # (B, T, E)
        return out

    def backward(self, dout) -> np.ndarray:
        dx, _ = add_positions_backward(dout, self.last_cache())
        return dx

    def extra_repr(self) -> str:
        return f"length={self.table.shape[0]}, dim={self.table.shape[1]}"


class LearnablePositionalEncoding(Module):
    """Adds a learned table ``weight`` (length, dim), initialised N(0, 0.02^2), with a gradient."""

    def __init__(self, length: int, dim: int, *, rng=None, std: float = 0.02, dtype=np.float64):
        super().__init__()
        length = check_positive_int(length, "length")
        dim = check_positive_int(dim, "dim")
        std = check_number(std, "std")
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        self.add_param("weight", (rng.standard_normal((length, dim)) * std).astype(dtype))
        self.cache = None

    def forward(self, x) -> np.ndarray:
        out, self.cache = add_positions_forward(x, self.weight)  # (B, T, E)
        return out

    def backward(self, dout) -> np.ndarray:
        dx, dweight = add_positions_backward(dout, self.last_cache())
        self._grads["weight"] += dweight
        return dx

    def extra_repr(self) -> str:
        return f"length={self.weight.shape[0]}, dim={self.weight.shape[1]}"
