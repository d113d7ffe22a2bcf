"""The computations behind the pictures and lessons that are more than drawing: example layers,
small trainings, and the shipped trained results the gallery draws (NumPy only).

:mod:`attnlab.viz` only plots the arrays these return; :mod:`attnlab.gallery` wires the two.
"""

from .examples import example_book, example_layer, example_stack
from .positions import (
    LearnedPositions,
    save_learned_positions,
    shipped_learned_positions,
    train_learnable_positions,
)
from .small_tlob import tlob_run, train_small_tlob

__all__ = [
    "LearnedPositions",
    "example_book",
    "example_layer",
    "example_stack",
    "save_learned_positions",
    "shipped_learned_positions",
    "tlob_run",
    "train_learnable_positions",
    "train_small_tlob",
]
