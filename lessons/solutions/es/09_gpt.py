# Soluciones de la lección 09 · Un GPT con las piezas que ya construiste
LANG = "es"
import numpy as np

from attnlab import exercises as ex


def my_embedding_backward(dout, ids, V):
    dweight = np.zeros((V, dout.shape[-1]), dtype=dout.dtype)  # (V, E)
    # una posición cada vez: un id repetido recibe la suma de sus filas (dweight[ids] += dout no lo haría)
    for i, row in zip(ids.reshape(-1), dout.reshape(-1, dout.shape[-1]), strict=True):
        dweight[i] += row  # (E,)
    return dweight


def my_batch(tokens, starts, T):
    offsets = starts[:, None] + np.arange(T)  # (B, T)
    # y es x un token más tarde: el siguiente de cada posición
    return tokens[offsets], tokens[offsets + 1]


def my_loss(logits, targets):
    keep = targets != -1  # (N,) -1 no cuenta
    z = logits[keep]  # (n, V)
    z = z - z.max(axis=1, keepdims=True)  # sin desbordamiento
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))  # (n, V)
    return -log_probs[np.arange(len(z)), targets[keep]].mean()


def check():
    ex.set_language(LANG)
    return [
        ex.check_embedding_backward(my_embedding_backward),
        ex.check_shifted_batch(my_batch),
        ex.check_masked_loss(my_loss),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
