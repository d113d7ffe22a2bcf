"""Input checks shared by every public function.

attnlab validates at the public boundary and says what it expected, naming the argument and
its shape. The dtype rule, in one place:

- float32 and float64 arrays keep their dtype (no silent upcast);
- integers (Python ints, lists of numbers, int/uint arrays) become float64;
- anything else is a TypeError: float16 and longdouble (attnlab computes in float32 or
  float64 only: pass ``x.astype(np.float32)``), bool, complex, strings, objects;
- NaN or inf in an input is a ValueError.

Module and table dtypes (``dtype=`` arguments) are float32 or float64, else a TypeError.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class ScoresOverflowError(OverflowError, ValueError):
    """Finite inputs whose scores overflowed their dtype: both an OverflowError and a
    ValueError (bad input), so either ``except`` catches it."""


def as_float_array(x: Any, name: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    """Return ``x`` as a float32/float64 array, or raise naming ``name``.

    float32 and float64 pass through unchanged (no copy); integers become float64.
    ``allow_neg_inf`` lets ``-inf`` through (softmax logits use it to exclude an entry).
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
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind == "f":
        raise TypeError(
            f"{name} has dtype {arr.dtype}; attnlab computes in float32 or float64: "
            f"pass {name}.astype(np.float32) or {name}.astype(np.float64)"
        )
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


def check_bool(value: Any, name: str) -> bool:
    """``value`` if it is True or False (a Python or NumPy bool), else TypeError naming ``name``.

    Strings such as ``"no"`` and numbers are refused: ``bool("no")`` is True.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_seed(seed: Any, name: str = "seed") -> int:
    """``seed`` as a Python int >= 0 (what NumPy's generators accept), else TypeError/ValueError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{name} must be an int seed >= 0, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"{name} must be an int seed >= 0, got {seed}")
    return int(seed)


def as_rng(rng: Any, name: str = "rng", *, none_seed: int | None = None) -> np.random.Generator:
    """A NumPy Generator from a Generator, an int seed >= 0, or None.

    None gives ``default_rng(none_seed)``: seeded (reproducible) if ``none_seed`` is an int,
    fresh entropy if it is None. Anything else is a TypeError (a negative seed: ValueError).
    """
    if rng is None:
        return np.random.default_rng(none_seed)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)):
        raise TypeError(
            f"{name} must be None, an int seed or a numpy Generator, got {type(rng).__name__}"
        )
    return np.random.default_rng(check_seed(rng, name))


def check_number(value: Any, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite Python float (``> 0`` if ``positive``), else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return float(value)


def check_float_dtype(dtype: Any, name: str = "dtype") -> np.dtype:
    """``dtype`` as a NumPy dtype if it is float32 or float64, else TypeError naming ``name``."""
    try:
        resolved = np.dtype(dtype)
    except (TypeError, ValueError):
        resolved = None
    if resolved is None or resolved not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dtype!r}")
    return resolved


def check_qkv(q, k, v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate q (..., T, D), k (..., S, D), v (..., S, Dv) and bring them to one dtype."""
    q = as_float_array(q, "q")
    k = as_float_array(k, "k")
    v = as_float_array(v, "v")
    check_ndim(q, "q", 2, "(..., T, D)")
    check_ndim(k, "k", 2, "(..., S, D)")
    check_ndim(v, "v", 2, "(..., S, Dv)")
    shapes = f"(q: {q.shape}, k: {k.shape}, v: {v.shape})"
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"k has {k.shape[-1]} features but q has {q.shape[-1]} {shapes}")
    if v.shape[-2] != k.shape[-2]:
        raise ValueError(f"v has {v.shape[-2]} keys/values but k has {k.shape[-2]} {shapes}")
    try:
        np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"the leading (batch) dimensions of q, k, v do not broadcast {shapes}"
        ) from None
    dtype = np.result_type(q, k, v)  # float32 only if all three are float32
    return q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False)


def check_scale(scale, D: int) -> float:
    """The score scale as a Python float: ``1 / sqrt(D)`` for None, else a finite number.

    With D = 0 every score is 0 whatever the scale (torch gives the same), so None gives 1.
    """
    if scale is None:
        return 1.0 / float(np.sqrt(D)) if D > 0 else 1.0
    return check_number(scale, "scale")


def check_cache(cache: Any, cls: type, forward: str) -> None:
    """TypeError unless ``cache`` is a ``cls`` (what ``forward`` returns)."""
    if not isinstance(cache, cls):
        raise TypeError(
            f"cache must be the {cls.__name__} returned by {forward}, "
            f"got {type(cache).__name__} (call {forward} first)"
        )


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


_NUMPY_TORCH_FLOATS = ("torch.float16", "torch.float32", "torch.float64")


def to_numpy(value) -> np.ndarray:
    """A NumPy array from a NumPy array, a list or a torch tensor (without importing torch).

    NumPy has no bfloat16 (nor torch's float8 types): such a tensor comes back as float32,
    which holds every one of their values exactly.
    """
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        floating = getattr(value, "is_floating_point", lambda: False)()
        if floating and str(value.dtype) not in _NUMPY_TORCH_FLOATS:
            value = value.float()
        return value.numpy()
    return np.asarray(value)


def check_state_value(value, key: str, param: np.ndarray) -> np.ndarray:
    """``value`` for parameter ``key`` as an array of ``param``'s shape and dtype, or raise.

    TypeError unless it holds real numbers (float or int: not bool, complex, None, strings);
    ValueError, naming the key, for another shape, NaN or inf, values beyond the dtype, or a
    read-only parameter (checked here, with the values, so a load never stops half-way).
    """
    if not param.flags.writeable:
        raise ValueError(
            f"parameter {key!r} is read-only (its array has flags.writeable = False), so "
            f"nothing was loaded: make it writeable again (flags.writeable = True) or load "
            f"into a new model"
        )
    try:
        arr = to_numpy(value)
    except (TypeError, ValueError, RuntimeError, NotImplementedError) as err:
        # NotImplementedError: a torch tensor on the "meta" device has no data to read
        raise TypeError(f"state_dict[{key!r}] is not a numeric array: {err}") from None
    if arr.dtype.kind not in "fiu":
        raise TypeError(
            f"state_dict[{key!r}] must hold real numbers (float or int), got dtype {arr.dtype}"
        )
    if arr.shape != param.shape:
        raise ValueError(
            f"mis-shaped entries in state_dict: {key}: expected {param.shape}, got {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ValueError(f"state_dict[{key!r}] contains NaN or inf")
    with np.errstate(over="ignore"):
        out = arr.astype(param.dtype)  # a new array
    if not np.isfinite(out).all():
        raise ValueError(
            f"state_dict[{key!r}] has values up to {np.abs(arr).max():.3g}, "
            f"beyond the range of {param.dtype.name}"
        )
    return out
