"""A trained small TLOB for the pictures: the shipped pretrained one, or a quick training.

:func:`tlob_run` gives what the gallery's TLOB figures draw: the attention maps of the trained
model on test windows, its training history and its test confusion matrix.
"""

from __future__ import annotations

import functools

import numpy as np

SEED = 0


def train_small_tlob(
    seed: int = SEED, *, n_events: int = 8000, epochs: int = 6, max_batches: int = 30
):
    """Train a small TLOB on the synthetic book in a few seconds: ``(model, info)``.

    Used only when the shipped pretrained model is missing; ``info`` has the keys of the
    pretrained one that the figures read (``data``, ``history``, ``test``).
    """
    from ..data import make_dataset
    from ..models import TLOB
    from ..train import evaluate, train_classifier

    data = dict(n_events=n_events, seq_size=32, horizon=10, seed=seed)
    ds = make_dataset(**data)
    model = TLOB(
        hidden_dim=16, num_layers=2, seq_size=32, num_features=40, rng=np.random.default_rng(seed)
    )
    history = train_classifier(
        model,
        ds.train,
        ds.val,
        epochs=epochs,
        batch_size=64,
        lr=1e-3,
        patience=epochs,
        seed=seed,
        max_batches=max_batches,
        progress=False,
        log=None,
    )
    test = evaluate(model, ds.test)
    info = dict(
        data=data,
        history=history.as_dict(),
        seed=seed,
        test=dict(
            accuracy=test["accuracy"],
            macro_f1=test["macro_f1"],
            confusion=test["confusion"].tolist(),
        ),
    )
    return model, info


@functools.lru_cache(maxsize=1)
def tlob_run(windows: int = 64):
    """``(maps, history, confusion)`` of the pretrained small TLOB (or a quickly trained one):
    its attention maps on the first ``windows`` test windows, its training history and its
    test confusion matrix (3, 3)."""
    from ..data import make_dataset
    from ..models import load_pretrained

    try:
        model, info = load_pretrained()
    except FileNotFoundError:
        model, info = train_small_tlob()
    test = make_dataset(**info["data"]).test
    x, _ = test.batch(np.arange(min(windows, len(test))))  # (B, T, F)
    model.forward(x)
    maps = [(kind, np.array(w)) for kind, w in model.attention_maps]
    return maps, info["history"], np.asarray(info["test"]["confusion"])


@functools.lru_cache(maxsize=1)
def tlob_baselines() -> dict:
    """What the TLOB figures compare with, on the validation split of the shipped model's data:
    ``prior_loss`` (cross-entropy of always predicting the training class frequencies) and
    ``majority_f1`` (macro-F1 of always predicting the training majority class)."""
    from ..data import make_dataset
    from ..metrics import macro_f1
    from ..models import load_pretrained
    from ..train.baselines import MajorityClass

    try:
        _, info = load_pretrained()
        data = info["data"]
    except FileNotFoundError:
        data = dict(n_events=8000, seq_size=32, horizon=10, seed=SEED)
    ds = make_dataset(**data)
    prior = np.bincount(ds.train.y, minlength=3) / len(ds.train.y)  # (3,)
    val = np.bincount(ds.val.y, minlength=3) / len(ds.val.y)  # (3,)
    majority = MajorityClass().fit(ds.train.y)
    return dict(
        prior_loss=float(-(val * np.log(prior)).sum()),
        majority_f1=macro_f1(ds.val.y, majority.predict(len(ds.val.y))),
    )
