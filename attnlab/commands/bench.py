"""``attnlab bench``: attnlab against torch on this CPU, and tiled attention's memory.

The harness is repository tooling (``benchmarks/``): this command runs it from a checkout and
says where it lives otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "benchmark attnlab against torch (attention, multi-head, TLOB) and tiled attention's memory"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats, float32 attention only, T <= 2048 for memory (~1 min)",
    )
    parser.add_argument(
        "--cases",
        default=None,
        help="comma-separated subset of attention,mha,tlob,memory (default: all)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for NumPy's BLAS, attnlab's head blocks and torch (default: all cores)",
    )
    parser.add_argument("--repeats", type=int, default=None, help="timed pairs per case")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run the timed cases this many times and pool their pairs",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for results.md and the time/memory plot (e.g. figures/bench)",
    )


def run(args: argparse.Namespace) -> int:
    from .._checkout import NotInCheckout, import_tool
    from ..i18n import LANGUAGES

    try:
        suite = import_tool("benchmarks.suite", "the benchmark harness")
    except NotInCheckout as err:
        print(f"attnlab bench: {err}", file=sys.stderr)
        return 2
    cases = list(suite.CASES) if args.cases is None else args.cases.split(",")
    cases = [c.strip() for c in cases if c.strip()]
    unknown = sorted(set(cases) - set(suite.CASES))
    if unknown:
        print(
            f"attnlab bench: unknown case(s) {unknown}; choose from {list(suite.CASES)}",
            file=sys.stderr,
        )
        return 2
    for name in ("threads", "repeats", "rounds"):
        value = getattr(args, name)
        if value is not None and value < 1:
            print(f"attnlab bench: --{name} must be >= 1, got {value}", file=sys.stderr)
            return 2
    if args.out is not None:
        from ._common import check_writable

        problem = check_writable(args.out)
        if problem:
            print(f"attnlab bench: --out: {problem}", file=sys.stderr)
            return 2
    try:
        result = suite.run_suite(
            cases=cases,
            quick=args.quick,
            threads=args.threads,
            repeats=args.repeats,
            rounds=args.rounds,
        )
    except ImportError as err:
        print(f"attnlab bench compares with torch: {err}", file=sys.stderr)
        return 1
    if args.out is not None:
        (args.out / "results.md").write_text(suite.markdown(result) + "\n", encoding="utf-8")
        print(f"wrote {args.out / 'results.md'}")
        if result["rows"]:
            for lang in LANGUAGES:
                path = args.out / f"summary_{lang}.md"
                path.write_text(suite.summary(result, lang) + "\n", encoding="utf-8")
                print(f"wrote {path}")
        if result["memory"]:
            import matplotlib

            matplotlib.use("Agg")
            from ..viz.bench import bench_time_memory
            from ..viz.style import save_figure

            for lang in LANGUAGES:
                path = args.out / f"time_memory_vs_T_{lang}.png"
                save_figure(bench_time_memory(result["memory"], lang=lang), path)
                print(f"wrote {path}")
    return 0
