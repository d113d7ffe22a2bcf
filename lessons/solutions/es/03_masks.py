# Soluciones de la lección 03 · Máscaras
LANG = "es"
import numpy as np

from attnlab import exercises as ex


def my_causal_mask(T):
    # triangular inferior: la consulta i ve las claves j <= i
    return np.tril(np.ones((T, T), dtype=bool))


lengths = np.array([2, 5, 3])
# la posición j es real si j < longitud de su secuencia
my_pad = np.arange(5)[None, :] < lengths[:, None]  # (B, S)
# causal (T, S) con el eje del lote delante, & relleno con el eje de consultas en medio
my_both = my_causal_mask(5)[None, :, :] & my_pad[:, None, :]  # (B, T, S)


def check():
    ex.set_language(LANG)
    return [
        ex.check_causal_mask(my_causal_mask),
        ex.check_padding_mask(my_pad, [2, 5, 3], max_len=5),
        ex.check_combined_mask(my_both, [2, 5, 3], T=5),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
