"""Checkers for lesson 06: the sinusoidal table and undoing a permutation."""

from __future__ import annotations

import numpy as np

from ..functional import sinusoidal_encoding
from ..i18n import tr
from ._feedback import Feedback, as_array, call_student, check_array, passed, same


def check_sinusoidal(fn) -> Feedback:
    """``fn(T, E)`` = the (T, E) sinusoidal table: sin on even columns, cos on odd ones."""
    name = tr("tabla sinusoidal", "sinusoidal table")
    T, E = 6, 8
    got, bad = call_student(name, fn, T, E)
    if bad is not None:
        return bad
    want = sinusoidal_encoding(T, E)  # (T, E)
    wrong = check_array(name, got, want, tr("la tabla", "the table"))
    if wrong is None:
        return passed(
            name,
            tr(
                "cada pareja de columnas gira a su propia frecuencia.",
                "each pair of columns turns at its own frequency.",
            ),
        )
    arr = as_array(got)
    if arr is None or arr.shape != want.shape:
        return wrong
    sin, cos = want[:, 0::2], want[:, 1::2]  # (T, E/2) each
    pos = np.arange(T)[:, None]  # (T, 1)
    slow = 10000.0 ** (-np.arange(E // 2) / E)  # (E/2,) the exponent i/E instead of 2i/E
    if same(arr, np.concatenate([sin, cos], axis=1)):
        hint = tr(
            "pusiste primero todos los senos y luego todos los cosenos ([sin | cos]); attnlab, "
            "como el artículo original, los intercala: sin en las columnas pares, cos en las "
            "impares.",
            "you put all the sines first and then all the cosines ([sin | cos]); attnlab, like "
            "the original paper, interleaves them: sin on the even columns, cos on the odd ones.",
        )
    elif same(arr[:, 0::2], cos) and same(arr[:, 1::2], sin):
        hint = tr(
            "sin y cos están intercambiados: sin en las columnas pares.",
            "sin and cos are swapped: sin goes on the even columns.",
        )
    elif same(arr[:, 0::2], np.sin(pos * slow)):
        hint = tr(
            "el exponente de la frecuencia es 2i/E (i, el número de la pareja), no i/E.",
            "the frequency's exponent is 2i/E (i, the pair's number), not i/E.",
        )
    else:
        cols = [int(c) for c in np.where(~np.isclose(arr, want).all(axis=0))[0]]
        hint = tr(f"columnas que no coinciden: {cols}.", f"columns that differ: {cols}.")
    wrong.messages.append(hint)
    return wrong


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
    if wrong is None:
        return passed(
            name,
            tr(
                "la permutación inversa es np.argsort(perm).",
                "the inverse permutation is np.argsort(perm).",
            ),
        )
    if same(got, x[perm][perm]):
        wrong.messages.append(
            tr(
                "aplicaste perm otra vez; necesitas la inversa: np.argsort(perm).",
                "you applied perm again; you need its inverse: np.argsort(perm).",
            )
        )
    return wrong
