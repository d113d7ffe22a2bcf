# es: Soluciones de la lección 05 · Atención multicabeza | en: Solutions for lesson 05 · Multi-head attention
LANG = "en"

from attnlab import exercises as ex


def my_split_heads(x, H):
    B, T, E = x.shape
    # es: primero (B, T, H, D): cada fila se parte en H trozos; luego las cabezas delante de T | en: first (B, T, H, D): each row is cut into H pieces; then heads in front of T
    return x.reshape(B, T, H, E // H).transpose(0, 2, 1, 3)  # (B, H, T, D)


def my_merge_heads(x):
    B, H, T, D = x.shape
    return x.transpose(0, 2, 1, 3).reshape(B, T, H * D)  # (B, T, E)


def count_params(E, H, bias):
    # es: in_proj (3E x E) + out_proj (E x E), y sus sesgos 3E + E; H no aparece | en: in_proj (3E x E) + out_proj (E x E), and their biases 3E + E; H does not appear
    return 4 * E * E + (4 * E if bias else 0)


def split_in_proj(w):
    # es: torch apila W_q, W_k, W_v por filas | en: torch stacks W_q, W_k, W_v by rows
    E = w.shape[1]
    return w[:E], w[E : 2 * E], w[2 * E :]


def check():
    ex.set_language(LANG)
    return [
        ex.check_split_heads(my_split_heads),
        ex.check_merge_heads(my_merge_heads),
        ex.check_mha_param_count(count_params),
        ex.check_in_proj_split(split_in_proj),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
