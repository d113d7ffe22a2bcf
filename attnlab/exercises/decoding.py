"""Checkers for lesson 10 (decoding): top-k filtering, the nucleus of top-p, and one step of
attention over a KV cache."""

from __future__ import annotations

import numpy as np

from ..decoding import probabilities
from ..functional import attention_forward
from ..i18n import tr
from ._feedback import Feedback, call_student, check_array, failed, passed, same

# logits with a tie at the 3rd largest value (2.0 twice): top-3 keeps four tokens
TIED = np.array([0.5, 2.0, -1.0, 3.0, 2.0, 1.5, -3.0, 4.0])
K_TIED = 3


def _top_k_reference(logits: np.ndarray, k: int) -> np.ndarray:
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]  # the k-th largest value
    return np.where(logits >= kth, logits, -np.inf)  # (V,) ties at the k-th value stay


def check_top_k(fn) -> Feedback:
    """``fn(logits (V,), k)`` -> logits (V,) with ``-inf`` for every token outside the k largest
    (tokens tied with the k-th largest stay); the argument is not modified."""
    name = "top-k"
    cases = [(TIED, K_TIED), (TIED, 1), (TIED, 20), (np.array([1.0, 1.0, 1.0]), 2)]
    for logits, k in cases:
        given = logits.copy()
        got, bad = call_student(name, fn, given, k)
        if bad is not None:
            return bad
        if not np.array_equal(given, logits):
            return failed(
                name,
                tr(
                    "tu función ha cambiado los logits que recibió: devuelve un array nuevo "
                    "(quien te llama puede necesitar los originales).",
                    "your function changed the logits it was given: return a new array (the "
                    "caller may still need the originals).",
                ),
            )
        want = _top_k_reference(logits, k)  # (V,)
        arr = np.asarray(got, dtype=np.float64) if np.shape(got) == logits.shape else None
        if arr is not None and np.array_equal(arr, want):
            continue
        if arr is None:
            return failed(
                name,
                tr(
                    f"devuelve un array de forma {logits.shape}.",
                    f"return an array of shape {logits.shape}.",
                ),
            )
        kept = np.isfinite(arr) & (arr == logits)  # (V,) tokens that keep their own logit
        wanted = np.isfinite(want)  # (V,)
        smallest = logits <= np.sort(logits)[min(k, logits.size) - 1]  # (V,)
        if np.allclose(arr.sum(), 1.0) and (arr >= 0).all():
            hint = (
                "has devuelto probabilidades; el ejercicio pide los logits filtrados (-inf "
                "donde el token queda fuera): la softmax viene después.",
                "you returned probabilities; the exercise asks for the filtered logits (-inf "
                "where a token is removed): softmax comes afterwards.",
            )
        elif np.array_equal(kept, smallest) and not np.array_equal(kept, wanted):
            hint = ("te quedas con los k más pequeños.", "you keep the k smallest.")
        elif np.array_equal(kept, wanted):
            hint = (
                "eliges bien los tokens, pero los que no quedan deben valer -inf (con 0 "
                "aún tendrían probabilidad).",
                "you pick the right tokens, but the removed ones must be -inf (with 0 they "
                "would still have a probability).",
            )
        elif kept.sum() == min(k, logits.size) and kept.sum() < wanted.sum():
            hint = (
                f"con logits {logits.tolist()} y k = {k} te quedas con exactamente {k} tokens, "
                f"pero hay un empate en el k-ésimo valor: los tokens empatados se quedan todos "
                f"(como en nanoGPT y en attnlab: compara con el k-ésimo mayor valor); si no, el "
                f"resultado dependería del orden de los ids.",
                f"with logits {logits.tolist()} and k = {k} you keep exactly {k} tokens, but "
                f"there is a tie at the k-th value: tied tokens all stay (as in nanoGPT and "
                f"attnlab: compare with the k-th largest value); otherwise the result would "
                f"depend on the order of the ids.",
            )
        else:
            hint = (
                f"con logits {logits.tolist()} y k = {k}, te quedas con los tokens "
                f"{np.flatnonzero(kept).tolist()}.",
                f"with logits {logits.tolist()} and k = {k}, you keep tokens "
                f"{np.flatnonzero(kept).tolist()}.",
            )
        return failed(name, tr(*hint))
    return passed(
        name,
        tr(
            "quitas todo lo que queda por debajo del k-ésimo logit, empates incluidos; "
            "attnlab.decoding.probabilities hace esto antes de la softmax.",
            "you remove everything below the k-th logit, ties included; "
            "attnlab.decoding.probabilities does this before its softmax.",
        ),
    )


def _nucleus_reference(probs: np.ndarray, p: float) -> np.ndarray:
    return probabilities(np.log(probs), top_p=p) > 0  # (V,) attnlab's nucleus


NUCLEUS_CASES = [
    (np.array([0.05, 0.4, 0.1, 0.3, 0.15]), 0.75),  # 0.4 + 0.3 = 0.7 < 0.75: 0.15 crosses
    (np.array([0.05, 0.4, 0.1, 0.3, 0.15]), 0.7),  # reaches exactly 0.7 with two tokens
    (np.array([0.6, 0.25, 0.1, 0.05]), 0.3),  # the first token alone passes 0.3
    (np.array([0.6, 0.25, 0.1, 0.05]), 1.0),  # everything
]


def check_nucleus(fn) -> Feedback:
    """``fn(probs (V,), p)`` -> boolean (V,): the smallest set of most likely tokens whose
    probabilities add up to at least ``p`` (the token that crosses p is in it)."""
    name = tr("núcleo (top-p)", "nucleus (top-p)")
    for probs, p in NUCLEUS_CASES:
        got, bad = call_student(name, fn, probs.copy(), p)
        if bad is not None:
            return bad
        want = _nucleus_reference(probs, p)
        arr = np.asarray(got)
        if arr.shape != probs.shape or arr.dtype != bool:
            return failed(
                name,
                tr(
                    f"devuelve un array booleano de forma {probs.shape} (True = el token "
                    f"se queda); recibí {arr.dtype} {arr.shape}.",
                    f"return a boolean array of shape {probs.shape} (True = the token stays); "
                    f"got {arr.dtype} {arr.shape}.",
                ),
            )
        if np.array_equal(arr, want):
            continue
        order = np.argsort(-probs, kind="stable")
        before = np.cumsum(probs[order]) - probs[order]  # mass of the more likely ones
        crossing_dropped = np.zeros_like(want)
        crossing_dropped[order] = np.cumsum(probs[order]) < p - 1e-12
        in_id_order = np.cumsum(probs) - probs < p
        where = f"probs = {probs.tolist()}, p = {p}"
        if np.array_equal(arr, crossing_dropped):
            hint = (
                f"con {where} te falta el token que cruza p: el núcleo es el conjunto más "
                f"pequeño cuya suma *llega* a p, así que el token con el que la suma pasa de p "
                f"se queda (y al menos un token siempre).",
                f"with {where} the token that crosses p is missing: the nucleus is the smallest "
                f"set whose sum *reaches* p, so the token that takes the sum past p stays (and "
                f"at least one token always does).",
            )
        elif np.array_equal(arr, in_id_order):
            hint = (
                f"con {where} sumas en el orden de los ids; primero ordena de más a menos "
                f"probable.",
                f"with {where} you add up in the order of the ids; sort from most to least "
                f"likely first.",
            )
        elif not arr.any():
            hint = (f"con {where} no queda ningún token.", f"with {where} no token is left.")
        else:
            hint = (
                f"con {where} te quedas con {np.flatnonzero(arr).tolist()}; mira la suma de "
                f"los más probables (antes de cada token: {np.round(before, 3).tolist()}).",
                f"with {where} you keep {np.flatnonzero(arr).tolist()}; look at the sum of the "
                f"more likely ones (before each token: {np.round(before, 3).tolist()}).",
            )
        return failed(name, tr(*hint))
    return passed(
        name,
        tr(
            "el núcleo crece o se encoge con la confianza del modelo: pocos tokens cuando está "
            "seguro, muchos cuando duda (top-k siempre se queda con k).",
            "the nucleus grows or shrinks with the model's confidence: few tokens when it is "
            "sure, many when it hesitates (top-k always keeps k).",
        ),
    )


def _kv_case(S: int):
    rng = np.random.default_rng(20 + S)
    H, D = 2, 4
    q, k, v = (rng.standard_normal((H, D)) for _ in range(3))  # (H, D) the new token's
    K, V = rng.standard_normal((H, S, D)), rng.standard_normal((H, S, D))  # (H, S, D) cache
    return q, k, v, K, V


def check_kv_step(fn) -> Feedback:
    """``fn(q, k, v, K, V)`` -> (out (H, D), K' (H, S + 1, D), V' (H, S + 1, D)): append the
    new token's key and value to the cache, then attend with its one query over all of them."""
    name = tr("un paso con caché KV", "one KV-cache step")
    for S in (3, 0):
        q, k, v, K, V = _kv_case(S)
        got, bad = call_student(name, fn, q.copy(), k.copy(), v.copy(), K.copy(), V.copy())
        if bad is not None:
            return bad
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            return failed(name, tr("devuelve (out, K, V).", "return (out, K, V)."))
        out, K2, V2 = got
        want_K = np.concatenate([K, k[:, None]], axis=1)  # (H, S + 1, D)
        want_V = np.concatenate([V, v[:, None]], axis=1)  # (H, S + 1, D)
        want, _ = attention_forward(q[:, None], want_K, want_V)  # (H, 1, D)
        want = want[:, 0]  # (H, D)
        for label, g, w in (("K", K2, want_K), ("V", V2, want_V)):
            if same(g, w, rtol=1e-10):
                continue
            if same(g, np.concatenate([w[:, -1:], w[:, :-1]], axis=1)):
                return failed(
                    name,
                    tr(
                        f"{label}: la fila nueva va al final (posición S), no al principio.",
                        f"{label}: the new row goes at the end (position S), not at the start.",
                    ),
                )
            return failed(
                name,
                tr(
                    f"{label} debe ser la caché con la fila del token nuevo añadida al final: "
                    f"forma (H, S + 1, D) = {w.shape}.",
                    f"{label} must be the cache with the new token's row appended at the end: "
                    f"shape (H, S + 1, D) = {w.shape}.",
                ),
            )
        wrong = check_array(name, out, want, "out", rtol=1e-10)
        if wrong is None:
            continue
        if S and same(out, attention_forward(q[:, None], K, V)[0][:, 0]):
            wrong.messages.append(
                tr(
                    "atiendes solo a la caché antigua: el token nuevo también se ve a sí mismo "
                    "(añade k y v antes de atender).",
                    "you attend to the old cache only: the new token also sees itself (append k "
                    "and v before attending).",
                )
            )
        elif same(out, attention_forward(q[:, None], want_K, want_V, scale=1.0)[0][:, 0]):
            wrong.messages.append(
                tr(
                    "falta la escala 1/sqrt(D) en las puntuaciones.",
                    "the scores are missing the 1/sqrt(D) scale.",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "una consulta contra S + 1 claves: el coste del paso crece con S, no con S², y "
            "nada de lo ya calculado se repite (también vale con la caché vacía, S = 0).",
            "one query against S + 1 keys: the step's cost grows with S, not S², and nothing "
            "already computed is redone (it also works with an empty cache, S = 0).",
        ),
    )
