# Solutions for lesson 12 · What heads learn
LANG = "en"

import numpy as np

from attnlab.exercises import induction as ex
from attnlab.experiments import load_induction_model
from attnlab.experiments.induction_scores import token_losses


def my_previous_token_score(w):
    # the sub-diagonal: query t, key t - 1, for t = 1 .. T-1
    below = np.diagonal(w, offset=-1, axis1=2, axis2=3)  # (B, H, T - 1)
    return below.mean(axis=(0, 2))  # (H,)


def my_induction_keys(idx):
    T = len(idx)
    t, j = np.arange(T)[:, None], np.arange(T)[None, :]
    earlier = (idx[:, None] == idx[None, :]) & (j < t)  # (T, T) [t, j]: x[j] = x[t], j < t
    keys = np.zeros((T, T), dtype=bool)
    # the key right after each earlier occurrence
    keys[:, 1:] = earlier[:, :-1]
    return keys


def my_ablated_loss(model, batch, layer, head):
    mask = np.ones((model.config.n_layer, model.config.n_head))
    mask[layer, head] = 0.0  # only that head
    logits, _ = model(batch.idx, head_mask=mask)  # (B, T, V)
    losses = token_losses(logits, batch.targets)  # (B, T)
    return float(losses[batch.in_repeat].mean())


def check():
    ex.set_language(LANG)
    model, _ = load_induction_model()
    return [
        ex.check_previous_token_score(my_previous_token_score),
        ex.check_induction_keys(my_induction_keys),
        ex.check_ablation(my_ablated_loss, model),
    ]


if __name__ == "__main__":
    for result in check():
        print(result)
