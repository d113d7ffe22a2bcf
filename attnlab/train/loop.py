"""A NumPy training loop: Adam, mini-batches, cross-entropy, early stopping on validation loss.

    for each epoch:
        for each shuffled mini-batch of training windows:
            logits = model(x);  loss = cross_entropy(logits, y)
            model.backward(dloss/dlogits);  adam.step()
        evaluate on the validation windows; keep the weights with the lowest validation loss
        stop after ``patience`` epochs without improvement

Shuffling mixes windows of the training split only; the splits themselves stay in time order.
The loop holds NumPy's BLAS to one thread (``threads=1``): for a small model's small matrices,
OpenBLAS's spinning threads make a step several times slower on a busy machine (measured in
``benchmarks/train_threads.md``).
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from .._threads import blas_threads
from .._validate import check_positive_int
from ..functional import cross_entropy_backward, cross_entropy_forward
from ..i18n import tr
from ..metrics import confusion_matrix, f1_per_class
from ..optim import Adam


@dataclass
class History:
    """Per-epoch curves and the outcome of a run."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_f1: list[float] = field(default_factory=list)
    best_epoch: int = -1  # 0-based epoch whose weights were kept
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(
            train_loss=self.train_loss,
            val_loss=self.val_loss,
            val_f1=self.val_f1,
            best_epoch=self.best_epoch,
            seconds=round(self.seconds, 2),
        )


def _progress(iterable, total: int, desc: str, enabled: bool):
    if not enabled:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: run silently without it
        return iterable
    return tqdm(iterable, total=total, desc=desc, leave=False)


def evaluate(model, windows, batch_size: int = 256) -> dict:
    """``loss``, ``accuracy``, ``macro_f1``, ``confusion`` (3, 3) and ``pred`` on every window."""
    batch_size = check_positive_int(batch_size, "batch_size")
    if len(windows) == 0:
        raise ValueError("no windows to evaluate on")
    losses, preds = [], []
    for start in range(0, len(windows), batch_size):
        x, y = windows.batch(np.arange(start, min(start + batch_size, len(windows))))
        logits = model.forward(x)  # (b, 3)
        loss, _ = cross_entropy_forward(logits, y)
        losses.append(loss * len(y))
        preds.append(np.argmax(logits, axis=1))
    pred = np.concatenate(preds)  # (W,)
    cm = confusion_matrix(windows.y, pred)
    return dict(
        loss=float(np.sum(losses) / len(windows)),
        accuracy=float(np.trace(cm) / cm.sum()),
        macro_f1=float(f1_per_class(cm).mean()),
        confusion=cm,
        pred=pred,
    )


def train_classifier(
    model,
    train,
    val,
    *,
    epochs: int = 10,
    batch_size: int = 64,
    lr: float = 1e-3,
    patience: int = 3,
    seed: int = 0,
    max_batches: int | None = None,
    progress: bool = True,
    log=print,
    threads: int | None = 1,
) -> History:
    """Train ``model`` (forward(x) -> logits, backward(dlogits)) on ``train`` windows.

    ``max_batches`` caps the mini-batches per epoch (a random subset of the windows each epoch).
    The model ends with the weights of its best validation epoch. ``log`` gets one line per
    epoch, in the current language (None: quiet). ``threads``: NumPy's BLAS threads during the
    loop (default 1, see the module docstring; None leaves BLAS as it is).
    A training split smaller than one batch is one batch. Bad settings (epochs, batch_size,
    patience or max_batches < 1) are an error before any work.
    """
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    patience = check_positive_int(patience, "patience")
    if max_batches is not None:
        max_batches = check_positive_int(max_batches, "max_batches")
    with nullcontext() if threads is None else blas_threads(threads):
        return _epochs(
            model, train, val, epochs, batch_size, lr, patience, seed, max_batches, progress, log
        )


def _epochs(model, train, val, epochs, batch_size, lr, patience, seed, max_batches, progress, log):
    """The loop of :func:`train_classifier`, on checked settings."""
    rng = np.random.default_rng(seed)
    opt = Adam(model, lr=lr)
    history, best, best_loss, waited = History(), None, np.inf, 0
    start = time.perf_counter()
    for epoch in range(epochs):
        order = rng.permutation(len(train))  # (W,)
        n_batches = max(1, len(order) // batch_size)  # a split smaller than a batch is one
        if max_batches is not None:
            n_batches = min(n_batches, max_batches)
        total = 0.0
        desc = tr(f"época {epoch + 1}", f"epoch {epoch + 1}")
        for b in _progress(range(n_batches), n_batches, desc, progress):
            x, y = train.batch(order[b * batch_size : (b + 1) * batch_size])
            opt.zero_grad()
            loss, cache = cross_entropy_forward(model.forward(x), y)
            model.backward(cross_entropy_backward(1.0, cache))
            opt.step()
            total += loss
        scores = evaluate(model, val)
        history.train_loss.append(total / max(n_batches, 1))
        history.val_loss.append(scores["loss"])
        history.val_f1.append(scores["macro_f1"])
        if log is not None:
            train_loss, val_loss, val_f1 = (
                history.train_loss[-1],
                scores["loss"],
                scores["macro_f1"],
            )
            log(
                tr(
                    f"época {epoch + 1:3d}  pérdida de entrenamiento {train_loss:.4f}  "
                    f"pérdida de validación {val_loss:.4f}  F1 macro de validación {val_f1:.3f}",
                    f"epoch {epoch + 1:3d}  train loss {train_loss:.4f}  "
                    f"val loss {val_loss:.4f}  val macro-F1 {val_f1:.3f}",
                )
            )
        if scores["loss"] < best_loss:
            best_loss, best, waited, history.best_epoch = (
                scores["loss"],
                model.state_dict(),
                0,
                epoch,
            )
        else:
            waited += 1
            if waited >= patience:
                break
    if best is not None:
        model.load_state_dict(best)
    history.seconds = time.perf_counter() - start
    return history
