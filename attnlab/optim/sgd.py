"""Stochastic gradient descent with momentum and weight decay, as ``torch.optim.SGD``.

    g = grad + weight_decay * p
    buf = g                                   (first step)
    buf = momentum * buf + (1 - dampening) * g (later steps)
    g = g + momentum * buf   if nesterov else   g = buf      (when momentum > 0)
    p = p - lr * g

Every update happens in place on the parameter arrays.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .optimizer import Optimizer, check_hyper


class SGD(Optimizer):
    """``SGD(model, lr=0.1, momentum=0.9)`` or ``SGD(params, grads, lr=0.1)``; updates in place."""

    def __init__(
        self,
        params,
        grads: Mapping | None = None,
        *,
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, grads)
        self.lr = check_hyper(lr, "lr")
        self.momentum = check_hyper(momentum, "momentum")
        self.dampening = check_hyper(dampening, "dampening")
        self.weight_decay = check_hyper(weight_decay, "weight_decay")
        if nesterov and (self.momentum == 0.0 or self.dampening != 0.0):
            raise ValueError("nesterov momentum needs momentum > 0 and dampening = 0 (as in torch)")
        self.nesterov = bool(nesterov)

    def update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        g = grad + self.weight_decay * param if self.weight_decay else grad
        if self.momentum:
            buf = self.state.get(name, {}).get("momentum_buffer")
            if buf is None:
                buf = g.copy()  # the first step starts the running sum at g itself
                self.state[name] = {"momentum_buffer": buf}
            else:
                buf *= self.momentum
                buf += (1.0 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        param -= self.lr * g

    def __repr__(self) -> str:
        return (
            f"SGD(lr={self.lr}, momentum={self.momentum}, dampening={self.dampening}, "
            f"weight_decay={self.weight_decay}, nesterov={self.nesterov})"
        )
