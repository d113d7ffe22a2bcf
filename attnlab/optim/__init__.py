"""Optimizers that update parameter arrays in place, with torch's update rules.

    opt = attnlab.optim.Adam(model, lr=1e-3)
    for batch in data:
        opt.zero_grad()
        ... forward, loss, model.backward(dout) ...
        opt.step()

``SGD``, ``Adam`` and ``AdamW`` give the same numbers as ``torch.optim`` (tests/test_optim.py,
tests/test_adamw.py); ``warmup_cosine`` and ``clip_grad_norm`` are nanoGPT's schedule and clipping.
"""

from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .schedule import clip_grad_norm, warmup_cosine
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "clip_grad_norm", "warmup_cosine"]
