"""The TLOB experiment on the synthetic book: TLOB against a majority-class and a last-snapshot
logistic baseline, several seeds, macro-F1 on the held-out (last, chronologically) test split.

The data is the same for every seed (generator seed ``DATA["seed"]``); the seed sets the
models' initial weights and the order of the mini-batches.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..data import make_dataset
from ..i18n import tr
from ..metrics import confusion_matrix, f1_per_class
from ..models import TLOB
from .baselines import LastSnapshotLogistic, MajorityClass
from .loop import evaluate, train_classifier

MODEL = dict(
    hidden_dim=32, num_layers=2, seq_size=32, num_features=40, num_heads=1, is_sin_emb=True
)
DATA = dict(n_events=60000, seq_size=32, horizon=10, seed=0)
TRAIN = dict(epochs=10, batch_size=64, lr=1e-3, patience=3, max_batches=100)
LOGISTIC_TRAIN = dict(epochs=10, batch_size=256, lr=1e-2, patience=3)
QUICK = dict(data=dict(n_events=6000), train=dict(epochs=2, max_batches=20))


def run_seed(
    dataset,
    seed: int,
    *,
    model_config=None,
    train_config=None,
    dtype=np.float32,
    progress: bool = True,
    log=print,
    threads: int | None = 1,
) -> dict:
    """Train TLOB and both baselines with ``seed``; scores on the test split.

    ``threads``: NumPy's BLAS threads while training (see :func:`train_classifier`).
    """
    model_config = {**MODEL, **(model_config or {})}
    train_config = {**TRAIN, **(train_config or {})}
    test = dataset.test

    majority = MajorityClass().fit(dataset.train.y)
    maj_pred = majority.predict(len(test))
    logistic = LastSnapshotLogistic(model_config["num_features"], rng=seed, dtype=dtype)
    train_classifier(
        logistic,
        dataset.train,
        dataset.val,
        seed=seed,
        progress=False,
        log=None,
        threads=threads,
        **LOGISTIC_TRAIN,
    )
    model = TLOB(**model_config, rng=seed, dtype=dtype)
    history = train_classifier(
        model,
        dataset.train,
        dataset.val,
        seed=seed,
        progress=progress,
        log=log,
        threads=threads,
        **train_config,
    )
    scores = evaluate(model, test)
    return dict(
        seed=seed,
        tlob=scores["macro_f1"],
        logistic=evaluate(logistic, test)["macro_f1"],
        majority=float(f1_per_class(confusion_matrix(test.y, maj_pred)).mean()),
        accuracy=scores["accuracy"],
        confusion=scores["confusion"].tolist(),
        history=history.as_dict(),
        model=model,
    )


def results_table(rows: list[dict]) -> str:
    """A Markdown table of test macro-F1 per seed, with the mean, in the current language."""
    lines = [
        tr(
            "| semilla | TLOB | logística (última instantánea) | clase mayoritaria "
            "| TLOB - mejor modelo de referencia |",
            "| seed | TLOB | logistic (last snapshot) | majority class | TLOB - best baseline |",
        ),
        "|---:|---:|---:|---:|---:|",
    ]

    def line(name, t, lo, m):
        return f"| {name} | {t:.3f} | {lo:.3f} | {m:.3f} | {t - max(lo, m):+.3f} |"

    for r in rows:
        lines.append(line(r["seed"], r["tlob"], r["logistic"], r["majority"]))
    if len(rows) > 1:
        mean = {k: float(np.mean([r[k] for r in rows])) for k in ("tlob", "logistic", "majority")}
        lines.append(line(tr("media", "mean"), mean["tlob"], mean["logistic"], mean["majority"]))
    return "\n".join(lines)


def run_experiment(
    seeds=(0, 1, 2),
    *,
    quick: bool = False,
    data_config=None,
    train_config=None,
    dataset=None,
    progress: bool = True,
    log=print,
    threads: int | None = 1,
) -> tuple[list[dict], object]:
    """Build the synthetic dataset once (or use ``dataset``), run every seed.

    Returns ``(rows, dataset)``; each row also records the ``data`` and ``train`` settings used.
    """
    data_config = {**DATA, **(QUICK["data"] if quick else {}), **(data_config or {})}
    train_config = {**TRAIN, **(QUICK["train"] if quick else {}), **(train_config or {})}
    model_config = {"seq_size": data_config["seq_size"]}
    if dataset is None:
        dataset = make_dataset(**data_config)
    else:
        data_config = {"source": "given dataset", "seq_size": dataset.train.seq_size}
        model_config = {
            "seq_size": dataset.train.seq_size,
            "num_features": dataset.train.features.shape[1],
        }
    rows = []
    for seed in seeds:
        if log is not None:
            log(tr(f"-- semilla {seed}", f"-- seed {seed}"))
        row = run_seed(
            dataset,
            seed,
            model_config=model_config,
            train_config=train_config,
            progress=progress,
            log=log,
            threads=threads,
        )
        rows.append({**row, "data": data_config, "train": train_config})
    return rows, dataset


def save_pretrained(row: dict, directory) -> None:
    """Write ``tlob_small.npz`` (weights + config) and ``tlob_small.json`` (how it was trained,
    its curves and its test confusion matrix) for :func:`attnlab.models.load_pretrained`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model = row["model"]
    model.save(directory / "tlob_small.npz")
    info = dict(
        config=model.config,
        data=row["data"],
        train={**row["train"], "dtype": str(model.dtype)},
        seed=row["seed"],
        history={k: v for k, v in row["history"].items() if k != "seconds"},  # deterministic
        test=dict(
            accuracy=row["accuracy"],
            macro_f1=row["tlob"],
            confusion=row["confusion"],
            logistic_macro_f1=row["logistic"],
            majority_macro_f1=row["majority"],
        ),
        classes=["up", "stationary", "down"],
        regenerate="attnlab train-tlob --seeds 0 --save-pretrained",
    )
    (directory / "tlob_small.json").write_text(json.dumps(info, indent=1) + "\n")
