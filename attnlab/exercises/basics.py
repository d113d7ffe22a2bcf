"""Checkers for lessons 00-03: shapes, softmax, attention, masks."""

from __future__ import annotations

import numpy as np

from .. import causal_mask, padding_mask, scaled_dot_product_attention, softmax
from ..show import tr
from ._feedback import Feedback, call_student, check_array, failed, passed


def _rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- lesson 00 -------------------------------------------------------------------------------
def check_attention_shapes(out_shape, weights_shape) -> Feedback:
    """Lesson 00: shapes of out and weights for q (2, 5, 8), k (2, 7, 8), v (2, 7, 3)."""
    name = tr("formas de la atención", "attention shapes")
    messages = []
    want_out, want_w = (2, 5, 3), (2, 5, 7)

    def as_shape(answer) -> tuple:
        try:
            return tuple(int(n) for n in np.atleast_1d(answer))
        except (TypeError, ValueError):
            return (answer,)

    out_shape, weights_shape = as_shape(out_shape), as_shape(weights_shape)
    if out_shape != want_out:
        messages.append(
            tr(
                f"out: escribiste {out_shape}. Pista: una fila por consulta (T=5) y "
                "tantas columnas como tenga cada valor v (Dv=3).",
                f"out: you wrote {out_shape}. Hint: one row per query (T=5) and as "
                "many columns as each value v has (Dv=3).",
            )
        )
    if weights_shape != want_w:
        messages.append(
            tr(
                f"weights: escribiste {weights_shape}. Pista: un peso por pareja "
                "(consulta, clave): T=5 filas y S=7 columnas, para cada elemento del lote.",
                f"weights: you wrote {weights_shape}. Hint: one weight per "
                "(query, key) pair: T=5 rows and S=7 columns, for each batch element.",
            )
        )
    if messages:
        return failed(name, *messages)
    return passed(
        name,
        tr(
            "out (B, T, Dv) = (2, 5, 3) y weights (B, T, S) = (2, 5, 7).",
            "out (B, T, Dv) = (2, 5, 3) and weights (B, T, S) = (2, 5, 7).",
        ),
    )


def check_causal_weights(weights) -> Feedback:
    """Lesson 00: weights (T, T) of causal attention: rows sum to 1, nothing above the diagonal."""
    name = tr("pesos causales", "causal weights")
    w = np.asarray(weights, dtype=np.float64) if weights is not None else None
    if w is None or w.ndim != 2 or w.shape[0] != w.shape[1]:
        return failed(
            name,
            tr(
                f"esperaba una matriz cuadrada (T, T); recibí {None if w is None else w.shape}.",
                f"I expected a square (T, T) matrix; got {None if w is None else w.shape}.",
            ),
        )
    future = np.argwhere(np.triu(np.abs(w) > 1e-12, k=1))
    if len(future):
        i, j = future[0]
        return failed(
            name,
            tr(
                f"la consulta {i} mira a la clave futura {j} (peso {w[i, j]:.3f}): ¿usaste "
                "is_causal=True?",
                f"query {i} looks at the future key {j} (weight {w[i, j]:.3f}): did you use "
                "is_causal=True?",
            ),
        )
    sums = w.sum(axis=1)
    if not np.allclose(sums, 1.0):
        return failed(
            name,
            tr(
                f"las filas deberían sumar 1 y suman {sums}.",
                f"rows should sum to 1; they sum to {sums}.",
            ),
        )
    return passed(
        name,
        tr(
            "cada consulta solo mira al pasado y a sí misma.",
            "each query only looks at the past and itself.",
        ),
    )


# -- lesson 01: softmax ------------------------------------------------------------------------
def check_softmax(fn) -> Feedback:
    """Lesson 01: a softmax over the last axis that survives logits of 1000."""
    name = tr("softmax estable", "stable softmax")
    x = _rng().standard_normal((3, 5))  # (B, n)
    got, bad = call_student(name, fn, x.copy())
    if bad is not None:
        return bad
    wrong = check_array(name, got, softmax(x), tr("el resultado", "the result"))
    if wrong is not None:
        got = np.asarray(got, dtype=np.float64)
        if got.shape == x.shape and np.allclose(got.sum(axis=0), 1.0):
            wrong.messages.append(
                tr(
                    "las columnas suman 1: normalizaste por el eje 0; usa el último eje (axis=-1).",
                    "the columns sum to 1: you normalised over axis 0; use the last axis "
                    "(axis=-1).",
                )
            )
        return wrong
    big = np.array([[1000.0, 999.0, 998.0]])  # (1, 3)
    with np.errstate(all="ignore"):
        got, bad = call_student(name, fn, big.copy())
    if bad is not None:
        return bad
    wrong = check_array(
        name, got, softmax(big), tr("con logits [1000, 999, 998]", "with logits [1000, 999, 998]")
    )
    if wrong is not None:
        wrong.messages.append(
            tr(
                "exp(1000) desborda: resta el máximo de cada fila antes de exponenciar.",
                "exp(1000) overflows: subtract each row's maximum before exponentiating.",
            )
        )
        return wrong
    return passed(
        name,
        tr(
            "coincide con attnlab.softmax, también con logits enormes.",
            "matches attnlab.softmax, also with huge logits.",
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
            got = np.asarray(got, dtype=np.float64)
            if got.shape == x.shape and np.allclose(got, softmax(x * tau)):
                wrong.messages.append(
                    tr(
                        "multiplicaste por tau: hay que dividir los logits entre tau.",
                        "you multiplied by tau: divide the logits by tau.",
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
    name = tr("jacobiano de softmax", "softmax Jacobian")
    p = softmax(_rng(2).standard_normal(4))  # (n,)
    got, bad = call_student(name, fn, p.copy())
    if bad is not None:
        return bad
    want = np.diag(p) - np.outer(p, p)  # (n, n)
    wrong = check_array(name, got, want, tr("el jacobiano", "the Jacobian"))
    if wrong is not None:
        got = np.asarray(got, dtype=np.float64)
        if got.shape == want.shape and np.allclose(got, np.diag(p)):
            wrong.messages.append(
                tr(
                    "falta restar p p^T (los términos fuera de la diagonal).",
                    "you are missing - p p^T (the off-diagonal terms).",
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


# -- lesson 02: attention ----------------------------------------------------------------------
def check_attention(fn) -> Feedback:
    """Lesson 02: ``fn(q, k, v)`` = softmax(q k^T / sqrt(D)) v for q (T, D), k (S, D), v (S, Dv)."""
    name = tr("atención escalada", "scaled attention")
    rng = _rng(3)
    q, k, v = rng.standard_normal((4, 8)), rng.standard_normal((6, 8)), rng.standard_normal((6, 3))
    got, bad = call_student(name, fn, q.copy(), k.copy(), v.copy())
    if bad is not None:
        return bad
    want, _ = scaled_dot_product_attention(q, k, v)
    wrong = check_array(name, got, want, tr("la salida", "the output"))
    if wrong is not None:
        got = np.asarray(got, dtype=np.float64)
        if got.shape == want.shape:
            if np.allclose(got, scaled_dot_product_attention(q, k, v, scale=1.0)[0]):
                wrong.messages.append(
                    tr(
                        "olvidaste dividir las puntuaciones entre sqrt(D).",
                        "you forgot to divide the scores by sqrt(D).",
                    )
                )
            elif np.allclose(got, (q @ k.T / np.sqrt(8)) @ v):
                wrong.messages.append(
                    tr(
                        "falta la softmax sobre las claves.",
                        "the softmax over the keys is missing.",
                    )
                )
            elif np.allclose(got, softmax(q @ k.T / np.sqrt(8), axis=0) @ v):
                wrong.messages.append(
                    tr(
                        "la softmax va por filas (sobre las claves, axis=-1), no por columnas.",
                        "the softmax runs along rows (over the keys, axis=-1), not columns.",
                    )
                )
        return wrong
    return passed(
        name,
        tr(
            "igual que attnlab.scaled_dot_product_attention.",
            "same as attnlab.scaled_dot_product_attention.",
        ),
    )


def check_lookup(q, k, *, query: int = 0, key: int = 2, threshold: float = 0.9) -> Feedback:
    """Lesson 02: design query row ``query`` of q so that it puts > 0.9 of its weight on ``key``."""
    name = tr("búsqueda por similitud", "lookup by similarity")
    q = np.asarray(q, dtype=np.float64)
    k = np.asarray(k, dtype=np.float64)
    if q.ndim != 2 or q.shape[1] != k.shape[1]:
        return failed(
            name,
            tr(
                f"q debe tener forma (T, {k.shape[1]}); tiene {q.shape}.",
                f"q must have shape (T, {k.shape[1]}); it has {q.shape}.",
            ),
        )
    w = softmax(q @ k.T / np.sqrt(k.shape[1]))  # (T, S)
    got = w[query, key]
    if got <= threshold:
        return failed(
            name,
            tr(
                f"la consulta {query} da un peso {got:.3f} a la clave {key} (quiero > "
                f"{threshold}). "
                f"Sus pesos: {np.round(w[query], 3)}. Pista: apunta q[{query}] en la dirección de "
                f"k[{key}] y alárgala.",
                f"query {query} gives weight {got:.3f} to key {key} (I want > {threshold}). "
                f"Its weights: {np.round(w[query], 3)}. Hint: point q[{query}] along k[{key}] and "
                "make it longer.",
            ),
        )
    return passed(
        name,
        tr(
            f"peso {got:.3f} en la clave {key}: la consulta 'pregunta' por esa etiqueta.",
            f"weight {got:.3f} on key {key}: the query 'asks' for that label.",
        ),
    )


# -- lesson 03: masks --------------------------------------------------------------------------
def _mask_feedback(name: str, got, want: np.ndarray, labels: str) -> Feedback | None:
    got = np.asarray(got)
    if got.shape != want.shape:
        return failed(
            name,
            tr(
                f"la máscara tiene forma {got.shape}; esperaba {want.shape} {labels}.",
                f"the mask has shape {got.shape}; I expected {want.shape} {labels}.",
            ),
        )
    if got.dtype != bool:
        return failed(
            name,
            tr(
                f"la máscara es de tipo {got.dtype}; en attnlab una máscara booleana significa "
                "True = puede atender.",
                f"the mask has dtype {got.dtype}; in attnlab a boolean mask means True = may "
                "attend.",
            ),
        )
    wrong = np.argwhere(got != want)
    if len(wrong):
        shown = ", ".join(
            f"{tuple(int(i) for i in idx)} "
            + tr(f"debería ser {bool(want[tuple(idx)])}", f"should be {bool(want[tuple(idx)])}")
            for idx in wrong[:6]
        )
        more = (
            tr(f" (y {len(wrong) - 6} más)", f" (and {len(wrong) - 6} more)")
            if len(wrong) > 6
            else ""
        )
        n = len(wrong)
        return failed(
            name,
            tr(
                f"{n} entrada{'s' * (n != 1)} mal: {shown}{more}.",
                f"{n} wrong entr{'ies' if n != 1 else 'y'}: {shown}{more}.",
            ),
        )
    return None


def check_causal_mask(fn) -> Feedback:
    """Lesson 03: ``fn(T)`` returns the (T, T) boolean causal mask (True = may attend)."""
    name = tr("máscara causal", "causal mask")
    for T in (1, 4, 6):
        got, bad = call_student(name, fn, T)
        if bad is not None:
            return bad
        wrong = _mask_feedback(name, got, causal_mask(T), f"(T, T) = ({T}, {T})")
        if wrong is not None:
            if np.asarray(got).shape == (T, T) and np.array_equal(np.asarray(got), ~causal_mask(T)):
                wrong.messages.append(
                    tr(
                        "está invertida: True significa 'puede atender'.",
                        "it is inverted: True means 'may attend'.",
                    )
                )
            return wrong
    return passed(name, tr("la consulta i ve las claves 0..i.", "query i sees keys 0..i."))


def check_padding_mask(mask, lengths, max_len: int) -> Feedback:
    """Lesson 03: the (B, max_len) boolean padding mask, True on real positions."""
    name = tr("máscara de relleno", "padding mask")
    wrong = _mask_feedback(name, mask, padding_mask(lengths, max_len), "(B, S)")
    return (
        wrong
        if wrong is not None
        else passed(
            name, tr("las posiciones de relleno quedan fuera.", "padding positions are left out.")
        )
    )


def check_combined_mask(mask, lengths, T: int) -> Feedback:
    """Lesson 03: causal AND padding (B, T, T): query i may see key j if j <= i and j is real."""
    name = tr("máscara causal + relleno", "causal + padding mask")
    want = causal_mask(T)[None, :, :] & padding_mask(lengths, T)[:, None, :]  # (B, T, T)
    wrong = _mask_feedback(name, mask, want, "(B, T, S)")
    return (
        wrong
        if wrong is not None
        else passed(
            name,
            tr(
                "combinar máscaras booleanas es un simple &.",
                "combining boolean masks is a plain &.",
            ),
        )
    )
