"""``attnlab bench``: attnlab against torch on this CPU, and tiled attention's memory."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "benchmark attnlab against torch (attention, multi-head, TLOB) and tiled attention's memory"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from attnlab.benchmarks.suite import CASES

    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repeats, float32 attention only, T <= 2048 for memory (~1 min)",
    )
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated subset of {','.join(CASES)} (default: all)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for both NumPy's BLAS and torch (default: all cores)",
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
    from attnlab.benchmarks.suite import CASES, markdown, run_suite, summary

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        print(f"unknown case(s) {unknown}; choose from {list(CASES)}")
        return 2
    try:
        result = run_suite(
            cases=cases,
            quick=args.quick,
            threads=args.threads,
            repeats=args.repeats,
            rounds=args.rounds,
        )
    except ImportError as err:
        print(f"attnlab bench compares with torch: {err}")
        return 1
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.md").write_text(markdown(result) + "\n", encoding="utf-8")
        print(f"wrote {args.out / 'results.md'}")
        if result["rows"]:
            for lang in ("en", "es"):
                path = args.out / f"summary_{lang}.md"
                path.write_text(summary(result, lang) + "\n", encoding="utf-8")
                print(f"wrote {path}")
        if result["memory"]:
            import matplotlib

            matplotlib.use("Agg")
            from attnlab.viz.bench import bench_time_memory
            from attnlab.viz.style import save_figure

            for lang in ("en", "es"):
                path = args.out / f"time_memory_vs_T_{lang}.png"
                save_figure(bench_time_memory(result["memory"], lang=lang), path)
                print(f"wrote {path}")
    return 0
