"""Checkers for lesson 09 (a GPT from the blocks): the embedding's backward pass, the shifted
targets of a batch, and the loss that ignores the targets marked -1."""

from __future__ import annotations

import numpy as np

from ..functional import cross_entropy_forward
from ..functional.embedding import embedding_backward, embedding_forward
from ..i18n import tr
from ._feedback import Feedback, call_student, check_array, failed, passed, same


def _embedding_case():
    rng = np.random.default_rng(9)
    V, E = 7, 4
    ids = np.array([[3, 1, 3, 0], [5, 3, 1, 6]])  # (B, T) 3 appears three times, 1 twice
    dout = rng.standard_normal((*ids.shape, E))  # (B, T, E)
    return V, ids, dout


def check_embedding_backward(fn) -> Feedback:
    """``fn(dout, ids, V)`` -> dweight (V, E): each row of dout added to the row it was read
    from (repeated ids add up)."""
    name = tr("retropropagación del embedding", "embedding backward")
    V, ids, dout = _embedding_case()
    got, bad = call_student(name, fn, dout.copy(), ids.copy(), V)
    if bad is not None:
        return bad
    _, cache = embedding_forward(ids, np.zeros((V, dout.shape[-1])))
    want = embedding_backward(dout, cache)  # (V, E)
    wrong = check_array(name, got, want, "dweight", rtol=1e-10)
    if wrong is None:
        return passed(
            name,
            tr(
                "cada id recibe la suma de los gradientes de todas las posiciones donde aparece "
                "(el id 3 aparece tres veces: suma tres filas).",
                "each id receives the sum of the gradients of every position where it appears "
                "(id 3 appears three times: three rows add up).",
            ),
        )
    flat_ids, flat = ids.reshape(-1), dout.reshape(-1, dout.shape[-1])  # (N,), (N, E)
    assigned = np.zeros_like(want)  # (V, E) what ``dW[ids] = dout`` (or ``+=``) leaves
    assigned[flat_ids] = flat
    counts = np.bincount(flat_ids, minlength=V)[:, None]  # (V, 1)
    if same(got, assigned):
        wrong.messages.append(
            tr(
                "los ids repetidos se pisan: con `dW[ids] = dout` o `dW[ids] += dout` NumPy "
                "escribe una sola vez cada fila repetida. Un id que aparece 3 veces debe "
                "recibir la suma de sus 3 gradientes: busca una suma que acumule (np.add.at).",
                "repeated ids overwrite each other: with `dW[ids] = dout` or `dW[ids] += dout` "
                "NumPy writes each repeated row only once. An id that appears 3 times must get "
                "the sum of its 3 gradients: look for an add that accumulates (np.add.at).",
            )
        )
    elif same(got, want / np.maximum(counts, 1)):
        wrong.messages.append(
            tr(
                "has promediado los gradientes de cada id; la regla de la cadena los suma.",
                "you averaged each id's gradients; the chain rule adds them up.",
            )
        )
    elif np.shape(got) == want.shape[::-1]:
        wrong.messages.append(
            tr(
                "dweight tiene la forma de la tabla: (V, E).",
                "dweight has the table's shape: (V, E).",
            )
        )
    return wrong


def check_shifted_batch(fn) -> Feedback:
    """``fn(tokens, starts, T)`` -> (x, y), each (B, T): x the windows of T tokens starting at
    ``starts``, y the same windows one token later (the next token of every position)."""
    name = tr("entradas y objetivos", "inputs and targets")
    tokens = np.arange(100, 140)  # (N,) ids that say where they sit: 100 + position
    starts, T = np.array([0, 7, 30]), 5
    got, bad = call_student(name, fn, tokens.copy(), starts.copy(), T)
    if bad is not None:
        return bad
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return failed(name, tr("devuelve una pareja (x, y).", "return a pair (x, y)."))
    x, y = (np.asarray(a) for a in got)
    offsets = starts[:, None] + np.arange(T)  # (B, T)
    want_x, want_y = tokens[offsets], tokens[offsets + 1]  # (B, T) each
    if x.shape != want_x.shape or y.shape != want_y.shape:
        return failed(
            name,
            tr(
                f"x tiene forma {x.shape} e y {y.shape}: las dos deben ser (B, T) = "
                f"({len(starts)}, {T}), una ventana de T tokens por cada inicio.",
                f"x has shape {x.shape} and y {y.shape}: both must be (B, T) = "
                f"({len(starts)}, {T}), one window of T tokens per start.",
            ),
        )
    if np.array_equal(x, want_x) and np.array_equal(y, want_y):
        return passed(
            name,
            tr(
                "y[b, t] es el token que sigue a x[b, t]: un solo paso hacia delante entrena "
                "T predicciones a la vez, cada una con todo el contexto anterior.",
                "y[b, t] is the token that follows x[b, t]: one forward trains T predictions "
                "at once, each with all the context before it.",
            ),
        )
    if np.array_equal(x, want_y) and np.array_equal(y, want_x):
        hint = ("x e y están intercambiadas.", "x and y are swapped.")
    elif np.array_equal(y, want_x):
        hint = (
            "y es igual que x: los objetivos no están desplazados. El modelo aprendería a "
            "copiar su entrada; y[b, t] debe ser el token *siguiente* a x[b, t].",
            "y equals x: the targets are not shifted. The model would learn to copy its "
            "input; y[b, t] must be the token *after* x[b, t].",
        )
    elif np.array_equal(x, want_x) and np.array_equal(y[:, 1:], want_x[:, :-1]):
        hint = (
            "y va un token hacia atrás: debe ser el siguiente, no el anterior.",
            "y is shifted one token back: it must be the next token, not the previous one.",
        )
    elif not np.array_equal(x, want_x):
        hint = (
            "x no son las ventanas tokens[s : s + T] de cada inicio s.",
            "x are not the windows tokens[s : s + T] of each start s.",
        )
    else:
        hint = ("y no es tokens[s + 1 : s + T + 1].", "y is not tokens[s + 1 : s + T + 1].")
    return failed(name, tr(*hint))


def _loss_case():
    rng = np.random.default_rng(10)
    logits = rng.standard_normal((6, 5)) * 2  # (N, V)
    targets = np.array([2, -1, 0, 4, -1, 1])  # (N,) -1: ignored
    return logits, targets


def check_masked_loss(fn) -> Feedback:
    """``fn(logits (N, V), targets (N,))`` -> the mean cross-entropy over the positions whose
    target is not -1 (nanoGPT's ``ignore_index=-1``)."""
    name = tr("pérdida con -1 ignorados", "loss with -1 ignored")
    logits, targets = _loss_case()
    got, bad = call_student(name, fn, logits.copy(), targets.copy())
    if bad is not None:
        return bad
    try:
        value = float(np.asarray(got))
    except (TypeError, ValueError):
        return failed(name, tr("devuelve un solo número.", "return a single number."))
    keep = targets != -1  # (N,)
    want = cross_entropy_forward(logits[keep], targets[keep])[0]
    if np.isclose(value, want, rtol=1e-9, atol=0):
        return passed(
            name,
            tr(
                f"pérdida {value:.6f}: la media sobre las {keep.sum()} posiciones que cuentan.",
                f"loss {value:.6f}: the mean over the {keep.sum()} positions that count.",
            ),
        )
    every = cross_entropy_forward(logits, np.where(keep, targets, logits.shape[1] - 1))[0]
    per_row = cross_entropy_forward(logits[keep], targets[keep])[0] * keep.sum()
    if np.isclose(value, every):
        hint = (
            "has usado también las posiciones con -1: en NumPy, logits[i, -1] es la *última* "
            "clase, así que -1 no da error, da una pérdida equivocada. Quita esas posiciones "
            "antes de calcular.",
            "you also used the positions marked -1: in NumPy, logits[i, -1] is the *last* "
            "class, so -1 gives no error, just a wrong loss. Drop those positions first.",
        )
    elif np.isclose(value, per_row / len(targets)):
        hint = (
            "divides entre todas las posiciones; la media es sobre las que no son -1.",
            "you divide by every position; the mean is over those that are not -1.",
        )
    elif np.isclose(value, per_row):
        hint = ("es la suma; falta dividir (la media).", "that is the sum; take the mean.")
    else:
        hint = (
            f"tu pérdida es {value:.6f}; revisa: la media de -log softmax(logits)[objetivo] "
            "sobre las posiciones cuyo objetivo no es -1.",
            f"your loss is {value:.6f}; check: the mean of -log softmax(logits)[target] over "
            "the positions whose target is not -1.",
        )
    return failed(name, tr(*hint))
