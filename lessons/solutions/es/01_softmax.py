# Soluciones de la lección 01 · Softmax
LANG = "es"
import numpy as np

import attnlab
from attnlab import exercises as ex


def my_softmax(x):
    # restar el máximo de cada fila: ningún exponente es positivo, nada desborda
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_temperature(x, tau):
    # dividir los logits entre la temperatura antes de la softmax
    return attnlab.softmax(np.asarray(x) / tau)


def softmax_jacobian(p):
    # J = diag(p) - p p^T
    return np.diag(p) - np.outer(p, p)


def check():
    ex.set_language(LANG)
    return [
        ex.check_softmax(my_softmax),
        ex.check_softmax_temperature(softmax_temperature),
        ex.check_softmax_jacobian(softmax_jacobian),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
