"""Example data the gallery draws: attention layers with random weights, a stretch of the book.

Random weights are only ever shown as what they are (titles say "random weights"); every
example is computed from a fixed seed, once, and shared by both languages.
"""

from __future__ import annotations

import functools

import numpy as np

SEED = 0


@functools.lru_cache(maxsize=1)
def example_layer(num_heads: int = 4, embed: int = 16, t: int = 7):
    """One multi-head layer with random weights on random tokens: ``(weights, causal_weights)``,
    each (H, T, T), without and with the causal mask."""
    from ..nn import MultiHeadAttention

    rng = np.random.default_rng(SEED)
    x = 2.0 * rng.standard_normal((1, t, embed))  # (1, T, E) larger inputs -> sharper maps
    mha = MultiHeadAttention(embed, num_heads, rng=rng)
    _, weights = mha.forward(x)  # (1, H, T, T)
    _, causal_weights = mha.forward(x, is_causal=True)  # (1, H, T, T)
    return weights[0], causal_weights[0]


@functools.lru_cache(maxsize=1)
def example_stack(num_layers: int = 4, num_heads: int = 2, embed: int = 16, t: int = 7):
    """A stack of residual self-attention layers (random weights): a (H, T, T) map per layer."""
    from ..nn import MultiHeadAttention

    rng = np.random.default_rng(SEED + 1)
    h = 2.0 * rng.standard_normal((1, t, embed))  # (1, T, E)
    maps = []
    for _ in range(num_layers):
        layer = MultiHeadAttention(embed, num_heads, rng=rng)
        out, weights = layer.forward(h)  # (1, T, E), (1, H, T, T)
        h = h + out  # (1, T, E) residual
        maps.append(weights[0])
    return maps


@functools.lru_cache(maxsize=1)
def example_book(n_events: int = 600, horizon: int = 10):
    """A short stretch of the synthetic order book and TLOB's labels: ``(lob, labels, horizon)``."""
    from ..data import synthetic_lob, tlob_labels

    lob = synthetic_lob(n_events, seed=SEED)
    labels, _ = tlob_labels(lob.mid, horizon)  # (N - h - k + 1,)
    return lob, labels, horizon
