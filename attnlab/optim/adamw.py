"""AdamW (Loshchilov and Hutter), as ``torch.optim.AdamW``: Adam with *decoupled* weight decay.

    p = p * (1 - lr * weight_decay)            decay the weights directly (not through g)
    m = m + (1 - beta1) * (g - m)              running mean of g            (starts at 0)
    v = beta2 * v + (1 - beta2) * g^2          running mean of g^2          (starts at 0)
    p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

Adam with L2 weight decay adds ``weight_decay * p`` to g, so the decay is divided by
sqrt(v) like the gradient and large-gradient weights are barely decayed; AdamW shrinks every
weight by the same factor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from .adam import Adam


class AdamW(Adam):
    """``AdamW(model, lr=1e-3, weight_decay=0.01)`` or ``AdamW(params, grads, ...)``.

    Defaults are torch's (betas (0.9, 0.999), eps 1e-8, weight_decay 0.01). ``no_decay``
    names parameters that are not decayed (nanoGPT decays only 2-d weights: pass the names of
    biases and LayerNorm weights), like a second torch parameter group with weight_decay 0:
    a list, tuple or set of names (None: none; a single string is an error, not its letters).
    ``eps`` must be > 0 (torch allows 0 and then returns NaN where a gradient has always
    been 0) and ``amsgrad`` True or False.
    ``lr`` may be changed between steps (a schedule sets ``opt.lr``).
    """

    def __init__(
        self,
        params,
        grads: Mapping | None = None,
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        no_decay: Iterable[str] = (),
    ) -> None:
        super().__init__(
            params, grads, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
        )
        self.no_decay = check_names(no_decay, "no_decay")
        names = {name for name, _, _ in self.pairs()}
        unknown = sorted(self.no_decay - names)
        if unknown:
            raise KeyError(f"no_decay names parameters that do not exist: {unknown}")

    def update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        if self.weight_decay and name not in self.no_decay:
            param *= 1.0 - self.lr * self.weight_decay  # decoupled: before the Adam step
        self.adam_step(name, param, grad)  # Adam's moments and step, on the raw gradient

    def __repr__(self) -> str:
        return (
            f"AdamW(lr={self.lr}, betas={self.betas}, eps={self.eps}, "
            f"weight_decay={self.weight_decay}, amsgrad={self.amsgrad}, "
            f"no_decay={len(self.no_decay)} names)"
        )


def check_names(names, name: str) -> set[str]:
    """``names`` (a list, tuple or set of strings, or None) as a set, else TypeError."""
    if names is None:
        return set()
    if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple, set, frozenset)):
        raise TypeError(
            f"{name} must be a collection of parameter names such as ['bias'], got "
            f"{type(names).__name__} {names!r}"
        )
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"{name} must be a collection of parameter names, got {bad[:3]}")
    return set(names)
