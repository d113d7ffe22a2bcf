"""Checkers for lesson 05: splitting and merging heads, torch's weight layout, parameter counts."""

from __future__ import annotations

import numpy as np

from ..functional import merge_heads, split_heads
from ..i18n import tr
from ..nn import MultiHeadAttention
from ._feedback import Feedback, as_array, call_student, check_array, failed, passed, same


def check_split_heads(fn) -> Feedback:
    """``fn(x, H)``: (B, T, E) -> (B, H, T, D), head h owning features h*D .. (h+1)*D - 1."""
    name = tr("separar cabezas", "split heads")
    x = np.arange(2 * 3 * 8, dtype=np.float64).reshape(2, 3, 8)  # (B, T, E)
    got, bad = call_student(name, fn, x.copy(), 2)
    if bad is not None:
        return bad
    want = split_heads(x, 2)  # (B, H, T, D)
    wrong = check_array(name, got, want, tr("el resultado", "the result"))
    if wrong is None:
        return passed(
            name,
            tr(
                "cada cabeza recibe su propio trozo de D = E / H rasgos.",
                "each head gets its own slice of D = E / H features.",
            ),
        )
    arr = as_array(got)
    if same(arr, x.reshape(2, 2, 3, 4)):
        wrong.messages.append(
            tr(
                "un reshape directo a (B, H, T, D) mezcla posiciones: primero (B, T, H, D) y "
                "luego transpose(0, 2, 1, 3).",
                "a direct reshape to (B, H, T, D) mixes positions: first (B, T, H, D), then "
                "transpose(0, 2, 1, 3).",
            )
        )
    elif arr is not None and arr.shape == (2, 3, 2, 4):
        wrong.messages.append(
            tr(
                "te falta el transpose: el eje de cabezas va antes que T.",
                "you are missing the transpose: the head axis comes before T.",
            )
        )
    return wrong


def check_merge_heads(fn) -> Feedback:
    """``fn(x)``: (B, H, T, D) -> (B, T, E), the inverse of split_heads."""
    name = tr("unir cabezas", "merge heads")
    x = np.arange(2 * 2 * 3 * 4, dtype=np.float64).reshape(2, 2, 3, 4)  # (B, H, T, D)
    got, bad = call_student(name, fn, x.copy())
    if bad is not None:
        return bad
    wrong = check_array(name, got, merge_heads(x), tr("el resultado", "the result"))
    if wrong is None:
        return passed(
            name, tr("merge_heads(split_heads(x)) == x.", "merge_heads(split_heads(x)) == x.")
        )
    if same(got, x.reshape(2, 3, 8)):
        wrong.messages.append(
            tr(
                "un reshape directo a (B, T, E) mezcla cabezas y posiciones: primero "
                "transpose(0, 2, 1, 3) a (B, T, H, D), luego reshape.",
                "a direct reshape to (B, T, E) mixes heads and positions: first "
                "transpose(0, 2, 1, 3) to (B, T, H, D), then reshape.",
            )
        )
    return wrong


def check_mha_param_count(fn) -> Feedback:
    """``fn(E, H, bias)``: number of parameters of multi-head attention (torch's layout)."""
    name = tr("contar parámetros", "count parameters")
    for E, H, bias in ((8, 2, True), (16, 4, False), (40, 1, True)):
        got, bad = call_student(name, fn, E, H, bias)
        if bad is not None:
            return bad
        want = MultiHeadAttention(E, H, bias=bias).num_parameters()
        if got == want:
            continue
        hint = ""
        one_head, _ = call_student(name, fn, E, 1, bias)
        if H != 1 and one_head is not None and one_head != got:
            hint = tr(
                " Tu recuento cambia con H, y no debería: cada cabeza usa su trozo de D = E / H "
                "rasgos de las mismas matrices, así que más cabezas son cabezas más estrechas.",
                " Your count changes with H, and it should not: each head uses its slice of "
                "D = E / H features of the same matrices, so more heads are narrower heads.",
            )
        elif bias and got == 4 * E * E:
            hint = tr(" ¿Y los sesgos?", " What about the biases?")
        return failed(
            name,
            tr(
                f"E={E}, H={H}, bias={bias}: calculaste {got}, que no es el recuento. Piensa en "
                f"in_proj (3E x E), out_proj (E x E) y sus sesgos (3E + E).{hint}",
                f"E={E}, H={H}, bias={bias}: you computed {got}, which is not the count. Think "
                f"of in_proj (3E x E), out_proj (E x E) and their biases (3E + E).{hint}",
            ),
        )
    return passed(
        name,
        tr(
            "4E² + 4E con sesgos, 4E² sin ellos: H no aparece.",
            "4E² + 4E with biases, 4E² without: H does not appear.",
        ),
    )


def check_in_proj_split(fn) -> Feedback:
    """``fn(in_proj_weight)`` -> (W_q, W_k, W_v), each (E, E), from torch's stacked (3E, E)."""
    name = tr("separar in_proj_weight", "split in_proj_weight")
    E = 4
    w = np.random.default_rng(5).standard_normal((3 * E, E))  # (3E, E)
    got, bad = call_student(name, fn, w.copy())
    if bad is not None:
        return bad
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return failed(
            name, tr("devuelve una tupla (W_q, W_k, W_v).", "return a tuple (W_q, W_k, W_v).")
        )
    wants = (w[:E], w[E : 2 * E], w[2 * E :])  # (E, E) each
    for label, g, want in zip(("W_q", "W_k", "W_v"), got, wants, strict=True):
        wrong = check_array(name, g, want, label)
        if wrong is None:
            continue
        if all(same(a, b.T) for a, b in zip(got, wants, strict=True)):
            wrong.messages.append(
                tr(
                    "devolviste las traspuestas: torch guarda cada peso como (salida, entrada) "
                    "y las apila por filas, sin trasponer.",
                    "you returned the transposes: torch stores each weight as (out, in) and "
                    "stacks them by rows, untransposed.",
                )
            )
        elif same(got[0], w[0::3]):
            wrong.messages.append(
                tr(
                    "tomaste filas alternas: torch apila bloques de E filas seguidas "
                    "(W_q arriba, W_v abajo).",
                    "you took every third row: torch stacks blocks of E consecutive rows "
                    "(W_q on top, W_v at the bottom).",
                )
            )
        elif any(same(g, b) for b in wants):
            wrong.messages.append(
                tr(
                    "los tres bloques están, pero en otro orden: torch apila W_q, W_k, W_v.",
                    "the three blocks are there, in another order: torch stacks W_q, W_k, W_v.",
                )
            )
        return wrong
    return passed(
        name,
        tr(
            "W_q son las primeras E filas, W_k las siguientes, W_v las últimas.",
            "W_q is the first E rows, W_k the next E, W_v the last E.",
        ),
    )
