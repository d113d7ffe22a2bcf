"""Checkers for lesson 07: TLOB's attention-map shapes and BiN's temporal branch."""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ._feedback import Feedback, call_student, check_array, failed, passed, same


def tlob_map_shapes(
    B: int, T: int, E: int, num_layers: int, num_heads: int = 1
) -> list[tuple[int, ...]]:
    """TLOB's attention-map shapes, layer by layer (lesson 07), read from a real forward pass.

    ``E`` is the hidden width (``hidden_dim``; the TLOB paper calls it H).
    """
    from ..models import TLOB

    model = TLOB(
        hidden_dim=E, num_layers=num_layers, seq_size=T, num_features=8, num_heads=num_heads
    )
    model.forward(np.random.default_rng(0).standard_normal((B, T, 8)))
    return [tuple(w.shape) for _, w in model.attention_maps]


def check_tlob_map_shapes(fn) -> Feedback:
    """``fn(B, T, E, num_layers)`` -> the attention-map shapes (B, heads, n, n), one per layer."""
    name = tr("formas de los mapas de TLOB", "TLOB attention-map shapes")
    for B, T, E, L in ((2, 16, 8, 2), (1, 32, 16, 3)):
        got, bad = call_student(name, fn, B, T, E, L)
        if bad is not None:
            return bad
        want = tlob_map_shapes(B, T, E, L)
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
                    f"con num_layers={L} hay {len(want)} capas de atención (dos por pareja), no "
                    f"{len(got)}.",
                    f"with num_layers={L} there are {len(want)} attention layers (two per pair), "
                    f"not {len(got)}.",
                ),
            )
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            if g == w:
                continue
            kind = tr("temporal", "temporal") if i % 2 == 0 else tr("de rasgos", "feature")
            hint = tr(
                "Recuerda que la última pareja encoge: E//4 y T//4.",
                "Remember that the last pair shrinks: E//4 and T//4.",
            )
            if i % 2 == 0 and g[-2:] == (E, E):
                hint = tr(
                    "Las capas pares atienden sobre el tiempo: sus tokens son los T instantes.",
                    "Even layers attend over time: their tokens are the T time steps.",
                )
            return failed(
                name,
                tr(
                    f"B={B}, T={T}, E={E}, num_layers={L}: la capa {i} ({kind}) tiene mapas "
                    f"{w}, escribiste {g}. {hint}",
                    f"B={B}, T={T}, E={E}, num_layers={L}: layer {i} ({kind}) has maps {w}, "
                    f"you wrote {g}. {hint}",
                ),
            )
    return passed(
        name,
        tr(
            "alternan T x T (tiempo) y E x E (rasgos); la última capa mira E//4 tokens.",
            "they alternate T x T (time) and E x E (features); the last layer sees E//4 tokens.",
        ),
    )


def check_bin_temporal(fn) -> Feedback:
    """``fn(x)`` for x (F, T): BiN's temporal z-score, per feature over time, std with ddof=1,
    a std below 1e-4 replaced by 1 (the input has one constant feature)."""
    from ..functional.bin import bin_forward

    name = tr("rama temporal de BiN", "BiN's temporal branch")
    rng = np.random.default_rng(4)
    F, T = 5, 12
    x = rng.standard_normal((F, T)) * np.array([[100.0], [1.0], [0.01], [1000.0], [3.0]])  # (F, T)
    x[2] = 7.0  # a constant feature: its std is 0, BiN's guard turns it into 1
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
                "cada rasgo queda con media 0 y desviación 1 a lo largo del tiempo (y el "
                "constante, en 0).",
                "each feature ends with mean 0 and std 1 over time (and the constant one at 0).",
            ),
        )
    if np.shape(got) != want.shape:
        return wrong
    with np.errstate(all="ignore"):
        ddof0 = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)
        across = (x - x.mean(axis=0, keepdims=True)) / x.std(axis=0, ddof=1, keepdims=True)
    rows = [f for f in range(F) if f != 2]
    arr = np.asarray(got, dtype=np.float64)
    if not np.isfinite(arr[2]).all() and np.isfinite(arr[rows]).all():
        hint = tr(
            "el rasgo 2 es constante: su desviación es 0 y divides 0 entre 0. BiN sustituye "
            "una desviación menor que 1e-4 por 1.",
            "feature 2 is constant: its std is 0 and you divide 0 by 0. BiN replaces a std "
            "below 1e-4 by 1.",
        )
    elif same(arr[rows], ddof0[rows]):
        hint = tr(
            "usaste ddof=0: TLOB usa la desviación típica insesgada (ddof=1), como torch.std.",
            "you used ddof=0: TLOB uses the unbiased std (ddof=1), like torch.std.",
        )
    elif same(arr, across):
        hint = tr(
            "normalizaste cada instante sobre los rasgos (eso es la otra rama); aquí va por "
            "rasgo, sobre el tiempo (axis=1).",
            "you normalised each time step over the features (that is the other branch); here "
            "it is per feature, over time (axis=1).",
        )
    else:
        return wrong
    wrong.messages.append(hint)
    return wrong
