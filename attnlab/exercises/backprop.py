"""Checkers for lesson 04: hand-written backward passes, judged by relative error."""

from __future__ import annotations

import numpy as np
from scipy.special import erf

from ..functional import attention_backward, attention_forward, softmax_backward, softmax_forward
from ..gradcheck import relative_error
from ..i18n import tr
from ._feedback import Feedback, as_array, call_student, check_array, failed, passed, same

TOL = 1e-6


def check_softmax_backward(fn) -> Feedback:
    """``fn(dout, p)`` = gradient of softmax (last axis) given its output p and upstream dout."""
    name = tr("retropropagación de la softmax", "softmax backward")
    rng = np.random.default_rng(11)
    p, cache = softmax_forward(rng.standard_normal((3, 5)))  # (B, n)
    dout = rng.standard_normal(p.shape)  # (B, n)
    got, bad = call_student(name, fn, dout.copy(), p.copy())
    if bad is not None:
        return bad
    want = softmax_backward(dout, cache)  # (B, n)
    wrong = check_array(name, got, want, "dx", rtol=TOL)
    if wrong is None:
        err = relative_error(as_array(got), want, floor=1e-12)
        return passed(name, tr(f"error relativo {err:.1e}.", f"relative error {err:.1e}."))
    if same(got, p * dout):
        wrong.messages.append(
            tr(
                "falta restar sum(dout * p) en cada fila: la softmax acopla todas las salidas.",
                "you are missing - sum(dout * p) per row: softmax couples every output.",
            )
        )
    elif same(got, p * (dout - np.sum(dout * p))):
        wrong.messages.append(
            tr(
                "sumaste dout * p sobre todo el array: la suma es por fila (axis=-1, "
                "keepdims=True).",
                "you summed dout * p over the whole array: the sum is per row (axis=-1, "
                "keepdims=True).",
            )
        )
    return wrong


def check_attention_backward(fn) -> Feedback:
    """``fn(dout, q, k, v)`` -> (dq, dk, dv) for unmasked attention with scale 1/sqrt(D)."""
    name = tr("retropropagación de la atención", "attention backward")
    rng = np.random.default_rng(12)
    q, k, v = rng.standard_normal((4, 6)), rng.standard_normal((5, 6)), rng.standard_normal((5, 3))
    out, cache = attention_forward(q, k, v)
    dout = rng.standard_normal(out.shape)  # (T, Dv)
    got, bad = call_student(name, fn, dout.copy(), q.copy(), k.copy(), v.copy())
    if bad is not None:
        return bad
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return failed(name, tr("devuelve una tupla (dq, dk, dv).", "return a tuple (dq, dk, dv)."))
    wants = attention_backward(dout, cache)
    messages, ok, right = [], True, []
    for label, g, want in zip(("dq", "dk", "dv"), got, wants, strict=True):
        g = as_array(g)
        if g is None or g.shape != want.shape:
            ok = False
            messages.append(
                tr(
                    f"{label}: forma {None if g is None else g.shape}, esperaba {want.shape} "
                    "(la forma de su entrada).",
                    f"{label}: shape {None if g is None else g.shape}, expected {want.shape} "
                    "(the shape of its input).",
                )
            )
            continue
        err = relative_error(g, want, floor=1e-12)
        good = bool(err <= TOL)
        ok &= good
        if good:
            right.append(label)
        messages.append(
            tr(f"{label}: error relativo {err:.1e}", f"{label}: relative error {err:.1e}")
            + ("" if good else tr(" ← revisa este", " ← check this one"))
        )
    if not ok and right == ["dv"]:
        messages.append(
            tr(
                "dv está bien, así que el fallo está en el paso de la softmax o en la escala.",
                "dv is right, so the mistake is in the softmax step or the scale.",
            )
        )
    return Feedback(name, ok, messages)


def check_gelu_backward(fn) -> Feedback:
    """``fn(dout, x)`` = dout * GELU'(x), GELU'(x) = Phi(x) + x phi(x) (exact, erf form)."""
    name = tr("retropropagación de GELU", "GELU backward")
    rng = np.random.default_rng(13)
    x = rng.standard_normal((3, 7)) * 2  # (B, n)
    dout = rng.standard_normal(x.shape)  # (B, n)
    got, bad = call_student(name, fn, dout.copy(), x.copy())
    if bad is not None:
        return bad
    cdf = (1 + erf(x / np.sqrt(2))) / 2  # Phi(x)
    pdf = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)  # phi(x)
    want = dout * (cdf + x * pdf)  # (B, n)
    wrong = check_array(name, got, want, "dx", rtol=TOL)
    if wrong is None:
        err = relative_error(as_array(got), want, floor=1e-12)
        return passed(
            name,
            tr(
                f"error relativo {err:.1e}: Φ(x) + x·φ(x), la regla del producto.",
                f"relative error {err:.1e}: Φ(x) + x·φ(x), the product rule.",
            ),
        )
    if same(got, dout * cdf):
        wrong.messages.append(
            tr(
                "falta el término x·φ(x): GELU(x) = x·Φ(x) es un producto y Φ también depende "
                "de x.",
                "the x·φ(x) term is missing: GELU(x) = x·Φ(x) is a product and Φ depends on x too.",
            )
        )
    elif same(got, cdf + x * pdf):
        wrong.messages.append(
            tr(
                "devolviste GELU'(x) sin multiplicar por dout, el gradiente que llega.",
                "you returned GELU'(x) without multiplying by dout, the upstream gradient.",
            )
        )
    return wrong
