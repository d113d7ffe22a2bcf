"""Checkers for lesson 12 (induction heads): the two attention scores and a head ablation."""

from __future__ import annotations

import numpy as np

from ..experiments.induction_data import RepeatTask, repeat_batch
from ..experiments.induction_scores import induction_keys, previous_token_scores, split_losses
from ..show import get_language, set_language, tr
from ._feedback import Feedback, call_student, check_array, failed, passed

__all__ = [
    "check_ablation",
    "check_induction_keys",
    "check_previous_token_score",
    "get_language",
    "set_language",
]


def _causal_maps(rng, B: int, H: int, T: int) -> np.ndarray:
    """Random causal attention maps (B, H, T, T): rows sum to 1, zero above the diagonal."""
    scores = rng.standard_normal((B, H, T, T)) * 2.0  # (B, H, T, T)
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (B, H, T, T)
    return w / w.sum(axis=-1, keepdims=True)


def check_previous_token_score(fn) -> Feedback:
    """``fn(weights)``: weights (B, H, T, T) -> (H,), the mean of w[t, t - 1] over B and t >= 1."""
    name = tr("puntuación de token anterior", "previous-token score")
    w = _causal_maps(np.random.default_rng(12), 3, 4, 7)  # (B, H, T, T)
    got, bad = call_student(name, fn, w.copy())
    if bad is not None:
        return bad
    want = previous_token_scores([w])[0]  # (H,)
    wrong = check_array(name, got, want, tr("las puntuaciones", "the scores"))
    if wrong is None:
        return passed(
            name,
            tr(
                "la subdiagonal w[t, t-1], media sobre el lote y las consultas t >= 1.",
                "the sub-diagonal w[t, t-1], averaged over the batch and the queries t >= 1.",
            ),
        )
    got = np.asarray(got, dtype=np.float64)
    if got.shape == want.shape:
        diag = np.diagonal(w, axis1=2, axis2=3).mean(axis=(0, 2))  # (H,) the token itself
        upper = np.diagonal(w, offset=1, axis1=2, axis2=3).mean(axis=(0, 2))  # (H,) all 0
        with_first = np.concatenate(  # row 0 has no previous token: counted as w[0, 0]
            [w[:, :, :1, 0], np.diagonal(w, offset=-1, axis1=2, axis2=3)], axis=-1
        ).mean(axis=(0, 2))
        if np.allclose(got, diag):
            wrong.messages.append(
                tr(
                    "eso es la diagonal w[t, t]: el propio token. El anterior está una fila "
                    "más abajo: np.diagonal(w, offset=-1, axis1=2, axis2=3).",
                    "that is the diagonal w[t, t]: the token itself. The previous one sits one "
                    "row lower: np.diagonal(w, offset=-1, axis1=2, axis2=3).",
                )
            )
        elif np.allclose(got, upper):
            wrong.messages.append(
                tr(
                    "offset=+1 lee encima de la diagonal: claves futuras, enmascaradas (todo 0).",
                    "offset=+1 reads above the diagonal: future keys, masked (all 0).",
                )
            )
        elif np.allclose(got, with_first):
            wrong.messages.append(
                tr(
                    "la consulta 0 no tiene token anterior: promedia solo t = 1 .. T-1.",
                    "query 0 has no previous token: average over t = 1 .. T-1 only.",
                )
            )
    elif got.shape in ((3, 4), (4, 6), (3, 4, 6)):
        wrong.messages.append(
            tr(
                "promedia sobre el lote y sobre las consultas: queda una puntuación por cabeza.",
                "average over the batch and over the queries: one score per head is left.",
            )
        )
    return wrong


def check_induction_keys(fn) -> Feedback:
    """``fn(idx)``: idx (T,) -> (T, T) bool, key s marked for query t when s = j + 1 with
    j < t and idx[j] == idx[t] (the key right after an earlier occurrence)."""
    name = tr("claves de inducción", "induction keys")
    idx = np.array([3, 8, 5, 3, 8, 5, 1, 3, 2])  # (T,) 3 comes three times, 8 and 5 twice
    got, bad = call_student(name, fn, idx.copy())
    if bad is not None:
        return bad
    want = induction_keys(idx[None])[0]  # (T, T)
    try:
        got_arr = np.asarray(got)
    except (TypeError, ValueError):
        got_arr = None
    if got_arr is not None and got_arr.shape == want.shape and got_arr.dtype == bool:
        if np.array_equal(got_arr, want):
            return passed(
                name,
                tr(
                    "para la consulta t, las claves justo después de cada aparición anterior "
                    "de su token: ahí está lo que vino después la última vez.",
                    "for query t, the keys right after each earlier occurrence of its token: "
                    "that is where what came next last time sits.",
                ),
            )
        T = len(idx)
        t, j = np.arange(T)[:, None], np.arange(T)[None, :]
        same = idx[:, None] == idx[None, :]  # (T, T)
        hints = []
        if np.array_equal(got_arr, same & (j < t)):
            hints.append(
                tr(
                    "marcaste la aparición anterior misma (j); la cabeza de inducción mira la "
                    "clave siguiente, j + 1.",
                    "you marked the earlier occurrence itself (j); the induction head looks at "
                    "the next key, j + 1.",
                )
            )
        loose = np.zeros((T, T), dtype=bool)
        loose[:, 1:] = (same & (j <= t))[:, :-1]
        if np.array_equal(got_arr, loose):
            hints.append(
                tr(
                    "cuenta solo apariciones anteriores, j < t (no la propia posición t).",
                    "count only earlier occurrences, j < t (not position t itself).",
                )
            )
        where = [tuple(int(v) for v in p) for p in np.argwhere(got_arr != want)[:4]]
        return failed(
            name,
            tr(
                f"las máscaras difieren en (consulta, clave) = {where}.",
                f"the masks differ at (query, key) = {where}.",
            ),
            *hints,
        )
    return failed(
        name,
        tr(
            f"devuelve una máscara booleana de forma {want.shape} (consultas x claves).",
            f"return a boolean mask of shape {want.shape} (queries x keys).",
        ),
    )


def check_ablation(fn, model) -> Feedback:
    """``fn(model, batch, layer, head)``: the in-repeat loss with that head's output zeroed
    (``head_mask``), for ``model`` (the shipped induction model in the lesson)."""
    name = tr("anular una cabeza", "ablate a head")
    L, H = model.config.n_layer, model.config.n_head
    task = RepeatTask(vocab_size=model.config.vocab_size, length=model.config.block_size)
    batch = repeat_batch(task, 16, 3)
    for layer, head in ((0, 1), (L - 1, H - 1)):
        got, bad = call_student(name, fn, model, batch, layer, head)
        if bad is not None:
            return bad
        mask = np.ones((L, H))
        mask[layer, head] = 0.0
        want = split_losses(model, batch, head_mask=mask)[0]
        try:
            value = float(got)
        except (TypeError, ValueError):
            return failed(
                name,
                tr("devuelve un número: la pérdida media.", "return a number: the mean loss."),
            )
        if abs(value - want) <= 1e-6 * max(1.0, abs(want)):
            continue
        whole = np.ones((L, H))
        whole[layer] = 0.0
        hints = {
            split_losses(model, batch, head_mask=whole)[0]: tr(
                "anulaste la capa entera; pon a 0 solo head_mask[layer, head].",
                "you zeroed the whole layer; set only head_mask[layer, head] to 0.",
            ),
            split_losses(model, batch)[0]: tr(
                "esa es la pérdida sin anular nada: ¿pasaste head_mask al modelo?",
                "that is the loss with nothing ablated: did you pass head_mask to the model?",
            ),
            float(model(batch.idx, batch.targets, head_mask=mask)[1]): tr(
                "esa es la pérdida de todos los tokens; promedia solo donde batch.in_repeat.",
                "that is the loss over every token; average only where batch.in_repeat.",
            ),
        }
        hint = [h for v, h in hints.items() if abs(value - v) <= 1e-6 * max(1.0, abs(v))]
        return failed(
            name,
            tr(
                f"capa {layer}, cabeza {head}: obtuviste {value:.4f} y es {want:.4f}.",
                f"layer {layer}, head {head}: you got {value:.4f}, it is {want:.4f}.",
            ),
            *hint,
        )
    return passed(
        name,
        tr(
            "head_mask multiplica la salida de cada cabeza: un 0 la quita del flujo residual.",
            "head_mask multiplies each head's output: a 0 removes it from the residual stream.",
        ),
    )
