"""Optimizers that update parameter arrays in place, with torch's update rules.

    opt = attnlab.optim.Adam(model, lr=1e-3)
    for batch in data:
        opt.zero_grad()
        ... forward, loss, model.backward(dout) ...
        opt.step()

``SGD`` and ``Adam`` give the same numbers as ``torch.optim`` (tests/test_optim.py).
"""

from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer"]
