"""``attnlab tour``: a small attention computation, a gradient check, and torch (if present)."""

from __future__ import annotations

import argparse

import numpy as np

HELP = "print a short tour: attention weights, a gradient check, the torch comparison"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..i18n import LANGUAGES

    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the tour (default: ATTNLAB_LANG, else the locale's: es or en)",
    )


def indented(obj) -> str:
    return "   " + str(obj).replace("\n", "\n   ")


def run(args: argparse.Namespace) -> int:
    from attnlab.i18n import default_language, get_language, set_language

    previous = get_language()
    set_language(args.lang or default_language())  # the parity report below speaks it too
    try:
        return tour(args.seed)
    finally:
        set_language(previous)


def tour(seed: int) -> int:
    """Print the three steps in the current language; 0 if the gradient check passed."""
    import attnlab
    from attnlab.functional import attention_backward, attention_forward
    from attnlab.i18n import tr

    rng = np.random.default_rng(seed)
    T, D = 4, 8
    q, k, v = (rng.standard_normal((T, D)) for _ in range(3))  # (T, D) each
    print(
        tr(
            f"attnlab {attnlab.__version__}: atención de producto escalar escalado, "
            f"T={T} tokens, D={D}\n",
            f"attnlab {attnlab.__version__}: scaled dot-product attention, T={T} tokens, D={D}\n",
        )
    )
    print("1. out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)")
    out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)
    print(
        tr(
            "   weights = softmax(q k^T / sqrt(D)): fila = consulta, columna = clave; "
            "cada fila suma 1.\n   Por encima de la diagonal hay exactamente 0: "
            "la consulta i solo ve las claves 0..i.",
            "   weights = softmax(q k^T / sqrt(D)), row = query, column = key; "
            "each row sums to 1.\n   Above the diagonal is exactly 0: query i only sees keys 0..i.",
        )
    )
    with np.printoptions(precision=3, suppress=True):
        print(indented(weights))
    print(
        tr(
            f"   out = weights @ v tiene forma {out.shape}\n",
            f"   out = weights @ v has shape {out.shape}\n",
        )
    )

    print("2. attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs=kwargs)")
    print(
        tr(
            "   error relativo de la retropropagación escrita a mano "
            "frente a diferencias centrales:",
            "   relative error of the hand-written backward vs central differences:",
        )
    )
    kwargs = {"is_causal": True}
    err = attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs=kwargs)
    print(indented(err))
    print(
        tr("   superado (todos <= 1e-6)\n", "   passed (all <= 1e-6)\n")
        if err.passed()
        else tr("   FALLA (alguno > 1e-6)\n", "   FAILED (some > 1e-6)\n")
    )

    print("3. attnlab.reference.compare_attention(q, k, v, is_causal=True)")
    try:
        from attnlab.reference import compare_attention

        report = compare_attention(q, k, v, is_causal=True)
    except ImportError as exc:
        print(tr(f"   comparación con torch omitida: {exc}", f"   torch comparison skipped: {exc}"))
    else:
        print(indented(report))
        verdict = tr("superado", "passed") if report.passed() else tr("FALLA", "FAILED")
        print(
            tr(
                f"   {verdict} (float64: diferencia absoluta máxima <= 1e-10)",
                f"   {verdict} (float64: max abs diff <= 1e-10)",
            )
        )
    return 0 if err.passed() else 1
