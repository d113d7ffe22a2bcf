"""Run attnlab's whole benchmark suite and write the results where the README points.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m benchmarks.bench_all [--quick]

Writes benchmarks/results.md (the full table with its header) and figures/bench/ (the same
table as results.md, and the time/memory-versus-T plot in English and Spanish). The same as
``attnlab bench --out figures/bench``, plus the copy under benchmarks/. Unset
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this command only (where this machine sets them they
select an older, slower kernel); the header says which kernel NumPy's OpenBLAS then uses.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from attnlab.commands import bench

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    bench.add_arguments(parser)
    args = parser.parse_args()
    args.out = args.out or ROOT / "figures" / "bench"
    code = bench.run(args)
    if code == 0:
        shutil.copyfile(args.out / "results.md", ROOT / "benchmarks" / "results.md")
        print(f"wrote {ROOT / 'benchmarks' / 'results.md'}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
