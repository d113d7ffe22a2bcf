"""Checkers for lesson 08: TLOB's labels and the macro-F1 of a confusion matrix."""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ._feedback import Feedback, call_student, failed, passed


def _macro_f1(cm: np.ndarray) -> float:
    """Macro-F1 with rows = true class; a class never predicted (or never present) has F1 0."""
    tp = np.diag(cm).astype(float)  # (C,)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)  # (C,) each
    precision = np.divide(tp, predicted, out=np.zeros(len(tp)), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros(len(tp)), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros(len(tp)), where=both > 0)
    return float(f1.mean())


def check_macro_f1(fn) -> Feedback:
    """``fn(cm)`` = macro-F1 from a confusion matrix (rows = true class, columns = predicted)."""
    name = tr("F1 macro", "macro-F1")
    cases = [
        np.array([[5, 1, 0], [2, 6, 2], [0, 1, 3]]),
        np.array([[4, 0, 0], [3, 0, 0], [2, 0, 1]]),  # class 1 is never predicted
    ]
    for cm in cases:
        got, bad = call_student(name, fn, cm.copy())
        if bad is not None:
            return bad
        want = _macro_f1(cm)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return failed(name, tr("devuelve un número.", "return a number."))
        if np.isclose(got, want, atol=1e-9):
            continue
        if np.isnan(got):
            hint = tr(
                "Una clase que nunca se predice da 0/0 en su precisión: cuenta con F1 = 0, no NaN.",
                "A class that is never predicted gives 0/0 in its precision: it counts with "
                "F1 = 0, not NaN.",
            )
        elif np.isclose(got, np.trace(cm) / cm.sum()):
            hint = tr(
                "Eso es la exactitud (accuracy), no el F1 macro.",
                "That is the accuracy, not the macro-F1.",
            )
        elif np.isclose(got, _macro_f1(cm.T)):
            hint = tr(
                "Cambiaste filas por columnas: las filas son la clase verdadera.",
                "You swapped rows and columns: the rows are the true class.",
            )
        else:
            hint = tr(
                "Una clase que nunca se predice cuenta con F1 = 0.",
                "A class that is never predicted counts with F1 = 0.",
            )
        return failed(
            name,
            tr(
                f"para la matriz {cm.tolist()} calculaste {got:.4f}, y el F1 macro es "
                f"{want:.4f}. {hint}",
                f"for the matrix {cm.tolist()} you computed {got:.4f}, and the macro-F1 is "
                f"{want:.4f}. {hint}",
            ),
        )
    return passed(
        name,
        tr(
            "la media de los F1 por clase: cada clase pesa lo mismo.",
            "the mean of per-class F1: every class weighs the same.",
        ),
    )


def check_tlob_labels(fn) -> Feedback:
    """``fn(mid, h, k)`` -> (labels, alpha): TLOB's labels (0 up, 1 stationary, 2 down)."""
    from ..data import tlob_labels

    name = tr("etiquetas de TLOB", "TLOB labels")
    rng = np.random.default_rng(8)
    mid = 100.0 + np.cumsum(rng.standard_normal(60)) * 0.05  # (N,)
    for h, k in ((5, 5), (10, 3)):
        got, bad = call_student(name, fn, mid.copy(), h, k)
        if bad is not None:
            return bad
        want, alpha = tlob_labels(mid, h, k)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return failed(
                name, tr("devuelve una tupla (labels, alpha).", "return a tuple (labels, alpha).")
            )
        labels, got_alpha = np.asarray(got[0]), got[1]
        if labels.shape != want.shape:
            return failed(
                name,
                tr(
                    f"h={h}, k={k}: hay {want.shape[0]} etiquetas (N - h - k + 1 = 60 - {h} - {k} "
                    f"+ 1), no {labels.shape[:1]}. Solo se etiquetan los eventos con una ventana "
                    "futura completa.",
                    f"h={h}, k={k}: there are {want.shape[0]} labels (N - h - k + 1 = 60 - {h} - "
                    f"{k} + 1), not {labels.shape[:1]}. Only events with a full future window get "
                    "a label.",
                ),
            )
        try:
            got_alpha = float(got_alpha)
        except (TypeError, ValueError):
            return failed(name, tr("alpha debe ser un número.", "alpha must be a number."))
        if not np.isclose(got_alpha, alpha, rtol=1e-9, atol=0.0):
            return failed(
                name,
                tr(
                    f"h={h}, k={k}: alpha = {got_alpha:.3e}, esperaba {alpha:.3e} = "
                    "media(|l|) / 2.",
                    f"h={h}, k={k}: alpha = {got_alpha:.3e}, expected {alpha:.3e} = mean(|l|) / 2.",
                ),
            )
        wrong = np.flatnonzero(labels != want)
        if len(wrong):
            t = int(wrong[0])
            hint = ""
            if np.array_equal(labels, 2 - want):
                hint = tr(
                    " Tienes subir y bajar al revés: 0 = sube, 2 = baja.",
                    " You have up and down swapped: 0 = up, 2 = down.",
                )
            return failed(
                name,
                tr(
                    f"h={h}, k={k}: {len(wrong)} etiquetas distintas; la primera en t={t}: "
                    f"pusiste {labels[t]}, es {want[t]}.{hint}",
                    f"h={h}, k={k}: {len(wrong)} labels differ; the first at t={t}: you wrote "
                    f"{labels[t]}, it is {want[t]}.{hint}",
                ),
            )
    return passed(
        name,
        tr(
            "mismas etiquetas y mismo alpha que attnlab.data.tlob_labels.",
            "same labels and same alpha as attnlab.data.tlob_labels.",
        ),
    )
