# es: Soluciones de la lección 00 · Recorrido | en: Solutions for lesson 00 · Tour
# es: Ejecútalo con: python lessons/solutions/es/00_tour.py | en: Run it with: python lessons/solutions/en/00_tour.py
LANG = "en"
import numpy as np

import attnlab
from attnlab import exercises as ex

# es: Ejercicio 1: una fila por consulta (T=5) y una columna por rasgo de v (Dv=3); | en: Exercise 1: one row per query (T=5) and one column per feature of v (Dv=3);
# es: los pesos tienen una fila por consulta y una columna por clave (S=7). | en: the weights have one row per query and one column per key (S=7).
out_shape = (2, 5, 3)
weights_shape = (2, 5, 7)

# es: Ejercicio 2: autoatención causal, y = consultas = claves = valores. | en: Exercise 2: causal self-attention, y = queries = keys = values.
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
