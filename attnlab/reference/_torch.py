"""The one place that imports torch, lazily, with a clear message when it is missing."""

from __future__ import annotations

import numpy as np

from ..i18n import tr


def install_hint() -> str:
    """How to install torch, as the README says (in the current language): the CPU build first
    (a bare ``pip install torch`` may fetch a multi-GB CUDA build), or ``attnlab[torch]``, which
    lets pip choose: right where a GPU build is wanted."""
    cpu_index = "pip install torch --index-url https://download.pytorch.org/whl/cpu"
    return tr(
        f"pip install torch==2.13.0 (la versión para CPU con la que se prueba attnlab; o "
        f'{cpu_index}), o pip install "attnlab[torch]" para la versión que elija pip '
        "(con CUDA en Linux)",
        f"pip install torch==2.13.0 (the CPU build attnlab is tested with; or {cpu_index}), "
        'or pip install "attnlab[torch]" for the build pip picks (with CUDA on Linux)',
    )


def require_torch():
    """Return the ``torch`` module, or raise ImportError saying how to install it."""
    try:
        import torch
    except ImportError as err:
        raise ImportError(
            tr(
                f"la comparación con torch necesita PyTorch, que no está instalado: "
                f"{install_hint()}",
                f"the torch comparison needs PyTorch, which is not installed: {install_hint()}",
            )
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
