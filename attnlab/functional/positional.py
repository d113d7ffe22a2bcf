"""Positional encodings: the sinusoidal table and adding a table to a sequence.

    PE[pos, 2i]   = sin(pos / base^(2i / E))
    PE[pos, 2i+1] = cos(pos / base^(2i / E))

Each pair of columns is a rotation at its own frequency, from 1 (column 0) down to about
1/base (last columns), so nearby positions have similar rows and far ones differ.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import (
    as_dout,
    as_float_array,
    check_cache,
    check_float_dtype,
    check_ndim,
    check_number,
    check_positive_int,
)


def sinusoidal_encoding(
    length: int, dim: int, base: float = 10000.0, dtype=np.float64
) -> np.ndarray:
    """The ``(length, dim)`` sinusoidal table: sin on even columns, cos on odd ones.

    Raises ValueError for an odd ``dim`` (sin and cos come in pairs), a non-positive size or
    ``base <= 1``; TypeError for a ``dtype`` other than float32 / float64.
    """
    length = check_positive_int(length, "length")
    dim = check_positive_int(dim, "dim")
    if dim % 2:
        raise ValueError(f"dim must be even (sin/cos pairs), got {dim}")
    base = check_number(base, "base")
    if not base > 1:
        raise ValueError(f"base must be > 1, got {base}")
    dtype = check_float_dtype(dtype)
    pos = np.arange(length, dtype=np.float64)[:, None]  # (T, 1)
    freq = base ** (-np.arange(0, dim, 2, dtype=np.float64) / dim)  # (E/2,)
    angle = pos * freq  # (T, E/2)
    table = np.empty((length, dim), dtype=np.float64)  # (T, E)
    table[:, 0::2] = np.sin(angle)
    table[:, 1::2] = np.cos(angle)
    return table.astype(dtype, copy=False)


class AddPositionsCache(NamedTuple):
    x_shape: tuple[int, ...]  # (..., T, E): the first T rows of the table were used
    table_shape: tuple[int, ...]  # (L, E)
    dtype: np.dtype  # the output's dtype (x's)


def add_positions_forward(x, table) -> tuple[np.ndarray, AddPositionsCache]:
    """``x + table[:T]`` for x (..., T, E) and a table (L, E) with L >= T."""
    x = as_float_array(x, "x")
    table = as_float_array(table, "table")
    check_ndim(x, "x", 2, "(..., T, E)")
    if table.ndim != 2:
        raise ValueError(f"table must have shape (L, E), got {table.shape}")
    T, E = x.shape[-2:]
    if table.shape[1] != E:
        raise ValueError(
            f"x has {E} features but the position table has {table.shape[1]} "
            f"(x: {x.shape}, table: {table.shape})"
        )
    if T > table.shape[0]:
        raise ValueError(
            f"the sequence has {T} positions but the table only covers {table.shape[0]} "
            f"(x: {x.shape}); build the encoding with a larger length"
        )
    out = x + table[:T].astype(x.dtype, copy=False)  # (..., T, E)
    return out, AddPositionsCache(x_shape=x.shape, table_shape=table.shape, dtype=out.dtype)


def add_positions_backward(dout, cache: AddPositionsCache):
    """Gradients ``(dx, dtable)``: dx = dout; dtable[:T] = dout summed over leading axes."""
    check_cache(cache, AddPositionsCache, "add_positions_forward")
    x_shape, table_shape = cache.x_shape, cache.table_shape
    T = x_shape[-2]
    dout = as_dout(dout, x_shape, cache.dtype)  # (..., T, E)
    dtable = np.zeros(table_shape, dtype=dout.dtype)  # (L, E)
    dtable[:T] = dout.sum(axis=tuple(range(dout.ndim - 2)))  # (T, E) summed over leading axes
    return dout.copy(), dtable  # dx is a new array, never the caller's dout
