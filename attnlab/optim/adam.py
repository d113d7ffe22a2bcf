"""Adam, as ``torch.optim.Adam`` (L2 weight decay added to the gradient, optional AMSGrad).

    g = grad + weight_decay * p
    m = m + (1 - beta1) * (g - m)            running mean of g       (starts at 0)
    v = beta2 * v + (1 - beta2) * g^2        running mean of g^2     (starts at 0)
    p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

The divisions by ``1 - beta^t`` undo the pull towards 0 of the zero starting values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .._validate import check_bool
from .optimizer import Optimizer, check_hyper


class Adam(Optimizer):
    """``Adam(model, lr=1e-3)`` or ``Adam(params, grads, lr=1e-3)``; ``step()`` in place."""

    def __init__(
        self,
        params,
        grads: Mapping | None = None,
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, grads)
        self.lr = check_hyper(lr, "lr")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (
            check_hyper(betas[0], "betas[0]", upper=1.0),
            check_hyper(betas[1], "betas[1]", upper=1.0),
        )
        self.eps = check_hyper(eps, "eps")
        if self.eps == 0:  # m / (sqrt(v) + 0) is 0 / 0 where a gradient has always been 0
            raise ValueError("eps must be > 0: it keeps the step finite where v is 0")
        self.weight_decay = check_hyper(weight_decay, "weight_decay")
        self.amsgrad = check_bool(amsgrad, "amsgrad")

    def update(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        g = grad + self.weight_decay * param if self.weight_decay else grad  # L2: through g
        self.adam_step(name, param, g)

    def adam_step(self, name: str, param: np.ndarray, g: np.ndarray) -> None:
        """The moment updates and the step of the module docstring, for gradient ``g``."""
        beta1, beta2 = self.betas
        state = self.state.setdefault(name, {"step": 0})
        if state["step"] == 0:
            state["exp_avg"] = np.zeros_like(param)  # m
            state["exp_avg_sq"] = np.zeros_like(param)  # v
            if self.amsgrad:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1.0 - beta1) * (g - m)
        v *= beta2
        v += (1.0 - beta2) * g * g
        if self.amsgrad:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        step_size = self.lr / (1.0 - beta1**t)
        denom = np.sqrt(v) / math.sqrt(1.0 - beta2**t) + self.eps
        param -= step_size * (m / denom)

    def __repr__(self) -> str:
        return (
            f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, "
            f"weight_decay={self.weight_decay}, amsgrad={self.amsgrad})"
        )
