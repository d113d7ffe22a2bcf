# Solutions for lesson 03 · Masks
LANG = "en"
import numpy as np

from attnlab import exercises as ex


def my_causal_mask(T):
    # lower triangle: query i sees keys j <= i
    return np.tril(np.ones((T, T), dtype=bool))


lengths = np.array([2, 5, 3])
# position j is real if j < the length of its sequence
my_pad = np.arange(5)[None, :] < lengths[:, None]  # (B, S)
# causal (T, S) with the batch axis in front, & padding with the query axis in the middle
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
