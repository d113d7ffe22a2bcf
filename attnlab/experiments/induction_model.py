"""The shipped induction model: a trained 2-layer attention-only GPT and its training record.

``load_induction_model()`` gives what lesson 12 and the gallery draw without training:
``(model, record)``, the record holding the task, the settings, the training history (losses
and scores per evaluation) and the final measurements. ``attnlab experiment induction --seeds 0
--save-pretrained`` writes them again.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .induction_data import RepeatTask

WEIGHTS = Path(__file__).with_name("weights") / "induction_gpt.npz"
RECORD = WEIGHTS.with_suffix(".json")


def task_of(model) -> RepeatTask:
    """The :class:`RepeatTask` a model was sized for (V and T from its config; the rest from
    the shipped settings)."""
    from .induction_train import TASK

    c = model.config
    return RepeatTask(**{**TASK, "vocab_size": c.vocab_size, "length": c.block_size})


def save_shipped(model, history, record: dict, weights: Path = WEIGHTS) -> list[Path]:
    """Write the model (``.npz``) and its record (``.json``, with the training settings)."""
    from .induction_train import TRAIN

    weights = Path(weights)
    model.save(weights)
    record = {
        **record,
        "train": {k: list(v) if isinstance(v, tuple) else v for k, v in TRAIN.items()},
    }
    record["history"] = history.as_dict()
    record.pop("seconds", None)  # timing varies from run to run: keep the file deterministic
    record.pop("load_average", None)
    record["history"].pop("seconds", None)
    path = weights.with_suffix(".json")
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return [weights, path]


@functools.lru_cache(maxsize=1)
def load_induction_model(dtype=np.float64):
    """``(model, record)``: the shipped trained model (float64 by default) and its record."""
    from ..models import GPT

    if not WEIGHTS.exists() or not RECORD.exists():
        raise FileNotFoundError(
            f"the shipped induction model is missing ({WEIGHTS}); run "
            "`attnlab experiment induction --seeds 0 --save-pretrained`"
        )
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    return GPT.load(WEIGHTS, dtype=dtype), record


class InductionProbe(NamedTuple):
    idx: np.ndarray  # (T,) the probe's tokens
    spans: tuple  # ((start, stop) of the first occurrence, (start, stop) of the copy)
    maps: list[np.ndarray]  # one (H, T, T) array per layer


@functools.lru_cache(maxsize=1)
def induction_probe(prefix: int = 12, seed: int = 7) -> InductionProbe:
    """The shipped model's attention on one sequence of its task: ``prefix`` random tokens, a
    random segment and the segment again (the layout of :func:`repeat_batch`, copies=1)."""
    model, record = load_induction_model()
    V, T = record["task"]["vocab_size"], record["task"]["length"]
    tokens = np.random.default_rng(seed).integers(0, V, T + 1)  # (T + 1,)
    L = (T + 1 - prefix) // 2
    tokens[prefix + L : prefix + 2 * L] = tokens[prefix : prefix + L]
    idx = tokens[:T]  # (T,) what the model reads
    model(idx[None])
    maps = [w[0].copy() for w in model.attention_maps]  # n_layer x (H, T, T)
    spans = ((prefix, prefix + L), (prefix + L, min(prefix + 2 * L, T)))
    return InductionProbe(idx, spans, maps)
