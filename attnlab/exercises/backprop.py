"""Checkers for lesson 04: hand-written backward passes, judged by relative error."""

from __future__ import annotations

import numpy as np

from ..functional import attention_backward, attention_forward, softmax_backward, softmax_forward
from ..gradcheck import relative_error
from ..show import tr
from ._feedback import Feedback, call_student, check_array, failed, passed

TOL = 1e-6


def check_softmax_backward(fn) -> Feedback:
    """``fn(dout, p)`` = gradient of softmax (last axis) given its output p and upstream dout."""
    name = tr("backward de softmax", "softmax backward")
    rng = np.random.default_rng(11)
    p, cache = softmax_forward(rng.standard_normal((3, 5)))  # (B, n)
    dout = rng.standard_normal(p.shape)  # (B, n)
    got, bad = call_student(name, fn, dout.copy(), p.copy())
    if bad is not None:
        return bad
    want = softmax_backward(dout, cache)
    wrong = check_array(name, got, want, "dx", rtol=TOL)
    if wrong is None:
        err = relative_error(np.asarray(got, dtype=np.float64), want, floor=1e-12)
        return passed(name, tr(f"error relativo {err:.1e}.", f"relative error {err:.1e}."))
    if np.shape(got) == want.shape and np.allclose(np.asarray(got, dtype=np.float64), p * dout):
        wrong.messages.append(
            tr(
                "falta restar sum(dout * p) en cada fila: la softmax acopla todas las salidas.",
                "you are missing - sum(dout * p) per row: softmax couples every output.",
            )
        )
    return wrong


def check_attention_backward(fn) -> Feedback:
    """``fn(dout, q, k, v)`` -> (dq, dk, dv) for unmasked attention with scale 1/sqrt(D)."""
    name = tr("backward de la atención", "attention backward")
    rng = np.random.default_rng(12)
    q, k, v = rng.standard_normal((4, 6)), rng.standard_normal((5, 6)), rng.standard_normal((5, 3))
    out, cache = attention_forward(q, k, v)
    dout = rng.standard_normal(out.shape)  # (T, Dv)
    got, bad = call_student(name, fn, dout.copy(), q.copy(), k.copy(), v.copy())
    if bad is not None:
        return bad
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return failed(name, tr("devuelve una tupla (dq, dk, dv).", "return a tuple (dq, dk, dv)."))
    messages, ok = [], True
    for label, g, want in zip(
        ("dq", "dk", "dv"), got, attention_backward(dout, cache), strict=True
    ):
        g = np.asarray(g, dtype=np.float64)
        if g.shape != want.shape:
            ok = False
            messages.append(
                tr(
                    f"{label}: forma {g.shape}, esperaba {want.shape}.",
                    f"{label}: shape {g.shape}, expected {want.shape}.",
                )
            )
            continue
        err = relative_error(g, want, floor=1e-12)
        ok &= err <= TOL
        messages.append(
            tr(f"{label}: error relativo {err:.1e}", f"{label}: relative error {err:.1e}")
            + ("" if err <= TOL else tr(" ← revisa este", " ← check this one"))
        )
    if not ok and len(messages) == 3 and "dv" in messages[2] and "←" not in messages[2]:
        messages.append(
            tr(
                "dv está bien, así que el fallo está en el paso de la softmax o en la escala.",
                "dv is right, so the mistake is in the softmax step or the scale.",
            )
        )
    return Feedback(name, ok, messages)
