"""One TLOB transformer layer: double projections, attention, two residuals.

    res = x                                   (B, N, d)   N tokens of width d
    q, k, v = qkv.q(x), qkv.k(x), qkv.v(x)    three Linear(d -> d h)
    a, w = attention(q, k, v)                 torch-style multi-head attention on width d h,
                                              h heads of size d: it projects q, k, v AGAIN
                                              with its in_proj, and ends with out_proj
    x = LayerNorm(w0(a) + res)                w0: Linear(d h -> d), "norm"
    x = mlp(x)                                d -> 4 d -> o
    if o == d: x = x + res                    the second residual, back to the layer input

The double projections (qkv then in_proj; out_proj then w0) are what the published model does;
keeping both is what makes its weights load here.
"""

from __future__ import annotations

import numpy as np

from ..nn import LayerNorm, Linear, Module, MultiHeadAttention
from ..nn.init import make_rng
from .mlp import MLP


class QKV(Module):
    """Three independent Linear(d -> d h) maps named ``q``, ``k``, ``v``."""

    def __init__(self, dim: int, num_heads: int, *, rng=None, dtype=np.float64):
        super().__init__()
        rng = make_rng(rng)
        self.q = Linear(dim, dim * num_heads, rng=rng, dtype=dtype)
        self.k = Linear(dim, dim * num_heads, rng=rng, dtype=dtype)
        self.v = Linear(dim, dim * num_heads, rng=rng, dtype=dtype)

    def forward(self, x):
        return self.q(x), self.k(x), self.v(x)  # 3 x (B, N, d h)

    def backward(self, dq, dk, dv) -> np.ndarray:
        return self.q.backward(dq) + self.k.backward(dk) + self.v.backward(dv)  # (B, N, d)


class TransformerLayer(Module):
    """A TLOB layer on tokens (B, N, dim) -> (B, N, out_dim); see the module docstring."""

    def __init__(self, dim: int, num_heads: int, out_dim: int, *, rng=None, dtype=np.float64):
        super().__init__()
        rng = make_rng(rng)
        self.dim, self.num_heads, self.out_dim = dim, num_heads, out_dim
        self.norm = LayerNorm(dim, dtype=dtype)
        self.qkv = QKV(dim, num_heads, rng=rng, dtype=dtype)
        self.attention = MultiHeadAttention(dim * num_heads, num_heads, rng=rng, dtype=dtype)
        self.mlp = MLP(dim, 4 * dim, out_dim, rng=rng, dtype=dtype)
        self.w0 = Linear(dim * num_heads, dim, rng=rng, dtype=dtype)
        self.weights = None  # (B, h, N, N) attention weights of the last forward

    def forward(self, x) -> np.ndarray:
        q, k, v = self.qkv(x)  # 3 x (B, N, d h)
        a, self.weights = self.attention(q, k, v)  # (B, N, d h), (B, h, N, N)
        h = self.norm(self.w0(a) + x)  # (B, N, d): first residual, then LayerNorm
        y = self.mlp(h)  # (B, N, o)
        if self.out_dim == self.dim:
            y = y + x  # (B, N, d): second residual, to the layer input
        return y

    def backward(self, dout) -> np.ndarray:
        dh = self.mlp.backward(dout)  # (B, N, d)
        dsum = self.norm.backward(dh)  # (B, N, d): gradient of w0(a) + x
        da = self.w0.backward(dsum)  # (B, N, d h)
        dq, dk, dv = self.attention.backward(da)  # 3 x (B, N, d h)
        dx = self.qkv.backward(dq, dk, dv) + dsum  # (B, N, d): through q/k/v and the 1st residual
        if self.out_dim == self.dim:
            dx = dx + dout  # the second residual
        return dx

    def extra_repr(self) -> str:
        return f"dim={self.dim}, num_heads={self.num_heads}, out_dim={self.out_dim}"
