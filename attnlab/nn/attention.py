"""MultiHeadAttention module with ``torch.nn.MultiheadAttention``'s parameter names."""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_positive_int
from ..functional import multi_head_attention_backward, multi_head_attention_forward
from ..functional.rope import check_base
from .init import make_rng, xavier_uniform
from .linear import Linear
from .module import Module


class MultiHeadAttention(Module):
    """Multi-head attention on batch-first inputs (B, T, E).

    Parameters: ``in_proj_weight`` (3E, E), ``in_proj_bias`` (3E,), ``out_proj.weight`` (E, E),
    ``out_proj.bias`` (E,) -- the keys of ``torch.nn.MultiheadAttention(E, H,
    batch_first=True).state_dict()``, so torch weights load directly.

    Positions inside attention (no parameters, so the keys stay torch's):

    - ``rope=True`` rotates each head's queries and keys after the projections, before the
      scores (:func:`attnlab.functional.rope_forward`, base ``rope_base``; D = E / H even);
    - ``alibi=True`` adds ALiBi's per-head penalty -m_h |i - j| to the scores
      (:func:`attnlab.alibi_bias`). Without the flag the same bias can be passed as a float
      ``mask=attnlab.alibi_bias(H, pos_q, pos_k)``; add ``is_causal=True`` for a decoder.

    Both use the absolute positions given to :meth:`forward` (``arange`` by default).
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        *,
        bias: bool = True,
        rope: bool = False,
        rope_base: float = 10000.0,
        alibi: bool = False,
        rng=None,
        dtype=np.float64,
    ):
        super().__init__()
        self.embed_dim = check_positive_int(embed_dim, "embed_dim")
        self.num_heads = check_positive_int(num_heads, "num_heads")
        if embed_dim % num_heads:
            raise ValueError(
                f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}: "
                f"each head needs embed_dim / num_heads features"
            )
        self.head_dim = embed_dim // num_heads
        for name, flag in (("rope", rope), ("alibi", alibi)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {flag!r}")
        if rope and self.head_dim % 2:
            raise ValueError(
                f"rope rotates pairs of features: the head size embed_dim / num_heads = "
                f"{self.head_dim} must be even"
            )
        self.rope, self.rope_base, self.alibi = rope, check_base(rope_base), alibi
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        E = embed_dim
        # torch: xavier_uniform on the stacked (3E, E) matrix, zero biases
        self.add_param("in_proj_weight", xavier_uniform(rng, (3 * E, E), dtype))
        if bias:
            self.add_param("in_proj_bias", np.zeros(3 * E, dtype=dtype))
        self.out_proj = Linear(E, E, bias=bias, rng=rng, dtype=dtype)
        if bias:
            self.out_proj.bias[...] = 0.0  # torch zeroes out_proj.bias too
        self.cache = None

    def forward(
        self,
        query,
        key=None,
        value=None,
        mask=None,
        *,
        is_causal: bool = False,
        query_positions=None,
        key_positions=None,
    ):
        """Return ``(out, weights)``: out (B, T, E) and per-head weights (B, H, T, S).

        ``key`` defaults to ``query`` and ``value`` to ``key`` (self-attention). ``mask`` is
        boolean (True = may attend) or additive float, broadcastable to (B, H, T, S).
        ``query_positions`` (T,) and ``key_positions`` (S,): the absolute positions RoPE and
        ALiBi use (integers >= 0, default ``arange``). Both results are new arrays (the
        weights a copy of the cache's): changing them cannot change the backward.
        """
        key = query if key is None else key
        value = key if value is None else value
        out, self.cache = multi_head_attention_forward(
            query,
            key,
            value,
            self.in_proj_weight,
            self._params.get("in_proj_bias"),
            self.out_proj.weight,
            self.out_proj._params.get("bias"),
            self.num_heads,
            mask,
            is_causal=is_causal,
            rope=self.rope,
            rope_base=self.rope_base,
            alibi=self.alibi,
            query_positions=query_positions,
            key_positions=key_positions,
        )  # (B, T, E)
        return out, self.cache.attn.weights.copy()  # (B, T, E), (B, H, T, S)

    def backward(self, dout):
        """Return ``(dquery, dkey, dvalue)``; for self-attention the input gradient is their sum."""
        grads = multi_head_attention_backward(dout, self.last_cache())
        dq, dk, dv, dw_in, db_in, dw_out, db_out = grads
        self._grads["in_proj_weight"] += dw_in
        self.out_proj._grads["weight"] += dw_out
        if db_in is not None:
            self._grads["in_proj_bias"] += db_in
            self.out_proj._grads["bias"] += db_out
        return dq, dk, dv

    def extra_repr(self) -> str:
        extra = f", rope=True, rope_base={self.rope_base:g}" if self.rope else ""
        extra += ", alibi=True" if self.alibi else ""
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}{extra}"
