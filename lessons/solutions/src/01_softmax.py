# es: Soluciones de la lección 01 · Softmax | en: Solutions for lesson 01 · Softmax
LANG = "en"
import numpy as np

import attnlab
from attnlab import exercises as ex


def my_softmax(x):
    # es: restar el máximo de cada fila: ningún exponente es positivo, nada desborda | en: subtract each row's maximum: no exponent is positive, nothing overflows
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_temperature(x, tau):
    # es: dividir los logits entre la temperatura antes de la softmax | en: divide the logits by the temperature before the softmax
    return attnlab.softmax(np.asarray(x) / tau)


def softmax_jacobian(p):
    # es: J = diag(p) - p p^T | en: J = diag(p) - p p^T
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
