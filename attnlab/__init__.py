"""attnlab: attention from scratch in NumPy, with hand-written backprop.

Quick use::

    import numpy as np, attnlab
    q = k = v = np.random.default_rng(0).standard_normal((2, 5, 8))   # (B, T, D)
    out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)

Masks: boolean ``True`` = *may attend*, float = additive. ``import attnlab`` needs only NumPy,
SciPy and threadpoolctl: torch lives in ``attnlab.reference``, plots in ``attnlab.viz``.

Two paths: the functions a lesson shows are written as the maths reads; while
``attnlab.get_fast()`` is True (the default) they hand each call to a tuned twin in
``attnlab.functional.fast`` that computes the same numbers faster. ``attnlab.set_fast(False)``
or ``with attnlab.fast_path(False): ...`` runs the readable code instead.
"""

from __future__ import annotations

from . import functional, nn
from ._threads import blas_threads, get_num_threads, set_num_threads
from .functional import sinusoidal_encoding
from .functional.alibi import alibi_bias, alibi_slopes
from .functional.attention import attention_forward
from .functional.fast import fast_path, get_fast, set_fast
from .functional.softmax import softmax_forward
from .gradcheck import GradcheckResult, gradcheck, relative_error
from .masks import causal_mask, key_mask, padding_mask

__version__ = "0.1.0"


def __getattr__(name: str):
    # attnlab.optim is imported on first use, so importing attnlab (or attnlab.viz, which only
    # draws) does not load training code.
    if name == "optim":
        import importlib

        return importlib.import_module(".optim", __name__)
    raise AttributeError(f"module 'attnlab' has no attribute {name!r}")


def softmax(x, axis: int = -1, mask=None):
    """Numerically stable softmax along ``axis``; ``mask`` is boolean (True = keep).

    Rows with every entry masked come out as zeros, never NaN.
    """
    out, _ = softmax_forward(x, axis=axis, mask=mask)
    return out


def scaled_dot_product_attention(q, k, v, mask=None, *, is_causal: bool = False, scale=None):
    """``softmax(q k^T * scale + mask) v``; returns ``(out, weights)``.

    q (..., T, D), k (..., S, D), v (..., S, Dv) -> out (..., T, Dv), weights (..., T, S).
    See :func:`attnlab.functional.attention_forward` for the details and the backward.
    """
    out, cache = attention_forward(q, k, v, mask, is_causal=is_causal, scale=scale)
    return out, cache.weights


__all__ = [
    "GradcheckResult",
    "__version__",
    "alibi_bias",
    "alibi_slopes",
    "blas_threads",
    "causal_mask",
    "fast_path",
    "functional",
    "get_fast",
    "get_num_threads",
    "gradcheck",
    "key_mask",
    "nn",
    "optim",
    "padding_mask",
    "relative_error",
    "scaled_dot_product_attention",
    "set_fast",
    "set_num_threads",
    "sinusoidal_encoding",
    "softmax",
]
