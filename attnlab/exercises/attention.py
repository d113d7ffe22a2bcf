"""Checkers for lesson 02: scaled dot-product attention, and a query designed to find a key."""

from __future__ import annotations

import numpy as np

from .. import scaled_dot_product_attention, softmax
from ..i18n import tr
from ._feedback import (
    Feedback,
    as_array,
    call_student,
    check_array,
    failed,
    passed,
    same,
    unanswered,
)


def check_attention(fn) -> Feedback:
    """Lesson 02: ``fn(q, k, v)`` = softmax(q k^T / sqrt(D)) v for q (T, D), k (S, D), v (S, Dv)."""
    name = tr("atención escalada", "scaled attention")
    rng = np.random.default_rng(3)
    q, k, v = rng.standard_normal((4, 8)), rng.standard_normal((6, 8)), rng.standard_normal((6, 3))
    got, bad = call_student(name, fn, q.copy(), k.copy(), v.copy())
    if bad is not None:
        return bad
    want, _ = scaled_dot_product_attention(q, k, v)  # (T, Dv)
    wrong = check_array(name, got, want, tr("la salida", "the output"))
    if wrong is None:
        return passed(
            name,
            tr(
                "igual que attnlab.scaled_dot_product_attention.",
                "same as attnlab.scaled_dot_product_attention.",
            ),
        )
    scores = q @ k.T / np.sqrt(8)  # (T, S)
    mistakes = (
        (
            scaled_dot_product_attention(q, k, v, scale=1.0)[0],
            tr(
                "olvidaste dividir las puntuaciones entre √D.",
                "you forgot to divide the scores by √D.",
            ),
        ),
        (
            scaled_dot_product_attention(q, k, v, scale=1.0 / 8)[0],
            tr(
                "dividiste entre D; la escala es 1/√D.",
                "you divided by D; the scale is 1/√D.",
            ),
        ),
        (
            scores @ v,
            tr("falta la softmax sobre las claves.", "the softmax over the keys is missing."),
        ),
        (
            softmax(scores, axis=0) @ v,
            tr(
                "la softmax va por filas (sobre las claves, axis=-1), no por columnas.",
                "the softmax runs along rows (over the keys, axis=-1), not columns.",
            ),
        ),
    )
    for result, hint in mistakes:
        if same(got, result):
            wrong.messages.append(hint)
            break
    return wrong


def check_lookup(q, k, *, query: int = 0, key: int = 2, threshold: float = 0.9) -> Feedback:
    """Lesson 02: design query row ``query`` of q so that it puts > 0.9 of its weight on ``key``."""
    name = tr("búsqueda por similitud", "lookup by similarity")
    k = np.asarray(k, dtype=np.float64)
    q = as_array(q)
    if q is None or q.ndim != 2 or q.shape[1] != k.shape[1] or q.shape[0] <= query:
        got = None if q is None else q.shape
        return failed(
            name,
            tr(
                f"q debe tener forma (T, {k.shape[1]}) con al menos {query + 1} filas; tiene "
                f"{got}.",
                f"q must have shape (T, {k.shape[1]}) with at least {query + 1} rows; it has "
                f"{got}.",
            ),
        )
    if not q[query].any():
        return unanswered(
            name,
            tr(
                f"la fila {query} de tu matriz sigue a cero: cámbiala y vuelve a ejecutar la "
                "celda.",
                f"row {query} of your matrix is still zero: change it and run the cell again.",
            ),
        )
    w = softmax(q @ k.T / np.sqrt(k.shape[1]))  # (T, S)
    got = w[query, key]
    if got <= threshold:
        return failed(
            name,
            tr(
                f"la consulta {query} da un peso {got:.3f} a la clave {key} (quiero > "
                f"{threshold}). Sus pesos: {np.round(w[query], 3)}. Pista: apunta q[{query}] en "
                f"la dirección de k[{key}] y alárgala.",
                f"query {query} gives weight {got:.3f} to key {key} (I want > {threshold}). "
                f"Its weights: {np.round(w[query], 3)}. Hint: point q[{query}] along k[{key}] and "
                "make it longer.",
            ),
        )
    return passed(
        name,
        tr(
            f"peso {got:.3f} en la clave {key}: la consulta «pregunta» por esa etiqueta.",
            f'weight {got:.3f} on key {key}: the query "asks" for that label.',
        ),
    )
