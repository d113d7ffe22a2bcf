"""``attnlab tour``: a small attention computation, a gradient check, and torch (if present)."""

from __future__ import annotations

import argparse

import numpy as np

HELP = "print a short tour: attention weights, a gradient check, the torch comparison"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run(args: argparse.Namespace) -> int:
    import attnlab
    from attnlab.functional import attention_backward, attention_forward

    rng = np.random.default_rng(args.seed)
    T, D = 4, 8
    q, k, v = (rng.standard_normal((T, D)) for _ in range(3))  # (T, D) each
    print(f"attnlab {attnlab.__version__}: scaled dot-product attention, T={T} tokens, D={D}\n")
    print("1. out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)")
    out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)
    print("   weights = softmax(q k^T / sqrt(D)), row = query, column = key; each row sums to 1.")
    print("   Above the diagonal is exactly 0: query i only sees keys 0..i.")
    with np.printoptions(precision=3, suppress=True):
        print("   " + str(weights).replace("\n", "\n   "))
    print(f"   out = weights @ v has shape {out.shape}\n")

    print("2. attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs=kwargs)")
    print("   relative error of the hand-written backward vs central differences:")
    kwargs = {"is_causal": True}
    err = attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs=kwargs)
    print("   " + str(err).replace("\n", "\n   "))
    print("   passed (all <= 1e-6)\n" if err.passed() else "   FAILED (some > 1e-6)\n")

    print("3. attnlab.reference.compare_attention(q, k, v, is_causal=True)")
    try:
        from attnlab.reference import compare_attention

        report = compare_attention(q, k, v, is_causal=True)
    except ImportError as exc:
        print(f"   torch comparison skipped: {exc}")
    else:
        print("   " + str(report).replace("\n", "\n   "))
        verdict = "passed" if report.passed() else "FAILED"
        print(f"   {verdict} (float64: max abs diff <= 1e-10)")
    return 0 if err.passed() else 1
