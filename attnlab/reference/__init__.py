"""Check attnlab against PyTorch: side-by-side runs, parity reports and golden vectors.

torch is imported only when a comparison runs (the README says how to install it), so this
package imports without it. :mod:`attnlab.reference.golden` holds small results computed by
torch and shipped with attnlab, to check parity where torch is not installed.

    >>> from attnlab.reference import compare_attention
    >>> report = compare_attention(q, k, v, is_causal=True)    # doctest: +SKIP
    >>> report.max_abs, report.passed()                        # doctest: +SKIP
"""

from .compare import (
    compare_attention,
    compare_gelu,
    compare_layer_norm,
    compare_linear,
    compare_softmax,
)
from .compare_modules import compare_multi_head_attention, compare_optimizer
from .gpt import compare_gpt, torch_gpt, twin_generate
from .report import Difference, ParityReport
from .tlob import compare_tlob, torch_tlob

__all__ = [
    "Difference",
    "ParityReport",
    "compare_attention",
    "compare_gelu",
    "compare_gpt",
    "compare_layer_norm",
    "compare_linear",
    "compare_multi_head_attention",
    "compare_optimizer",
    "compare_softmax",
    "compare_tlob",
    "torch_gpt",
    "torch_tlob",
    "twin_generate",
]
