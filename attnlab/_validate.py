"""Input checks shared by every public function.

attnlab validates at the public boundary and says what it expected, naming the argument and
its shape. The rules, in one place:

- float32 and float64 arrays keep their dtype (no silent upcast);
- other real numbers (Python lists, ints, float16, ...) become float64;
- anything else (strings, objects, complex, bool data) is a TypeError;
- NaN or inf in an input is a ValueError.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def as_float_array(x: Any, name: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    """Return ``x`` as a float32/float64 array, or raise naming ``name``.

    float32 and float64 pass through unchanged (no copy); other real numeric input becomes
    float64. ``allow_neg_inf`` lets ``-inf`` through (softmax logits use it to exclude an entry).
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        if hasattr(x, "detach") and hasattr(x, "numpy"):  # a torch tensor: be explicit
            raise TypeError(
                f"{name} is a torch tensor; attnlab works on NumPy arrays: "
                f"pass {name}.detach().cpu().numpy()"
            )
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError) as err:  # ragged lists and the like
            raise TypeError(
                f"{name} must be a numeric array, could not convert it: {err}"
            ) from None
    if arr.dtype in FLOAT_DTYPES:
        pass
    elif arr.dtype.kind in "iuf":
        arr = arr.astype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (float32, float64, int), got dtype {arr.dtype}"
        )
    check_finite(arr, name, allow_neg_inf=allow_neg_inf)
    return arr


def check_finite(arr: np.ndarray, name: str, *, allow_neg_inf: bool = False) -> None:
    """Raise ValueError if ``arr`` holds NaN or inf (optionally allowing ``-inf``)."""
    if np.isfinite(arr).all():
        return
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN (shape {arr.shape})")
    if allow_neg_inf:
        if np.isposinf(arr).any():
            raise ValueError(f"{name} contains +inf (shape {arr.shape}); only -inf is allowed")
        return
    raise ValueError(f"{name} contains inf (shape {arr.shape})")


def check_ndim(arr: np.ndarray, name: str, min_ndim: int, what: str) -> None:
    """Raise ValueError if ``arr`` has fewer than ``min_ndim`` axes; ``what`` names them."""
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have shape {what}, got {arr.ndim}-d array of shape {arr.shape}"
        )


def common_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 if every array is float32, else float64."""
    return np.result_type(*arrays)


def check_axis(axis: int, ndim: int, name: str = "axis") -> int:
    """Normalise a possibly negative axis, or raise ValueError."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{name} must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimensions")
    return int(axis) % ndim


def check_positive_int(value: Any, name: str, *, allow_zero: bool = False) -> int:
    """Return ``value`` as int if it is a positive (or non-negative) integer, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else ">= 1"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return int(value)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``.

    The gradient of a broadcast input is the sum over every copy it was broadcast into.
    """
    if grad.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra > 0 else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def as_dout(dout, shape: tuple[int, ...], dtype: np.dtype, name: str = "dout") -> np.ndarray:
    """Check an upstream gradient against the forward output's shape; cast to its dtype."""
    dout = as_float_array(dout, name)
    if dout.shape != tuple(shape):
        raise ValueError(
            f"{name} must have the forward output's shape {tuple(shape)}, got {dout.shape}"
        )
    return dout.astype(dtype, copy=False)
