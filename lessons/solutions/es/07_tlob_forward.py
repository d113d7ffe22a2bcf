# Soluciones de la lección 07 · El paso hacia delante de TLOB
LANG = "es"
import numpy as np

from attnlab import exercises as ex


def map_shapes(B, T, E, num_layers):
    shapes = []
    for i in range(num_layers):
        last = i == num_layers - 1
        # capa temporal: los tokens son los T instantes
        shapes.append((B, 1, T, T))
        # capa de rasgos: los tokens son los rasgos que dejó la capa anterior (E, o E//4 al final)
        n = E // 4 if last else E
        shapes.append((B, 1, n, n))
    return shapes


def temporal_zscore(x):
    # por rasgo (fila), sobre el tiempo (axis=1), con ddof=1 como torch.std
    mu = x.mean(axis=1, keepdims=True)  # (F, 1)
    s = x.std(axis=1, ddof=1, keepdims=True)  # (F, 1)
    # la guarda de BiN para rasgos constantes
    s = np.where(s < 1e-4, 1.0, s)
    return (x - mu) / s


def check():
    ex.set_language(LANG)
    return [ex.check_tlob_map_shapes(map_shapes), ex.check_bin_temporal(temporal_zscore)]


if __name__ == "__main__":
    for result in check():
        print(result)
