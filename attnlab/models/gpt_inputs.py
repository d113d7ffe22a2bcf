"""What a GPT accepts: token ids, targets (with -1 for "ignore") and a head mask."""

from __future__ import annotations

import numpy as np

from ..functional.embedding import check_ids

IGNORE_INDEX = -1  # nanoGPT's cross_entropy(..., ignore_index=-1)


def check_idx(idx, vocab_size: int, name: str = "idx") -> np.ndarray:
    """``idx`` as an int64 (B, T) array of ids in [0, V), or a clear TypeError / ValueError."""
    arr = check_ids(idx, vocab_size, name)
    if arr.ndim != 2:
        hint = f"; for one sequence pass {name}[None]" if arr.ndim == 1 else ""
        raise ValueError(f"{name} must have shape (B, T), got {arr.shape}{hint}")
    if arr.shape[0] == 0:
        raise ValueError(
            f"{name} must hold at least one sequence (B >= 1): the batch is empty, got shape "
            f"{arr.shape}"
        )
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must hold at least one token per row, got {arr.shape}")
    return arr


def check_targets(targets, shape: tuple[int, int], vocab_size: int) -> np.ndarray:
    """``targets`` as int64 of ``shape``: ids in [0, V) or -1; not all -1 (no loss to average)."""
    arr = np.asarray(targets)
    if arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer token ids (or -1), got dtype {arr.dtype}")
    if arr.shape != shape:
        raise ValueError(f"targets must have the shape of idx {shape}, got {arr.shape}")
    bad = ((arr < 0) & (arr != IGNORE_INDEX)) | (arr >= vocab_size)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"targets holds {int(arr[where])} at position {where}: targets must be ids in "
            f"[0, {vocab_size}) or -1 (ignored)"
        )
    if (arr == IGNORE_INDEX).all():
        raise ValueError(
            "every target is -1 (ignored): the mean loss over no positions is undefined"
        )
    return arr.astype(np.int64, copy=False)


def check_head_mask(head_mask, n_layer: int, n_head: int, dtype) -> np.ndarray:
    """``head_mask`` (n_layer, n_head) as finite numbers of ``dtype`` (bool: True keeps)."""
    try:
        mask = np.asarray(head_mask)
    except (TypeError, ValueError):  # ragged lists
        raise ValueError(
            f"head_mask must be a (n_layer, n_head) = {(n_layer, n_head)} array, got a ragged "
            f"{type(head_mask).__name__}"
        ) from None
    if mask.dtype.kind not in "biuf":
        raise TypeError(f"head_mask must be bool or numbers, got dtype {mask.dtype}")
    if mask.shape != (n_layer, n_head):
        raise ValueError(
            f"head_mask must have shape (n_layer, n_head) = {(n_layer, n_head)}, got {mask.shape}"
        )
    if not np.isfinite(mask).all():
        raise ValueError("head_mask contains NaN or inf")
    if mask.dtype.kind == "f" and np.abs(mask).max() > np.finfo(dtype).max:
        raise ValueError(
            f"head_mask has values up to {np.abs(mask).max():.3g}, beyond the range of the "
            f"model's {np.dtype(dtype)}"
        )
    mask = mask.astype(dtype)
    return mask
