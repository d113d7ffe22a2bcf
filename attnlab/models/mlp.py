"""TLOB's MLP block: two Linears around a GELU, a residual when the width is kept, LayerNorm, GELU.

y = fc2(GELU(fc(x)))              fc: d_in -> 4 d_in,  fc2: 4 d_in -> d_out
if d_out == d_in: y = y + x       residual only when the shapes allow it
out = GELU(LayerNorm(y))          "layer_norm", eps 1e-5
"""

from __future__ import annotations

import numpy as np

from ..nn import GELU, LayerNorm, Linear, Module
from ..nn.init import make_rng


class MLP(Module):
    """The MLP of a TLOB transformer layer, mapping (..., d_in) to (..., d_out)."""

    def __init__(self, d_in: int, d_hidden: int, d_out: int, *, rng=None, dtype=np.float64):
        super().__init__()
        rng = make_rng(rng)
        self.fc = Linear(d_in, d_hidden, rng=rng, dtype=dtype)
        self.fc2 = Linear(d_hidden, d_out, rng=rng, dtype=dtype)
        self.layer_norm = LayerNorm(d_out, dtype=dtype)
        self.gelu_hidden = GELU()
        self.gelu_out = GELU()
        self.residual = d_in == d_out

    def forward(self, x) -> np.ndarray:
        y = self.fc2(self.gelu_hidden(self.fc(x)))  # (..., d_out)
        if self.residual:
            y = y + x  # (..., d_out)
        return self.gelu_out(self.layer_norm(y))  # (..., d_out)

    def backward(self, dout) -> np.ndarray:
        dy = self.layer_norm.backward(self.gelu_out.backward(dout))  # (..., d_out)
        dx = self.fc.backward(self.gelu_hidden.backward(self.fc2.backward(dy)))  # (..., d_in)
        if self.residual:
            dx = dx + dy  # the residual copies dy to the input
        return dx

    def extra_repr(self) -> str:
        return f"{self.fc.in_features} -> {self.fc.out_features} -> {self.fc2.out_features}"
