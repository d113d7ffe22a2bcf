"""What the heads of a trained model do, in numbers: two attention scores, losses, ablations.

    previous-token score of a head   mean over queries t >= 1 of w[t, t - 1]
    induction score of a head        mean over queries inside a repeat of the weight on the
                                     keys right after the earlier occurrences of the query's
                                     token: sum of w[t, j + 1] over j < t with x[j] = x[t]

A previous-token head scores 1 on the first; an induction head scores 1 on the second
(Olsson et al., 2022, "In-context Learning and Induction Heads"). Scores describe attention
weights only; the ablation (zeroing one head's output with ``head_mask``) says whether the
model's predictions depend on that head.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array
from ..decoding.context import check_model
from .induction_data import check_batch

GROUP = 0.5  # heads scoring at least this much are ablated together in ``measure``


def check_maps(maps) -> list[np.ndarray]:
    """``maps`` (one (B, H, T, T) array per layer, all of one shape) as float arrays."""
    if isinstance(maps, np.ndarray) and maps.ndim == 4:
        maps = [maps]  # one layer passed on its own
    try:
        maps = [as_float_array(w, f"maps[{i}]") for i, w in enumerate(maps)]
    except TypeError as err:
        if "maps[" in str(err):
            raise
        raise TypeError(
            f"maps must be a list of (B, H, T, T) arrays (model.attention_maps), got "
            f"{type(maps).__name__}"
        ) from None
    if not maps:
        raise ValueError("maps must hold one (B, H, T, T) array per layer, got none")
    for i, w in enumerate(maps):
        if w.ndim != 4 or w.shape[2] != w.shape[3] or w.shape != maps[0].shape:
            raise ValueError(
                f"maps[{i}] must have shape (B, H, T, T) like maps[0] {maps[0].shape}, "
                f"got {w.shape}"
            )
    return maps


def previous_token_scores(maps) -> np.ndarray:
    """(n_layer, H) scores from ``model.attention_maps`` (one (B, H, T, T) array per layer).

    Raises ValueError for maps of the wrong shape or with T < 2 (no query has a previous token).
    """
    maps = check_maps(maps)
    if maps[0].shape[2] < 2:
        raise ValueError(
            f"the previous-token score needs T >= 2 (query t looks at t - 1), got maps of "
            f"shape {maps[0].shape}"
        )
    return np.stack(
        [np.diagonal(w, offset=-1, axis1=2, axis2=3).mean(axis=(0, 2)) for w in maps]
    )  # (L, H)


def induction_keys(idx) -> np.ndarray:
    """(B, T, T) bool: key s is right after an earlier occurrence of query t's token
    (s = j + 1 with j < t and idx[j] == idx[t])."""
    idx = np.asarray(idx)
    B, T = idx.shape
    t, j = np.arange(T)[:, None], np.arange(T)[None, :]  # (T, 1), (1, T)
    earlier = (idx[:, :, None] == idx[:, None, :]) & (j < t)  # (B, T, T) [t, j]: x[j] = x[t]
    keys = np.zeros((B, T, T), dtype=bool)  # (B, T, T)
    keys[:, :, 1:] = earlier[:, :, :-1]  # the key right after each earlier occurrence
    return keys


def induction_scores(maps, idx, queries) -> np.ndarray:
    """(n_layer, H): mean weight on :func:`induction_keys` over the ``queries`` (B, T) bool.

    ``idx`` (B, T) are the token ids the maps were computed on. Raises TypeError /
    ValueError for shapes that disagree with the maps, non-bool queries, or no query.
    """
    maps = check_maps(maps)
    B, _, T, _ = maps[0].shape
    idx, queries = np.asarray(idx), np.asarray(queries)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"idx must hold integer token ids, got dtype {idx.dtype}")
    if queries.dtype != bool:  # an int array would index positions, not select them
        raise TypeError(f"queries must be a bool array (B, T), got dtype {queries.dtype}")
    for name, arr in (("idx", idx), ("queries", queries)):
        if arr.shape != (B, T):
            raise ValueError(
                f"{name} must have shape (B, T) = {(B, T)} to match maps {maps[0].shape}, "
                f"got {arr.shape}"
            )
    keys = induction_keys(idx)  # (B, T, T)
    if not queries.any():
        raise ValueError("no query to score: queries is all False")
    scores = []
    for w in maps:  # (B, H, T, T)
        mass = (w * keys[:, None]).sum(axis=-1)  # (B, H, T) weight on the induction keys
        scores.append(mass.transpose(1, 0, 2)[:, queries].mean(axis=1))  # (H,) over the queries
    return np.stack(scores)  # (L, H)


def token_losses(logits, targets) -> np.ndarray:
    """(B, T) cross-entropy of each target under ``logits`` (B, T, V), in nats."""
    z = logits - logits.max(axis=-1, keepdims=True)  # (B, T, V) stable
    log_norm = np.log(np.exp(z).sum(axis=-1))  # (B, T)
    picked = np.take_along_axis(z, targets[..., None], axis=-1)[..., 0]  # (B, T)
    return log_norm - picked


def split_losses(model, batch, head_mask=None) -> tuple[float, float]:
    """``(in-repeat loss, other loss)`` of ``model`` on a :class:`RepeatBatch` (mean nats)."""
    logits, _ = model(batch.idx, head_mask=head_mask)  # (B, T, V)
    losses = token_losses(logits.astype(np.float64), batch.targets)  # (B, T)
    return float(losses[batch.in_repeat].mean()), float(losses[~batch.in_repeat].mean())


def measure(model, batch) -> dict:
    """Every number the experiment reports for ``model`` on ``batch`` (a RepeatBatch):

    ``loss_repeat``, ``loss_other``, ``previous_token`` and ``induction`` scores (L, H) as
    lists; ``ablation``: the in-repeat loss with each head zeroed in turn (L, H);
    ``ablation_layer``: with each whole layer zeroed (L,); ``ablation_group``: with every head
    scoring at least ``GROUP`` zeroed together, previous-token heads of layer 0 and induction
    heads of the last layer (``None`` when no head scores that much).
    Raises TypeError / ValueError for a model that is not a GPT or a batch that is not a
    :class:`RepeatBatch` the model can read.
    """
    check_model(model)
    batch = check_batch(batch)
    model.check_idx(batch.targets, "batch.targets")
    loss_repeat, loss_other = split_losses(model, batch)
    maps = model.attention_maps
    prev = previous_token_scores(maps)  # (L, H)
    ind = induction_scores(maps, batch.idx, batch.in_repeat)  # (L, H)
    L, H = prev.shape
    ablation = np.zeros((L, H))  # (L, H)
    for layer in range(L):
        for head in range(H):
            mask = np.ones((L, H))
            mask[layer, head] = 0.0
            ablation[layer, head] = split_losses(model, batch, head_mask=mask)[0]
    layers = []
    for layer in range(L):
        mask = np.ones((L, H))
        mask[layer] = 0.0
        layers.append(split_losses(model, batch, head_mask=mask)[0])
    group = {}
    for kind, layer, scores in (("previous_token", 0, prev), ("induction", L - 1, ind)):
        strong = scores[layer] >= GROUP  # (H,)
        mask = np.ones((L, H))
        mask[layer, strong] = 0.0
        group[kind] = split_losses(model, batch, head_mask=mask)[0] if strong.any() else None
    return dict(
        loss_repeat=loss_repeat,
        loss_other=loss_other,
        previous_token=prev.tolist(),
        induction=ind.tolist(),
        ablation=ablation.tolist(),
        ablation_layer=layers,
        ablation_group=group,
    )
