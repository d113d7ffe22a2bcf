# Soluciones de la lección 10 · Decodificación
LANG = "es"
import numpy as np

import attnlab
from attnlab import exercises as ex


def my_top_k(logits, k):
    # el k-ésimo mayor valor
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]
    # >= deja los empatados con el k-ésimo; np.where hace un array nuevo
    return np.where(logits >= kth, logits, -np.inf)


def my_nucleus(probs, p):
    # (V,) de más a menos probable
    order = np.argsort(-probs, kind="stable")
    # (V,) masa de los más probables que él
    before = np.cumsum(probs[order]) - probs[order]
    keep = np.zeros(probs.shape, dtype=bool)
    # se queda si, antes de él, aún no se había llegado a p (el que cruza p, también)
    keep[order] = before < p
    return keep


def my_kv_step(q, k, v, K, V):
    # (H, S + 1, D) la fila nueva, al final
    K = np.concatenate([K, k[:, None]], axis=1)
    V = np.concatenate([V, v[:, None]], axis=1)  # (H, S + 1, D)
    # (H, S + 1) una sola fila
    scores = np.einsum("hd,hsd->hs", q, K) / np.sqrt(q.shape[-1])
    out = np.einsum("hs,hsd->hd", attnlab.softmax(scores), V)  # (H, D)
    return out, K, V


def check():
    ex.set_language(LANG)
    return [
        ex.check_top_k(my_top_k),
        ex.check_nucleus(my_nucleus),
        ex.check_kv_step(my_kv_step),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
