"""The distribution a sampler draws the next token from, and the draw itself.

``probabilities(logits, temperature, top_k, top_p)`` applies, in this order:

    z = logits / temperature          T < 1 sharpens, T > 1 flattens
    keep the top_k largest z          every logit equal to the k-th largest is kept (ties)
    p = softmax(z)
    nucleus (top_p): sort p from most to least likely; keep the smallest prefix whose sum
    reaches top_p (the token that crosses top_p is kept; the most likely token always is)
    p = p / sum(p)                    renormalise over the kept tokens

Greedy decoding is the limit temperature -> 0 (or top_k = 1): all the mass on the argmax.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array


def check_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(
        temperature, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}")
    return float(temperature)


def check_top_k(top_k) -> int | None:
    if top_k is None:
        return None
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
        raise TypeError(f"top_k must be an int >= 1 or None, got {type(top_k).__name__}")
    if top_k < 1:
        raise ValueError(f"top_k must be >= 1 (or None for no limit), got {top_k}")
    return int(top_k)


def check_top_p(top_p) -> float | None:
    if top_p is None:
        return None
    if isinstance(top_p, bool) or not isinstance(top_p, (int, float, np.integer, np.floating)):
        raise TypeError(f"top_p must be a number in (0, 1] or None, got {type(top_p).__name__}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    return float(top_p)


def probabilities(logits, *, temperature=1.0, top_k=None, top_p=None) -> np.ndarray:
    """The next-token distribution that sampling draws from, (..., V) -> (..., V).

    Parameters
    ----------
    logits : (..., V) real numbers (``-inf`` allowed: that token is excluded)
    temperature : finite, > 0
    top_k : int >= 1 or None; top_k >= V changes nothing
    top_p : in (0, 1] or None; 1 changes nothing

    Returns probabilities of the logits' dtype that sum to 1 along the last axis.
    Raises TypeError / ValueError for bad arguments or a row whose logits are all ``-inf``.
    """
    z = as_float_array(logits, "logits", allow_neg_inf=True)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"logits must have shape (..., V) with V >= 1, got {z.shape}")
    temperature = check_temperature(temperature)
    top_k, top_p = check_top_k(top_k), check_top_p(top_p)
    m = z.max(axis=-1, keepdims=True)  # (..., 1)
    if np.isneginf(m).any():
        raise ValueError("a row of logits is all -inf: no token can be drawn")
    # Shift by the row maximum before dividing: the same softmax (it ignores shifts), and a
    # tiny temperature then sends the other logits to -inf instead of overflowing to +inf.
    z = (z - m) / temperature  # (..., V) max 0
    V = z.shape[-1]
    if top_k is not None and top_k < V:
        kth = np.partition(z, V - top_k, axis=-1)[..., V - top_k : V - top_k + 1]  # (..., 1)
        z = np.where(z >= kth, z, -np.inf)  # ties at the k-th value stay
    p = np.exp(z)  # (..., V) the maximum is exp(0) = 1: the sum is >= 1, no 0 / 0
    p /= p.sum(axis=-1, keepdims=True)
    if top_p is not None and top_p < 1:
        order = np.argsort(-p, axis=-1, kind="stable")  # (..., V) most likely first
        sorted_p = np.take_along_axis(p, order, axis=-1)  # (..., V)
        before = np.cumsum(sorted_p, axis=-1) - sorted_p  # (..., V) mass of the more likely
        keep_sorted = before < top_p  # the crossing token too; the first always (0 < top_p)
        keep = np.empty_like(keep_sorted)  # (..., V)
        np.put_along_axis(keep, order, keep_sorted, axis=-1)
        p = np.where(keep, p, 0.0)  # (..., V)
        p /= p.sum(axis=-1, keepdims=True)
    return p.astype(z.dtype, copy=False)


def sample(probs, rng: np.random.Generator) -> np.ndarray:
    """One token per row of ``probs`` (..., V), drawn with ``rng``: ids (...,) int64.

    Inverse-CDF sampling with one uniform number per row, so the same generator state always
    gives the same tokens; tokens of probability 0 are never drawn.
    """
    probs = np.asarray(probs)
    cdf = np.cumsum(probs, axis=-1)  # (..., V)
    total = cdf[..., -1:]  # (..., 1) 1 up to rounding
    u = rng.random(probs.shape[:-1])[..., None] * total  # (..., 1) in [0, total)
    u = np.minimum(u, np.nextafter(total, 0))  # rounding must not lift u to the total
    return np.argmax(cdf > u, axis=-1).astype(np.int64)  # first token whose cdf passes u


def as_generator(rng) -> np.random.Generator:
    """A NumPy Generator from a Generator, an int seed, or None (a fresh, unseeded one)."""
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")
