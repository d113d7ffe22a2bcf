# es: Soluciones de la lección 10 · Decodificación | en: Solutions for lesson 10 · Decoding
LANG = "en"
import numpy as np

import attnlab
from attnlab import exercises as ex


def my_top_k(logits, k):
    # es: el k-ésimo mayor valor | en: the k-th largest value
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]
    # es: >= deja los empatados con el k-ésimo; np.where hace un array nuevo | en: >= keeps those tied with the k-th; np.where makes a new array
    return np.where(logits >= kth, logits, -np.inf)


def my_nucleus(probs, p):
    # es: (V,) de más a menos probable | en: (V,) most likely first
    order = np.argsort(-probs, kind="stable")
    # es: (V,) masa de los más probables que él | en: (V,) mass of the more likely ones
    before = np.cumsum(probs[order]) - probs[order]
    keep = np.zeros(probs.shape, dtype=bool)
    # es: se queda si, antes de él, aún no se había llegado a p (el que cruza p, también) | en: it stays if p had not been reached before it (the one that crosses p too)
    keep[order] = before < p
    return keep


def my_kv_step(q, k, v, K, V):
    # es: (H, S + 1, D) la fila nueva, al final | en: (H, S + 1, D) the new row, at the end
    K = np.concatenate([K, k[:, None]], axis=1)
    V = np.concatenate([V, v[:, None]], axis=1)  # (H, S + 1, D)
    # es: (H, S + 1) una sola fila | en: (H, S + 1) a single row
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
