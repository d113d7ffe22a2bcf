"""Benchmarks: attnlab against torch on the CPU, timed fairly, and the memory of tiled attention.

:mod:`.harness` holds the measuring rules (NumPy only), :mod:`.cases` the cases (torch is
imported only when one runs), :mod:`.suite` runs them all and writes markdown. From the
command line: ``attnlab bench`` (``--quick``, ``--cases attention,mha``).
"""

from .harness import PairTiming, blas_info, matmul_gflops, peak_rss, peak_tracemalloc, time_pair

__all__ = ["PairTiming", "blas_info", "matmul_gflops", "peak_rss", "peak_tracemalloc", "time_pair"]
