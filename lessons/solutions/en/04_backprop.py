# Solutions for lesson 04 · Backprop by hand
LANG = "en"
import numpy as np
from scipy.special import erf

import attnlab
from attnlab import exercises as ex


def my_softmax_backward(dout, p):
    # J^T dout = p * (dout - <dout, p>), row by row
    return p * (dout - np.sum(dout * p, axis=-1, keepdims=True))


def my_attention_backward(dout, q, k, v):
    scale = 1.0 / np.sqrt(q.shape[-1])
    # redo the forward pass
    weights = attnlab.softmax(q @ k.T * scale)  # (T, S)
    # out = weights @ v
    dweights = dout @ v.T  # (T, S)
    dv = weights.T @ dout  # (S, Dv)
    # weights = softmax(scores)
    dscores = my_softmax_backward(dweights, weights)  # (T, S)
    # scores = q @ k.T * scale
    dq = dscores @ k * scale  # (T, D)
    dk = dscores.T @ q * scale  # (S, D)
    return dq, dk, dv


def my_gelu_backward(dout, x):
    # Φ(x), the normal CDF, and φ(x), its density
    cdf = (1 + erf(x / np.sqrt(2))) / 2
    pdf = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    # GELU(x) = x Φ(x): product rule, Φ' = φ
    return dout * (cdf + x * pdf)


def check():
    ex.set_language(LANG)
    return [
        ex.check_softmax_backward(my_softmax_backward),
        ex.check_attention_backward(my_attention_backward),
        ex.check_gelu_backward(my_gelu_backward),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
