"""The logits of the next token for growing sequences, with or without a KV cache.

Both paths give the same numbers: the model sees the last ``model.max_context`` tokens
(nanoGPT's crop at block_size; None, for positions that are relative or absent, keeps the
whole sequence and the cache simply grows). Without a cache every step runs the whole
window. With a cache a step runs only the new token against the cached keys and values. Once
the sequence outgrows a cropped window, the window slides: every kept token moves to a new
position (and the first layer's output of each changes, so every later key and value does
too), so the cache is rebuilt from the cropped window. Past the window the cache saves
nothing but stays exact.
"""

from __future__ import annotations

import numpy as np

MODEL_API = ("config", "check_idx", "forward", "new_kv_cache")


def check_model(model) -> None:
    """TypeError unless ``model`` is a GPT (or has the parts decoding uses: ``MODEL_API``)."""
    missing = [name for name in MODEL_API if not hasattr(model, name)]
    if missing:
        raise TypeError(
            f"model must be a GPT (attnlab.models.GPT), got {type(model).__name__} "
            f"(it has no {', '.join(missing)})"
        )


class NextLogits:
    """``NextLogits(model, use_cache)(seqs)``: logits (N, V) of the token after each row."""

    def __init__(self, model, use_cache: bool = True):
        self.model = model
        self.use_cache = use_cache
        # the window: the last max_context tokens (None: the whole sequence, never cropped)
        self.block_size = getattr(model, "max_context", model.config.block_size)
        self.cache = None
        self.start = 0  # seqs[:, start : start + cache.length] are the cached tokens

    def __call__(self, seqs: np.ndarray) -> np.ndarray:
        t = seqs.shape[1]
        # the window the model sees: seqs[:, begin:t]
        begin = 0 if self.block_size is None else max(0, t - self.block_size)
        if not self.use_cache:
            return self.model.forward(seqs[:, begin:t])[0][:, -1]  # (N, V)
        cache = self.cache
        if cache is None or begin != self.start or cache.length != t - 1 - begin:
            self.cache = cache = self.model.new_kv_cache(seqs.shape[0])  # (re)build: prefill
            self.start = begin
            return self.model.forward(seqs[:, begin:t], kv_cache=cache)[0][:, -1]  # (N, V)
        return self.model.forward(seqs[:, t - 1 : t], kv_cache=cache)[0][:, -1]  # (N, V)

    def reorder(self, rows) -> None:
        """The sequences were reordered (beam search): reorder the cache the same way."""
        if self.cache is not None:
            self.cache.reorder(rows)
