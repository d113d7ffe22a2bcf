"""The computations behind the pictures and lessons that are more than drawing: example layers,
small trainings, and the shipped trained results the gallery draws (NumPy only).

:mod:`attnlab.viz` only plots the arrays these return; :mod:`attnlab.gallery` wires the two.
"""

from . import gpt_maps, induction_train
from .examples import example_book
from .gpt_maps import SentenceAttention, gpt_sentence_attention
from .induction_data import RepeatBatch, RepeatTask, repeat_batch
from .induction_model import InductionProbe, induction_probe, load_induction_model
from .induction_scores import induction_scores, measure, previous_token_scores
from .induction_train import InductionHistory, train_induction
from .positions import (
    LearnedPositions,
    save_learned_positions,
    shipped_learned_positions,
    train_learnable_positions,
)
from .small_tlob import tlob_baselines, tlob_run, train_small_tlob

__all__ = [
    "InductionHistory",
    "InductionProbe",
    "LearnedPositions",
    "RepeatBatch",
    "RepeatTask",
    "induction_probe",
    "induction_scores",
    "induction_train",
    "load_induction_model",
    "measure",
    "previous_token_scores",
    "repeat_batch",
    "train_induction",
    "example_book",
    "gpt_maps",
    "gpt_sentence_attention",
    "SentenceAttention",
    "save_learned_positions",
    "shipped_learned_positions",
    "tlob_baselines",
    "tlob_run",
    "train_learnable_positions",
    "train_small_tlob",
]
