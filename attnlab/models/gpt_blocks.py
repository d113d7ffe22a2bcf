"""The parts of a GPT block, as in nanoGPT's model.py: LayerNorm, attention, MLP, Block.

Each part is a module over attnlab's functional pairs; its backward sits under its forward.

    Block:   x = x + attn(ln_1(x))             pre-LayerNorm residual blocks
             x = x + mlp(ln_2(x))              (no MLP and no ln_2 when attn_only)
    attn:    q, k, v = split(c_attn(x))        c_attn: E -> 3E, q, k, v stacked by rows
             rope:  q, k = rope(q, p), rope(k, p)      p: the tokens' absolute positions
             y = softmax(q k^T / sqrt(D) + causal [+ alibi]) v   per head (B, H, T, D)
             out = c_proj(merge(y))            c_proj: E -> E
    mlp:     out = c_proj(gelu(c_fc(x)))       c_fc: E -> 4E, exact GELU, c_proj: 4E -> E
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array
from ..functional import (
    alibi_bias,
    attention_backward,
    attention_forward,
    gelu_backward,
    gelu_forward,
    layer_norm_backward,
    layer_norm_forward,
    merge_heads,
    rope_backward,
    rope_forward,
    split_heads,
)
from ..functional.attention import AttentionCache
from ..functional.rope import RopeCache
from ..nn import Linear, Module


class LayerNorm(Module):
    """nanoGPT's LayerNorm: torch's ``nn.LayerNorm(E)`` (eps 1e-5) with an optional bias."""

    def __init__(self, E: int, bias: bool = True, *, dtype=np.float64):
        super().__init__()
        self.add_param("weight", np.ones(E, dtype=dtype))
        if bias:
            self.add_param("bias", np.zeros(E, dtype=dtype))
        self.cache = None

    def forward(self, x) -> np.ndarray:
        weight = self._params["weight"]
        bias = self._params.get("bias")
        if bias is None:  # no shift: the same normalisation with a zero bias
            bias = np.zeros_like(weight)
        y, self.cache = layer_norm_forward(x, weight, bias)  # (..., E)
        return y

    def backward(self, dout) -> np.ndarray:
        dx, dweight, dbias = layer_norm_backward(dout, self.last_cache())
        self._grads["weight"] += dweight
        if "bias" in self._grads:
            self._grads["bias"] += dbias
        return dx


class CausalSelfAttentionCache(NamedTuple):
    attn: AttentionCache  # attn.weights is (B, H, T, S)
    head_mask: np.ndarray | None  # (H,) the head multipliers of the forward, or None
    cached: bool  # True after a forward with a KV cache (no backward then)
    q_rope: RopeCache | None  # the rotations of q and k ("rope"), else None
    k_rope: RopeCache | None
    out_shape: tuple[int, int, int]  # (B, T, E), the shape dout must have


class CausalSelfAttention(Module):
    """Multi-head causal self-attention with nanoGPT's ``c_attn`` and ``c_proj``.

    ``forward(x, kv=None, head_mask=None)``: x (B, T, E) -> (B, T, E). With a layer cache
    ``kv`` (see :class:`attnlab.models.KVCache`), x holds only the new tokens: their keys and
    values are appended to the cached ones and each new query sees every cached key and the
    new keys up to itself. ``head_mask`` (H,) multiplies each head's output (0 ablates it).
    ``weights`` is a copy of the attention weights (B, H, T, S) of the last forward (None
    before one): changing it cannot change the backward.

    ``position`` "rope" rotates q and k at the tokens' absolute positions (past + 0 .. T-1;
    each key is rotated once, before it enters the cache); "alibi" adds -m_h |i - j| to the
    scores, i and j absolute positions. Other values leave attention as it is.
    """

    def __init__(self, n_embd, n_head, bias=True, position="learned", *, dtype=np.float64):
        super().__init__()
        self.n_head = n_head
        self.position = position
        self.c_attn = Linear(n_embd, 3 * n_embd, bias=bias, dtype=dtype)
        self.c_proj = Linear(n_embd, n_embd, bias=bias, dtype=dtype)
        self.cache = None

    @property
    def weights(self) -> np.ndarray | None:
        """A copy of the last forward's attention weights (B, H, T, S), or None."""
        return None if self.cache is None else self.cache.attn.weights.copy()

    def forward(self, x, kv=None, head_mask=None) -> np.ndarray:
        x = self.check_x(x)  # (B, T, E), or a clear error
        B, T, E = x.shape
        H = self.n_head
        qkv = self.c_attn(x)  # (B, T, 3E)
        q, k, v = np.split(qkv, 3, axis=2)  # 3 x (B, T, E)
        q, k, v = split_heads(q, H), split_heads(k, H), split_heads(v, H)  # (B, H, T, D)
        past = 0 if kv is None else kv.length
        positions = past + np.arange(T)  # (T,) the new tokens' absolute positions
        q_rope = k_rope = None
        if self.position == "rope":  # cached keys were rotated at their own positions already
            q, q_rope = rope_forward(q, positions)  # (B, H, T, D)
            k, k_rope = rope_forward(k, positions)  # (B, H, T, D)
        if kv is not None:
            k, v = kv.append(k, v)  # (B, H, S, D), S = past + T
        S = past + T
        bias = None
        if self.position == "alibi":
            bias = alibi_bias(H, positions, np.arange(S), dtype=x.dtype)  # (H, T, S)
        if past == 0:
            y, attn_cache = attention_forward(q, k, v, bias, is_causal=True)  # (B, H, T, D)
        elif T == 1:  # one new query: it may see every cached key, no causal mask needed
            y, attn_cache = attention_forward(q, k, v, bias)  # (B, H, 1, D)
        else:  # new query i sits at position past + i: it sees keys j <= past + i
            causal = np.arange(S)[None, :] <= positions[:, None]  # (T, S)
            mask = causal if bias is None else np.where(causal, bias, -np.inf)  # (H?, T, S)
            y, attn_cache = attention_forward(q, k, v, mask)  # (B, H, T, D)
        if head_mask is not None:
            y = y * head_mask[None, :, None, None]  # (B, H, T, D) ablated heads -> 0
        out = self.c_proj(merge_heads(y))  # (B, T, E)
        self.cache = CausalSelfAttentionCache(
            attn=attn_cache, head_mask=head_mask, cached=kv is not None,
            q_rope=q_rope, k_rope=k_rope, out_shape=out.shape,
        )  # fmt: skip
        return out

    def backward(self, dout) -> np.ndarray:
        cache = self.last_cache()  # a RuntimeError before any forward
        if cache.cached:
            raise RuntimeError("no backward after a forward with a KV cache (generation only)")
        dout = as_dout(dout, cache.out_shape, cache.attn.weights.dtype)  # (B, T, E)
        dy = split_heads(self.c_proj.backward(dout), self.n_head)  # (B, H, T, D)
        if cache.head_mask is not None:
            dy = dy * cache.head_mask[None, :, None, None]  # (B, H, T, D)
        dq, dk, dv = attention_backward(dy, cache.attn)  # (B, H, T, D) each
        if cache.q_rope is not None:  # q, k = rope(q), rope(k): rotate the gradients back
            dq = rope_backward(dq, cache.q_rope)  # (B, H, T, D)
            dk = rope_backward(dk, cache.k_rope)  # (B, H, T, D)
        dqkv = np.concatenate([merge_heads(dq), merge_heads(dk), merge_heads(dv)], axis=2)
        return self.c_attn.backward(dqkv)  # (B, T, E)

    def check_x(self, x) -> np.ndarray:
        """``x`` as a float array (B, T, E) with E = n_embd, or a clear TypeError / ValueError."""
        x = as_float_array(x, "x")
        E = self.c_proj.out_features
        if x.ndim != 3 or x.shape[-1] != E:
            raise ValueError(f"x must have shape (B, T, E) with E = n_embd = {E}, got {x.shape}")
        return x


class MLP(Module):
    """``c_proj(gelu(c_fc(x)))`` with a 4E hidden layer and the exact (erf) GELU."""

    def __init__(self, n_embd: int, bias: bool = True, *, dtype=np.float64):
        super().__init__()
        self.c_fc = Linear(n_embd, 4 * n_embd, bias=bias, dtype=dtype)
        self.c_proj = Linear(4 * n_embd, n_embd, bias=bias, dtype=dtype)
        self.cache = None

    def forward(self, x) -> np.ndarray:
        h, self.cache = gelu_forward(self.c_fc(x))  # (B, T, 4E)
        return self.c_proj(h)  # (B, T, E)

    def backward(self, dout) -> np.ndarray:
        gelu_cache = self.last_cache()  # a RuntimeError naming MLP before any forward
        dh = gelu_backward(self.c_proj.backward(dout), gelu_cache)  # (B, T, 4E)
        return self.c_fc.backward(dh)  # (B, T, E)


class Block(Module):
    """One pre-LayerNorm transformer block (attention only when ``attn_only``)."""

    def __init__(
        self, n_embd, n_head, bias=True, attn_only=False, position="learned", *, dtype=np.float64
    ):
        super().__init__()
        self.ln_1 = LayerNorm(n_embd, bias, dtype=dtype)
        self.attn = CausalSelfAttention(n_embd, n_head, bias, position, dtype=dtype)
        self.attn_only = attn_only
        if not attn_only:
            self.ln_2 = LayerNorm(n_embd, bias, dtype=dtype)
            self.mlp = MLP(n_embd, bias, dtype=dtype)

    def forward(self, x, kv=None, head_mask=None) -> np.ndarray:
        x = x + self.attn(self.ln_1(x), kv, head_mask)  # (B, T, E)
        if not self.attn_only:
            x = x + self.mlp(self.ln_2(x))  # (B, T, E)
        return x

    def backward(self, dx) -> np.ndarray:
        if not self.attn_only:  # x2 = x1 + mlp(ln_2(x1)): the residual passes dx through
            dx = dx + self.ln_2.backward(self.mlp.backward(dx))  # (B, T, E)
        return dx + self.ln_1.backward(self.attn.backward(dx))  # (B, T, E)
