"""One call from a synthetic book to train / validation / test windows, the TLOB way."""

from __future__ import annotations

from typing import NamedTuple

from .labels import mid_price, tlob_labels
from .synthetic import synthetic_lob
from .windows import Windows, ZScore, chronological_split


class LOBDataset(NamedTuple):
    train: Windows
    val: Windows
    test: Windows
    alphas: tuple  # the labelling threshold of each split (None: labels came with the data)
    zscore: ZScore  # fitted on the training events only


def split_and_window(
    book, seq_size: int, horizon: int, k: int | None = None, fractions=(0.7, 0.15, 0.15)
) -> LOBDataset:
    """Split events in time order, label each split on its own (its own alpha), z-score every
    split with the training statistics, and cut windows inside each split.

    ``fractions`` are the (train, validation, test) shares of the events, in that order.
    """
    if isinstance(fractions, (str, bytes)) or not hasattr(fractions, "__len__"):
        raise TypeError(f"fractions must be three numbers (train, val, test), got {fractions!r}")
    if len(fractions) != 3:
        raise ValueError(
            f"fractions must be three numbers (train, val, test), got {len(fractions)}: "
            f"{tuple(fractions)}"
        )
    parts = [book[s] for s in chronological_split(len(book), fractions)]
    zscore = ZScore.fit(parts[0])
    sets, alphas = [], []
    for part in parts:
        labels, alpha = tlob_labels(mid_price(part), horizon, k)  # labels from raw prices
        sets.append(Windows(zscore(part), labels, seq_size))
        alphas.append(alpha)
    return LOBDataset(*sets, alphas=tuple(alphas), zscore=zscore)


def make_dataset(
    n_events: int = 60000,
    seq_size: int = 32,
    horizon: int = 10,
    k: int | None = None,
    seed: int = 0,
    fractions=(0.7, 0.15, 0.15),
    **generator,
) -> LOBDataset:
    """Synthetic book (:func:`synthetic_lob`, ``seed`` and ``generator`` options) -> splits."""
    lob = synthetic_lob(n_events, seed=seed, **generator)
    return split_and_window(lob.book, seq_size, horizon, k, fractions)
