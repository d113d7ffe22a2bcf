"""Checkers for lessons 07-08: TLOB's shapes, its labels, and the metrics of training."""

from __future__ import annotations

import numpy as np

from ..show import tr
from ._feedback import Feedback, call_student, check_array, failed, passed


def tlob_map_shapes(
    B: int, T: int, H: int, num_layers: int, num_heads: int = 1
) -> list[tuple[int, ...]]:
    """TLOB's attention-map shapes, layer by layer (lesson 07), read from a real forward pass."""
    from ..models import TLOB

    model = TLOB(
        hidden_dim=H, num_layers=num_layers, seq_size=T, num_features=8, num_heads=num_heads
    )
    model.forward(np.random.default_rng(0).standard_normal((B, T, 8)))
    return [tuple(w.shape) for _, w in model.attention_maps]


def check_tlob_map_shapes(fn) -> Feedback:
    """``fn(B, T, H, num_layers)`` -> the attention-map shapes (B, heads, n, n), one per layer."""
    name = tr("formas de los mapas de TLOB", "TLOB attention-map shapes")
    for B, T, H, L in ((2, 16, 8, 2), (1, 32, 16, 3)):
        got, bad = call_student(name, fn, B, T, H, L)
        if bad is not None:
            return bad
        want = tlob_map_shapes(B, T, H, L)
        try:
            got = [tuple(int(n) for n in s) for s in got]
        except TypeError:
            return failed(
                name,
                tr(
                    "devuelve una lista de tuplas, p. ej. [(2, 1, 16, 16), ...].",
                    "return a list of tuples, e.g. [(2, 1, 16, 16), ...].",
                ),
            )
        if len(got) != len(want):
            return failed(
                name,
                tr(
                    f"con num_layers={L} hay {len(want)} capas de atención (dos por nivel), no "
                    f"{len(got)}.",
                    f"with num_layers={L} there are {len(want)} attention layers (two per level), "
                    f"not {len(got)}.",
                ),
            )
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            if g != w:
                kind = tr("temporal", "temporal") if i % 2 == 0 else tr("de rasgos", "feature")
                return failed(
                    name,
                    tr(
                        f"B={B}, T={T}, H={H}, num_layers={L}: la capa {i} ({kind}) tiene mapas "
                        f"{w}, "
                        f"escribiste {g}. Recuerda que la última pareja encoge: H//4 y T//4.",
                        f"B={B}, T={T}, H={H}, num_layers={L}: layer {i} ({kind}) has maps {w}, "
                        "you wrote "
                        f"{g}. Remember that the last pair shrinks: H//4 and T//4.",
                    ),
                )
    return passed(
        name,
        tr(
            "alternan T x T (tiempo) y H x H (rasgos); la última capa mira H//4 tokens.",
            "they alternate T x T (time) and H x H (features); the last layer sees H//4 tokens.",
        ),
    )


def check_macro_f1(fn) -> Feedback:
    """``fn(cm)`` = macro-F1 from a confusion matrix (rows = true class, columns = predicted)."""
    name = tr("F1 macro", "macro-F1")
    cases = [
        np.array([[5, 1, 0], [2, 6, 2], [0, 1, 3]]),
        np.array([[4, 0, 0], [3, 0, 0], [2, 0, 1]]),
    ]
    for cm in cases:
        got, bad = call_student(name, fn, cm.copy())
        if bad is not None:
            return bad
        tp = np.diag(cm).astype(float)
        precision = np.divide(tp, cm.sum(axis=0), out=np.zeros(3), where=cm.sum(axis=0) > 0)
        recall = np.divide(tp, cm.sum(axis=1), out=np.zeros(3), where=cm.sum(axis=1) > 0)
        f1 = np.divide(
            2 * precision * recall,
            precision + recall,
            out=np.zeros(3),
            where=(precision + recall) > 0,
        )
        want = float(f1.mean())
        try:
            got = float(got)
        except (TypeError, ValueError):
            return failed(name, tr("devuelve un número.", "return a number."))
        if not np.isclose(got, want, atol=1e-9):
            hint = ""
            if np.isclose(got, tp.sum() / cm.sum()):
                hint = tr(
                    " Eso es la exactitud (accuracy), no el F1 macro.",
                    " That is the accuracy, not the macro-F1.",
                )
            return failed(
                name,
                tr(
                    f"para la matriz {cm.tolist()} el F1 macro es {want:.4f}; calculaste "
                    f"{got:.4f}.{hint} "
                    "Una clase que nunca se predice cuenta con F1 = 0.",
                    f"for the matrix {cm.tolist()} the macro-F1 is {want:.4f}; you computed "
                    f"{got:.4f}.{hint} "
                    "A class that is never predicted counts with F1 = 0.",
                ),
            )
    return passed(
        name,
        tr(
            "la media de los F1 por clase: cada clase pesa lo mismo.",
            "the mean of per-class F1: every class weighs the same.",
        ),
    )


def check_bin_temporal(fn) -> Feedback:
    """``fn(x)`` for x (F, T): BiN's temporal z-score, per feature over time, std with ddof=1."""
    from ..functional.bin import bin_forward

    name = tr("rama temporal de BiN", "BiN's temporal branch")
    rng = np.random.default_rng(4)
    F, T = 5, 12
    x = rng.standard_normal((F, T)) * np.array([[100.0], [1.0], [0.01], [1000.0], [3.0]])  # (F, T)
    got, bad = call_student(name, fn, x.copy())
    if bad is not None:
        return bad
    ones_t, ones_f = np.ones((T, 1)), np.ones((F, 1))
    want, _ = bin_forward(x[None], ones_t, 0 * ones_t, ones_f, 0 * ones_f, np.zeros(1), np.ones(1))
    want = want[0]  # (F, T): y1 = 0, y2 = 1, l2 = 1, B2 = 0 leaves the temporal z-score alone
    wrong = check_array(name, got, want, tr("el resultado (F, T)", "the result (F, T)"))
    if wrong is None:
        return passed(
            name,
            tr(
                "cada rasgo queda con media 0 y desviación 1 a lo largo del tiempo.",
                "each feature ends with mean 0 and std 1 over time.",
            ),
        )
    if np.shape(got) != want.shape:
        return wrong
    got = np.asarray(got, dtype=np.float64)
    hint = ""
    ddof0 = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)
    if np.allclose(got, ddof0, atol=1e-9):
        hint = tr(
            " Usaste ddof=0: TLOB usa la desviación típica insesgada (ddof=1), como torch.std.",
            " You used ddof=0: TLOB uses the unbiased std (ddof=1), like torch.std.",
        )
    if not hint:
        across = (x - x.mean(axis=0, keepdims=True)) / x.std(axis=0, ddof=1, keepdims=True)
        if np.allclose(got, across, atol=1e-9):
            hint = tr(
                " Normalizaste cada instante sobre los rasgos (eso es la otra rama); aquí va por "
                "rasgo, sobre el tiempo (axis=1).",
                " You normalised each time step over the features (that is the other branch); "
                "here it is per feature, over time (axis=1).",
            )
    if hint:
        wrong.messages.append(hint.strip())
    return wrong


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
                    f"+ 1), no {labels.shape[0]}. "
                    "Solo se etiquetan los eventos con una ventana futura completa.",
                    f"h={h}, k={k}: there are {want.shape[0]} labels (N - h - k + 1 = 60 - {h} - "
                    f"{k} + 1), not {labels.shape[0]}. "
                    "Only events with a full future window get a label.",
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
                    f"h={h}, k={k}: alpha = {got_alpha:.3e}, esperaba {alpha:.3e} = media(|l|) / "
                    "2.",
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
