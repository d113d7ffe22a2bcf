"""What the classroom explorers show, as pure functions of the widget values (NumPy only).

Each explorer of :mod:`attnlab.viz.interactive` is two layers: one of these functions turns the
widget values into the numbers to show, and a thin widget draws them. These run without a
kernel, without ipywidgets and without matplotlib, and are what the tests check.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from . import causal_mask, softmax
from ._validate import as_float_array


# -- temperature ----------------------------------------------------------------------------
class TemperatureState(NamedTuple):
    probs: np.ndarray  # (n,) softmax(logits / temperature)
    entropy: float  # in nats: log(n) for uniform, 0 for one-hot
    top: int  # index of the largest probability


def temperature_state(logits, temperature: float) -> TemperatureState:
    """softmax(logits / temperature) with its entropy and arg-max (temperature > 0)."""
    z = as_float_array(logits, "logits")
    if z.ndim != 1:
        raise ValueError(f"logits must be 1-d, got shape {z.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    p = softmax(z / float(temperature))  # (n,)
    entropy = float(-np.sum(p * np.log(np.where(p > 0, p, 1.0))))
    return TemperatureState(p, entropy, int(np.argmax(p)))


# -- masks ----------------------------------------------------------------------------------
class MaskState(NamedTuple):
    mask: np.ndarray  # (T, S) bool, True = may attend
    weights: np.ndarray  # (T, S) attention weights under that mask
    empty_rows: list[int]  # queries with every key masked (their weights are all 0)


def mask_state(scores, *, causal: bool = False, length: int | None = None, blocked=()) -> MaskState:
    """Attention weights of ``scores`` (T, S) under a mask built from toggles.

    ``causal``: query i sees keys j <= i; ``length``: only the first ``length`` keys are real
    (padding after them); ``blocked``: extra (i, j) pairs switched off by hand.
    """
    scores = as_float_array(scores, "scores")
    if scores.ndim != 2:
        raise ValueError(f"scores must have shape (T, S), got {scores.shape}")
    T, S = scores.shape
    mask = np.ones((T, S), dtype=bool)  # (T, S)
    if causal:
        mask &= causal_mask(T, S)
    if length is not None:
        if not 0 <= length <= S:
            raise ValueError(f"length must be between 0 and S={S}, got {length}")
        mask[:, length:] = False
    for i, j in blocked:
        if not (0 <= i < T and 0 <= j < S):
            raise ValueError(f"blocked entry {(i, j)} is outside the ({T}, {S}) scores")
        mask[i, j] = False
    weights = softmax(scores, mask=mask)  # (T, S)
    return MaskState(mask, weights, [int(i) for i in np.where(~mask.any(axis=1))[0]])


PAIR = re.compile(r"\(?\s*(-?\d+)\s*,\s*(-?\d+)\s*\)?")
SEPARATOR = re.compile(r"[\s;]*")


def parse_pairs(text: str) -> list[tuple[int, int]]:
    """The (i, j) pairs written in a text box: ``"0,1 2,3"``, ``"(0, 1); (2, 3)"``...

    Pairs are separated by spaces or semicolons. Raises ValueError quoting the first part that
    is not a pair of whole numbers.
    """
    pairs, at = [], 0
    while at < len(text):
        at = SEPARATOR.match(text, at).end()
        if at == len(text):
            break
        match = PAIR.match(text, at)
        if match is None:
            rest = text[at:].split()[0]
            raise ValueError(f"{rest!r} is not a pair i, j of whole numbers (e.g. 0,1 or (0, 1))")
        pairs.append((int(match.group(1)), int(match.group(2))))
        at = match.end()
    return pairs


def toggle(blocked, i: int, j: int) -> tuple[tuple[int, int], ...]:
    """Switch entry (i, j) in a set of blocked pairs; returns a new sorted tuple."""
    pairs = set(map(tuple, blocked))
    pairs ^= {(int(i), int(j))}
    return tuple(sorted(pairs))


# -- heads and layers -----------------------------------------------------------------------
def pick_map(maps, layer: int, head: int = 0, sample: int = 0) -> tuple[np.ndarray, str]:
    """One (n, n) map from per-layer weights, and its kind.

    ``maps`` is a list with one entry per layer: an array (B, H, T, S), or a pair
    ``(kind, array)`` like TLOB's ``attention_maps``. Returns ``(map, kind)``, kind "" if none.
    """
    if not 0 <= layer < len(maps):
        raise ValueError(
            f"layer {layer} does not exist: there are {len(maps)} layers (0..{len(maps) - 1})"
        )
    entry = maps[layer]
    kind, w = entry if isinstance(entry, tuple) else ("", entry)
    w = np.asarray(w)
    if w.ndim != 4:
        raise ValueError(f"layer {layer}: expected weights (B, H, T, S), got shape {w.shape}")
    if not 0 <= head < w.shape[1]:
        raise ValueError(
            f"head {head} does not exist in layer {layer}, which has {w.shape[1]} heads"
        )
    if not 0 <= sample < w.shape[0]:
        raise ValueError(f"sample {sample} does not exist: the batch has {w.shape[0]}")
    return w[sample, head], str(kind)


# -- positions ------------------------------------------------------------------------------
class PositionState(NamedTuple):
    row: np.ndarray  # (E,) the encoding of `position`
    column: np.ndarray  # (L,) dimension `dim` at every position
    similarity: np.ndarray  # (L,) dot product of every position's encoding with `position`'s


def position_state(table, position: int, dim: int) -> PositionState:
    """Slices of a positional table (L, E) for the position and dimension sliders."""
    table = as_float_array(table, "table")
    if table.ndim != 2:
        raise ValueError(f"table must have shape (L, E), got {table.shape}")
    L, E = table.shape
    if not 0 <= position < L:
        raise ValueError(f"position must be in [0, {L}), got {position}")
    if not 0 <= dim < E:
        raise ValueError(f"dim must be in [0, {E}), got {dim}")
    return PositionState(table[position], table[:, dim], table @ table[position])
