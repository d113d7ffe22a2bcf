# Solutions for lesson 00 · Tour
# Run it with: python lessons/solutions/en/00_tour.py
LANG = "en"
import numpy as np

import attnlab
from attnlab import exercises as ex

# Exercise 1: one row per query (T=5) and one column per feature of v (Dv=3);
# the weights have one row per query and one column per key (S=7).
out_shape = (2, 5, 3)
weights_shape = (2, 5, 7)

# Exercise 2: causal self-attention, y = queries = keys = values.
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
