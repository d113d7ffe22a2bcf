"""The small pretrained TLOB shipped with attnlab (trained by attnlab on its synthetic book)."""

from __future__ import annotations

import json
from pathlib import Path

WEIGHTS_DIR = Path(__file__).parent / "weights"
WEIGHTS = WEIGHTS_DIR / "tlob_small.npz"
INFO = WEIGHTS_DIR / "tlob_small.json"


def load_pretrained(dtype=None):
    """``(model, info)``: the shipped small TLOB and a dict describing its training.

    ``info`` holds ``config`` (model), ``data`` (generator and labelling settings, enough to
    rebuild the test windows with :func:`attnlab.data.make_dataset`), ``history`` (per-epoch
    ``train_loss``, ``val_loss``, ``val_f1``), ``test`` (``accuracy``, ``macro_f1``,
    ``confusion`` as a 3 x 3 list, rows = true class) and ``seed``.
    Regenerate both files with ``attnlab train-tlob --save-pretrained``.
    """
    import numpy as np

    from .tlob import TLOB

    if not WEIGHTS.exists() or not INFO.exists():
        raise FileNotFoundError(
            f"pretrained TLOB not found in {WEIGHTS_DIR}; "
            "run `attnlab train-tlob --seeds 0 --save-pretrained`"
        )
    model = TLOB.load(WEIGHTS, dtype=np.float64 if dtype is None else dtype)
    info = json.loads(INFO.read_text())
    return model, info
