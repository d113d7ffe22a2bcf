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
from collections.abc import Callable, Sequence

import numpy as np

from ._validate import as_float_array


class GradcheckResult(dict):
    """``{name: relative error}`` with a readable table and a ``passed(tol)`` helper."""

    def passed(self, tol: float = 1e-6) -> bool:
        return all(err <= tol for err in self.values())

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


def gradcheck(
    forward,
    backward: Callable | None = None,
    inputs: Sequence = (),
    *,
    kwargs: dict | None = None,
    eps: float = 1e-6,
    seed: int = 0,
    max_entries: int | None = 200,
) -> GradcheckResult:
    """Relative error of a backward against central differences, per input (and parameter).

    Two ways to call it:

    - a functional pair: ``gradcheck(attention_forward, attention_backward, (q, k, v))``,
      where ``forward(*inputs, **kwargs) -> (out, cache)`` and
      ``backward(dout, cache) -> grads`` (one array or a tuple, in the order of ``inputs``;
      None inputs, such as a missing bias, are passed through, and None grads are skipped);
    - a module: ``gradcheck(module, inputs=(x,))`` checks ``module.backward`` for the inputs
      and every entry of ``module.grads``. The module is copied and cast to float64 first.

    At most ``max_entries`` randomly chosen entries of each array are checked (None: all).
    Returns a :class:`GradcheckResult`, e.g. ``{"q": 3e-10, "k": 2e-10, "v": 1e-10}``.
    """
    rng = np.random.default_rng(seed)
    kwargs = dict(kwargs or {})
    xs = [
        None if x is None else as_float_array(x, f"inputs[{i}]").astype(np.float64, copy=True)
        for i, x in enumerate(inputs)
    ]
    if hasattr(forward, "params") and hasattr(forward, "backward"):
        return _gradcheck_module(forward, xs, kwargs, eps, rng, max_entries)
    if backward is None:
        raise TypeError("gradcheck(forward, backward, inputs): backward is missing")
    try:
        names = list(inspect.signature(forward).parameters)[: len(xs)]
    except (TypeError, ValueError):
        names = []
    if len(names) < len(xs):
        names = [f"input{i}" for i in range(len(xs))]

    out, cache = forward(*xs, **kwargs)
    g = rng.standard_normal(np.shape(out))  # random upstream gradient

    def loss() -> float:
        return float(np.sum(g * forward(*xs, **kwargs)[0]))

    grads = backward(g if np.ndim(out) else float(g), cache)
    if not isinstance(grads, tuple):
        grads = (grads,)
    result = GradcheckResult()
    for name, x, dx in zip(names, xs, grads, strict=False):
        if dx is None or x is None:
            continue
        idx = _entries(x.size, max_entries, rng)
        numeric = _numeric_grad(loss, x, idx, eps)
        result[name] = relative_error(numeric, np.asarray(dx, dtype=np.float64).reshape(-1)[idx])
    return result


def _gradcheck_module(module, xs, kwargs, eps, rng, max_entries) -> GradcheckResult:
    module = copy.deepcopy(module)
    for key, p in module.params.items():  # cast in place so that every reference sees it
        module.set_param(key, p.astype(np.float64))
    out = _first(module.forward(*xs, **kwargs))
    g = rng.standard_normal(np.shape(out))

    def loss() -> float:
        return float(np.sum(g * _first(module.forward(*xs, **kwargs))))

    module.forward(*xs, **kwargs)
    module.zero_grad()
    dxs = module.backward(g)
    if not isinstance(dxs, tuple):
        dxs = (dxs,)
    result = GradcheckResult()
    # Self-attention style modules return one gradient per role (query, key, value) for the
    # same array: the gradient of that array is their sum.
    if len(xs) == 1 and len(dxs) > 1:
        dxs = (sum(d for d in dxs if d is not None),)
    for i, (x, dx) in enumerate(zip(xs, dxs, strict=False)):
        if dx is None or x is None:
            continue
        idx = _entries(x.size, max_entries, rng)
        result[f"input{i}"] = relative_error(_numeric_grad(loss, x, idx, eps), dx.reshape(-1)[idx])
    grads = {k: v.copy() for k, v in module.grads.items()}
    for key, p in module.params.items():
        idx = _entries(p.size, max_entries, rng)
        result[key] = relative_error(_numeric_grad(loss, p, idx, eps), grads[key].reshape(-1)[idx])
    return result
