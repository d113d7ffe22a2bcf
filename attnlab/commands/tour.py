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

    np.set_printoptions(precision=3, suppress=True)
    rng = np.random.default_rng(args.seed)
    T, D = 4, 8
    q, k, v = (rng.standard_normal((T, D)) for _ in range(3))  # (T, D) each
    print(f"attnlab {attnlab.__version__}: scaled dot-product attention, T={T} tokens, D={D}\n")
    out, weights = attnlab.scaled_dot_product_attention(q, k, v, is_causal=True)
    print("causal attention weights (row = query, column = key; each row sums to 1):")
    print(weights, "\n")
    print("output shape:", out.shape)
    err = attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs={"is_causal": True})
    print("\ngradient check (relative error of the hand-written backward vs central differences):")
    print(err)
    print("passed" if err.passed() else "FAILED")
    try:
        from attnlab.reference import compare_attention
    except ImportError:  # the reference package itself is missing: nothing to compare
        compare_attention = None
    if compare_attention is not None:
        try:
            report = compare_attention(q, k, v, is_causal=True)
        except ImportError as exc:
            print(f"\ntorch comparison skipped: {exc}")
        else:
            print("\ncompared with torch.nn.functional.scaled_dot_product_attention:")
            print(report)
    return 0 if err.passed() else 1
