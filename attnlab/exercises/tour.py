"""Checkers for lesson 00 (tour): the shapes attention returns, and causal weights."""

from __future__ import annotations

import numpy as np

from .. import scaled_dot_product_attention
from ..i18n import tr
from ._feedback import Feedback, as_array, failed, passed, same, unanswered

# q (2, 5, 8), k (2, 7, 8), v (2, 7, 3): the shapes the exercise asks about
B, T, S, D, DV = 2, 5, 7, 8, 3


def _as_shape(answer) -> tuple | None:
    """A tuple of ints, () for an empty answer, or None when it is not a shape at all."""
    if answer is None:
        return ()
    try:
        return tuple(int(n) for n in np.atleast_1d(np.asarray(answer)))
    except (TypeError, ValueError):
        return None


def check_attention_shapes(out_shape, weights_shape) -> Feedback:
    """Lesson 00: shapes of out and weights for q (2, 5, 8), k (2, 7, 8), v (2, 7, 3)."""
    name = tr("formas de la atención", "attention shapes")
    out_shape, weights_shape = _as_shape(out_shape), _as_shape(weights_shape)
    if out_shape == () and weights_shape == ():
        return unanswered(name)
    messages = []
    for label, got, want in (("out", out_shape, (B, T, DV)), ("weights", weights_shape, (B, T, S))):
        if got == want:
            continue
        if got == ():
            messages.append(tr(f"{label}: aún no has respondido.", f"{label}: not answered yet."))
        elif got is None:
            messages.append(
                tr(
                    f"{label}: escribe una tupla de enteros, p. ej. (1, 2, 3).",
                    f"{label}: write a tuple of whole numbers, e.g. (1, 2, 3).",
                )
            )
        else:
            messages.append(_shape_hint(label, got))
    if messages:
        return failed(name, *messages)
    return passed(
        name,
        tr(
            "out (B, T, Dv) = (2, 5, 3) y weights (B, T, S) = (2, 5, 7).",
            "out (B, T, Dv) = (2, 5, 3) and weights (B, T, S) = (2, 5, 7).",
        ),
    )


def _shape_hint(label: str, got: tuple) -> str:
    """What a wrong shape suggests, without giving the answer away."""
    if label == "out":
        if got == (B, T, D):
            hint = tr(
                "out tiene tantas columnas como rasgos tiene cada valor v, no cada consulta q.",
                "out has as many columns as each value v has features, not each query q.",
            )
        elif len(got) != 3:
            hint = tr(
                "out conserva el eje del lote: (B, ..., ...).",
                "out keeps the batch axis: (B, ..., ...).",
            )
        else:
            hint = tr(
                "una fila por consulta y una columna por rasgo de v.",
                "one row per query and one column per feature of v.",
            )
    else:
        if got == (B, S, T):
            hint = tr(
                "filas y columnas al revés: una fila por consulta y una columna por clave.",
                "rows and columns swapped: one row per query and one column per key.",
            )
        elif len(got) != 3:
            hint = tr(
                "weights conserva el eje del lote: (B, ..., ...).",
                "weights keeps the batch axis: (B, ..., ...).",
            )
        else:
            hint = tr(
                "un peso por pareja (consulta, clave), para cada elemento del lote.",
                "one weight per (query, key) pair, for each batch element.",
            )
    return tr(
        f"{label}: escribiste {got}. Pista: {hint}", f"{label}: you wrote {got}. Hint: {hint}"
    )


def check_causal_weights(weights, x) -> Feedback:
    """Lesson 00: the causal self-attention weights of ``x`` (T, D), recomputed here from ``x``.

    The weights must be attention's own (q = k = v = x, scale 1/sqrt(D), causal): a matrix that
    is merely lower-triangular with rows summing to 1 (``np.eye(T)``) is not enough.
    """
    name = tr("pesos causales", "causal weights")
    if weights is None:
        return unanswered(name)
    x = np.asarray(x, dtype=np.float64)
    _, want = scaled_dot_product_attention(x, x, x, is_causal=True)  # (T, T)
    w = as_array(weights)
    if w is None or w.shape != want.shape:
        got = None if w is None else w.shape
        return failed(
            name,
            tr(
                f"esperaba una matriz (T, T) = {want.shape}, una fila y una columna por fila de "
                f"y; recibí {got}.",
                f"I expected a (T, T) = {want.shape} matrix, one row and one column per row of y; "
                f"got {got}.",
            ),
        )
    if same(w, want):
        return passed(
            name,
            tr(
                "cada consulta solo mira al pasado y a sí misma.",
                "each query only looks at the past and itself.",
            ),
        )
    future = np.argwhere(np.triu(np.abs(np.nan_to_num(w)) > 1e-12, k=1))
    if len(future):
        i, j = future[0]
        hint = tr(
            f"la consulta {i} mira a la clave futura {j} (peso {w[i, j]:.3f}): ¿usaste "
            "is_causal=True?",
            f"query {i} looks at the future key {j} (weight {w[i, j]:.3f}): did you use "
            "is_causal=True?",
        )
    elif not np.allclose(w.sum(axis=1), 1.0):
        hint = tr(
            f"las filas deberían sumar 1 y suman {np.round(w.sum(axis=1), 3)}.",
            f"rows should sum to 1; they sum to {np.round(w.sum(axis=1), 3)}.",
        )
    elif same(w, scaled_dot_product_attention(x, x, x, is_causal=True, scale=1.0)[1]):
        hint = tr(
            "falta la escala 1/√D de las puntuaciones.",
            "the 1/√D scale of the scores is missing.",
        )
    else:
        hint = tr(
            "son causales y sus filas suman 1, pero no son los pesos de la autoatención de y: "
            "calcúlalos con q = k = v = y.",
            "they are causal and their rows sum to 1, but they are not the self-attention "
            "weights of y: compute them with q = k = v = y.",
        )
    return failed(name, hint)
