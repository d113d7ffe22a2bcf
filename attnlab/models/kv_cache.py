"""The KV cache: the keys and values every layer has already computed, kept for generation.

Generating token t+1 needs the attention of one new query over the keys and values of
tokens 0..t. Without a cache the model recomputes all of them at every step (cost ~ t per
layer per step for the projections alone); with it, each step computes the new token's
q, k, v only and appends k and v here:

    step cost without cache ~ T (B T E^2 projections + B T^2 E attention)
    step cost with cache    ~ 1 (B E^2 projections + B T E attention: one query row)

Memory: per sequence and per token, 2 * n_layer * n_embd numbers (a key and a value of
width E in every layer).

Positions inside attention need nothing more: with RoPE each key is stored already rotated at
its absolute position (it never moves again, so it is never recomputed), and ALiBi only needs
the absolute positions, which ``length`` gives (new queries sit at length, length + 1, ...).
"""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_positive_int


class KVCache:
    """Per-layer keys and values (B, H, S, D) for a batch of B sequences.

    ``length`` is the number of cached positions S. Layers call :meth:`append` during a
    forward; the model calls :meth:`advance` once all its layers have appended. The buffers
    start at ``capacity`` positions and double when full.
    """

    def __init__(self, n_layer, batch, n_head, head_dim, *, capacity=64, dtype=np.float64):
        self.n_layer = check_positive_int(n_layer, "n_layer")
        B = check_positive_int(batch, "batch")
        H = check_positive_int(n_head, "n_head")
        D = check_positive_int(head_dim, "head_dim")
        cap = check_positive_int(capacity, "capacity")
        dtype = check_float_dtype(dtype)
        self.keys = [np.empty((B, H, cap, D), dtype=dtype) for _ in range(n_layer)]  # (B,H,S,D)
        self.values = [np.empty((B, H, cap, D), dtype=dtype) for _ in range(n_layer)]
        self.length = 0
        self._next = 0  # the layer expected to append next

    @property
    def batch(self) -> int:
        return self.keys[0].shape[0]

    @property
    def numbers_per_token(self) -> int:
        """Numbers stored per sequence and per token: 2 * n_layer * n_embd."""
        _, H, _, D = self.keys[0].shape
        return 2 * self.n_layer * H * D

    @property
    def nbytes(self) -> int:
        """Bytes held by the cached positions (all sequences)."""
        return self.batch * self.length * self.numbers_per_token * self.keys[0].itemsize

    def layer(self, i: int) -> LayerKV:
        """The view of layer ``i`` that its attention appends to."""
        return LayerKV(self, i)

    def append(self, i: int, k: np.ndarray, v: np.ndarray):
        """Store layer ``i``'s new keys and values (B, H, T, D); return all of them (B, H, S, D)."""
        if i != self._next:
            raise RuntimeError(f"layer {i} appended out of order (expected layer {self._next})")
        T = k.shape[2]
        end = self.length + T
        if end > self.keys[i].shape[2]:
            self._grow(i, end)
        self.keys[i][:, :, self.length : end] = k
        self.values[i][:, :, self.length : end] = v
        self._next = (i + 1) % self.n_layer
        return self.keys[i][:, :, :end], self.values[i][:, :, :end]  # (B, H, S, D) views

    def advance(self, T: int) -> None:
        """Every layer has appended T positions: count them."""
        self.length += T

    def _grow(self, i: int, needed: int) -> None:
        B, H, cap, D = self.keys[i].shape
        new = max(needed, 2 * cap)
        for store in (self.keys, self.values):
            bigger = np.empty((B, H, new, D), dtype=store[i].dtype)  # (B, H, S', D)
            bigger[:, :, : self.length] = store[i][:, :, : self.length]
            store[i] = bigger

    def reorder(self, rows) -> None:
        """Keep sequences ``rows`` (B',) in that order (beam search picks parents this way)."""
        rows = np.asarray(rows)
        for store in (self.keys, self.values):
            for i in range(self.n_layer):
                store[i] = store[i][rows]  # (B', H, S, D)


def check_kv_cache(cache, config, batch: int, dtype) -> None:
    """Raise unless ``cache`` can serve a forward of ``batch`` rows through a GPT of
    ``config`` computing in ``dtype``: a KVCache with its layers, heads, head size, batch and
    dtype, between two forwards. Checked before anything is appended, so a refused cache is
    left as it was."""
    if not isinstance(cache, KVCache):
        raise TypeError(
            f"kv_cache must be a KVCache (model.new_kv_cache(batch)), got {type(cache).__name__}"
        )
    _, H, _, D = cache.keys[0].shape
    if cache.n_layer != config.n_layer:
        raise ValueError(
            f"kv_cache has {cache.n_layer} layers but this GPT has {config.n_layer}: "
            f"make it with this model's new_kv_cache"
        )
    if (H, D) != (config.n_head, config.head_dim):
        raise ValueError(
            f"kv_cache holds {H} heads of size {D} but this GPT has {config.n_head} heads of "
            f"size {config.head_dim}: make it with this model's new_kv_cache"
        )
    if cache.batch != batch:
        raise ValueError(f"kv_cache holds {cache.batch} sequences but idx has {batch} rows")
    if cache.keys[0].dtype != np.dtype(dtype):
        raise TypeError(
            f"kv_cache holds {cache.keys[0].dtype} numbers but this GPT computes in "
            f"{np.dtype(dtype)}: "
            f"make it with this model's new_kv_cache"
        )
    if cache._next != 0:
        raise RuntimeError("kv_cache is in the middle of a forward (a layer did not append)")


class LayerKV:
    """Layer ``i``'s handle on a :class:`KVCache`: what a layer's attention sees."""

    def __init__(self, cache: KVCache, i: int):
        self.cache, self.i = cache, i

    @property
    def length(self) -> int:
        return self.cache.length

    def append(self, k, v):
        return self.cache.append(self.i, k, v)
