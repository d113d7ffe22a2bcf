"""Embedding backward, tuned: the scatter-add of :mod:`attnlab.functional.embedding` by sorting.

``np.add.at(dweight, ids, dout)`` adds the rows of ``dout`` one at a time. Here the ids are
sorted once (stably, so equal ids keep their order and every sum adds the same numbers in the
same order) and each run of equal ids is summed by one ``np.add.reduceat``: the same sums,
written once per distinct id. Timings: ``benchmarks/core_notes.md``.
"""

from __future__ import annotations

import numpy as np

from ..._validate import as_dout, check_cache
from .. import embedding as readable


def embedding_backward(dout, cache):
    """Same as :func:`attnlab.functional.embedding_backward`."""
    check_cache(cache, readable.EmbeddingCache, "embedding_forward")
    V, E = cache.weight_shape
    dout = as_dout(dout, (*cache.ids.shape, E), cache.dtype)  # (..., E)
    dweight = np.zeros((V, E), dtype=cache.dtype)  # (V, E)
    flat = cache.ids.reshape(-1)  # (N,)
    rows = dout.reshape(-1, E)  # (N, E)
    if flat.size:
        order = np.argsort(flat, kind="stable")  # (N,) equal ids keep their order
        sorted_ids = flat[order]  # (N,)
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])  # (U,) run starts
        dweight[sorted_ids[starts]] = np.add.reduceat(rows[order], starts, axis=0)  # (U, E)
    return dweight
