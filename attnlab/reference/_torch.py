"""The one place that imports torch, lazily, with a clear message when it is missing."""

from __future__ import annotations

import numpy as np

INSTALL_HINT = 'pip install "attnlab[torch]"'


def require_torch():
    """Return the ``torch`` module, or raise ImportError saying how to install it."""
    try:
        import torch
    except ImportError as err:
        raise ImportError(
            f"the torch comparison needs PyTorch, which is not installed: {INSTALL_HINT} "
            f"(or pip install torch)"
        ) from err
    return torch


def torch_dtype(dtype: np.dtype):
    """The torch dtype matching a NumPy float32/float64 dtype."""
    torch = require_torch()
    return {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[
        np.dtype(dtype)
    ]


def tensor(x: np.ndarray, *, grad: bool = False):
    """A torch tensor holding a copy of ``x`` (a leaf that records gradients if ``grad``)."""
    torch = require_torch()
    t = torch.tensor(np.asarray(x))
    return t.requires_grad_(grad) if grad else t


def numpy(t) -> np.ndarray | None:
    """A NumPy copy of a tensor (None stays None)."""
    return None if t is None else t.detach().cpu().numpy().copy()
