"""Checkers for lesson 03: causal, padding and combined boolean masks (True = may attend)."""

from __future__ import annotations

import numpy as np

from .. import causal_mask, padding_mask
from ..i18n import tr
from ._feedback import Feedback, call_student, failed, passed, unanswered

INVERTED = (
    "está invertida — ¿convención de torch? En attnlab True significa «puede atender»; en el "
    "key_padding_mask de torch.nn.MultiheadAttention, True significa «relleno, no mirar».",
    "it is inverted — torch's convention? In attnlab True means 'may attend'; in "
    "torch.nn.MultiheadAttention's key_padding_mask, True means 'padding, do not look'.",
)


def _mask_feedback(name: str, got, want: np.ndarray, labels: str) -> Feedback | None:
    """None when ``got`` equals ``want``; otherwise a Feedback naming the wrong entries."""
    got = np.asarray(got)
    if got.shape != want.shape:
        return failed(
            name,
            tr(
                f"la máscara tiene forma {got.shape}; esperaba {want.shape} {labels}.",
                f"the mask has shape {got.shape}; I expected {want.shape} {labels}.",
            ),
        )
    if got.dtype != bool:
        return failed(
            name,
            tr(
                f"la máscara es de tipo {got.dtype}; en attnlab una máscara booleana significa "
                "True = puede atender.",
                f"the mask has dtype {got.dtype}; in attnlab a boolean mask means True = may "
                "attend.",
            ),
        )
    if np.array_equal(got, ~want):
        return failed(name, tr(*INVERTED))
    wrong = np.argwhere(got != want)
    if not len(wrong):
        return None
    shown = ", ".join(
        f"{tuple(int(i) for i in idx)} "
        + tr(f"debería ser {bool(want[tuple(idx)])}", f"should be {bool(want[tuple(idx)])}")
        for idx in wrong[:6]
    )
    more = (
        tr(f" (y {len(wrong) - 6} más)", f" (and {len(wrong) - 6} more)") if len(wrong) > 6 else ""
    )
    n = len(wrong)
    return failed(
        name,
        tr(
            f"{n} entrada{'s' * (n != 1)} mal: {shown}{more}.",
            f"{n} wrong entr{'ies' if n != 1 else 'y'}: {shown}{more}.",
        ),
    )


def check_causal_mask(fn) -> Feedback:
    """Lesson 03: ``fn(T)`` returns the (T, T) boolean causal mask (True = may attend)."""
    name = tr("máscara causal", "causal mask")
    for T in (1, 4, 6):
        got, bad = call_student(name, fn, T)
        if bad is not None:
            return bad
        wrong = _mask_feedback(name, got, causal_mask(T), f"(T, T) = ({T}, {T})")
        if wrong is not None:
            if np.asarray(got).shape == (T, T) and np.array_equal(
                np.asarray(got), np.triu(np.ones((T, T), dtype=bool))
            ):
                wrong.messages.append(
                    tr(
                        "es la triangular superior (np.triu): la consulta i vería el futuro. La "
                        "causal es la inferior (np.tril).",
                        "that is the upper triangle (np.triu): query i would see the future. The "
                        "causal mask is the lower one (np.tril).",
                    )
                )
            return wrong
    return passed(name, tr("la consulta i ve las claves 0..i.", "query i sees keys 0..i."))


def check_padding_mask(mask, lengths, max_len: int) -> Feedback:
    """Lesson 03: the (B, max_len) boolean padding mask, True on real positions.

    The lesson's placeholder is all True: that counts as not answered (nothing is revealed).
    """
    name = tr("máscara de relleno", "padding mask")
    want = padding_mask(lengths, max_len)  # (B, S)
    got = np.asarray(mask)
    if got.shape == want.shape and got.dtype == bool and got.all() and not want.all():
        return unanswered(
            name,
            tr(
                "tu máscara sigue siendo la de partida (todo True): corrígela.",
                "your mask is still the starting one (all True): fix it.",
            ),
        )
    wrong = _mask_feedback(name, got, want, "(B, S)")
    if wrong is not None:
        return wrong
    return passed(
        name, tr("las posiciones de relleno quedan fuera.", "padding positions are left out.")
    )


def check_combined_mask(mask, lengths, T: int) -> Feedback:
    """Lesson 03: causal AND padding (B, T, T): query i may see key j if j <= i and j is real."""
    name = tr("máscara causal + relleno", "causal + padding mask")
    if mask is None:
        return unanswered(name)
    want = causal_mask(T)[None, :, :] & padding_mask(lengths, T)[:, None, :]  # (B, T, T)
    got = np.asarray(mask)
    wrong = _mask_feedback(name, got, want, "(B, T, S)")
    if wrong is None:
        return passed(
            name,
            tr(
                "combinar máscaras booleanas es un simple &.",
                "combining boolean masks is a plain &.",
            ),
        )
    if got.shape == want.shape and got.dtype == bool:
        either = causal_mask(T)[None, :, :] | padding_mask(lengths, T)[:, None, :]
        if np.array_equal(got, either):
            wrong.messages.append(
                tr(
                    "usaste | (o): una clave se puede mirar solo si lo permiten las dos, &.",
                    "you used | (or): a key may be seen only if both allow it, &.",
                )
            )
    return wrong
