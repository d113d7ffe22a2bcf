"""Classification metrics, from a confusion matrix: accuracy, per-class and macro F1.

confusion[i, j] = number of examples of true class i predicted as class j
precision_c = C[c, c] / sum_i C[i, c]      recall_c = C[c, c] / sum_j C[c, j]
F1_c = 2 precision_c recall_c / (precision_c + recall_c)      (0 when undefined)
macro-F1 = mean over classes of F1_c: every class counts the same, however rare

And for language models: token accuracy, perplexity, and the moving average that smooths a
training-loss curve.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_positive_int


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-d integer label arrays of the same shape, or a ValueError naming the culprit."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.ndim != 1 or (y.size and y.dtype.kind not in "iu"):
            raise ValueError(
                f"{name} must be a 1-d array of integer classes, got {y.dtype} {y.shape}"
            )
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true {y_true.shape} and y_pred {y_pred.shape} must have the same shape"
        )
    return y_true, y_pred


def confusion_matrix(y_true, y_pred, num_classes: int = 3) -> np.ndarray:
    """(C, C) int64 counts, rows = true class, columns = predicted class."""
    num_classes = check_positive_int(num_classes, "num_classes")
    y_true, y_pred = _pair(y_true, y_pred)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.size and (y.min() < 0 or y.max() >= num_classes):
            raise ValueError(
                f"{name} must lie in [0, {num_classes}), got values in [{y.min()}, {y.max()}]"
            )
    flat = y_true * num_classes + y_pred  # (N,) one bin per (true, predicted) pair
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def accuracy(y_true, y_pred) -> float:
    """Fraction of exact matches."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred)) if y_true.size else 0.0


def f1_per_class(confusion) -> np.ndarray:
    """F1 of each class from a confusion matrix (0 for a class never predicted nor present)."""
    cm = as_float_array(confusion, "confusion")
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or (cm < 0).any():
        raise ValueError(f"confusion must be a square (C, C) matrix of counts, got {cm.shape}")
    tp = np.diag(cm)  # (C,)
    denom = cm.sum(axis=0) + cm.sum(axis=1)  # (C,) predicted + actual = 2 tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def macro_f1(y_true, y_pred, num_classes: int = 3) -> float:
    """Unweighted mean of the per-class F1 scores."""
    return float(f1_per_class(confusion_matrix(y_true, y_pred, num_classes)).mean())


# -- language models ---------------------------------------------------------------------------
def token_accuracy(logits, targets, ignore_index: int = -1) -> float:
    """Fraction of positions whose most likely token (argmax of logits (..., V)) is the target.

    Positions whose target is ``ignore_index`` are left out. Like ``GPT.forward``'s loss, the
    accuracy over no position at all is undefined: every target ignored is a ValueError, and
    so are targets outside [0, V) and NaN logits (``-inf`` is allowed: an excluded token).
    """
    logits = as_float_array(logits, "logits", allow_neg_inf=True)
    targets = np.asarray(targets)
    if targets.dtype == bool or targets.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer ids, got dtype {targets.dtype}")
    if logits.ndim == 0 or logits.shape[:-1] != targets.shape:
        raise ValueError(
            f"logits (..., V) must match targets: got logits {logits.shape}, targets "
            f"{targets.shape}"
        )
    V = logits.shape[-1]
    keep = targets != ignore_index
    bad = keep & ((targets < 0) | (targets >= V))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"targets holds {int(targets[where])} at position {where}: targets must be ids "
            f"in [0, {V}) or {ignore_index} (ignored)"
        )
    if not keep.any():
        raise ValueError(
            f"every target is {ignore_index} (ignored): the accuracy over no positions is undefined"
        )
    return float(np.mean(np.argmax(logits, axis=-1)[keep] == targets[keep]))


def perplexity(mean_nll: float) -> float:
    """``exp(mean negative log-likelihood)``: the effective number of equally likely choices.

    A mean cross-entropy loss of ln(V) (a uniform guess over V tokens) is perplexity V.
    ``mean_nll`` is a finite number >= 0 (else TypeError / ValueError). Above ln(max float64)
    = 709.78 the perplexity is more than float64 can hold, and the answer is ``inf`` (exact
    in the sense of float64's overflow; no warning): such a model is no better than chance
    over an astronomically large vocabulary.
    """
    if isinstance(mean_nll, bool) or not isinstance(
        mean_nll, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"mean_nll must be a number, got {type(mean_nll).__name__}")
    value = float(mean_nll)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"mean_nll must be a finite number >= 0, got {mean_nll}")
    with np.errstate(over="ignore"):  # exp(> 709.78) is inf: documented above
        return float(np.exp(value))


def moving_average(x, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each step (fewer at the start): (N,) -> (N,)."""
    x = np.asarray(x, dtype=np.float64)  # (N,)
    c = np.cumsum(np.r_[0.0, x])  # (N + 1,)
    n = np.arange(1, x.size + 1)  # (N,)
    lo = np.maximum(0, n - window)  # (N,)
    return (c[n] - c[lo]) / (n - lo)  # (N,)
