"""Linear and LayerNorm modules: thin wrappers over the functional pairs."""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_number, check_positive_int
from ..functional import layer_norm_backward, layer_norm_forward, linear_backward, linear_forward
from .init import make_rng, uniform_fan_in
from .module import Module


class Linear(Module):
    """``y = x W^T + b`` with ``weight`` (out, in) and ``bias`` (out,), as ``torch.nn.Linear``."""

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, *, rng=None, dtype=np.float64
    ):
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        self.add_param(
            "weight", uniform_fan_in(rng, (out_features, in_features), in_features, dtype)
        )
        if bias:
            self.add_param("bias", uniform_fan_in(rng, (out_features,), in_features, dtype))
        self.cache = None

    def forward(self, x) -> np.ndarray:
        y, self.cache = linear_forward(x, self.weight, self._params.get("bias"))  # (..., out)
        return y

    def backward(self, dy) -> np.ndarray:
        dx, dweight, dbias = linear_backward(dy, self.last_cache())
        self._grads["weight"] += dweight
        if dbias is not None:
            self._grads["bias"] += dbias
        return dx

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, bias={'bias' in self._params}"


class LayerNorm(Module):
    """Normalise the last axis to mean 0, variance 1, then scale and shift (``nn.LayerNorm``)."""

    def __init__(self, normalized_shape: int, eps: float = 1e-5, *, dtype=np.float64):
        super().__init__()
        self.normalized_shape = check_positive_int(normalized_shape, "normalized_shape")
        self.eps = check_number(eps, "eps", positive=True)
        dtype = check_float_dtype(dtype)
        self.add_param("weight", np.ones(normalized_shape, dtype=dtype))
        self.add_param("bias", np.zeros(normalized_shape, dtype=dtype))
        self.cache = None

    def forward(self, x) -> np.ndarray:
        y, self.cache = layer_norm_forward(x, self.weight, self.bias, self.eps)  # (..., E)
        return y

    def backward(self, dy) -> np.ndarray:
        dx, dweight, dbias = layer_norm_backward(dy, self.last_cache())
        self._grads["weight"] += dweight
        self._grads["bias"] += dbias
        return dx

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}"
