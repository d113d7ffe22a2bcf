"""``Optimizer``: what SGD and Adam share -- finding the (param, grad) pairs, zeroing grads.

An optimizer is built from a :class:`attnlab.nn.Module` (``SGD(model, lr=0.1)``) or from two
dicts with the same keys (``SGD(params, grads, lr=0.1)``). ``step()`` updates every parameter
array **in place**, so the module sees the new values without any copying back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np


def check_hyper(value, name: str, *, upper: float | None = None) -> float:
    """A finite float ``>= 0`` (and ``< upper`` if given), or ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0) or (upper is not None and value >= upper):
        bound = f"in [0, {upper})" if upper is not None else ">= 0"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def check_writeable(pairs) -> None:
    """ValueError naming the first parameter of ``(name, param, grad)`` that is read-only."""
    for name, p, _ in pairs:
        if not p.flags.writeable:
            raise ValueError(
                f"parameter {name!r} is read-only, so the optimizer cannot update it in place: "
                f"give it a writeable array (e.g. a copy)"
            )


class Optimizer:
    """Base class: subclasses implement ``update(name, param, grad)`` for one array."""

    def __init__(self, params, grads: Mapping | None = None) -> None:
        if hasattr(params, "params") and hasattr(params, "grads"):  # a Module
            if grads is not None:
                raise TypeError("pass either a Module or (params, grads) dicts, not both")
            self.module = params
            self._params = self._grads = None
        else:
            if grads is None:
                raise TypeError("pass a Module, or two dicts: Optimizer(params, grads, ...)")
            params, grads = dict(params), dict(grads)
            if params.keys() != grads.keys():
                raise ValueError(
                    f"params and grads must have the same keys, got {sorted(params)} "
                    f"and {sorted(grads)}"
                )
            for key, p in params.items():
                if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                    raise TypeError(
                        f"params[{key!r}] must be a float NumPy array (updated in place)"
                    )
                if np.shape(grads[key]) != p.shape:
                    raise ValueError(
                        f"grads[{key!r}] has shape {np.shape(grads[key])} "
                        f"but params[{key!r}] has {p.shape}"
                    )
            self.module = None
            self._params, self._grads = params, grads
        self.state: dict[str, dict] = {}  # per-parameter buffers, by parameter name
        self.steps = 0
        check_writeable(self.pairs())

    def pairs(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """``(name, param, grad)`` for every parameter (read afresh from a module each time)."""
        params = self.module.params if self.module is not None else self._params
        grads = self.module.grads if self.module is not None else self._grads
        for name, p in params.items():
            yield name, p, np.asarray(grads[name], dtype=p.dtype)

    def step(self) -> None:
        """Update every parameter in place from its current gradient (all of them, or none)."""
        pairs = list(self.pairs())
        check_writeable(pairs)
        self.steps += 1
        for name, p, g in pairs:
            self.update(name, p, g)

    def update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def zero_grad(self) -> None:
        """Set every gradient to 0 (``backward`` adds into them)."""
        if self.module is not None:
            self.module.zero_grad()
        else:
            for g in self._grads.values():
                g[...] = 0.0
