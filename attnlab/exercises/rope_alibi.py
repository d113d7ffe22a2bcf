"""Checkers for lesson 11 (positions that rotate and positions that fade): the rotation that
moves the sinusoidal table by k positions, RoPE written by hand, and ALiBi's slopes."""

from __future__ import annotations

import numpy as np

from ..functional import alibi_slopes, rope_forward
from ..functional.rope import interleaved_order
from ..i18n import tr
from ._feedback import Feedback, call_student, check_array, passed


def _shift_rotation(omega: float, k: int) -> np.ndarray:
    """The 2x2 matrix taking (sin(w p), cos(w p)) to (sin(w (p + k)), cos(w (p + k)))."""
    c, s = np.cos(omega * k), np.sin(omega * k)
    return np.array([[c, s], [-s, c]])  # (2, 2)


def check_shift_rotation(fn) -> Feedback:
    """``fn(omega, k)``: the (2, 2) R with R @ (sin wp, cos wp) = (sin w(p+k), cos w(p+k))."""
    name = tr("la rotación que desplaza k posiciones", "the rotation that shifts by k positions")
    for omega, k in ((0.3, 2), (1.0, 5), (0.01, 40), (2.5, -3)):
        got, bad = call_student(name, fn, omega, k)
        if bad is not None:
            return bad
        want = _shift_rotation(omega, k)
        wrong = check_array(name, got, want, f"R(ω={omega}, k={k})")
        if wrong is None:
            continue
        got = np.asarray(got, dtype=np.float64) if np.shape(got) == (2, 2) else None
        if got is not None and np.allclose(got, want.T):
            wrong.messages.append(
                tr(
                    "giras hacia el otro lado (es la traspuesta): la fila de la tabla es "
                    "(sin, cos), no (cos, sin); usa sin(a + b) = sin a cos b + cos a sin b.",
                    "you turn the other way (it is the transpose): the table's row is (sin, cos), "
                    "not (cos, sin); use sin(a + b) = sin a cos b + cos a sin b.",
                )
            )
        elif got is not None and np.allclose(got, _shift_rotation(omega, 1)):
            wrong.messages.append(
                tr(
                    "el ángulo es ω·k, no ω: desplazar k posiciones gira k veces.",
                    "the angle is ω·k, not ω: shifting by k positions turns k times.",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "la misma matriz para toda p: desplazar la tabla es girar cada par de columnas.",
            "the same matrix for every p: shifting the table turns each pair of columns.",
        ),
    )


def _rope_variants(x, positions):
    """Plausible mistakes and what to say about each."""
    D = x.shape[1]
    h = D // 2
    perm = interleaved_order(D)
    interleaved = np.empty_like(x)
    interleaved[:, perm] = rope_forward(x[:, perm], positions)[0]
    flipped = rope_forward(x[:, np.r_[h:D, 0:h]], positions)[0][:, np.r_[h:D, 0:h]]
    slow = rope_forward(x, positions, base=10000.0**0.5)[0]  # theta = base^(-i/D)
    return [
        (
            interleaved,
            tr(
                "emparejaste vecinos (x_2i, x_2i+1): es la convención intercalada de RoFormer y "
                "GPT-J; attnlab (como GPT-NeoX y LLaMA) empareja x_i con x_{i+D/2}.",
                "you paired neighbours (x_2i, x_2i+1): that is the interleaved convention of "
                "RoFormer and GPT-J; attnlab (like GPT-NeoX and LLaMA) pairs x_i with x_{i+D/2}.",
            ),
        ),
        (
            flipped,
            tr(
                "giras en sentido contrario: out_i = x_i cos − x_{i+D/2} sin y "
                "out_{i+D/2} = x_{i+D/2} cos + x_i sin.",
                "you turn the other way: out_i = x_i cos − x_{i+D/2} sin and "
                "out_{i+D/2} = x_{i+D/2} cos + x_i sin.",
            ),
        ),
        (
            slow,
            tr(
                "las frecuencias no son las de RoPE: θ_i = base^(−2i/D) para i < D/2.",
                "the frequencies are not RoPE's: θ_i = base^(−2i/D) for i < D/2.",
            ),
        ),
        (
            x,
            tr(
                "la salida es la entrada: ¿usaste las posiciones para los ángulos?",
                "the output is the input: did you use the positions for the angles?",
            ),
        ),
    ]


def check_rope(fn) -> Feedback:
    """``fn(x, positions)``: rotate-half RoPE of x (T, D) at integer ``positions`` (T,)."""
    name = tr("RoPE a mano", "RoPE by hand")
    x = np.random.default_rng(11).standard_normal((6, 8))  # (T, D)
    positions = np.array([0, 1, 2, 7, 30, 100])
    got, bad = call_student(name, fn, x.copy(), positions.copy())
    if bad is not None:
        return bad
    want, _ = rope_forward(x, positions)  # (T, D)
    wrong = check_array(name, got, want, tr("la salida", "the output"))
    if wrong is not None:
        if np.shape(got) == want.shape:
            got = np.asarray(got, dtype=np.float64)
            for variant, hint in _rope_variants(x, positions):
                if np.allclose(got, variant, atol=1e-8):
                    wrong.messages.append(hint)
                    break
        return wrong
    return passed(
        name,
        tr(
            "cada par gira posición·θ_i; q·k ya solo depende del desfase.",
            "each pair turns by position·θ_i; q·k now depends only on the offset.",
        ),
    )


def check_alibi_slopes(fn) -> Feedback:
    """``fn(H)``: ALiBi's slopes (H,) for any number of heads, as Press et al. compute them."""
    name = tr("pendientes de ALiBi", "ALiBi slopes")
    for H in (1, 2, 4, 8, 3, 6, 12):
        got, bad = call_student(name, fn, H)
        if bad is not None:
            return bad
        want = alibi_slopes(H)
        wrong = check_array(
            name, got, want, tr(f"las pendientes con H={H}", f"the slopes for H={H}")
        )
        if wrong is None:
            continue
        got = np.asarray(got, dtype=np.float64) if np.shape(got) == (H,) else None
        geometric = 2.0 ** (-8.0 * np.arange(1, H + 1) / H)
        if got is not None and np.allclose(got, geometric):
            wrong.messages.append(
                tr(
                    f"H={H} no es potencia de dos: toma las pendientes de n = 2^⌊log2 H⌋ y "
                    "completa con las de 2n en los índices 0, 2, 4, ...",
                    f"H={H} is not a power of two: take the slopes of n = 2^⌊log2 H⌋ and fill in "
                    "with those of 2n at indices 0, 2, 4, ...",
                )
            )
        elif got is not None and np.allclose(np.sort(got), np.sort(want)):
            wrong.messages.append(
                tr(
                    "son las pendientes correctas en otro orden: primero las de n, luego las "
                    "de 2n que completan.",
                    "those are the right slopes in another order: first those of n, then the "
                    "ones of 2n that fill in.",
                )
            )
        elif got is not None and H in (3, 6, 12):
            n = 2 ** int(np.floor(np.log2(H)))
            odd = np.concatenate([alibi_slopes(n), alibi_slopes(2 * n)[1::2][: H - n]])
            if np.allclose(got, odd):
                wrong.messages.append(
                    tr(
                        "de las pendientes de 2n toma las de índice par (0, 2, 4, ...), no impar.",
                        "from the slopes of 2n take the even indices (0, 2, 4, ...), not the odd.",
                    )
                )
        return wrong
    return passed(
        name,
        tr(
            "cada cabeza olvida a su ritmo: de 2^(−8/H) a 2^(−8) cuando H es potencia de dos.",
            "each head forgets at its own pace: from 2^(−8/H) to 2^(−8) when H is a power of two.",
        ),
    )
