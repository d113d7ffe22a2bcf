"""``generate``: continue token sequences with a GPT, greedily or by sampling.

for each new token:
    logits = model(last max_context tokens)[:, -1]       (B, V), from the KV cache
    greedy:   next = argmax(logits)
    sampling: next ~ probabilities(logits, temperature, top_k, top_p)
    append next; rows that produced a stop token are finished
"""

from __future__ import annotations

import numpy as np

from .._validate import check_bool, check_positive_int
from .context import NextLogits, check_model
from .distribution import (
    as_generator,
    check_temperature,
    check_top_k,
    check_top_p,
    probabilities,
    sample,
)


def check_stop(stop, vocab_size: int, name: str = "stop") -> np.ndarray | None:
    """``stop`` (an id or ids) as a 1-d int64 array of valid ids, or None."""
    if stop is None:
        return None
    try:
        arr = np.atleast_1d(np.asarray(stop))
    except (TypeError, ValueError):
        arr = np.array([object()])  # ragged: reported below
    if arr.dtype == bool or arr.dtype.kind not in "iu" or arr.ndim != 1 or arr.size == 0:
        raise TypeError(f"{name} must be a token id or a list of ids, got {stop!r}")
    if (arr < 0).any() or (arr >= vocab_size).any():
        raise ValueError(f"{name} ids must lie in [0, {vocab_size}), got {arr.tolist()}")
    return arr.astype(np.int64)


def generate(
    model,
    idx,
    max_new_tokens: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    greedy: bool = False,
    rng=None,
    use_cache: bool = True,
    stop=None,
    suppress=None,
) -> np.ndarray:
    """Continue every row of ``idx`` (B, T) by up to ``max_new_tokens`` tokens: (B, T + n).

    Parameters
    ----------
    greedy : take the most likely token (argmax; temperature, top_k, top_p do not matter)
    temperature, top_k, top_p : the sampling distribution, see :func:`probabilities`
    greedy, use_cache : True or False (not strings: ``"no"`` would be true)
    rng : a NumPy Generator or an int seed >= 0 (the same seed gives the same tokens); None:
        a fresh unseeded generator. Checked even when ``greedy`` (which draws nothing)
    use_cache : keep keys and values between steps (same tokens, much faster)
    stop : a token id or ids. A row that produces one is finished: its later positions repeat
        that stop token (the output stays rectangular), and generation ends early, with
        n < max_new_tokens, once every row has finished.
    suppress : a token id or ids that are never generated (their logits become -inf before
        greedy or sampling), e.g. the ids of impossible order-book events

    The model sees at most the last ``model.max_context`` tokens (older ones are cropped, as
    nanoGPT does at block_size; a GPT with "rope", "alibi" or no positions keeps them all).
    Raises TypeError / ValueError for bad arguments before generating anything.
    """
    check_model(model)
    idx = model.check_idx(idx)
    n_new = check_positive_int(max_new_tokens, "max_new_tokens", allow_zero=True)
    temperature = check_temperature(temperature)
    top_k, top_p = check_top_k(top_k), check_top_p(top_p)
    stop = check_stop(stop, model.config.vocab_size)
    suppress = check_stop(suppress, model.config.vocab_size, "suppress")
    if suppress is not None and np.unique(suppress).size == model.config.vocab_size:
        raise ValueError("suppress leaves no token to generate: it holds every id")
    greedy = check_bool(greedy, "greedy")
    use_cache = check_bool(use_cache, "use_cache")
    rng = as_generator(rng)  # checked even when greedy: a bad rng is a mistake either way
    B, T = idx.shape
    out = np.empty((B, T + n_new), dtype=np.int64)  # (B, T + n)
    out[:, :T] = idx
    finished = np.zeros(B, dtype=bool)  # (B,)
    next_logits = NextLogits(model, use_cache)
    for t in range(T, T + n_new):
        logits = next_logits(out[:, :t])  # (B, V)
        if suppress is not None:
            logits[:, suppress] = -np.inf  # (B, V) never chosen, never drawn
        if greedy:
            nxt = np.argmax(logits, axis=-1)  # (B,)
        else:
            probs = probabilities(logits, temperature=temperature, top_k=top_k, top_p=top_p)
            nxt = sample(probs, rng)  # (B,) every row draws, finished or not: same stream
        if stop is not None:
            nxt = np.where(finished, out[:, t - 1], nxt)  # finished rows repeat their stop id
            finished |= np.isin(nxt, stop)
        out[:, t] = nxt
        if stop is not None and finished.all():
            return out[:, : t + 1]
    return out
