"""Benchmarks: attnlab against torch on the CPU, timed fairly, and the memory of tiled attention.

This is repository tooling, not part of the installed package. :mod:`.harness` holds the
measuring rules (NumPy only), :mod:`.cases` the cases (torch is imported only when one runs),
:mod:`.suite` runs them all and writes markdown. From a checkout: ``attnlab bench`` (``--quick``,
``--cases attention,mha``) or ``python -m benchmarks.bench_all``.
"""
