"""Checkers for lessons 05-06: heads, torch's weight layout, parameter counts, positions."""

from __future__ import annotations

import numpy as np

from ..functional import merge_heads, sinusoidal_encoding, split_heads
from ..nn import MultiHeadAttention
from ..show import tr
from ._feedback import Feedback, call_student, check_array, failed, passed


def check_split_heads(fn) -> Feedback:
    """``fn(x, H)``: (B, T, E) -> (B, H, T, D), head h owning features h*D .. (h+1)*D - 1."""
    name = tr("separar cabezas", "split heads")
    x = np.arange(2 * 3 * 8, dtype=np.float64).reshape(2, 3, 8)  # (B, T, E)
    got, bad = call_student(name, fn, x.copy(), 2)
    if bad is not None:
        return bad
    want = split_heads(x, 2)  # (B, H, T, D)
    wrong = check_array(name, got, want, tr("el resultado", "the result"))
    if wrong is not None:
        got = np.asarray(got, dtype=np.float64)
        if got.shape == want.shape and np.array_equal(got, x.reshape(2, 2, 3, 4)):
            wrong.messages.append(
                tr(
                    "reshape directo a (B, H, T, D) mezcla posiciones: primero (B, T, H, D) y "
                    "luego transpose(0, 2, 1, 3).",
                    "a direct reshape to (B, H, T, D) mixes positions: first (B, T, H, D), then "
                    "transpose(0, 2, 1, 3).",
                )
            )
        elif got.shape == (2, 3, 2, 4):
            wrong.messages.append(
                tr(
                    "te falta el transpose: el eje de cabezas va antes que T.",
                    "you are missing the transpose: the head axis comes before T.",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "cada cabeza recibe su propio trozo de D = E / H rasgos.",
            "each head gets its own slice of D = E / H features.",
        ),
    )


def check_merge_heads(fn) -> Feedback:
    """``fn(x)``: (B, H, T, D) -> (B, T, E), the inverse of split_heads."""
    name = tr("unir cabezas", "merge heads")
    x = np.arange(2 * 2 * 3 * 4, dtype=np.float64).reshape(2, 2, 3, 4)  # (B, H, T, D)
    got, bad = call_student(name, fn, x.copy())
    if bad is not None:
        return bad
    wrong = check_array(name, got, merge_heads(x), tr("el resultado", "the result"))
    return (
        wrong
        if wrong is not None
        else passed(
            name, tr("merge_heads(split_heads(x)) == x.", "merge_heads(split_heads(x)) == x.")
        )
    )


def check_mha_param_count(fn) -> Feedback:
    """``fn(E, H, bias)``: number of parameters of multi-head attention (torch's layout)."""
    name = tr("contar parámetros", "count parameters")
    for E, H, bias in ((8, 2, True), (16, 4, False), (40, 1, True)):
        got, bad = call_student(name, fn, E, H, bias)
        if bad is not None:
            return bad
        want = MultiHeadAttention(E, H, bias=bias).num_parameters()
        if got != want:
            hint = ""
            if got == 4 * E * E + 4 * E * H or got == 3 * E * E // H:
                hint = tr(
                    " Ojo: el número de cabezas no cambia el recuento.",
                    " Note: the number of heads does not change the count.",
                )
            return failed(
                name,
                tr(
                    f"E={E}, H={H}, bias={bias}: calculaste {got} y son {want}. Piensa en in_proj "
                    "(3E x E), "
                    f"out_proj (E x E) y sus sesgos (3E + E).{hint}",
                    f"E={E}, H={H}, bias={bias}: you computed {got}, it is {want}. Think of "
                    "in_proj (3E x E), "
                    f"out_proj (E x E) and their biases (3E + E).{hint}",
                ),
            )
    return passed(
        name,
        tr(
            "4E² + 4E con sesgos, 4E² sin ellos: H no aparece.",
            "4E² + 4E with biases, 4E² without: H does not appear.",
        ),
    )


def check_in_proj_split(fn) -> Feedback:
    """``fn(in_proj_weight)`` -> (W_q, W_k, W_v), each (E, E), from torch's stacked (3E, E)."""
    name = tr("separar in_proj_weight", "split in_proj_weight")
    w = np.random.default_rng(5).standard_normal((12, 4))  # (3E, E)
    got, bad = call_student(name, fn, w.copy())
    if bad is not None:
        return bad
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return failed(
            name, tr("devuelve una tupla (W_q, W_k, W_v).", "return a tuple (W_q, W_k, W_v).")
        )
    for label, g, want in zip(("W_q", "W_k", "W_v"), got, np.split(w, 3, axis=0), strict=True):
        wrong = check_array(name, g, want, label)
        if wrong is not None:
            g = np.asarray(g)
            if g.shape == (4, 12) or g.shape == (12, 4 // 3):
                wrong.messages.append(
                    tr(
                        "torch apila W_q, W_k, W_v por filas (eje 0).",
                        "torch stacks W_q, W_k, W_v by rows (axis 0).",
                    )
                )
            return wrong
    return passed(
        name,
        tr(
            "W_q son las primeras E filas, W_k las siguientes, W_v las últimas.",
            "W_q is the first E rows, W_k the next E, W_v the last E.",
        ),
    )


def check_sinusoidal(fn) -> Feedback:
    """``fn(T, E)`` = the (T, E) sinusoidal table (sin on even columns, cos on odd ones)."""
    name = tr("tabla sinusoidal", "sinusoidal table")
    got, bad = call_student(name, fn, 6, 8)
    if bad is not None:
        return bad
    want = sinusoidal_encoding(6, 8)  # (T, E)
    wrong = check_array(name, got, want, tr("la tabla", "the table"))
    if wrong is not None:
        got = np.asarray(got, dtype=np.float64)
        if got.shape == want.shape:
            if np.allclose(got[:, 0::2], want[:, 1::2]):
                wrong.messages.append(
                    tr(
                        "sin y cos están intercambiados: sin en las columnas pares.",
                        "sin and cos are swapped: sin goes on the even columns.",
                    )
                )
            bad_cols = [int(c) for c in np.where(~np.isclose(got, want).all(axis=0))[0]]
            wrong.messages.append(
                tr(f"columnas que no coinciden: {bad_cols}.", f"columns that differ: {bad_cols}.")
            )
        return wrong
    return passed(
        name,
        tr(
            "cada par de columnas gira a su propia frecuencia.",
            "each pair of columns turns at its own frequency.",
        ),
    )


def check_unpermute(fn) -> Feedback:
    """``fn(y, perm)``: undo a permutation of the rows, so that ``fn(x[perm], perm) == x``."""
    name = tr("deshacer la permutación", "undo the permutation")
    rng = np.random.default_rng(9)
    x = rng.standard_normal((5, 3))  # (T, E)
    perm = np.array([3, 0, 4, 1, 2])
    got, bad = call_student(name, fn, x[perm].copy(), perm.copy())
    if bad is not None:
        return bad
    wrong = check_array(name, got, x, tr("el resultado", "the result"))
    if wrong is not None:
        if np.allclose(
            np.asarray(got, dtype=np.float64).reshape(-1)[: x.size], x[perm][perm].reshape(-1)
        ):
            wrong.messages.append(
                tr(
                    "aplicaste perm otra vez; necesitas la inversa: np.argsort(perm).",
                    "you applied perm again; you need its inverse: np.argsort(perm).",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "la permutación inversa es np.argsort(perm).",
            "the inverse permutation is np.argsort(perm).",
        ),
    )
