# Soluciones de la lección 00 · Recorrido
# Ejecútalo con: python lessons/solutions/es/00_tour.py
LANG = "es"
import numpy as np

import attnlab
from attnlab import exercises as ex

# Ejercicio 1: una fila por consulta (T=5) y una columna por rasgo de v (Dv=3);
# los pesos tienen una fila por consulta y una columna por clave (S=7).
out_shape = (2, 5, 3)
weights_shape = (2, 5, 7)

# Ejercicio 2: autoatención causal, y = consultas = claves = valores.
y = np.random.default_rng(0).standard_normal((6, 4))  # (T, D)
_, my_weights = attnlab.scaled_dot_product_attention(y, y, y, is_causal=True)


def check():
    ex.set_language(LANG)
    return [
        ex.check_attention_shapes(out_shape, weights_shape),
        ex.check_causal_weights(my_weights, y),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
