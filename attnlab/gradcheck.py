"""Check a hand-written backward against central differences.

For a random upstream gradient ``g`` (the same shape as the output), the scalar
``L(x) = sum(g * f(x))`` has gradient ``backward(g)``. Each checked entry of each input is
nudged by ``+eps`` and ``-eps`` and

    dL/dx_i  ~  (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)          error O(eps^2)

is compared with the analytic value. Everything runs in float64, so with ``eps = 1e-6`` a
correct backward agrees to about 1e-9 relative; a wrong one is off by far more.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Collection, Sequence

import numpy as np

from ._validate import as_float_array, check_number, check_positive_int


class GradcheckResult(dict):
    """``{name: relative error}`` with a readable table and a ``passed(tol)`` helper."""

    checked = 0  # how many entries were compared, over every array

    def passed(self, tol: float = 1e-6) -> bool:
        return all(err <= tol for err in self.values())

    def _compare(self, name, loss, x, dx, eps, rng, max_entries) -> None:
        """Compare ``dx`` with central differences of ``loss`` on entries of ``x``."""
        idx = _entries(x.size, max_entries, rng)
        numeric = _numeric_grad(loss, x, idx, eps)
        self[name] = relative_error(numeric, np.asarray(dx, dtype=np.float64).reshape(-1)[idx])
        self.checked += len(idx)

    @property
    def worst(self) -> float:
        return max(self.values(), default=0.0)

    def __str__(self) -> str:
        width = max((len(k) for k in self), default=4)
        return "\n".join(f"{k:<{width}}  {v:.2e}" for k, v in self.items())


def relative_error(numeric: np.ndarray, analytic: np.ndarray, floor: float = 1e-7) -> float:
    """``||numeric - analytic|| / max(||numeric||, ||analytic||, floor)``.

    The floor keeps an all-zero gradient (e.g. of a fully masked row) from dividing by ~0.
    """
    diff = np.linalg.norm(np.ravel(numeric) - np.ravel(analytic))
    scale = max(np.linalg.norm(numeric), np.linalg.norm(analytic), floor)
    return float(diff / scale)


def _entries(size: int, max_entries: int | None, rng: np.random.Generator) -> np.ndarray:
    if max_entries is None or size <= max_entries:
        return np.arange(size)
    return np.sort(rng.choice(size, size=max_entries, replace=False))


def _numeric_grad(
    loss: Callable[[], float], arr: np.ndarray, idx: np.ndarray, eps: float
) -> np.ndarray:
    """Central differences of ``loss`` along the flat entries ``idx`` of ``arr`` (in place)."""
    flat = arr.reshape(-1)  # a view: nudging it nudges arr
    out = np.empty(len(idx))
    for n, i in enumerate(idx):
        old = flat[i]
        flat[i] = old + eps
        up = loss()
        flat[i] = old - eps
        down = loss()
        flat[i] = old
        out[n] = (up - down) / (2 * eps)
    return out


def _first(out):
    return out[0] if isinstance(out, tuple) else out


def _as_tuple(grads) -> tuple:
    return tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)


def gradcheck(
    forward,
    backward: Callable | None = None,
    inputs: Sequence = (),
    *,
    kwargs: dict | None = None,
    eps: float = 1e-6,
    seed: int = 0,
    max_entries: int | None = 200,
    non_differentiable: Collection[int | str] = (),
) -> GradcheckResult:
    """Relative error of a backward against central differences, per input (and parameter).

    Two ways to call it:

    - a functional pair: ``gradcheck(attention_forward, attention_backward, (q, k, v))``,
      where ``forward(*inputs, **kwargs) -> (out, cache)`` and
      ``backward(dout, cache) -> grads`` (one array or a tuple, in the order of ``inputs``);
    - a module: ``gradcheck(module, inputs=(x,))`` checks ``module.backward`` for the inputs
      and every entry of ``module.grads``. The module is copied and cast to float64 first.

    The backward must return one gradient per input, each of its input's shape. None is
    accepted only for an input that is None (e.g. a missing bias) or that is listed, by
    position or name, in ``non_differentiable`` (such inputs are passed as given, never
    nudged, e.g. integer class targets); gradients beyond the inputs given must be None
    (arguments left at a None default). At most ``max_entries`` randomly chosen entries of
    each array are checked (None: all). Returns a :class:`GradcheckResult`, e.g.
    ``{"q": 3e-10, "k": 2e-10, "v": 1e-10}``.

    Raises ValueError for ``eps`` that is not a finite number > 0, ``max_entries < 1``, a
    wrong number or shape of gradients, and when nothing at all would be checked.
    """
    eps = check_number(eps, "eps", positive=True)
    if max_entries is not None:
        max_entries = check_positive_int(max_entries, "max_entries")
    if not isinstance(inputs, (tuple, list)):
        raise TypeError(f"inputs must be a tuple of arrays, got {type(inputs).__name__}")
    rng = np.random.default_rng(seed)
    kwargs = dict(kwargs or {})
    is_module = hasattr(forward, "params") and hasattr(forward, "backward")
    if not is_module and backward is None:
        raise TypeError("gradcheck(forward, backward, inputs): backward is missing")
    names = _input_names(forward, len(inputs), is_module)
    fixed = _positions(non_differentiable, names)
    xs = [
        x if (x is None or i in fixed) else as_float_array(x, names[i]).astype(np.float64)
        for i, x in enumerate(inputs)
    ]
    if is_module:
        result = _gradcheck_module(forward, xs, names, fixed, kwargs, eps, rng, max_entries)
    else:
        result = _gradcheck_pair(forward, backward, xs, names, fixed, kwargs, eps, rng, max_entries)
    if not result.checked:
        raise ValueError(
            "gradcheck checked nothing: every input is None, empty or non-differentiable"
        )
    return result


def _gradcheck_pair(forward, backward, xs, names, fixed, kwargs, eps, rng, max_entries):
    out, cache = forward(*xs, **kwargs)
    g = rng.standard_normal(np.shape(out))  # random upstream gradient

    def loss() -> float:
        return float(np.sum(g * forward(*xs, **kwargs)[0]))

    grads = _as_tuple(backward(g if np.ndim(out) else float(g), cache))
    grads = _match(grads, xs, names, fixed, "backward")
    result = GradcheckResult()
    for name, x, dx in zip(names, xs, grads, strict=True):
        if dx is not None:
            result._compare(name, loss, x, dx, eps, rng, max_entries)
    return result


def _gradcheck_module(module, xs, names, fixed, kwargs, eps, rng, max_entries):
    module = copy.deepcopy(module).astype(np.float64)  # every parameter (and gradient) float64
    out = _first(module.forward(*xs, **kwargs))
    g = rng.standard_normal(np.shape(out))

    def loss() -> float:
        return float(np.sum(g * _first(module.forward(*xs, **kwargs))))

    module.forward(*xs, **kwargs)
    module.zero_grad()
    dxs = _as_tuple(module.backward(g))
    # Self-attention style modules return one gradient per role (query, key, value) for the
    # same array: the gradient of that array is their sum.
    if len(xs) == 1 and len(dxs) > 1 and all(d is not None for d in dxs):
        dxs = (sum(dxs),)
    dxs = _match(dxs, xs, names, fixed, f"{type(module).__name__}.backward")
    result = GradcheckResult()
    for name, x, dx in zip(names, xs, dxs, strict=True):
        if dx is not None:
            result._compare(name, loss, x, dx, eps, rng, max_entries)
    grads = {k: v.copy() for k, v in module.grads.items()}
    for key, p in module.params.items():
        result._compare(key, loss, p, grads[key], eps, rng, max_entries)
    return result


def _input_names(forward, n: int, is_module: bool) -> list[str]:
    """The forward's parameter names for the inputs (``input0``, ... for modules)."""
    if not is_module:
        try:
            names = list(inspect.signature(forward).parameters)[:n]
        except (TypeError, ValueError):
            names = []
        if len(names) == n:
            return names
    return [f"input{i}" for i in range(n)]


def _positions(non_differentiable, names: list[str]) -> set[int]:
    """Positions of the inputs declared non-differentiable (given by position or name)."""
    if isinstance(non_differentiable, (str, int)):
        non_differentiable = (non_differentiable,)
    out = set()
    for item in non_differentiable:
        if isinstance(item, str) and item in names:
            out.add(names.index(item))
        elif (
            isinstance(item, (int, np.integer))
            and not isinstance(item, bool)
            and (0 <= item < len(names))
        ):
            out.add(int(item))
        else:
            raise ValueError(
                f"non_differentiable: {item!r} is not an input: give a name in {names} "
                f"or a position 0..{len(names) - 1}"
            )
    return out


def _match(grads: tuple, xs: list, names: list[str], fixed: set[int], who: str) -> tuple:
    """One gradient per input, checked: None only where allowed, arrays of the input's shape.

    Returns the gradients to compare, None for the inputs that are None or non-differentiable.
    """
    count = f"{len(grads)} gradient(s) for {len(xs)} inputs {names}"
    if any(d is not None for d in grads[len(xs) :]):
        raise ValueError(f"{who} returned {count}: the extra ones must be None")
    grads = grads[: len(xs)] + (None,) * (len(xs) - len(grads))  # missing ones count as None
    out = []
    for i, (name, x, dx) in enumerate(zip(names, xs, grads, strict=True)):
        if x is None and dx is not None:
            raise ValueError(f"{who} returned a gradient for {name}, which is None")
        if x is None or i in fixed:
            out.append(None)
            continue
        if dx is None:
            raise ValueError(
                f"{who} returned {count} and none for {name}; an input without a gradient "
                f"must be declared: non_differentiable=({name!r},)"
            )
        if np.shape(dx) != x.shape:
            raise ValueError(
                f"{who} returned a gradient of shape {np.shape(dx)} for {name} of shape {x.shape}"
            )
        out.append(dx)
    return tuple(out)
