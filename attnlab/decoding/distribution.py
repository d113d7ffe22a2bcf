"""The distribution a sampler draws the next token from, and the draw itself.

``probabilities(logits, temperature, top_k, top_p)`` applies, in this order:

    z = logits / temperature          T < 1 sharpens, T > 1 flattens
    keep the top_k largest z          every logit equal to the k-th largest is kept (ties)
    p = softmax(z)
    nucleus (top_p): sort p from most to least likely; keep the smallest prefix whose sum
    reaches top_p (the token that crosses top_p is kept; the most likely token always is)
    p = p / sum(p)                    renormalise over the kept tokens

Greedy decoding is the limit temperature -> 0 (or top_k = 1): all the mass on the argmax.

Floating point, stated exactly:

- The computation runs in float64 (float32 logits too; the result is cast back to their
  dtype), on logits shifted by their row maximum. A temperature so small that the scaled
  gaps overflow (1e-50 with float32 logits, 1e-320 with float64) therefore gives the limit,
  never NaN: all the mass on the argmax, shared equally by tied maxima.
- "Reaches top_p": the mass of the tokens before token j (sorted, summed in order from the
  most likely, as ``np.cumsum`` does) is compared with top_p, and token j is kept while that
  mass is below top_p * (1 - V * eps), eps = 2.2e-16. The allowance V * eps covers the
  rounding of the sums: seven tokens of probability 1/7 add up, five of them, to one unit in
  the last place below 5/7, yet top_p = 5/7 should keep five. So top_p equal to the mass of
  the j most likely tokens keeps exactly those j (unless the last of them is below about
  V * eps: such a token adds nothing that float64 can see).
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, as_rng


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
    temperature : finite, > 0 (any tiny value is fine: it tends to greedy, see the module)
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
    dtype = z.dtype
    z = z.astype(np.float64)  # (..., V) a copy: float32 logits are scaled in float64 too
    m = z.max(axis=-1, keepdims=True)  # (..., 1)
    if np.isneginf(m).any():
        raise ValueError("a row of logits is all -inf: no token can be drawn")
    # Shift by the row maximum before dividing: the same softmax (it ignores shifts), and a
    # tiny temperature then sends the other logits to -inf (their limit) instead of +inf.
    with np.errstate(over="ignore"):  # 1e308 - (-1e308) and gaps / 1e-320: -inf, intended
        z = (z - m) / temperature  # (..., V) max exactly 0, the rest <= 0 or -inf
    V = z.shape[-1]
    if top_k is not None and top_k < V:
        kth = np.partition(z, V - top_k, axis=-1)[..., V - top_k : V - top_k + 1]  # (..., 1)
        z = np.where(z >= kth, z, -np.inf)  # ties at the k-th value stay
    p = np.exp(z)  # (..., V) the maximum is exp(0) = 1: the sum is >= 1, no 0 / 0
    p /= p.sum(axis=-1, keepdims=True)
    if top_p is not None and top_p < 1:
        order = np.argsort(-p, axis=-1, kind="stable")  # (..., V) most likely first
        sorted_p = np.take_along_axis(p, order, axis=-1)  # (..., V)
        mass = np.cumsum(sorted_p, axis=-1)  # (..., V) mass of the j + 1 most likely
        before = np.zeros_like(mass)  # (..., V) mass of the more likely ones (0 for the first)
        before[..., 1:] = mass[..., :-1]
        reach = top_p * (1.0 - V * np.finfo(np.float64).eps)  # rounding allowance: see module
        keep_sorted = before < reach  # the crossing token too; the first always (reach > 0)
        keep = np.empty_like(keep_sorted)  # (..., V)
        np.put_along_axis(keep, order, keep_sorted, axis=-1)
        p = np.where(keep, p, 0.0)  # (..., V)
        p /= p.sum(axis=-1, keepdims=True)
    return p.astype(dtype, copy=False)


def sample(probs, rng=None) -> np.ndarray:
    """One token per row of ``probs`` (..., V), drawn with ``rng``: ids (...,) int64.

    ``probs``: real, finite, non-negative, each row summing to 1 (within sqrt(eps) of its
    dtype), e.g. what :func:`probabilities` returns; anything else is a ValueError (an
    invalid distribution must not quietly become token 0). ``rng``: a NumPy Generator, an
    int seed >= 0, or None (fresh entropy). Inverse-CDF sampling with one uniform number per
    row, so the same generator state always gives the same tokens; tokens of probability 0
    are never drawn.
    """
    probs = as_float_array(probs, "probs")
    if probs.ndim == 0 or probs.shape[-1] == 0:
        raise ValueError(f"probs must have shape (..., V) with V >= 1, got {probs.shape}")
    if (probs < 0).any():
        raise ValueError(f"probs holds negative values (min {probs.min():.3g})")
    sums = probs.sum(axis=-1)  # (...,)
    tol = np.sqrt(np.finfo(probs.dtype).eps)
    if (np.abs(sums - 1) > tol).any():
        worst = sums.reshape(-1)[np.argmax(np.abs(sums - 1).reshape(-1))]
        raise ValueError(
            f"each row of probs must sum to 1, a row sums to {worst:.6g}: pass a "
            f"distribution, e.g. probabilities(logits)"
        )
    rng = as_generator(rng)
    cdf = np.cumsum(probs, axis=-1)  # (..., V)
    total = cdf[..., -1:]  # (..., 1) 1 up to rounding
    u = rng.random(probs.shape[:-1])[..., None] * total  # (..., 1) in [0, total)
    u = np.minimum(u, np.nextafter(total, 0))  # rounding must not lift u to the total
    return np.argmax(cdf > u, axis=-1).astype(np.int64)  # first token whose cdf passes u


def as_generator(rng) -> np.random.Generator:
    """A NumPy Generator from a Generator, an int seed >= 0, or None (a fresh, unseeded one)."""
    return as_rng(rng, "rng")
