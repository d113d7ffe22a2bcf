"""Attention masks, with one convention everywhere in attnlab.

- A **boolean** mask means ``True`` = *may attend*. (torch's ``scaled_dot_product_attention``
  uses the same meaning; ``nn.MultiheadAttention``'s ``key_padding_mask`` uses the opposite.)
- A **float** mask is *additive*: it is added to the scores, so ``0`` keeps an entry and
  ``-inf`` removes it (finite values act as biases, e.g. ALiBi).
- Masks broadcast against the score shape ``(..., T, S)``.

A query row whose keys are all masked gets weights 0, output 0 and gradient 0, never NaN.
"""

from __future__ import annotations

import numpy as np

from ._validate import check_finite, check_positive_int


def causal_mask(t: int, s: int | None = None) -> np.ndarray:
    """Boolean ``(t, s)`` mask where query ``i`` may attend to keys ``j <= i``.

    Top-left aligned, like torch's ``is_causal=True``: row ``i`` allows columns ``0..i``
    even when ``s != t``.

    >>> causal_mask(3).astype(int)
    array([[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]])
    """
    t = check_positive_int(t, "t")
    s = t if s is None else check_positive_int(s, "s")
    return np.tril(np.ones((t, s), dtype=bool))  # (T, S)


def padding_mask(lengths, max_len: int | None = None) -> np.ndarray:
    """Boolean ``(B, max_len)`` mask, ``True`` for the first ``lengths[b]`` (real) positions.

    To use it as a key mask for attention scores of shape ``(B, H, T, S)``, add the missing
    axes with :func:`key_mask` (``mask[:, None, None, :]``).
    """
    lengths_arr = np.asarray(lengths)
    if lengths_arr.ndim != 1:
        raise ValueError(
            f"lengths must be 1-d (one length per sequence), got shape {lengths_arr.shape}"
        )
    if lengths_arr.dtype.kind == "f":
        if not np.isfinite(lengths_arr).all():
            raise ValueError(f"lengths must be finite whole numbers, got {lengths_arr.tolist()}")
        if not np.all(lengths_arr == np.round(lengths_arr)):
            raise TypeError(f"lengths must be whole numbers, got {lengths_arr.tolist()}")
        lengths_arr = lengths_arr.astype(np.int64)
    elif lengths_arr.dtype.kind not in "iu":
        raise TypeError(f"lengths must be integers, got dtype {lengths_arr.dtype}")
    if (lengths_arr < 0).any():
        raise ValueError(f"lengths must be >= 0, got {lengths_arr.tolist()}")
    longest = int(lengths_arr.max()) if lengths_arr.size else 0
    if max_len is None:
        max_len = longest
    max_len = check_positive_int(max_len, "max_len", allow_zero=True)
    if longest > max_len:
        raise ValueError(f"a length ({longest}) is larger than max_len={max_len}")
    return np.arange(max_len)[None, :] < lengths_arr[:, None]  # (B, max_len)


def key_mask(pad: np.ndarray) -> np.ndarray:
    """Turn a ``(B, S)`` padding mask into a key mask ``(B, 1, 1, S)``.

    The result broadcasts against scores ``(B, H, T, S)``: every head and every query sees the
    same allowed keys. For scores without a head axis, ``(B, T, S)``, use ``pad[:, None, :]``.
    """
    pad = np.asarray(pad)
    if pad.dtype != bool:
        raise TypeError(f"pad must be a boolean (B, S) mask (True = a real key), got {pad.dtype}")
    if pad.ndim != 2:
        raise ValueError(f"pad must be a 2-d boolean (B, S) mask, got shape {pad.shape}")
    return pad[:, None, None, :]  # (B, 1, 1, S)


def prepare_mask(
    mask, scores_shape: tuple[int, ...], *, is_causal: bool = False, name: str = "mask"
):
    """Validate ``mask`` against ``scores_shape`` and split it into (allowed, bias).

    Returns ``allowed``: a boolean array broadcastable to the scores (``None`` if every entry
    is allowed), and ``bias``: a finite float array to add to the scores (or ``None``).
    ``-inf`` entries of a float mask become ``False`` in ``allowed``.
    """
    if not isinstance(is_causal, (bool, np.bool_)):
        raise TypeError(f"is_causal must be True or False, got {is_causal!r}")
    allowed = None
    bias = None
    if mask is not None:
        if hasattr(mask, "detach") and hasattr(mask, "numpy"):
            raise TypeError(f"{name} is a torch tensor; pass {name}.detach().cpu().numpy()")
        mask = np.asarray(mask)
        try:
            shape = np.broadcast_shapes(mask.shape, scores_shape)
        except ValueError:
            shape = None
        if shape != tuple(scores_shape):
            raise ValueError(
                f"{name} of shape {mask.shape} does not broadcast to the attention scores "
                f"(..., T, S) = {tuple(scores_shape)}"
            )
        if mask.dtype == bool:
            allowed = mask
        elif mask.dtype.kind == "f":
            check_finite(mask, name, allow_neg_inf=True)
            allowed = ~np.isneginf(mask)
            bias = np.where(allowed, mask, 0.0)
            if allowed.all():
                allowed = None
            if not bias.any():
                bias = None
        else:
            raise TypeError(
                f"{name} must be boolean (True = may attend) or float (additive, 0 or -inf), "
                f"got dtype {mask.dtype}"
            )
    if is_causal:
        T, S = scores_shape[-2:]
        causal = np.tril(np.ones((T, S), dtype=bool))  # (T, S) as causal_mask, T or S may be 0
        allowed = causal if allowed is None else (allowed & causal)
    return allowed, bias


def check_mask(mask, q: np.ndarray, k: np.ndarray, v: np.ndarray, *, is_causal: bool = False):
    """Attention's masks for validated q, k, v: ``(keep, bias)`` broadcastable to (..., T, S).

    ``keep`` is boolean (False = masked, from a bool mask, ``-inf`` entries or ``is_causal``)
    or None; ``bias`` is the finite additive part in q's dtype, or None.
    """
    batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    keep, bias = prepare_mask(mask, (*batch, q.shape[-2], k.shape[-2]), is_causal=is_causal)
    if bias is not None:
        bias = bias.astype(q.dtype, copy=False)  # a float64 mask must not upcast float32 scores
    return keep, bias
