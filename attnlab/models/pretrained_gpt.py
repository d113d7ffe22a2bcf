"""The small pretrained GPTs shipped with attnlab: one per language, trained on its corpus."""

from __future__ import annotations

import json

import numpy as np

from ..i18n import check_language
from .pretrained import WEIGHTS_DIR


def pretrained_gpt_files(lang: str):
    """The ``(weights .npz, record .json)`` paths of the shipped GPT for ``lang``."""
    name = f"gpt_text_{check_language(lang)}"
    return WEIGHTS_DIR / f"{name}.npz", WEIGHTS_DIR / f"{name}.json"


def load_pretrained_gpt(lang: str = "es", dtype=np.float32):
    """``(model, tokenizer, info)``: the shipped character-level GPT for ``lang`` ("es"/"en").

    The model was trained by ``attnlab train-gpt --data text --lang LANG --seed 0
    --save-pretrained`` on attnlab's corpus in that language; ``tokenizer`` is its
    :class:`attnlab.data.CharTokenizer`; ``info`` holds ``config``, ``train`` (settings),
    ``history`` (train loss per step, validation loss per evaluation) and ``val``
    (perplexity of the model and of the unigram and bigram baselines).
    """
    from ..data import CharTokenizer
    from .gpt import GPT

    weights, record = pretrained_gpt_files(lang)
    if not weights.exists() or not record.exists():
        raise FileNotFoundError(
            f"pretrained GPT for {lang!r} not found in {WEIGHTS_DIR}; run "
            f"`attnlab train-gpt --data text --lang {lang} --seed 0 --save-pretrained`"
        )
    info = json.loads(record.read_text(encoding="utf-8"))
    model = GPT.load(weights, dtype=dtype)
    return model, CharTokenizer.from_dict(info["tokenizer"]), info
