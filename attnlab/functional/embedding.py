"""Embedding lookup, as torch's ``nn.Embedding``: row ``ids[b, t]`` of a (V, E) table.

    out[b, t] = weight[ids[b, t]]                      ids (...,) ints -> out (..., E)

Backward: each row of ``dout`` is added to the row of the table it was read from. An id that
appears n times receives the sum of its n gradients (a scatter-add, like torch):

    dweight[v] = sum over positions with ids == v of dout[position]

While ``attnlab.get_fast()`` is True the backward hands the call to its tuned twin in
:mod:`attnlab.functional.fast.embedding` (the same sums, computed by sorting the ids).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_cache
from . import fast
from .fast.switch import get_fast


class EmbeddingCache(NamedTuple):
    ids: np.ndarray  # (...,) the ids looked up, int64
    weight_shape: tuple[int, int]  # (V, E)
    dtype: np.dtype  # the table's dtype, for dweight


def check_ids(ids, num_embeddings: int, name: str = "ids") -> np.ndarray:
    """``ids`` as an int64 array of values in [0, V), or a clear TypeError / ValueError."""
    if hasattr(ids, "detach") and hasattr(ids, "numpy"):
        raise TypeError(f"{name} is a torch tensor; pass {name}.detach().cpu().numpy()")
    try:
        arr = np.asarray(ids)
    except (TypeError, ValueError) as err:  # ragged lists: rows of different lengths
        raise TypeError(
            f"{name} must be a rectangular array of integer token ids, could not convert it: {err}"
        ) from None
    if arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer token ids, got dtype {arr.dtype}")
    if arr.size:
        bad = (arr < 0) | (arr >= num_embeddings)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name} holds id {int(arr[where])} at position {where}, outside the "
                f"vocabulary of size {num_embeddings} (valid ids: 0 .. {num_embeddings - 1})"
            )
    return arr.astype(np.int64, copy=False)


def embedding_forward(ids, weight) -> tuple[np.ndarray, EmbeddingCache]:
    """Rows of ``weight`` (V, E) picked by integer ``ids`` (...,): out (..., E)."""
    weight = as_float_array(weight, "weight")
    if weight.ndim != 2:
        raise ValueError(f"weight must have shape (V, E), got {weight.shape}")
    ids = check_ids(ids, weight.shape[0])
    out = weight[ids]  # (..., E) fancy indexing makes a copy
    return out, EmbeddingCache(ids=ids, weight_shape=weight.shape, dtype=weight.dtype)


def embedding_backward(dout, cache: EmbeddingCache) -> np.ndarray:
    """``dweight`` (V, E): the scatter-add of ``dout`` (..., E) into the rows that were read."""
    if get_fast():  # the tuned twin: the same sums, by sorting the ids
        return fast.embedding_backward(dout, cache)
    check_cache(cache, EmbeddingCache, "embedding_forward")
    V, E = cache.weight_shape
    dout = as_dout(dout, (*cache.ids.shape, E), cache.dtype)  # (..., E)
    dweight = np.zeros((V, E), dtype=cache.dtype)  # (V, E)
    # out = weight[ids]: row ids[i] gets dout[i] added; np.add.at adds every repeat of an id
    # (fancy-index assignment, dweight[ids] = dweight[ids] + dout, would keep only one)
    np.add.at(dweight, cache.ids, dout)  # (V, E)
    return dweight
