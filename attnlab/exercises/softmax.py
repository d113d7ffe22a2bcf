"""Checkers for lesson 01: a stable softmax, temperature, and the softmax Jacobian."""

from __future__ import annotations

import numpy as np

from .. import softmax
from ..i18n import tr
from ._feedback import Feedback, call_student, check_array, passed, same


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def check_softmax(fn) -> Feedback:
    """Lesson 01: a softmax over the last axis, stable per row.

    Three inputs: ordinary logits (3, 5); one row of logits near 1000 (overflows without the
    shift); rows of very different scale, [[1000, 999, 998], [1, 0, -1]], where subtracting
    one maximum for the whole array leaves the second row as 0 / 0.
    """
    name = tr("softmax estable", "stable softmax")
    x = _rng(7).standard_normal((3, 5))  # (B, n), not square: a wrong axis cannot hide
    got, bad = call_student(name, fn, x.copy())
    if bad is not None:
        return bad
    wrong = check_array(name, got, softmax(x), tr("el resultado", "the result"))
    if wrong is not None:
        if same(got, softmax(x, axis=0)):
            wrong.messages.append(
                tr(
                    "las columnas suman 1: normalizaste por el eje 0; usa el último eje (axis=-1).",
                    "the columns sum to 1: you normalised over axis 0; use the last axis "
                    "(axis=-1).",
                )
            )
        return wrong
    cases = (
        (
            np.array([[1000.0, 999.0, 998.0]]),
            tr("con logits [1000, 999, 998]", "with logits [1000, 999, 998]"),
            tr(
                "exp(1000) desborda: resta el máximo de cada fila antes de exponenciar.",
                "exp(1000) overflows: subtract each row's maximum before exponentiating.",
            ),
        ),
        (
            np.array([[1000.0, 999.0, 998.0], [1.0, 0.0, -1.0]]),
            tr(
                "con filas de escalas muy distintas [[1000, 999, 998], [1, 0, -1]]",
                "with rows of very different scale [[1000, 999, 998], [1, 0, -1]]",
            ),
            tr(
                "la segunda fila sale mal: restaste un solo máximo para todo el array. Resta el "
                "de cada fila: x.max(axis=-1, keepdims=True).",
                "the second row comes out wrong: you subtracted one maximum for the whole "
                "array. Subtract each row's own: x.max(axis=-1, keepdims=True).",
            ),
        ),
    )
    for logits, what, hint in cases:
        with np.errstate(all="ignore"):
            got, bad = call_student(name, fn, logits.copy())
        if bad is not None:
            return bad
        wrong = check_array(name, got, softmax(logits), what)
        if wrong is not None:
            wrong.messages.append(hint)
            return wrong
    return passed(
        name,
        tr(
            "coincide con attnlab.softmax, también con logits enormes y filas de escalas "
            "distintas.",
            "matches attnlab.softmax, also with huge logits and rows of different scales.",
        ),
    )


def check_softmax_temperature(fn) -> Feedback:
    """Lesson 01: ``fn(x, tau)`` = softmax(x / tau)."""
    name = tr("softmax con temperatura", "softmax with temperature")
    x = _rng(1).standard_normal((2, 6)) * 3  # (B, n)
    for tau in (0.5, 1.0, 4.0):
        got, bad = call_student(name, fn, x.copy(), tau)
        if bad is not None:
            return bad
        wrong = check_array(name, got, softmax(x / tau), f"tau={tau}")
        if wrong is not None:
            if same(got, softmax(x * tau)):
                wrong.messages.append(
                    tr(
                        "multiplicaste por tau: hay que dividir los logits entre tau.",
                        "you multiplied by tau: divide the logits by tau.",
                    )
                )
            elif same(got, softmax(x) / tau):
                wrong.messages.append(
                    tr(
                        "dividiste las probabilidades, no los logits: la temperatura va dentro "
                        "de la softmax.",
                        "you divided the probabilities, not the logits: the temperature goes "
                        "inside the softmax.",
                    )
                )
            return wrong
    return passed(
        name,
        tr(
            "tau pequeña afila la distribución; tau grande la aplana.",
            "a small tau sharpens the distribution; a large tau flattens it.",
        ),
    )


def check_softmax_jacobian(fn) -> Feedback:
    """Lesson 01: ``fn(p)`` = the (n, n) Jacobian diag(p) - p p^T of softmax at probabilities p."""
    name = tr("jacobiano de la softmax", "softmax Jacobian")
    p = softmax(_rng(2).standard_normal(4))  # (n,)
    got, bad = call_student(name, fn, p.copy())
    if bad is not None:
        return bad
    want = np.diag(p) - np.outer(p, p)  # (n, n)
    wrong = check_array(name, got, want, tr("el jacobiano", "the Jacobian"))
    if wrong is not None:
        if same(got, np.diag(p)):
            wrong.messages.append(
                tr(
                    "falta restar p pᵀ (los términos fuera de la diagonal).",
                    "you are missing - p pᵀ (the off-diagonal terms).",
                )
            )
        elif same(got, -want):
            wrong.messages.append(
                tr(
                    "el signo está al revés: diag(p) - p pᵀ, no p pᵀ - diag(p).",
                    "the sign is flipped: diag(p) - p pᵀ, not p pᵀ - diag(p).",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "sus filas suman 0: subir un logit roba probabilidad a los demás.",
            "its rows sum to 0: raising one logit steals probability from the others.",
        ),
    )
