# es: Soluciones de la lección 11 · Posiciones que giran y posiciones que se desvanecen | en: Solutions for lesson 11 · Positions that rotate and positions that fade
LANG = "en"
import numpy as np

from attnlab import exercises as ex


def shift_rotation(omega, k):
    # sin(a + b) = sin a cos b + cos a sin b;  cos(a + b) = cos a cos b − sin a sin b
    c, s = np.cos(omega * k), np.sin(omega * k)
    return np.array([[c, s], [-s, c]])  # es: actúa sobre (sin, cos) | en: acts on (sin, cos)


def my_rope(x, positions):
    T, D = x.shape
    h = D // 2
    theta = 10000.0 ** (-np.arange(0, D, 2) / D)  # (D/2,)
    angle = np.asarray(positions, dtype=np.float64)[:, None] * theta  # (T, D/2)
    cos, sin = np.cos(angle), np.sin(angle)
    x1, x2 = x[:, :h], x[:, h:]  # es: el par (x_i, x_{i+D/2}) | en: the pair (x_i, x_{i+D/2})
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=1)  # (T, D)


def my_slopes(H):
    def power_of_two(n):
        start = 2.0 ** (-8.0 / n)
        return [start * start**i for i in range(n)]

    # es: la potencia de dos que no pasa de H | en: the power of two at or below H
    n = 2 ** int(np.floor(np.log2(H)))
    slopes = power_of_two(n)
    # es: completar con los índices pares de 2n | en: fill in with the even indices of 2n
    slopes += power_of_two(2 * n)[0::2][: H - n]
    return np.array(slopes)


def check():
    ex.set_language(LANG)
    return [
        ex.check_shift_rotation(shift_rotation),
        ex.check_rope(my_rope),
        ex.check_alibi_slopes(my_slopes),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
