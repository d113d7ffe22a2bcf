"""What the classroom explorers show, as pure functions of the widget values (NumPy only).

Each explorer of :mod:`attnlab.viz.interactive` is two layers: one of these functions turns the
widget values into the numbers to show, and a thin widget draws them. These run without a
kernel, without ipywidgets and without matplotlib, and are what the tests check. What a student
types into a text box is read here too; a ValueError then says, in the lesson's language
(:func:`attnlab.i18n.tr`), which part could not be read.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from . import causal_mask, softmax
from ._validate import as_float_array
from .i18n import tr


# -- temperature ----------------------------------------------------------------------------
class TemperatureState(NamedTuple):
    probs: np.ndarray  # (n,) softmax(logits / temperature)
    entropy: float  # in nats: log(n) for uniform, 0 for one-hot
    top: int  # index of the largest probability


def temperature_state(logits, temperature: float) -> TemperatureState:
    """softmax(logits / temperature) with its entropy and arg-max (temperature > 0)."""
    z = as_float_array(logits, "logits")
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"logits must be a non-empty 1-d array, got shape {z.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    p = softmax(z / float(temperature))  # (n,)
    entropy = float(-np.sum(p * np.log(np.where(p > 0, p, 1.0))))
    return TemperatureState(p, entropy, int(np.argmax(p)))


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
NUMBER_SEPARATOR = re.compile(r"[\s,;]*")


def parse_numbers(text: str, *, lang: str | None = None) -> list[float]:
    """The numbers written in a text box: ``"2, 1, 0.5"``, ``"2 1 0.5"``, ``"[2; 1; -1e3]"``.

    Separators are commas, semicolons and spaces; the decimal mark is the point (as Python
    writes it). Raises ValueError (in the current language) quoting the first part that is not
    a number, or when there is no number at all. ``lang``: the message's language (default: the
    current one).
    """
    body = text.strip().strip("[]()")
    numbers, at = [], 0
    while at < len(body):
        at = NUMBER_SEPARATOR.match(body, at).end()
        if at == len(body):
            break
        match = NUMBER.match(body, at)
        end = match.end() if match else at
        if match is None or (end < len(body) and not NUMBER_SEPARATOR.match(body, end).end() > end):
            rest = re.split(r"[\s,;]+", body[at:])[0]
            raise ValueError(
                tr(
                    f"{rest!r} no es un número (separa los números con comas o espacios; el "
                    "decimal se escribe con punto: 0.5).",
                    f"{rest!r} is not a number (separate the numbers with commas or spaces; the "
                    "decimal mark is a point: 0.5).",
                    lang,
                )
            )
        numbers.append(float(match.group()))
        at = end
    if not numbers:
        raise ValueError(tr("escribe al menos un número.", "write at least one number.", lang))
    return numbers


# -- one query --------------------------------------------------------------------------------
class QueryState(NamedTuple):
    scores: np.ndarray  # (S,) q . k_j * scale, one per key
    weights: np.ndarray  # (S,) softmax of the scores: how much the query takes from each key
    out: np.ndarray  # (Dv,) the blend of the values: sum_j weights_j v_j
    top: int  # the key with the largest weight


def query_state(query, k, v, *, scale: float | None = None) -> QueryState:
    """One query against every key: its scores, weights and output (lesson 02's explorer).

    ``query`` (D,), ``k`` (S, D), ``v`` (S, Dv); ``scale`` defaults to 1 / sqrt(D). The numbers
    are exactly one row of :func:`attnlab.scaled_dot_product_attention`.
    """
    q = as_float_array(query, "query")
    k = as_float_array(k, "k")
    v = as_float_array(v, "v")
    if q.ndim != 1 or k.ndim != 2 or v.ndim != 2:
        raise ValueError(
            f"query must be (D,), k (S, D) and v (S, Dv); got {q.shape}, {k.shape}, {v.shape}"
        )
    if k.shape[1] != q.shape[0] or v.shape[0] != k.shape[0] or k.shape[0] == 0:
        raise ValueError(
            f"query {q.shape}, k {k.shape} and v {v.shape} do not fit: k needs D = "
            f"{q.shape[0]} columns, v one row per key (S >= 1)"
        )
    scale = 1.0 / np.sqrt(q.shape[0]) if scale is None else float(scale)
    scores = k @ q * scale  # (S,)
    weights = softmax(scores)  # (S,)
    out = weights @ v  # (Dv,)
    return QueryState(scores, weights, out, int(np.argmax(weights)))


# -- masks ----------------------------------------------------------------------------------
class MaskState(NamedTuple):
    mask: np.ndarray  # (T, S) bool, True = may attend
    weights: np.ndarray  # (T, S) attention weights under that mask
    empty_rows: list[int]  # queries with every key masked (their weights are all 0)
    already_masked: list[tuple[int, int]]  # blocked pairs the causal/padding mask had hidden


def mask_state(
    scores, *, causal: bool = False, length: int | None = None, blocked=(), lang: str | None = None
) -> MaskState:
    """Attention weights of ``scores`` (T, S) under a mask built from toggles.

    ``causal``: query i sees keys j <= i; ``length``: only the first ``length`` keys are real
    (padding after them); ``blocked``: extra (i, j) pairs switched off by hand. A blocked pair
    that the causal or padding mask had already hidden changes nothing: it is listed in
    ``already_masked`` so that the explorer can say so. ``lang``: the language of the error
    for a pair outside the scores (default: the current one).
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
    already = []
    for i, j in blocked:
        if not (0 <= i < T and 0 <= j < S):
            raise ValueError(
                tr(
                    f"la pareja {(i, j)} cae fuera de las puntuaciones ({T}, {S}): i va de 0 a "
                    f"{T - 1} y j de 0 a {S - 1}",
                    f"blocked entry {(i, j)} is outside the ({T}, {S}) scores: i goes from 0 to "
                    f"{T - 1} and j from 0 to {S - 1}",
                    lang,
                )
            )
        if not mask[i, j]:
            already.append((int(i), int(j)))
        mask[i, j] = False
    weights = softmax(scores, mask=mask)  # (T, S)
    empty = [int(i) for i in np.where(~mask.any(axis=1))[0]]
    return MaskState(mask, weights, empty, already)


PAIR = re.compile(r"(\()?\s*([-+]?\d+)\s*,\s*([-+]?\d+)\s*(\))?")
SEPARATOR = re.compile(r"[\s;]*")


def parse_pairs(text: str, *, lang: str | None = None) -> list[tuple[int, int]]:
    """The (i, j) pairs written in a text box: ``"2,0 3,1"``, ``"(2, 0); (3, 1)"``,
    ``"(2, 0), (3, 1)"``...

    Pairs are separated by spaces or semicolons, or by commas when they are in brackets.
    Raises ValueError (in ``lang``, default the current language) quoting the first part that
    is not a pair of whole numbers.
    """
    pairs, at = [], 0
    while at < len(text):
        at = SEPARATOR.match(text, at).end()
        if at == len(text):
            break
        match = PAIR.match(text, at)
        if match is None or bool(match.group(1)) != bool(match.group(4)):
            rest = text[at:].split()[0]
            raise ValueError(
                tr(
                    f"{rest!r} no es una pareja i, j de números enteros (p. ej. 2,0 o (2, 0))",
                    f"{rest!r} is not a pair i, j of whole numbers (e.g. 2,0 or (2, 0))",
                    lang,
                )
            )
        pairs.append((int(match.group(2)), int(match.group(3))))
        at = match.end()
        if match.group(4):  # after a closing bracket, a comma may separate pairs too
            after = re.compile(r"\s*,").match(text, at)
            at = after.end() if after else at
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
    """Slices of a positional table (L, E) for the position and dimension sliders.

    L is the table's number of positions (its length), E the model width.
    """
    table = as_float_array(table, "table")
    if table.ndim != 2:
        raise ValueError(f"table must have shape (L, E), got {table.shape}")
    L, E = table.shape
    if not 0 <= position < L:
        raise ValueError(f"position must be in [0, {L}), got {position}")
    if not 0 <= dim < E:
        raise ValueError(f"dim must be in [0, {E}), got {dim}")
    return PositionState(table[position], table[:, dim], table @ table[position])
