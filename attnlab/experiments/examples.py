"""Example data the gallery draws: a stretch of the synthetic order book and TLOB's labels.

Computed from a fixed seed, once, and shared by both languages. (The attention figures draw a
trained model: :mod:`attnlab.experiments.gpt_maps`.)
"""

from __future__ import annotations

import functools

SEED = 0


@functools.lru_cache(maxsize=1)
def example_book(n_events: int = 600, horizon: int = 10):
    """A short stretch of the synthetic order book and TLOB's labels: ``(lob, labels, horizon)``."""
    from ..data import synthetic_lob, tlob_labels

    lob = synthetic_lob(n_events, seed=SEED)
    labels, _ = tlob_labels(lob.mid, horizon)  # (N - h - k + 1,)
    return lob, labels, horizon
