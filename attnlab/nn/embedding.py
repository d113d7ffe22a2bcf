"""Embedding: a learned (V, E) table read by integer ids, as ``torch.nn.Embedding``."""

from __future__ import annotations

import numpy as np

from .._validate import check_float_dtype, check_number, check_positive_int
from ..functional.embedding import embedding_backward, embedding_forward
from .init import make_rng
from .module import Module


class Embedding(Module):
    """``out = weight[ids]``: ids (...,) integers in [0, V) -> out (..., E).

    ``weight`` (V, E) starts as N(0, std^2) (torch's default std is 1; GPT uses 0.02); std is
    a finite number >= 0 and dtype float32 or float64 (else TypeError / ValueError).
    ``backward(dout)`` adds the scatter-add of ``dout`` into ``grads["weight"]`` (repeated ids
    add up) and returns None: integer ids have no gradient.

    Raises TypeError for non-integer ids (bool and float included) and ValueError naming the
    first id outside [0, V) and the vocabulary size.
    """

    def __init__(
        self, num_embeddings: int, dim: int, *, std: float = 1.0, rng=None, dtype=np.float64
    ):
        super().__init__()
        self.num_embeddings = check_positive_int(num_embeddings, "num_embeddings")
        self.dim = check_positive_int(dim, "dim")
        std = check_number(std, "std")
        if std < 0:
            raise ValueError(f"std must be >= 0 (a standard deviation), got {std}")
        dtype = check_float_dtype(dtype)
        rng = make_rng(rng)
        self.add_param("weight", (rng.standard_normal((num_embeddings, dim)) * std).astype(dtype))
        self.cache = None

    def forward(self, ids) -> np.ndarray:
        out, self.cache = embedding_forward(ids, self.weight)  # (..., E)
        return out

    def backward(self, dout) -> None:
        if self.cache is None:
            raise RuntimeError("call forward before backward")
        self._grads["weight"] += embedding_backward(dout, self.cache)  # (V, E)
        return None

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.dim}"
